import { test } from '@playwright/test';
import { HomePage } from './pages/home.page';
import { DEMO_PASSWORD } from './pages/people';
import { freshCode, SignInPage, TwoFactorPage } from './pages/sign-in.page';

// axe needs JavaScript in the page, so it checks these pages in the other journeys instead.
test.use({ javaScriptEnabled: false });

test('given no JavaScript, when staff sign in with their second factor and sign out, then every step works', async ({ page }) => {
  // Given the sign-in page, sent empty
  const signIn = await new SignInPage(page).open();
  await signIn.press('Sign in');
  await signIn.expectErrors('Enter your email address');

  // When a facilitator gives their password and a code
  await signIn.signInWith('facilitator@demo.npq.test', DEMO_PASSWORD);
  await new TwoFactorPage(page).enterCode(await freshCode('facilitator@demo.npq.test'));

  // Then they are signed in, and can sign out
  const home = new HomePage(page);
  await home.expectGreeting('Fred Facilitator');
  await home.signOut();
});
