import { expect, type Page, test } from '@playwright/test';
import { bankHolidaysIn, calendarDaysIn, workingDaysIn } from '../src/assessment/domain/working-days';
import { fodt, h, libreOffice, p } from '../src/assessment/submissions/libreoffice.testkit';
import { emailedLink } from './pages/outbox.page';
import { expectAccessible } from './pages/page-object';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage } from './pages/programme.page';
import { signInAs, signInByPasswordReset } from './pages/sign-in.page';

test.setTimeout(420_000);

// The UK day, as the platform counts release days: at 11 pm in summer, UTC's date would be yesterday's.
const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offset * 86_400_000));

/** The `weekday` (1 Monday … 5 Friday) of the week `weeksAgo` weeks before this one, as a UK date. */
function weekdayOf(weeksAgo: number, weekday: number): string {
  const d = new Date(Date.now() - weeksAgo * 7 * 86_400_000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + weekday - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * A stretch of placement days around England's latest weekday bank holiday since the demo NPQ began
 * (63 days ago), or, when none has fallen since, from a Thursday to the next Tuesday across a weekend.
 * The journey runs on the real clock, so which it is depends on the day; the service test crosses the
 * August bank holiday on a frozen clock either way.
 */
function aStretchAcrossDaysOff(): { from: string; to: string; bankHoliday?: string } {
  const year = Number(day(0).slice(0, 4));
  const holiday = [...bankHolidaysIn(year - 1), ...bankHolidaysIn(year)]
    .filter((d) => d >= day(-56) && d <= day(-4) && ![0, 6].includes(new Date(`${d}T12:00:00Z`).getUTCDay()))
    .sort()
    .at(-1);
  if (holiday) {
    const at = Date.parse(`${holiday}T12:00:00Z`);
    return { from: new Date(at - 3 * 86_400_000).toISOString().slice(0, 10), to: new Date(at + 3 * 86_400_000).toISOString().slice(0, 10), bankHoliday: holiday };
  }
  return { from: weekdayOf(2, 4), to: weekdayOf(1, 2) };
}

/** Marks the script open on the page at about seven tenths of each criterion's marks (`more` on the first), with comments, and submits them: a pass. */
async function markAndSubmit(page: Page, more = 0): Promise<void> {
  let first = true;
  for (const field of await page.getByLabel(/^Mark for .*, out of \d+$/).all()) {
    const label = (await page.locator(`label[for="${await field.getAttribute('id')}"]`).textContent()) ?? '';
    await field.fill(String(Math.ceil(Number(/out of (\d+)/.exec(label)![1]) * 0.7) + (first ? more : 0)));
    first = false;
  }
  for (const comment of await page.getByLabel(/^Comment on /).all()) await comment.fill('Well evidenced from the school’s own data.');
  await page.getByLabel('Overall comment').fill('A clear account, honestly evaluated.');
  await page.getByRole('button', { name: 'Submit the marks' }).click();
}

test('given a demo participant whose Task 1 is sent, when they log project time, record placement days the host confirms by link, get the board’s feedback by link and send a Word account for Task 2, and it is marked blind, sampled and adjusted by the moderator, and the admin releases the results, then they download their certificate and transcript, and an anonymous visitor verifies its code', async ({ browser }) => {
  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  // One of the classmates whose Task 1 is sent: the admin's allocation list names them.
  await admin.goto('/assessment/allocation');
  const name = (await admin.getByRole('table').getByRole('row').locator('td:first-child').first().textContent())!.trim();
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@demo-school.test`;

  // Task 2 opens today for the intake.
  await admin.goto('/assessment/submissions');
  await admin.getByRole('link', { name: /NPQH Autumn 2026/ }).first().click();
  const dates = await onPage(admin, /Submission dates: Autumn 2026/);
  const task2 = admin.locator('form').filter({ has: admin.getByRole('heading', { name: 'Task 2: a placement in a contrasting school' }) });
  await fillDate(task2, 'Submissions open', day(0));
  await fillDate(task2, 'Due by the end of', day(60));
  await dates.press('Save the dates for Task 2');
  await dates.expectToSee('The submission dates for Task 2 are saved.');

  // The participant has never been told a password: they set one by the emailed link, and send Task 2.
  const them = await (await browser.newContext()).newPage();
  await signInByPasswordReset(browser, them, email, 'a-long-passphrase-for-results-day');
  await them.goto('/programme');
  await them.getByRole('link', { name: /Your assessment/ }).first().click();
  const assessment = await onPage(them, 'Your assessment');
  await assessment.expectAccessible();

  // Two hours a week on the in-school project: an afternoon logged.
  await them.getByRole('link', { name: 'Log time on your project' }).click();
  const log = await onPage(them, 'Your project log');
  await fillDate(them, 'When did you work on it?', day(-3));
  await log.field('Hours').fill('2');
  await log.field('What did you do, and what did you learn?').fill('Walked the attendance team through the new first-day calls.');
  await log.press('Log this time');
  await log.expectToSee('Your time is logged.');
  await expect(them.getByText(/You have logged \d+ hours? (\d+ minutes )?on your in-school project\./)).toBeVisible();

  // The placement: a contrasting school, and days over two stretches, the days off between not counted.
  await them.getByRole('link', { name: 'Your assessment' }).click();
  await them.getByRole('link', { name: /Record placement/ }).click();
  const placement = await onPage(them, 'Your placement');
  await placement.field('Find the school by name, town, postcode or URN').fill('Oakfield');
  await placement.press('Search');
  await them.getByLabel('Oakfield Primary School').check();
  await them.getByLabel(/Pupil profile/).check();
  await placement.field('Your contact at the school').fill('Priya Host');
  await placement.field('Their email address').fill('priya.host@oakfield.test');
  await placement.press('Save the placement school');
  await placement.expectToSee('The placement school is saved. Now record the days you spend there.');
  const acrossDaysOff = aStretchAcrossDaysOff();
  let days = 0;
  for (const stretch of [{ from: weekdayOf(6, 1), to: weekdayOf(6, 5) }, acrossDaysOff]) {
    await fillDate(them, 'First day', stretch.from);
    await fillDate(them, /Last day/, stretch.to);
    await placement.press('Record these days');
    const counted = workingDaysIn(stretch.from, stretch.to);
    await placement.expectToSee(`${counted.length} working days recorded. Ask your host to confirm them when you are ready.`);
    days += counted.length;
  }
  expect(days).toBeGreaterThanOrEqual(9);
  // Seven calendar days across a weekend (and a bank holiday when one has fallen) are fewer working days.
  expect(workingDaysIn(acrossDaysOff.from, acrossDaysOff.to).length).toBe(calendarDaysIn(acrossDaysOff.from, acrossDaysOff.to) - (acrossDaysOff.bankHoliday ? 3 : 2));
  await placement.press('Ask Priya Host to confirm your days');
  await placement.expectToSee(`We have emailed your host to confirm ${days} working days. Their link works for 30 days.`);
  const host = await (await browser.newContext()).newPage();
  await host.goto(await emailedLink(browser, 'priya.host@oakfield.test', '/placement-days'));
  const confirm = await onPage(host, `Confirm ${name}’s placement days`);
  await confirm.expectAccessible();
  // The host is asked about working days only: no weekend, and no bank holiday.
  await expect(host.getByRole('main').getByRole('listitem')).toHaveCount(days);
  await host.getByLabel('Yes, they spent these days with us').check();
  await confirm.press('Send your answer');
  await (await onPage(host, 'Thank you')).expectToSee('You have confirmed the placement days. We have told the participant.');
  await them.reload();
  await placement.expectToSee(`${days} working days recorded; ${days} confirmed by your host. At least 9 must be confirmed.`);

  // The action plan presented to the host school's board, whose chair gives its feedback by link.
  await them.getByRole('link', { name: 'Your assessment' }).click();
  await them.getByRole('link', { name: /Record a board presentation/ }).first().click();
  const board = await onPage(them, 'Governing board presentations');
  await them.getByLabel('Task 2: a placement in a contrasting school').check();
  await fillDate(them, 'When did you present?', weekdayOf(1, 3));
  await board.field('The governing board').fill('Governing board of Oakfield Primary School');
  await them.getByLabel('The chair or clerk gives it by an emailed link').check();
  await board.field('Their name').fill('Charlotte Chair');
  await board.field('Their email address').fill('charlotte.chair@oakfield.test');
  await them.getByLabel('Chair', { exact: true }).check();
  await board.press('Record the presentation');
  await board.expectToSee('The presentation is recorded, and we have emailed the board’s link.');
  const chair = await (await browser.newContext()).newPage();
  await chair.goto(await emailedLink(browser, 'charlotte.chair@oakfield.test', '/board-feedback'));
  const feedback = await onPage(chair, `The board’s feedback on ${name}’s plan`);
  await feedback.expectAccessible();
  await feedback.field('The board’s feedback on the plan').fill('A plan we can act on: the board adopts the attendance actions this term.');
  await feedback.press('Send the board’s feedback');
  await (await onPage(chair, 'Thank you')).expectToSee('The board’s feedback is sent. We have told the participant.');
  await them.reload();
  await board.expectToSee('A plan we can act on: the board adopts the attendance actions this term.');

  const lo = libreOffice();
  const files = lo.write({ account: fodt([h(1, 'A placement in a contrasting school'), p('Two weeks in a coastal primary taught me how attendance work is led when families are hard to reach.')]) });
  const docx = lo.convert([files.account!], 'docx')[0]!;
  // The Word account for Task 2, its words counted under NPQH's rule before it is sent.
  await them.getByRole('link', { name: 'Your assessment' }).click();
  await them.getByRole('link', { name: 'Send the account for Task 2: a placement in a contrasting school' }).click();
  const send = await onPage(them, 'Send your account');
  await send.field('Your account').setInputFiles(docx);
  await send.press('Upload and count the words');
  await send.expectToSee(/\d+ words counted of the 2,500 allowed/);
  await send.expectAccessible();
  await send.press('Send this account');
  await send.expectToSee('Your account is sent. We have emailed you a receipt.');

  // Every script of the intake is allocated, marked and drawn on.
  await admin.goto('/assessment/allocation');
  const allocation = await onPage(admin, 'Allocate scripts for marking');
  await allocation.press('Allocate evenly');
  await allocation.expectToSee(/scripts? allocated evenly\./);
  // Their Task 2 script's candidate number: the admin sees whose it is, the markers never will.
  const theirs = admin.getByRole('row').filter({ hasText: name }).filter({ hasText: 'Task 2' });
  const candidate = /C-[A-Z0-9]{6}/.exec((await theirs.textContent()) ?? '')![0];
  const asa = await (await browser.newContext()).newPage();
  await signInAs(asa, 'assessor');
  await asa.getByRole('link', { name: 'Marking', exact: true }).click();
  const toMark = await onPage(asa, 'Your scripts to mark');
  for (;;) {
    const waiting = asa.getByRole('row').filter({ hasNot: asa.getByText(/^Submitted/) }).getByRole('link', { name: /^C-[A-Z0-9]{6}$/ });
    if (!(await waiting.count())) break;
    await waiting.first().click();
    await expect(asa.locator('main')).not.toContainText(name);
    await markAndSubmit(asa);
    await toMark.verifyOnPage();
    await toMark.expectToSee(/are submitted: a pass/);
  }
  await admin.goto('/assessment/moderation');
  const moderation = await onPage(admin, 'Moderation');
  await moderation.press('Draw the sample');
  await moderation.expectToSee(/sampled for moderation; the rest keep their first marks\.|No marked scripts are waiting to be drawn on\./);
  // A new assessor's first scripts are all sampled: theirs is among them.
  await expect(admin.getByRole('row').filter({ hasText: candidate })).toContainText('Second marking');

  const moe = await (await browser.newContext()).newPage();
  await signInAs(moe, 'moderator');
  await moe.getByRole('link', { name: 'Moderation', exact: true }).click();
  const toModerate = await onPage(moe, 'Your scripts to moderate');
  let adjusted = false;
  for (;;) {
    const waiting = moe.getByRole('row').filter({ hasNot: moe.getByText(/^Decided/) }).getByRole('link', { name: /^C-[A-Z0-9]{6}$/ });
    if (!(await waiting.count())) break;
    await waiting.first().click();
    const adjusting = (await moe.getByRole('heading', { level: 1 }).textContent())?.trim() === `Candidate ${candidate}`;
    adjusted ||= adjusting;
    if (adjusting) await expect(moe.locator('main')).not.toContainText(name);
    // Theirs the moderator marks a mark higher, within the tolerance, and adjusts to their own.
    if (await moe.getByRole('button', { name: 'Submit the marks' }).count()) await markAndSubmit(moe, adjusting ? 1 : 0);
    await moe.getByLabel(adjusting ? /^Adjust: your \d+ \(pass\) stands/ : /^Agree: the assessor’s/).check();
    await moe.getByRole('button', { name: 'Save the decision' }).click();
    await toModerate.verifyOnPage();
  }
  expect(adjusted).toBe(true);
  await expect(moe.getByRole('row').filter({ hasText: candidate })).toContainText('Decided');

  // The release: refused with a day in the past, then made for today.
  await admin.goto('/assessment/submissions');
  await admin.getByRole('link', { name: 'Results and their release' }).click();
  const results = await onPage(admin, 'Results');
  await results.expectAccessible();
  const intake = admin.locator('section').filter({ has: admin.getByRole('heading', { name: /Autumn 2026/ }) });
  await fillDate(intake, 'Release the results on', day(-2));
  await intake.getByRole('button', { name: /^Release \d+ results?$/ }).click();
  await results.expectErrors('The release date must be today or later');
  await results.expectAccessible();
  await fillDate(intake, 'Release the results on', day(0));
  await intake.getByRole('button', { name: /^Release \d+ results?$/ }).click();
  // Today's date releases at once and cannot be called off: the admin is asked first.
  await expect(admin.getByRole('heading', { level: 1, name: /^Release \d+ results? today\?$/ })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole('button', { name: 'Release them today' }).click();
  await results.expectToSee(/results? (is|are) released today: \d+ passed, 0 not passed; 1 participant has passed the NPQ, 0 not passed it\./);
  await results.expectAccessible();
  await admin.getByRole('link', { name: /See the participants’ results and outcomes/ }).click();
  const outcomes = await onPage(admin, 'Results: Autumn 2026');
  await expect(admin.getByRole('row').filter({ hasText: name })).toContainText('Passed');
  await outcomes.expectAccessible();

  // The participant sees the pass, and downloads the certificate and the transcript.
  await them.goto('/programme');
  await them.getByRole('link', { name: /Your assessment/ }).first().click();
  await assessment.verifyOnPage();
  await them.getByRole('link', { name: 'Your results, certificate and reviews of marking' }).click();
  const mine = await onPage(them, 'Your results');
  await mine.expectToSee('You have passed NPQH');
  await mine.expectAccessible();
  const code = /Certificate (NPQ-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec((await them.locator('.govuk-panel').textContent()) ?? '')![1]!;
  const certificate = them.waitForEvent('download');
  await them.getByRole('link', { name: 'Download your certificate (PDF)' }).click();
  expect((await certificate).suggestedFilename()).toBe(`certificate-NPQH-${code}.pdf`);
  const transcript = them.waitForEvent('download');
  await them.getByRole('link', { name: 'Download your transcript of master’s credits (PDF)' }).click();
  expect((await transcript).suggestedFilename()).toMatch(/\.pdf$/);

  // A review of one task's marking is asked for, and recorded: the result stands.
  const placementTask = them.locator('section').filter({ has: them.getByRole('heading', { name: 'Task 2: a placement in a contrasting school' }) });
  await placementTask.getByRole('button', { name: 'Ask for a review' }).click();
  await mine.expectErrors('Say why you think the marking should be reviewed');
  await mine.expectAccessible();
  await placementTask.getByLabel('Ask for a review of this marking').fill('The evaluation section was not credited.');
  await placementTask.getByRole('button', { name: 'Ask for a review' }).click();
  await mine.expectToSee('Your request for a review is sent.');
  await admin.goto('/assessment/results');
  await admin.getByRole('link', { name: 'Reviews of marking' }).click();
  const reviews = await onPage(admin, 'Reviews of marking');
  const review = admin.locator('section').filter({ has: admin.getByRole('heading', { name: `${name}: Task 2: a placement in a contrasting school` }) });
  await expect(review).toContainText('The evaluation section was not credited.');
  await reviews.expectAccessible();
  await review.getByLabel('The result stands').check();
  await review.getByLabel('What the review found (the participant reads this)').fill('Second look by the lead assessor: the evaluation was credited under reflection.');
  await review.getByRole('button', { name: 'Record the review' }).click();
  await reviews.expectToSee('The review is recorded: the result stands. The participant is emailed.');
  await reviews.expectAccessible();
  await them.reload();
  await mine.expectToSee(/Review of marking asked for on .*: the result stands\./);

  // Anyone checks the code, typed as people type it, and sees the name, the NPQ and the date only.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/verify');
  const check = await onPage(visitor, 'Check an NPQ certificate');
  await check.expectAccessible();
  await check.field('Certificate code').fill('not a code');
  await check.press('Check');
  await check.expectErrors('Enter the code as it is on the certificate, like NPQ-7K2M-9XQD-4TPA');
  await check.field('Certificate code').fill(code.toLowerCase().replaceAll('-', ' '));
  await check.press('Check');
  const genuine = await onPage(visitor, 'This certificate is genuine');
  await expect(visitor.locator('main')).toContainText(name);
  await expect(visitor.locator('main')).toContainText('National Professional Qualification for Headship');
  await expect(visitor.locator('main')).not.toContainText(email);
  await genuine.expectAccessible();
});
