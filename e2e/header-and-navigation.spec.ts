import { expect, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';

test.use({ storageState: ADMIN_STATE, viewport: { width: 1280, height: 900 } });

const ADMIN_ENTRIES = ['Qualifications', 'Compare', 'Your account', 'Users', 'Catalogue', 'Applications', 'Gateway', 'Interest', '360°', 'Cohorts', 'Reference data', 'Audit log'];

test('given the provider admin at 1280 px, when they open their home, then the header has one link home and the navigation shows every entry in at most two rows, with nothing alone above them', async ({ page }) => {
  await page.goto('/home');
  const header = page.locator('header.govuk-template__header');
  await expect(header.locator('a[href="/"]')).toHaveCount(1);
  await expect(header.getByRole('link', { name: /Northern Lights Leadership\s*NPQ Platform/ })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const entry of ADMIN_ENTRIES) await expect(nav.getByRole('link', { name: entry, exact: true })).toBeVisible();
  const { rows, gapAbove } = await page.evaluate(() => {
    const bar = document.querySelector('.govuk-service-navigation')!.getBoundingClientRect();
    const items = [...document.querySelectorAll('.govuk-service-navigation__item')].map((li) => li.getBoundingClientRect());
    return { rows: new Set(items.map((r) => Math.round(r.top))).size, gapAbove: Math.min(...items.map((r) => r.top)) - bar.top };
  });
  expect(rows).toBeLessThanOrEqual(2);
  // The first row starts at the top of the bar: no row of its own for the service's name.
  expect(gapAbove).toBeLessThan(20);
});
