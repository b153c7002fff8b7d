import { test } from '@playwright/test';
import * as OTPAuth from 'otpauth';
import { InviteSomeonePage } from './pages/admin.page';
import { HomePage } from './pages/home.page';
import { OutboxPage } from './pages/outbox.page';
import { PageObject } from './pages/page-object';
import { ADMIN_STATE } from './pages/people';
import { CreatePasswordPage, SetUpTwoFactorPage, SignInPage } from './pages/sign-in.page';

/** An emailed link that has been used, or is too old. */
class LinkExpiredPage extends PageObject {
  protected readonly heading = 'This link has expired';
}

test('given an admin invites a coach, when the coach follows the emailed link, then they choose a password and set up two-factor, and the link works once', async ({ browser }) => {
  // Given the admin's invitation, with a mistake first
  const adminContext = await browser.newContext({ storageState: ADMIN_STATE });
  const invite = await new InviteSomeonePage(await adminContext.newPage()).open();
  await invite.expectAccessible();
  await invite.invite({});
  await invite.expectErrors('Enter their full name', 'Select a role');
  await invite.expectAccessible();

  await invite.invite({ name: 'Cleo Coach', email: 'cleo.coach@school.test', role: 'Coach or personal tutor' });
  await invite.expectToSee('Invitation sent to cleo.coach@school.test.');
  await invite.expectAccessible();

  // The embedded default keeps mail in the outbox, where the admin can read it.
  const outbox = await new OutboxPage(invite.page).open();
  await outbox.expectAccessible();
  const link = await outbox.linkTo('cleo.coach@school.test', '/invitations');
  await adminContext.close();

  // When the coach follows the link and chooses a password, with a typo first
  const context = await browser.newContext();
  const page = await context.newPage();
  const password = await (await new CreatePasswordPage(page).openAt(link)).verifyOnPage();
  await password.expectAccessible();
  await password.choose('coaching is great', 'coaching is grate');
  await password.expectErrors('The passwords do not match');
  await password.choose('coaching is great');

  // Then they sign in and must set up two-factor before anything else
  const signIn = new SignInPage(page);
  await signIn.expectToSee('Your password is saved.');
  await signIn.signInWith('cleo.coach@school.test', 'coaching is great');
  const setUp = await new SetUpTwoFactorPage(page).verifyOnPage();
  const key = await setUp.key();
  await setUp.expectAccessible();

  const codes = await setUp.turnOn(new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(key) }).generate());
  await codes.expectCodes(10);
  await codes.expectAccessible();
  await codes.saved();
  await (await new HomePage(page).verifyOnPage()).expectGreeting('Cleo Coach');

  // And the link worked once.
  await page.goto(link);
  await new LinkExpiredPage(page).verifyOnPage();
  await context.close();
});
