import { type Browser, expect } from '@playwright/test';
import { PageObject } from './page-object';
import { ADMIN_STATE } from './people';

/** /admin/outbox: on the embedded default mail stays here, where the provider admin reads it. */
export class OutboxPage extends PageObject {
  protected readonly heading = 'Email';

  /** Opens the outbox, to one address when given. */
  override async open(to?: string): Promise<this> {
    await this.page.goto(to ? `/admin/outbox?to=${encodeURIComponent(to)}` : '/admin/outbox');
    return this;
  }

  /** The newest link of one kind (`path`, like /invitations) in the mail to an address, as a path to open. */
  async linkTo(to: string, path: string): Promise<string> {
    const link = new RegExp(`https?://\\S+${path}/[A-Za-z0-9_-]+`);
    let found: RegExpMatchArray | null = null;
    // Mail follows the change that sends it by up to a second (an event's handler, docs/adr/0030): look again until it has come.
    await expect(async () => {
      const card = this.page.locator('.app-card', { hasText: to }).first();
      found = (await card.count()) ? ((await card.locator('pre').textContent()) ?? '').match(link) : null;
      if (!found) await this.page.reload();
      expect(found).not.toBeNull();
    }).toPass({ timeout: 15_000 });
    return new URL(found![0]).pathname;
  }
}

/** The newest link of one kind emailed to an address, read by the provider admin in a browser of their own. */
export async function emailedLink(browser: Browser, to: string, path: string): Promise<string> {
  const context = await browser.newContext({ storageState: ADMIN_STATE });
  const outbox = await new OutboxPage(await context.newPage()).open(to);
  const link = await outbox.linkTo(to, path);
  await context.close();
  return link;
}
