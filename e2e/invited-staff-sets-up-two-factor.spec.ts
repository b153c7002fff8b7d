import { expect, test } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { expectAccessible } from './support/axe';

test('an admin invites a coach, who chooses a password and sets up two-factor', async ({ browser }) => {
  const adminContext = await browser.newContext({ storageState: 'test-results/.auth/admin.json' });
  const admin = await adminContext.newPage();
  await admin.goto('/admin/users/new');
  await expectAccessible(admin);
  await admin.getByRole('button', { name: 'Send invitation' }).click();
  await expect(admin.getByRole('alert')).toContainText('Enter their full name');
  await expect(admin.getByRole('alert')).toContainText('Select a role');
  await expectAccessible(admin);

  await admin.getByLabel('Full name').fill('Cleo Coach');
  await admin.getByLabel('Email address').fill('cleo.coach@school.test');
  await admin.getByLabel('Coach or personal tutor').check();
  await admin.getByRole('button', { name: 'Send invitation' }).click();
  await expect(admin.getByText('Invitation sent to cleo.coach@school.test.')).toBeVisible();
  await expectAccessible(admin);

  // The embedded default keeps mail in the outbox, where the admin can read it.
  await admin.goto('/admin/outbox');
  await expectAccessible(admin);
  const body = await admin.locator('.app-card', { hasText: 'cleo.coach@school.test' }).first().locator('pre').textContent() ?? '';
  const link = body.match(/https?:\/\/\S+\/invitations\/\S+/)![0];
  await adminContext.close();

  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('heading', { name: 'Create your password' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('New password', { exact: true }).fill('coaching is great');
  await page.getByLabel('Confirm new password').fill('coaching is grate');
  await page.getByRole('button', { name: 'Save password' }).click();
  await expect(page.getByRole('alert')).toContainText('The passwords do not match');
  await page.getByLabel('New password', { exact: true }).fill('coaching is great');
  await page.getByLabel('Confirm new password').fill('coaching is great');
  await page.getByRole('button', { name: 'Save password' }).click();

  await expect(page.getByText('Your password is saved.')).toBeVisible();
  await page.getByLabel('Email address').fill('cleo.coach@school.test');
  await page.getByLabel('Password').fill('coaching is great');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Set up two-factor authentication' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
  await expectAccessible(page);

  const key = ((await page.locator('code.app-code').textContent()) ?? '').replace(/\s/g, '');
  const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key) }).generate();
  await page.getByLabel('Code from your app').fill(code);
  await page.getByRole('button', { name: 'Turn on two-factor authentication' }).click();
  await expect(page.getByRole('heading', { name: 'Two-factor authentication is on' })).toBeVisible();
  await expect(page.locator('[data-recovery-codes] li')).toHaveCount(10);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'I have saved my codes' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Cleo Coach' })).toBeVisible();

  // The link worked once.
  await page.goto(new URL(link).pathname);
  await expect(page.getByRole('heading', { name: 'This link has expired' })).toBeVisible();
  await context.close();
});
