import { expect, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';
import { onPage } from './pages/programme.page';
import { signInByPasswordReset } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given the participant who passed NPQH in the release journey, when they share their Task 1 project and the admin publishes it, then an anonymous visitor finds it by search and filters and reads it without the participant’s name, and once withdrawn it is gone', async ({ browser }) => {
  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  // The classmate who passed in release-results-and-verify-a-certificate: the intake's outcomes name them.
  await admin.goto('/assessment/results');
  await admin.getByRole('link', { name: /See the participants’ results and outcomes/ }).first().click();
  const name = (await admin.getByRole('row').filter({ hasText: 'Passed' }).first().locator('td, th').first().textContent())!.trim();
  const email = `${name.toLowerCase().replace(/[^a-z]+/g, '.')}@demo-school.test`;

  const them = await (await browser.newContext()).newPage();
  await signInByPasswordReset(browser, them, email, 'a-long-passphrase-for-the-library');

  // From their results, they share Task 1: refused until everything asked is given, keeping what was typed.
  await them.goto('/programme');
  await them.getByRole('link', { name: /Your assessment/ }).first().click();
  await them.getByRole('link', { name: 'Your results, certificate and reviews of marking' }).click();
  const results = await onPage(them, 'Your results');
  await results.expectToSee('School Improvement Library');
  await them.getByRole('link', { name: /^Share Task 1/ }).click();
  const share = await onPage(them, 'Share your project in the School Improvement Library');
  await share.expectAccessible();
  await share.field('Title').fill('Reading fluency across the whole school');
  await share.press('Send for review');
  await share.expectErrors('Say what your project set out to do and what you did', 'Select the phase of your school', 'Select at least one theme', 'Give your consent to publish, or leave this page without sharing');
  await share.expectAccessible();
  await expect(share.field('Title')).toHaveValue('Reading fluency across the whole school');
  await share.field('What the project set out to do, and what you did').fill('Every class read aloud daily with a model reader; staff trained together each half term.');
  await share.field('The difference it made').fill('Fluency rose in every year group, and reading for pleasure became part of the timetable.');
  await them.getByLabel('Primary', { exact: true }).check();
  await them.getByLabel('Reading and literacy').check();
  await them.getByLabel('Teacher development').check();
  await them.getByLabel('No, leave it unnamed').check();
  await them.getByLabel('No pupil can be identified from what I share').check();
  await them.getByLabel('I agree to this being published in the School Improvement Library').check();
  await share.press('Send for review');
  await results.expectToSee('Your project is sent for review');

  // The admin reads it as the public would, and publishes it.
  await admin.goto('/assessment/submissions');
  await admin.getByRole('link', { name: 'School Improvement Library entries' }).click();
  const entries = await onPage(admin, 'School Improvement Library: entries');
  await entries.expectAccessible();
  await admin.getByRole('link', { name: 'Reading fluency across the whole school' }).click();
  const review = await onPage(admin, 'Reading fluency across the whole school');
  await review.expectAccessible();
  await review.press('Save decision');
  await review.expectErrors('Select whether to publish the entry or return it');
  await admin.getByLabel('Publish it').check();
  await review.press('Save decision');
  await entries.expectToSee('The entry is published. We emailed the participant.');

  // Anyone finds it from the home page, by words and filters, and reads it: no participant's name.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto('/');
  await visitor.getByRole('link', { name: /School Improvement Library/ }).click();
  const library = await onPage(visitor, 'School Improvement Library');
  await library.expectAccessible();
  await library.field('Search the library').fill('read aloud');
  await visitor.getByLabel('Phase').selectOption({ label: 'Primary' });
  await visitor.getByLabel('Theme').selectOption({ label: 'Reading and literacy' });
  await library.press('Show');
  await library.expectToSee('1 project');
  await library.expectAccessible();
  await visitor.getByLabel('Phase').selectOption({ label: 'Secondary' });
  await library.press('Show');
  await library.expectToSee('No projects match these filters.');
  await visitor.goto('/library?q=fluency');
  await visitor.getByRole('link', { name: 'Reading fluency across the whole school' }).click();
  const entry = await onPage(visitor, 'Reading fluency across the whole school');
  await entry.expectToSee('Fluency rose in every year group');
  await expect(visitor.locator('main')).not.toContainText(name);
  await entry.expectAccessible();
  const address = visitor.url();

  // They take their consent back: it is gone at once.
  await them.goto('/programme');
  await them.getByRole('link', { name: /Your assessment/ }).first().click();
  await them.getByRole('link', { name: 'Your results, certificate and reviews of marking' }).click();
  await them.getByRole('link', { name: /Task 1.*: published/ }).click();
  await share.verifyOnPage();
  await share.press('Withdraw my entry');
  await results.expectToSee('Your entry is withdrawn from the library');
  const gone = await visitor.goto(address);
  expect(gone?.status()).toBe(404);
});
