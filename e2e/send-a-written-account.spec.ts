import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { fodt, h, libreOffice, p } from '../src/assessment/submissions/libreoffice.testkit';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(240_000);

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

test('given the admin opens Task 1 for Pat’s intake, when Pat uploads a Word account, sees its words counted under NPQH’s rule and sends it, then the admin lists it and can give more time', async ({ browser }) => {
  // A Word account written by LibreOffice: headings and references the rule leaves out.
  const lo = libreOffice();
  const files = lo.write({ account: fodt([h(1, 'Leading reading across the school'), p('We changed how reading is taught in every class and measured fluency each half term.'), h(1, 'References'), p('EEF (2021) Improving Literacy in Key Stage 2.')]) });
  const docx = lo.convert([files.account!], 'docx')[0]!;

  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await admin.goto('/home');
  await admin.getByRole('link', { name: 'Delivery', exact: true }).click();
  await admin.getByRole('link', { name: 'Written accounts' }).click();
  const list = await onPage(admin, 'Written accounts');
  await list.expectAccessible();
  await admin.getByRole('link', { name: /NPQH Autumn 2026/ }).click();
  const dates = await onPage(admin, /Submission dates: Autumn 2026/);
  await dates.expectAccessible();
  const task1 = admin.locator('form').filter({ has: admin.getByRole('heading', { name: 'Task 1: a whole-school change programme' }) });
  await fillDate(task1, 'Submissions open', day(-5));
  await fillDate(task1, 'Due by the end of', day(-10));
  await dates.press('Save the dates for Task 1');
  await dates.expectErrors('The due date must be the same as or after the date submissions open');
  await dates.expectAccessible();
  await fillDate(task1, 'Due by the end of', day(20));
  await dates.press('Save the dates for Task 1');
  await dates.expectToSee('The submission dates for Task 1 are saved.');

  const pat = await (await browser.newContext()).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  await pat.getByRole('link', { name: /Your assessment/ }).first().click();
  await pat.getByRole('link', { name: 'Send the account for Task 1: a whole-school change programme' }).click();
  const send = await onPage(pat, 'Send your account');
  await send.expectAccessible();
  await send.press('Upload and count the words');
  await send.expectErrors('Choose your account: a Word document or a PDF');
  await send.field('Your account').setInputFiles(docx);
  await send.press('Upload and count the words');
  await send.expectToSee('15 words counted of the 4,000 allowed (29 in all; left out: headings 6, references 8)');
  await send.expectAccessible();
  await send.press('Send this account');
  await send.expectToSee('Your account is sent. We have emailed you a receipt.');
  await expect(pat.getByRole('button', { name: 'Withdraw this account' })).toBeVisible();
  await send.expectAccessible();

  await admin.goto('/assessment/submissions?q=Pat');
  const row = admin.getByRole('row').filter({ hasText: 'Pat Participant' });
  await expect(row).toContainText('15 of 4,000');
  await row.getByRole('link', { name: /Give more time/ }).click();
  const more = await onPage(admin, 'Give Pat Participant more time');
  await more.expectAccessible();
  await fillDate(admin, 'New due date', day(30));
  await more.press('Give more time');
  await more.expectErrors('Enter the reason for the extension');
  await more.field('Reason').fill('Illness: agreed with the programme lead.');
  await more.press('Give more time');
  await list.expectToSee('The extension is given. We have emailed the participant.');
  expect(readFileSync(docx).length).toBeGreaterThan(1000);
});
