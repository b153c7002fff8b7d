import { expect, test } from '@playwright/test';
import { expectAccessible } from './pages/page-object';
import { ADMIN_STATE } from './pages/people';

test.use({ storageState: ADMIN_STATE });

test('given a dozen applications registered at DfE (the demo’s stand-in), when the platform has pulled them, then the admin finds one in the inbox and sees the calls made to DfE', async ({ page }) => {
  await page.goto('/admin/applications?q=Amara+Okafor');
  await expect(page.getByRole('link', { name: /Amara Okafor/ })).toBeVisible();
  await expectAccessible(page);
  await page.goto('/home');
  await page.getByRole('link', { name: 'DfE’s API: pulls and calls' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'DfE’s API' })).toBeVisible();
  await expect(page.getByText('Applications registered at DfE')).toBeVisible();
  await expect(page.getByRole('heading', { name: /^GET \/api\/v3\/npq-applications\?/ }).first()).toBeVisible();
  // Later pulls (the sweep runs while the test does) answer with no records, so open a call that brought some.
  const callWithRecords = page.locator('.app-card').filter({ hasText: '"type": "npq_application"' }).first();
  await callWithRecords.getByText('What was sent and answered').click();
  await expect(callWithRecords.getByText(/"type": "npq_application"/)).toBeVisible();
  await expectAccessible(page);
});
