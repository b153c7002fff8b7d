import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '../src/demo/demo-data';
import { freshCode } from './support/sign-in';

// axe needs JavaScript in the page, so it checks these pages in the other journeys instead.
test.use({ javaScriptEnabled: false });

test('staff sign in with their second factor, and sign out, without JavaScript', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your email address');
  await page.getByLabel('Email address').fill('facilitator@demo.npq.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Security code').fill(freshCode('facilitator@demo.npq.test'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Fred Facilitator' })).toBeVisible();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
});

test('an applicant starts an application, searches for their school and is told what is wrong, without JavaScript', async ({ page }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('participant@demo.npq.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.goto('/apply?npq=npq-leading-behaviour-culture');
  await page.getByLabel('Teacher reference number (TRN)').fill('abc');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your teacher reference number as 7 digits');
  await page.getByLabel('Teacher reference number (TRN)').fill('3456712');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('An academy trust').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Search by name, town, postcode or URN').fill('PL1');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel('Harbour View Academy').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'What is your job?' })).toBeVisible();
  await page.goto('/applications');
  await expect(page.getByRole('button', { name: 'Continue your application' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete it' }).click();
  await expect(page.getByText('Your unsent application has been deleted.')).toBeVisible();
});

test.describe('as the provider admin', () => {
  test.use({ storageState: 'test-results/.auth/admin.json' });

  test('an edit with a mistake, then without, reaches the public page', async ({ page }) => {
    await page.goto('/admin/catalogue');
    await page.getByRole('link', { name: 'NPQLTD (edit)' }).click();
    await page.getByLabel('Full name').fill('');
    await page.getByLabel('Summary').fill('Lead the development of the teachers in your school, without JavaScript.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByRole('alert')).toContainText('Enter the full name');
    await expect(page.getByLabel('Summary')).toHaveValue('Lead the development of the teachers in your school, without JavaScript.');
    await page.getByLabel('Full name').fill('National Professional Qualification in Leading Teacher Development');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('Changes saved.')).toBeVisible();
    await page.goto('/qualifications/npq-leading-teaching-development');
    await expect(page.getByText('Lead the development of the teachers in your school, without JavaScript.')).toBeVisible();
  });
});
