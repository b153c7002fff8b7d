import { expect, test } from '@playwright/test';
import { UsersPage } from './pages/admin.page';
import { HomePage } from './pages/home.page';
import { DEMO_PASSWORD } from './pages/people';
import { freshCode, SessionsPage, SignInPage, TwoFactorPage } from './pages/sign-in.page';

test('given a delivery partner lead, when they sign in with a wrong password, then the right one and a code from their app, then they reach only their own pages, and sign out', async ({ page }) => {
  // Given the sign-in page
  const signIn = await (await new SignInPage(page).open()).verifyOnPage();
  await signIn.expectAccessible();

  // When the password is wrong, the address is kept
  await signIn.signInWith('lead.north@demo.npq.test', 'not the password');
  await signIn.expectErrors('Enter a correct email address and password');
  await expect(signIn.field('Email address')).toHaveValue('lead.north@demo.npq.test');
  await signIn.expectAccessible();

  // …and the right one asks for the second factor
  await signIn.enterPassword(DEMO_PASSWORD);
  const twoFactor = await new TwoFactorPage(page).verifyOnPage();
  await twoFactor.expectAccessible();

  // Nothing else opens until the second factor is given.
  await page.goto('/admin/users');
  await expect(page).toHaveURL(/\/sign-in\/two-factor$/);

  await twoFactor.enterCode('000000');
  await twoFactor.expectErrors('The code is not correct');
  await twoFactor.enterCode(await freshCode('lead.north@demo.npq.test'));

  // Then they are signed in, and see only their own partner's people
  const home = await new HomePage(page).verifyOnPage();
  await home.expectGreeting('Nora Lead');
  await home.expectAccessible();
  await home.follow(/^Users$/);
  const users = await new UsersPage(page).verifyOnPage();
  await users.expectListed('Ada Admin', false);

  const sessions = await new SessionsPage(page).open();
  await sessions.expectThisDevice();
  await sessions.expectAccessible();

  // And once signed out, their pages ask them to sign in again
  await home.open();
  await home.signOut();
  await home.open();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
});
