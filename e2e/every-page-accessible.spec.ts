import { expect, type Locator, type Page, test } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { ADMIN_PAGES, PUBLIC_PAGES } from './support/pages';

/** Follows a link and waits for the new page, so axe never reads a page half-way through navigating. */
async function follow(page: Page, link: Locator) {
  const before = page.url();
  await link.click();
  await page.waitForURL((url) => url.toString() !== before);
  await page.waitForLoadState('load');
}


test('every public page passes axe, with and without a keyboard user in mind', async ({ page }) => {
  for (const path of PUBLIC_PAGES) {
    await page.goto(path);
    await expectAccessible(page);
  }
  // The skip link is the first thing a keyboard reaches, and it moves focus to the content.
  await page.goto('/qualifications');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to main content' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/#main-content$/);
});

test.describe('signed in as the provider admin', () => {
  test.use({ storageState: 'test-results/.auth/admin.json' });

  test('every admin page passes axe', async ({ page }) => {
    // Thirty pages, each read by axe: more than the default minute on a loaded machine.
    test.setTimeout(300_000);
    const pages = ADMIN_PAGES;
    for (const path of pages) {
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
    await page.goto('/admin/delivery-partners');
    await follow(page, page.getByRole('link', { name: 'Birmingham Regional Training Centre' }));
    await expectAccessible(page);
    await page.goto('/admin/api-tokens');
    await page.getByLabel('Name').fill('Finance sync');
    await page.getByRole('checkbox').first().check();
    await page.getByRole('button', { name: 'Create token' }).click();
    await expect(page.locator('[data-api-token]')).toContainText('npq_');
    await expectAccessible(page);
  });
});
