import type { Browser } from '@playwright/test';

/**
 * The newest link of one kind emailed to an address. On the embedded default, mail stays in the outbox,
 * where the provider admin reads it.
 */
export async function emailedLink(browser: Browser, to: string, path: string): Promise<string> {
  const context = await browser.newContext({ storageState: 'test-results/.auth/admin.json' });
  const admin = await context.newPage();
  await admin.goto(`/admin/outbox?to=${encodeURIComponent(to)}`);
  const body = (await admin.locator('.app-card', { hasText: to }).first().locator('pre').textContent()) ?? '';
  await context.close();
  return new URL(body.match(new RegExp(`https?://\\S+${path}/[A-Za-z0-9_-]+`))![0]).pathname;
}
