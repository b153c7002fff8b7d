import { test as setup } from '@playwright/test';
import { signInAsStaff } from './support/sign-in';

// Admin journeys reuse one signed-in session: two-factor codes are single-use.
setup('sign in as the provider admin', async ({ page }) => {
  await signInAsStaff(page, 'admin@demo.npq.test');
  await page.context().storageState({ path: 'test-results/.auth/admin.json' });
});
