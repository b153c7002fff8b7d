import { expect } from '@playwright/test';
import { PageObject } from './page-object';

/** /home: "Hello, …" and what is the signed-in person's to do. */
export class HomePage extends PageObject {
  protected readonly heading: string | RegExp = /^Hello/;

  protected override readonly path = '/home';

  /** Checks the greeting names this person. */
  async expectGreeting(name: string): Promise<void> {
    await expect(this.page.getByRole('heading', { level: 1, name: `Hello, ${name}` })).toBeVisible();
  }

  async signOut(): Promise<void> {
    await this.press('Sign out');
    await expect(this.page.getByText('You have signed out.')).toBeVisible();
  }
}
