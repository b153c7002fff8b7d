import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';

test('a teacher registers interest in NPQH from its course page', async ({ page }) => {
  await page.goto('/qualifications/npq-headship');
  await page.getByRole('link', { name: 'Register your interest' }).click();
  await expect(page.getByRole('heading', { name: 'Register your interest in the NPQH' })).toBeVisible();
  // NPQH takes applications now: the page says so and links to apply, and offers only NPQH's intakes.
  await expect(page.getByText('Applications are open for the National Professional Qualification for Headship')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Apply now' })).toHaveAttribute('href', '/apply?npq=npq-headship');
  await expectAccessible(page);

  await page.getByLabel('Full name').fill('Robin Deputy');
  await page.getByLabel('Email address').fill('robin@');
  await page.getByRole('button', { name: 'Register interest' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter an email address in the correct format');
  await expect(page.getByRole('alert')).toContainText('Confirm that we may email you');
  await expect(page.getByLabel('Full name')).toHaveValue('Robin Deputy');
  await expectAccessible(page);

  await page.getByLabel('Email address').fill('robin@school.test');
  await page.getByLabel('When would you like to start?').selectOption({ index: 1 });
  await page.getByLabel('You may email me about this NPQ and when applications open').check();
  await page.getByRole('button', { name: 'Register interest' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you: we have your interest' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'apply for the NPQ' })).toBeVisible();
  await expectAccessible(page);
});

test('a teacher who has not chosen an NPQ chooses it first', async ({ page }) => {
  await page.goto('/interest');
  await expect(page.getByRole('heading', { name: 'Which NPQ are you interested in?' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Select the NPQ you are interested in');
  await expectAccessible(page);
  await page.getByLabel(/Senior Leadership \(NPQSL\)/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Register your interest in the NPQSL' })).toBeVisible();
});
