import { expect, test } from '@playwright/test';
import { expectAccessible } from './pages/page-object';
import { PUBLIC_PAGES } from './support/pages';

test('given anyone, when they open each public page, then every one passes axe, and a keyboard user can skip to the content', async ({ page }) => {
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
