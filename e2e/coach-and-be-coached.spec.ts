import { expect, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(240_000);

/** A UK date `days` from today, as YYYY-MM-DD, and as the pages write it ("Monday 7 December 2026"). */
function ukDay(days: number): { iso: string; text: string } {
  const at = new Date(Date.now() + days * 86_400_000);
  const iso = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(at);
  const text = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(at).replace(',', '');
  return { iso, text };
}

test('given the demo coach and participant, when the coach publishes weekly times in Paris time and the participant books one in UK time and moves it, then the coach records last week’s session held with notes and actions, and the participant sees the actions and their hours', async ({ browser }) => {
  const first = ukDay(7);
  const second = ukDay(14);

  // Given the coach, who works from Paris this term, sets their time zone and publishes two weekly half hours at 19:00 there.
  const cora = await (await browser.newContext()).newPage();
  await signInAs(cora, 'coach');
  await cora.getByRole('link', { name: 'Coaching', exact: true }).first().click();
  const overview = await onPage(cora, 'Your coaching');
  await overview.expectAccessible();
  await overview.follow('Publish and manage your free times');
  const slots = await onPage(cora, 'Your free times');
  await slots.field('Your time zone').selectOption({ label: 'Central European Time (Paris, Madrid, Berlin, Rome)' });
  await slots.press('Save the time zone');
  await slots.expectToSee(/Your time zone is Central European Time/);
  // A mistake first: a join link that is not https is refused, and what was typed stays.
  await fillDate(cora, 'Date', first.iso);
  await slots.field('Start time').fill('19:00');
  await slots.field('Length in minutes').fill('30');
  await slots.field('Repeat weekly for how many weeks').fill('2');
  await slots.field('Join link (online)').fill('http://meet.example.com/cora');
  await slots.press('Publish');
  await slots.expectErrors('Enter the join link as a web address that starts with https://');
  await expect(slots.field('Start time')).toHaveValue('19:00');
  await slots.expectAccessible();
  await slots.field('Join link (online)').fill('https://meet.example.com/cora-paris');
  await slots.press('Publish');
  await slots.expectToSee('2 free times published.');
  await expect(cora.getByRole('table', { name: 'Your free and booked times' })).toContainText(`${first.text}, 19:00 to 19:30`);
  await slots.expectAccessible();

  // When the participant, without JavaScript, opens their coaching and sees the time in UK time, and books it.
  const pat = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  await pat.getByRole('link', { name: /Your coaching/ }).click();
  const mine = await onPage(pat, 'Your coaching');
  await mine.expectToSee('55 minutes used of 3 hours, 1 hour booked');
  await pat.getByRole('button', { name: `Book: ${first.text}, 18:00 to 18:30` }).click();
  await mine.expectToSee('Your session is booked. We have emailed you and your coach a calendar entry.');
  await expect(pat.locator('[data-booking]').filter({ hasText: `${first.text}, 18:00 to 18:30` })).toBeVisible();

  // …and moves it a week on.
  await pat.getByRole('link', { name: `Move this session on ${first.text}, 18:00 to 18:30` }).click();
  const move = await onPage(pat, 'Move this session');
  await pat.getByRole('button', { name: `Move to this time: ${second.text}, 18:00 to 18:30` }).click();
  await mine.expectToSee('Your session has moved. We have emailed you and your coach the new time.');
  await expect(pat.locator('[data-booking]').filter({ hasText: `${second.text}, 18:00 to 18:30` })).toBeVisible();
  await expect(pat.locator('[data-booking]').filter({ hasText: `${first.text}, 18:00` })).toHaveCount(0);

  // The same pages, read by axe (which needs JavaScript).
  const seen = await (await browser.newContext()).newPage();
  await signInAs(seen, 'participant');
  await seen.goto(pat.url());
  await (await onPage(seen, 'Your coaching')).expectAccessible();
  await seen.getByRole('link', { name: `Move this session on ${second.text}, 18:00 to 18:30` }).click();
  await (await onPage(seen, 'Move this session')).expectAccessible();
  await seen.goBack();
  await seen.getByRole('link', { name: `Cancel this session on ${second.text}, 18:00 to 18:30` }).click();
  await (await onPage(seen, 'Cancel this session')).expectAccessible();
  void move;

  // Then the coach sees it in Paris time, records last week's session held, with notes and actions.
  await cora.goto('/coaching');
  await expect(cora.getByRole('table', { name: 'Sessions to come' })).toContainText(`${second.text}, 19:00 to 19:30`);
  await cora.getByRole('table', { name: 'Sessions to record' }).getByRole('link').first().click();
  await expect(cora.getByRole('heading', { level: 2, name: 'Record the session' })).toBeVisible();
  const session = await onPage(cora, /, 1[67]:00 to 1[78]:00$/);
  await session.expectToSee('Actions agreed before');
  await cora.getByLabel('Held', { exact: true }).check();
  await session.field('How long it lasted, if held').fill('50');
  await session.field('Agreed actions').fill('Pat: run the staff meeting using the agenda.\nPat: note two things to delegate.');
  await session.field('Your private notes').fill('Much more confident this week.');
  await session.press('Save');
  await session.expectToSee('The session is recorded.');
  await session.expectAccessible();

  // …and the participant sees the actions and their hours, never the coach's notes.
  await pat.reload();
  await mine.expectToSee('1 hour 45 minutes used of 3 hours, 30 minutes booked');
  await mine.expectToSee('What you agreed to do');
  await expect(pat.locator('.govuk-inset-text').filter({ hasText: 'Pat: note two things to delegate.' })).toBeVisible();
  await expect(pat.getByText('Much more confident')).toHaveCount(0);

  // The Midlands lead sees who coaches Pat; the admin's outbox holds the emails with their calendar entries.
  const lead = await (await browser.newContext()).newPage();
  await signInAs(lead, 'Midlands delivery partner lead');
  await lead.getByRole('link', { name: 'Coaches and tutors' }).click();
  const allocations = await onPage(lead, 'Coaches and tutors');
  await expect(lead.getByLabel('Coach for Pat Participant')).toHaveValue(/[0-9a-f-]{36}/);
  await allocations.expectAccessible();
  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await admin.goto('/admin/outbox');
  await expect(admin.getByText(`Coaching session moved: ${second.text}, 18:00 to 18:30, UK time (London)`)).toBeVisible();

  // The coach goes back to UK time for the rest of the demo.
  await cora.goto('/coaching/slots');
  await slots.field('Your time zone').selectOption({ label: 'UK time (London)' });
  await slots.press('Save the time zone');
  await slots.expectToSee(/Your time zone is UK time/);
});
