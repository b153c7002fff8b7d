import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './pages/diagnostic.page';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage, ProgrammePage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(240_000);

test('given the demo NPQH intake, when the participant says they cannot come to tomorrow’s event and the facilitator marks them excused from the first, then the participant is offered the first event’s catch-up task, does it, and finds the briefing’s recording and its join button', async ({ browser }) => {
  // Given the participant, in a browser without JavaScript, opens tomorrow's event and says they cannot come.
  const pat = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  const programme = await new ProgrammePage(pat).verifyOnPage();
  const event2 = await programme.openSession('Event 2: Strategy & Improvement');
  await event2.expectToSee('You will attend');
  await pat.getByLabel('No, I cannot attend').check();
  await event2.press('Send your reply');
  await event2.expectErrors('Enter why you cannot attend');
  await expect(pat.getByLabel('No, I cannot attend')).toBeChecked();
  await event2.field('If you cannot attend, why not?').fill('Our Ofsted inspection is that day');
  await event2.press('Send your reply');
  await event2.expectToSee('your facilitator knows you cannot attend');
  await event2.expectToSee('You cannot attend: Our Ofsted inspection is that day');

  // The same pages read by axe, which needs JavaScript.
  const seen = await (await browser.newContext()).newPage();
  await signInAs(seen, 'participant');
  await seen.goto('/programme');
  const looking = await new ProgrammePage(seen).verifyOnPage();
  const seenEvent2 = await looking.openSession('Event 2: Strategy & Improvement');
  await seenEvent2.expectAccessible();
  await expect(seen.getByLabel('No, I cannot attend')).toBeChecked();
  await expect(seenEvent2.field('If you cannot attend, why not?')).toHaveValue('Our Ofsted inspection is that day');

  // When the facilitator, on a phone, sees the reply on tomorrow's register and marks the participant excused from the first event.
  const fred = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInAs(fred, 'facilitator');
  await fred.goto('/delivery');
  await fred.getByRole('link', { name: 'Autumn 2026' }).click();
  await fred.getByRole('link', { name: 'Take the register for Event 2: Strategy & Improvement' }).click();
  const tomorrow = await onPage(fred, 'Register: Event 2: Strategy & Improvement');
  await tomorrow.expectToSee('Said they cannot attend: Our Ofsted inspection is that day');
  await tomorrow.expectAccessible();
  await expectNoSidewaysScroll(fred);
  await fred.goBack();
  await fred.getByRole('link', { name: 'Take the register for Event 1: Induction' }).click();
  const first = await onPage(fred, 'Register: Event 1: Induction');
  await fred.getByRole('group', { name: 'Pat Participant' }).getByLabel('Excused').check();
  await first.field(/Reason for Pat Participant/).fill('Family emergency');
  await first.press('Save the register');
  await first.expectToSee('The register is saved: 1 mark recorded.');

  // Then the participant is offered the first event's catch-up task, does it, and the event still counts.
  await pat.goto('/programme');
  await expect(pat.locator('[data-next]')).toContainText('Catch-up task: to do');
  const event1 = await programme.openSession('Event 1: Induction');
  await event1.expectToSee('Catch-up: If you missed Event 1');
  await event1.press('Mark the catch-up task as done');
  await event1.expectToSee('Marked as done.');
  await pat.goto('/programme');
  await expect(pat.getByRole('table', { name: 'Your timetable' })).toContainText('Catch-up task: done');
  expect(await programme.progressOf('Events')).toMatch(/^Events [1-9] of/);
  await seen.goto('/programme');
  await (await looking.openSession('Event 1: Induction')).expectAccessible();

  // …and finds the last briefing's recording, and joins the next one through its button.
  await pat.goto('/programme');
  const briefing2 = await programme.openSession('Online briefing: Support and guidance');
  await expect(pat.getByRole('link', { name: 'Watch the recording' })).toHaveAttribute('href', 'https://meet.example.org/recordings/npqh-autumn-2026-b2');
  // Three weeks ahead, the next briefing says when its join button will appear.
  await seen.goto('/programme');
  const ahead = await looking.openSession('Online briefing: Assessment insight');
  await ahead.expectToSee('The button to join appears here 15 minutes before the session starts.');
  // The admin moves it to start in five minutes (UK time), and the button is there.
  const staff = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await staff.goto('/delivery');
  await staff.getByRole('link', { name: 'Autumn 2026' }).click();
  await staff.getByRole('link', { name: 'Change Assessment insight' }).click();
  const entry = await onPage(staff, 'Assessment insight');
  const inLondon = (minutes: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + minutes * 60_000));
  await fillDate(staff, 'Date', new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + 5 * 60_000)));
  await entry.field('Start time').fill(inLondon(5));
  // Near midnight the session ends at 23:59 rather than on the next day.
  await entry.field('End time').fill(inLondon(5) > inLondon(65) ? '23:59' : inLondon(65));
  await entry.press('Save');
  await onPage(staff, 'Autumn 2026');
  await seen.route('https://meet.example.org/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>The meeting</title><h1>The meeting</h1>' }));
  await seen.goto('/programme');
  const briefing3 = await looking.openSession('Online briefing: Assessment insight');
  await briefing3.expectAccessible();
  await briefing3.press('Join the session online');
  await expect(seen).toHaveURL('https://meet.example.org/npqh-autumn-2026-b3');
  await expect(seen.getByRole('heading', { name: 'The meeting' })).toBeVisible();
  // Without JavaScript the page of ours in between opens the meeting too (a meta refresh).
  await pat.route('https://meet.example.org/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>The meeting</title><h1>The meeting</h1>' }));
  await pat.goto('/programme');
  await (await programme.openSession('Online briefing: Assessment insight')).press('Join the session online');
  await expect(pat).toHaveURL('https://meet.example.org/npqh-autumn-2026-b3');
  void briefing2;
});
