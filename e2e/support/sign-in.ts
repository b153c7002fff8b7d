import { expect, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/demo/demo-data';

const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 });
const lastStepUsed = new Map<string, number>();

/** A code the server has not seen for this account yet: codes are single-use, so step forward within the ±1 window. */
export function freshCode(account: string, secret = totp): string {
  const step = Math.floor(Date.now() / 30_000);
  const next = Math.max(step, (lastStepUsed.get(account) ?? step - 1) + 1);
  lastStepUsed.set(account, next);
  return secret.generate({ timestamp: next * 30_000 });
}

export async function signInAsStaff(page: Page, email: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Enter your security code' })).toBeVisible();
  await page.getByLabel('Security code').fill(freshCode(email));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: /^Hello/ })).toBeVisible();
}
