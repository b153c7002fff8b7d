import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Browser, expect, type Page } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { DEMO_TOTP_SECRET } from '../../src/demo/demo-data';
import { HomePage } from './home.page';
import { emailedLink } from './outbox.page';
import { PageObject } from './page-object';
import { DEMO_PASSWORD, type DemoPerson, demoAccount } from './people';

const demoTotp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(DEMO_TOTP_SECRET), digits: 6, period: 30 });
/** The last time step each account gave a code for, kept in a file: the set-up and the journeys run in different processes. */
const STEPS_FILE = 'test-results/.auth/totp-steps.json';

/**
 * A code the server has not seen for this account yet. Codes are single-use and the server takes the
 * current step ±1, so this steps forward past the last code given, waiting for the clock when two
 * steps ahead would be too far.
 */
export async function freshCode(account: string, secret = demoTotp): Promise<string> {
  const used: Record<string, number> = existsSync(STEPS_FILE) ? JSON.parse(readFileSync(STEPS_FILE, 'utf8')) : {};
  let step = Math.floor(Date.now() / 30_000);
  const next = Math.max(step, (used[account] ?? step - 1) + 1);
  while (next > step + 1) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    step = Math.floor(Date.now() / 30_000);
  }
  mkdirSync(dirname(STEPS_FILE), { recursive: true });
  writeFileSync(STEPS_FILE, JSON.stringify({ ...used, [account]: next }));
  return secret.generate({ timestamp: next * 30_000 });
}

/** /sign-in: an email address and a password. */
export class SignInPage extends PageObject {
  protected readonly heading = 'Sign in';
  protected override readonly path = '/sign-in';

  /** Gives an address and a password and presses "Sign in"; what comes next depends on who they are. */
  async signInWith(email: string, password: string): Promise<void> {
    await this.field('Email address').fill(email);
    await this.field('Password').fill(password);
    await this.press('Sign in');
  }

  /** Signs in with the password only; staff land on the two-factor page. */
  async enterPassword(password: string): Promise<void> {
    await this.field('Password').fill(password);
    await this.press('Sign in');
  }

  /** Signs in as a demo person, staff with a fresh code from their app, and lands on their home page. */
  async signInAs(who: DemoPerson): Promise<HomePage> {
    const { email, staff } = demoAccount(who);
    await this.signInWith(email, DEMO_PASSWORD);
    if (staff) await (await new TwoFactorPage(this.page).verifyOnPage()).enterCode(await freshCode(email));
    return new HomePage(this.page).verifyOnPage();
  }

  /** Follows the link for someone without an account who wants to apply. */
  async createAnAccount(): Promise<CreateAccountPage> {
    await this.follow('Create an account to apply for an NPQ');
    return new CreateAccountPage(this.page).verifyOnPage();
  }
}

/** Signs in as a demo person from a fresh start, the way they do: the sign-in page, then their home page. */
export async function signInAs(page: Page, who: DemoPerson): Promise<HomePage> {
  return (await new SignInPage(page).open()).signInAs(who);
}

/**
 * Signs in a demo participant whose password nobody knows (the demo's classmates), as they would:
 * a password reset by email, a new password, then the sign-in page.
 */
export async function signInByPasswordReset(browser: Browser, page: Page, email: string, password: string): Promise<void> {
  await page.goto('/password-reset');
  await page.getByLabel('Email address').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await page.goto(await emailedLink(browser, email, '/password-reset'));
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  await page.getByRole('button', { name: 'Save password' }).click();
  await new SignInPage(page).verifyOnPage().then((signIn) => signIn.signInWith(email, password));
}

/** /sign-in/two-factor: staff give the code from their authenticator app. */
export class TwoFactorPage extends PageObject {
  protected readonly heading = 'Enter your security code';

  async enterCode(code: string): Promise<void> {
    await this.field('Security code').fill(code);
    await this.press('Continue');
  }
}

/** /account/create: a would-be applicant asks for an account; the emailed link proves the address. */
export class CreateAccountPage extends PageObject {
  protected readonly heading = 'Create an account';

  /** Fills in what is given and presses "Create account". */
  async askFor(details: { name?: string; email?: string }): Promise<void> {
    if (details.name !== undefined) await this.field('Full name').fill(details.name);
    if (details.email !== undefined) await this.field('Email address').fill(details.email);
    await this.press('Create account');
  }
}

/** After asking for an account or a password reset: the link is on its way. */
export class CheckYourEmailPage extends PageObject {
  protected readonly heading = 'Check your email';
}

/** /invitations/…: a person with an emailed link chooses their password. */
export class CreatePasswordPage extends PageObject {
  protected readonly heading = 'Create your password';

  async openAt(link: string): Promise<this> {
    await this.page.goto(link);
    return this;
  }

  async choose(password: string, confirmation = password): Promise<void> {
    await this.field('New password', true).fill(password);
    await this.field('Confirm new password').fill(confirmation);
    await this.press('Save password');
  }
}

/** The two-factor set-up page staff see at their first sign-in: a QR code and its key. */
export class SetUpTwoFactorPage extends PageObject {
  protected readonly heading = 'Set up two-factor authentication';

  /** The key the QR code holds, as the page prints it for typing in. */
  async key(): Promise<string> {
    await expect(this.page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
    return ((await this.page.locator('code.app-code').textContent()) ?? '').replace(/\s/g, '');
  }

  async turnOn(code: string): Promise<RecoveryCodesPage> {
    await this.field('Code from your app').fill(code);
    await this.press('Turn on two-factor authentication');
    return new RecoveryCodesPage(this.page).verifyOnPage();
  }
}

/** After turning two-factor on: ten recovery codes to keep. */
export class RecoveryCodesPage extends PageObject {
  protected readonly heading = 'Two-factor authentication is on';

  async expectCodes(count: number): Promise<void> {
    await expect(this.page.locator('[data-recovery-codes] li')).toHaveCount(count);
  }

  async saved(): Promise<void> {
    await this.press('I have saved my codes');
  }
}

/** /account/sessions: where a person sees the devices signed in as them. */
export class SessionsPage extends PageObject {
  protected readonly heading = 'Where you are signed in';
  protected override readonly path = '/account/sessions';

  async expectThisDevice(): Promise<void> {
    await expect(this.page.getByText('(this device)')).toBeVisible();
  }
}
