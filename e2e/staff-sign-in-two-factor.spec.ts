import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD } from '../src/demo/demo-data';
import { expectAccessible } from './support/axe';
import { freshCode } from './support/sign-in';

test('a delivery partner lead signs in with a code from their app', async ({ page }) => {
  await page.goto('/sign-in');
  await expectAccessible(page);

  await page.getByLabel('Email address').fill('lead.north@demo.npq.test');
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter a correct email address and password');
  await expect(page.getByLabel('Email address')).toHaveValue('lead.north@demo.npq.test');
  await expectAccessible(page);

  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your security code' })).toBeVisible();
  await expectAccessible(page);

  // Nothing else opens until the second factor is given.
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/sign-in\/two-factor$/);

  await page.getByLabel('Security code').fill('000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('The code is not correct');

  await page.getByLabel('Security code').fill(freshCode('lead.north@demo.npq.test'));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Nora Lead' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: 'Users', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ada Admin' })).toHaveCount(0);

  await page.goto('/account/sessions');
  await expect(page.getByText('(this device)')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/home');
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByText('You have signed out.')).toBeVisible();
  await page.goto('/home');
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});
