import { test as setup } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';
import { signInAs } from './pages/sign-in.page';

// Admin journeys reuse one signed-in session: two-factor codes are single-use.
setup('sign in as the provider admin', async ({ page }) => {
  await signInAs(page, 'provider admin');
  await page.context().storageState({ path: ADMIN_STATE });
});
