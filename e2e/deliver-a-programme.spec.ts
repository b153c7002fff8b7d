import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './pages/diagnostic.page';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage, ProgrammePage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';
import { aPdf } from '../src/testing/documents';

test.setTimeout(360_000);

const A_PDF = aPdf('Slides: working together');

const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

test('given the demo NPQH intake, when the admin uploads slides, adds an event and schedules it, the participant downloads the slides and does their pre-work, a module and their core task, and the facilitator reviews it and takes the register on a phone, then the participant’s progress shows it all', async ({ browser }) => {
  // Given the provider admin uploads slides for the third module (a program named .pdf is refused first)…
  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await admin.goto('/admin/programmes');
  await admin.getByRole('link', { name: 'National Professional Qualification for Headship' }).click();
  // The demo's version 2 added the qualification handbook.
  const editor = await onPage(admin, 'Programme, version 2');
  await editor.expectAccessible();
  await admin.getByRole('link', { name: 'See or upload files' }).click();
  const files = await onPage(admin, 'Files for the programme');
  await expect(admin.getByRole('link', { name: 'NPQH-participant-handbook.pdf' })).toBeVisible();
  const upload = files.field('Upload a file');
  await upload.setInputFiles({ name: 'slides.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a PDF') });
  await files.press('Upload the file');
  await files.expectErrors('“slides.pdf” is not a PDF, Word, PowerPoint, Excel, PNG image or JPEG image file');
  await files.expectAccessible();
  await upload.setInputFiles({ name: 'Relationships slides.pdf', mimeType: 'application/pdf', buffer: A_PDF });
  await files.press('Upload the file');
  await files.expectToSee('Uploaded “Relationships-slides.pdf”.');
  await files.expectAccessible();
  await admin.getByRole('link', { name: 'Programme', exact: true }).first().click();

  // …names them in the outline and adds a sixth event: a new version of the programme.
  const outline = editor.field('The programme, a line for each piece');
  const withSlides = (await outline.inputValue()).replace(/(\n {2}Module: Establishing credible relationships[^\n]*)/, '$1\n    File: Slides: working together Relationships-slides.pdf');
  await outline.fill(`${withSlides}\nEvent: Event 6: Celebration of learning (120)`);
  await editor.press('Save as version 3');
  await editor.expectErrors('say how much guided learning the event is worth');
  await expect(outline).toHaveValue(/Event 6: Celebration of learning \(120\)$/);
  await outline.fill((await outline.inputValue()).replace('(120)', '(120 minutes)'));
  await editor.field('What you changed (optional)').fill('Slides, and a celebration at the end');
  await editor.press('Save as version 3');
  await onPage(admin, 'Programme, version 3');

  // …moves the Autumn 2026 intake on to it and dates the new event today, at the Birmingham centre.
  await admin.getByRole('link', { name: 'Delivery', exact: true }).click();
  const delivery = await onPage(admin, 'Programme delivery');
  await delivery.expectAccessible();
  await admin.getByRole('link', { name: 'Autumn 2026' }).click();
  const plan = await onPage(admin, 'Autumn 2026');
  await plan.expectAccessible();
  await admin.getByRole('link', { name: 'See what changes in version 3' }).click();
  const move = await onPage(admin, 'Move this intake on to version 3?');
  await move.expectToSee('Activity “Slides: working together” (in module “Establishing credible relationships & effective collaboration”)');
  await move.expectToSee('Event “Event 6: Celebration of learning”');
  await move.expectAccessible();
  await move.press('Move this intake to version 3');
  await plan.expectToSee('This intake now follows version 3 of the programme.');
  await admin.getByRole('link', { name: 'Set Event 6: Celebration of learning' }).click();
  const entry = await onPage(admin, 'Event 6: Celebration of learning');
  await entry.expectAccessible();
  await fillDate(admin, 'Date', today);
  await entry.field('Start time').fill('7:00');
  await entry.field('End time').fill('06:00');
  await entry.press('Save');
  await entry.expectErrors('The end time must be after the start time', 'Select the venue');
  await expect(entry.field('Start time')).toHaveValue('7:00');
  await entry.expectAccessible();
  await entry.field('End time').fill('23:30');
  await entry.field('Venue').selectOption({ label: 'Birmingham Regional Training Centre, Birmingham' });
  await entry.field('Room (optional)').fill('Main hall');
  await entry.press('Save');
  await plan.expectToSee('The plan is saved.');

  // When the participant opens their programme: tomorrow's event and its pre-work are next. Each page
  // is read by axe (which needs JavaScript); the work itself is done in a browser without JavaScript.
  const seen = await (await browser.newContext()).newPage();
  await signInAs(seen, 'participant');
  await seen.getByRole('link', { name: 'Open your programme' }).click();
  const looking = await new ProgrammePage(seen).verifyOnPage();
  await looking.expectAccessible();
  await expect(seen.locator('[data-next]')).toContainText('Event 2: Strategy & Improvement');
  await (await looking.openSession('Event 2: Strategy & Improvement')).expectAccessible();
  await seen.goto('/programme');
  await (await looking.openModule('Establishing credible relationships & effective collaboration')).expectAccessible();
  await seen.goto('/programme');
  const taskSeen = await looking.openModule('Transforming the culture for improvement and impact');
  await taskSeen.field('Your core task, improved').fill('');
  await taskSeen.press('Send your core task');
  await taskSeen.expectErrors('Enter your core task');
  await taskSeen.expectAccessible();

  const pat = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  const programme = await new ProgrammePage(pat).verifyOnPage();
  const event2 = await programme.openSession('Event 2: Strategy & Improvement');
  await event2.press('Mark the pre-work as done');
  await event2.expectToSee('Marked as done.');
  await pat.goto('/programme');

  // …finishes the third module…
  const module3 = await programme.openModule('Establishing credible relationships & effective collaboration');
  const [download] = await Promise.all([pat.waitForEvent('download'), pat.getByRole('link', { name: 'Relationships-slides.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('Relationships-slides.pdf');
  expect((await readFile(await download.path())).equals(A_PDF)).toBe(true);
  while (await pat.getByRole('button', { name: 'Mark the activity as done' }).count()) {
    await pat.getByRole('button', { name: 'Mark the activity as done' }).first().click();
    await module3.expectToSee('Marked as done.');
  }
  // The reflection is done by writing it: nothing written is refused, and what was written stays.
  await module3.press('Save your reflection');
  await module3.expectErrors('Write your reflection');
  await module3.field('Your reflection').fill('I will ask colleagues what they need before I plan.');
  await module3.press('Save your reflection');
  await module3.expectToSee('Your reflection is saved.');
  await expect(module3.field('Your reflection')).toHaveValue('I will ask colleagues what they need before I plan.');
  await module3.expectToSee('4 of 4 activities done.');

  // …and sends the fourth module's core task again, after the feedback it was sent back with.
  await pat.goto('/programme');
  const module4 = await programme.openModule('Transforming the culture for improvement and impact');
  await module4.expectToSee('Say what evidence the change rests on');
  const task = module4.field('Your core task, improved');
  await task.fill('');
  await module4.press('Send your core task');
  await module4.expectErrors('Enter your core task');
  await task.fill('The change rests on the EEF’s guidance on feedback. I will measure writing scores each half term.');
  await module4.press('Send your core task');
  await module4.expectToSee('Your core task is sent.');

  // Then the facilitator accepts it, and takes the register of today's event on a phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const fred = await phone.newPage();
  await signInAs(fred, 'facilitator');
  // On a phone the service navigation folds behind "Menu": the facilitator goes straight to delivery.
  await fred.goto('/delivery');
  await fred.getByRole('link', { name: 'Autumn 2026' }).click();
  await fred.getByRole('link', { name: 'Core tasks to review' }).click();
  const tasks = await onPage(fred, 'Core tasks');
  await tasks.expectAccessible();
  await fred.getByRole('link', { name: 'Pat Participant' }).click();
  const review = await onPage(fred, 'Core task: Pat Participant');
  await review.expectAccessible();
  await expectNoSidewaysScroll(fred);
  await review.press('Send the review');
  await review.expectErrors('Select whether the core task is complete or needs more work');
  await fred.getByLabel('Complete', { exact: true }).check();
  await review.field('Feedback to the participant').fill('Clear and well evidenced.');
  await review.press('Send the review');
  await tasks.expectToSee('The core task is marked complete.');

  await fred.goto('/delivery');
  await fred.getByRole('link', { name: 'Autumn 2026' }).click();
  await fred.getByRole('link', { name: 'Take the register for Event 6: Celebration of learning' }).click();
  const register = await onPage(fred, 'Register: Event 6: Celebration of learning');
  await register.expectAccessible();
  await expectNoSidewaysScroll(fred);
  await fred.getByRole('group', { name: 'Pat Participant' }).getByLabel('Absent').check();
  await register.press('Save the register');
  await register.expectErrors('Enter why Pat Participant was absent');
  await fred.getByRole('group', { name: 'Pat Participant' }).getByLabel('Present').check();
  await register.press('Save the register');
  await register.expectToSee('The register is saved: 1 mark recorded.');
  await register.expectToSee('1 of 15 marked.');

  // And the participant's progress shows the module, the core task and both events attended.
  await pat.goto('/programme');
  expect(await programme.progressOf('Online course modules')).toContain('3 of 12');
  expect(await programme.progressOf('Events')).toContain('2 of 6');
  await seen.goto('/programme/calendar');
  const calendar = await onPage(seen, 'Your programme in your calendar');
  await calendar.expectAccessible();
  const feed = await seen.getByLabel('Your calendar link').inputValue();
  const ics = await (await seen.request.get(new URL(feed).pathname)).text();
  expect(ics).toContain('SUMMARY:Event 6: Celebration of learning');
});
