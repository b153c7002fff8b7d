import { expect, type Page, test } from '@playwright/test';
import { fodt, h, libreOffice, p } from '../src/assessment/submissions/libreoffice.testkit';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage } from './pages/programme.page';
import { signInAs, signInByPasswordReset } from './pages/sign-in.page';

test.setTimeout(300_000);

// The UK day, as the platform counts release days: at 11 pm in summer, UTC's date would be yesterday's.
const day = (offset: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date(Date.now() + offset * 86_400_000));

/** Marks the script open on the page at about seven tenths of each criterion's marks, with comments, and submits them: a pass. */
async function markAndSubmit(page: Page): Promise<void> {
  for (const field of await page.getByLabel(/^Mark for .*, out of \d+$/).all()) {
    const label = (await page.locator(`label[for="${await field.getAttribute('id')}"]`).textContent()) ?? '';
    await field.fill(String(Math.ceil(Number(/out of (\d+)/.exec(label)![1]) * 0.7)));
  }
  for (const comment of await page.getByLabel(/^Comment on /).all()) await comment.fill('Well evidenced from the school’s own data.');
  await page.getByLabel('Overall comment').fill('A clear account, honestly evaluated.');
  await page.getByRole('button', { name: 'Submit the marks' }).click();
}

test('given the demo intake’s Task 1 accounts, when a participant also sends Task 2, every script is marked and moderated, and the admin releases the results, then the participant downloads their certificate and transcript, and an anonymous visitor verifies its code', async ({ browser }) => {
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
  const lo = libreOffice();
  const files = lo.write({ account: fodt([h(1, 'A placement in a contrasting school'), p('Two weeks in a coastal primary taught me how attendance work is led when families are hard to reach.')]) });
  const docx = lo.convert([files.account!], 'docx')[0]!;
  await them.goto('/programme');
  await them.getByRole('link', { name: /Your assessment/ }).first().click();
  const assessment = await onPage(them, 'Your assessment');
  await them.getByRole('link', { name: 'Send the account for Task 2: a placement in a contrasting school' }).click();
  const send = await onPage(them, 'Send your account');
  await send.field('Your account').setInputFiles(docx);
  await send.press('Upload and count the words');
  await send.press('Send this account');
  await send.expectToSee('Your account is sent. We have emailed you a receipt.');

  // Every script of the intake is allocated, marked and drawn on.
  await admin.goto('/assessment/allocation');
  const allocation = await onPage(admin, 'Allocate scripts for marking');
  await allocation.press('Allocate evenly');
  await allocation.expectToSee(/scripts? allocated evenly\./);
  const asa = await (await browser.newContext()).newPage();
  await signInAs(asa, 'assessor');
  await asa.getByRole('link', { name: 'Marking', exact: true }).click();
  const toMark = await onPage(asa, 'Your scripts to mark');
  for (;;) {
    const waiting = asa.getByRole('row').filter({ hasNot: asa.getByText(/^Submitted/) }).getByRole('link', { name: /^C-[A-Z0-9]{6}$/ });
    if (!(await waiting.count())) break;
    await waiting.first().click();
    await markAndSubmit(asa);
    await toMark.verifyOnPage();
    await toMark.expectToSee(/are submitted: a pass/);
  }
  await admin.goto('/assessment/moderation');
  const moderation = await onPage(admin, 'Moderation');
  await moderation.press('Draw the sample');
  await moderation.expectToSee(/sampled for moderation; the rest keep their first marks\.|No marked scripts are waiting to be drawn on\./);

  const moe = await (await browser.newContext()).newPage();
  await signInAs(moe, 'moderator');
  await moe.getByRole('link', { name: 'Moderation', exact: true }).click();
  const toModerate = await onPage(moe, 'Your scripts to moderate');
  for (;;) {
    const waiting = moe.getByRole('row').filter({ hasNot: moe.getByText(/^Decided/) }).getByRole('link', { name: /^C-[A-Z0-9]{6}$/ });
    if (!(await waiting.count())) break;
    await waiting.first().click();
    if (await moe.getByRole('button', { name: 'Submit the marks' }).count()) await markAndSubmit(moe);
    await moe.getByLabel(/^Agree: the assessor’s/).check();
    await moe.getByRole('button', { name: 'Save the decision' }).click();
    await toModerate.verifyOnPage();
  }

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
  await results.expectToSee(/results? will be released on .*: 1 passed, 0 not passed\./);
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
