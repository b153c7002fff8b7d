import { expect, type Locator, type Page, test } from '@playwright/test';
import { expectAccessible } from './pages/page-object';
import { ADMIN_STATE } from './pages/people';
import { ADMIN_PAGES } from './support/pages';

test.use({ storageState: ADMIN_STATE });

/** Follows a link and waits for the new page, so axe never reads a page half-way through navigating. */
async function follow(page: Page, link: Locator) {
  const before = page.url();
  await link.click();
  await page.waitForURL((url) => url.toString() !== before);
  await page.waitForLoadState('load');
}

test('given the provider admin, when they open each admin page and the pages reached from their lists, then every one passes axe', async ({ page }) => {
  // Over thirty pages, each read by axe: more than the default minute on a loaded machine.
  test.setTimeout(300_000);
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expectAccessible(page);
  }
  // And the pages reached from those lists.
  await page.goto('/admin/users');
  await follow(page, page.getByRole('link', { name: 'Fred Facilitator' }));
  await expectAccessible(page);
  await page.goto('/admin/catalogue');
  await follow(page, page.getByRole('link', { name: 'NPQH (edit)' }));
  await follow(page, page.getByRole('link', { name: /^Edit Events/ }));
  await expectAccessible(page);
  await page.goto('/admin/catalogue');
  await follow(page, page.getByRole('link', { name: 'NPQH (edit)' }));
  await follow(page, page.getByRole('link', { name: /^Edit January 2027 \(distance\)/ }));
  await expectAccessible(page);
  // The demo participant, accepted: their application and the history of their training status (ADR 0036).
  await page.goto('/admin/applications?status=accepted');
  await follow(page, page.getByRole('link', { name: 'Pat Participant' }).first());
  await follow(page, page.getByRole('link', { name: 'Status history' }));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Status history: Pat Participant');
  await expect(page.getByRole('table')).toContainText('None → Active');
  await expectAccessible(page);
  await page.goto('/admin/delivery-partners');
  await follow(page, page.getByRole('link', { name: 'Birmingham Regional Training Centre' }));
  await expectAccessible(page);
  // Programme delivery's pages reached from the demo intake's plan: its groups, a group, a module's discussion, a session's plan.
  await page.goto('/delivery');
  await follow(page, page.getByRole('link', { name: 'Autumn 2026' }));
  await follow(page, page.getByRole('link', { name: 'Groups and their facilitators' }));
  await expect(page.getByRole('table')).toContainText('Fred Facilitator');
  await expectAccessible(page);
  await follow(page, page.getByRole('link', { name: 'Change Group A — Birmingham' }));
  await expectAccessible(page);
  await page.goBack();
  await follow(page, page.getByRole('link', { name: 'Delivery plan' }));
  await follow(page, page.getByRole('link', { name: /^Discussion of / }).first());
  await expectAccessible(page);
  await page.goBack();
  await follow(page, page.getByRole('link', { name: 'Change Event 2: Strategy & Improvement' }));
  await expect(page.getByLabel('Who leads it (optional)')).toHaveValue(/.+/);
  await expectAccessible(page);
  // DfE: a due declaration's dismiss page, and a statement of the finance pages with its lines.
  await page.goto('/admin/dfe/declarations');
  await follow(page, page.getByRole('link', { name: /^Dismiss / }).first());
  await expectAccessible(page);
  await page.goto('/admin/dfe/finance?when=all');
  await follow(page, page.locator('a[href*="/admin/dfe/finance/statements/"]').first());
  await expectAccessible(page);
  await page.goto('/admin/api-tokens');
  await page.getByLabel('Name').fill('Finance sync');
  await page.getByRole('checkbox').first().check();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.locator('[data-api-token]')).toContainText('npq_');
  await expectAccessible(page);
});
