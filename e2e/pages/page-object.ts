import AxeBuilder from '@axe-core/playwright';
import { expect, type Locator, type Page } from '@playwright/test';

/**
 * One page of the platform as a person sees it: what its main heading says, the actions it offers in
 * their words, and the accessibility check every journey makes on every page it visits (docs/adr/0035).
 * A page object only acts and checks where it is: a journey reads as given/when/then in its spec.
 */
export abstract class PageObject {
  /** The page's h1, as the person reads it. */
  protected abstract readonly heading: string | RegExp;
  /** Where a person opens the page directly, for pages that have one address. */
  protected readonly path: string | undefined = undefined;

  constructor(readonly page: Page) {}

  /** Opens the page at its address. */
  async open(): Promise<this> {
    if (!this.path) throw new Error(`${this.constructor.name} has no address of its own`);
    await this.page.goto(this.path);
    return this;
  }

  /** Checks this is the page: its h1 says what it should. Returns the page object, to chain an action. */
  async verifyOnPage(): Promise<this> {
    await expect(this.page.getByRole('heading', { level: 1, name: this.heading })).toBeVisible();
    return this;
  }

  /** The page passes axe against WCAG 2.2 AA: every page a journey visits is checked here, and only here. */
  async expectAccessible(): Promise<void> {
    await expectAccessible(this.page);
  }

  /** The error summary says each of these, as a person who made a mistake reads it. */
  async expectErrors(...messages: string[]): Promise<void> {
    for (const message of messages) await expect(this.page.getByRole('alert')).toContainText(message);
  }

  /** Text the person can see on the page. */
  async expectToSee(text: string | RegExp): Promise<void> {
    await expect(this.page.getByText(text)).toBeVisible();
  }

  /** A field, by its label, the way a person finds it. */
  field(label: string | RegExp, exact?: boolean): Locator {
    return this.page.getByLabel(label, exact === undefined ? undefined : { exact });
  }

  /** Presses a button by its words (`exact` when other buttons' words contain them). */
  async press(button: string, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByRole('button', { name: button, ...options }).click();
  }

  /** Follows a link by its words. */
  async follow(link: string | RegExp): Promise<void> {
    await this.page.getByRole('link', { name: link }).click();
  }
}

/** A page whose h1 depends on the record it shows (an NPQ's name, a person's), given when it is made. */
export class NamedPage extends PageObject {
  constructor(
    page: Page,
    protected readonly heading: string | RegExp,
  ) {
    super(page);
  }
}

/** The axe check itself, for pages no page object stands for (the sweep over every page). */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
  // axe passes a header cell with no text in some tables; every header says what its column holds.
  const emptyHeaders = await page.locator('th').evaluateAll((ths) => ths.filter((th) => !th.textContent?.trim()).map((th) => th.outerHTML));
  expect(emptyHeaders, `table headers with no text on ${page.url()}`).toEqual([]);
}
