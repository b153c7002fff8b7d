import { expect, type Page } from '@playwright/test';
import { NamedPage, PageObject } from './page-object';

/** /interest?npq=…: a teacher asks to hear about one NPQ (its short name in the heading). */
export class RegisterInterestPage extends NamedPage {
  constructor(page: Page, npq: string) {
    super(page, `Register your interest in the ${npq}`);
  }

  async openAt(identifier: string): Promise<this> {
    await this.page.goto(`/interest?npq=${identifier}`);
    return this;
  }

  /** Fills in what is given, and presses "Register interest". */
  async register(details: { name?: string; email?: string; firstIntake?: boolean; consent?: boolean }): Promise<void> {
    if (details.name !== undefined) await this.field('Full name').fill(details.name);
    if (details.email !== undefined) await this.field('Email address').fill(details.email);
    if (details.firstIntake) await this.field('When would you like to start?').selectOption({ index: 1 });
    if (details.consent) await this.field('You may email me about this NPQ and when applications open').check();
    await this.press('Register interest');
  }

  /** When the NPQ takes applications now, the page says so and links to apply. */
  async expectApplicationsOpen(npqName: string, identifier: string): Promise<void> {
    await this.expectToSee(`Applications are open for the ${npqName}`);
    await expect(this.page.getByRole('link', { name: 'Apply now' })).toHaveAttribute('href', `/apply?npq=${identifier}`);
  }
}

/** /interest without an NPQ: which one first. */
export class ChooseNpqOfInterestPage extends PageObject {
  protected readonly heading = 'Which NPQ are you interested in?';
  protected override readonly path = '/interest';

  /** Picks an NPQ by words of its name (none when not given) and presses "Continue". */
  async choose(npq?: RegExp): Promise<void> {
    if (npq) await this.field(npq).check();
    await this.press('Continue');
  }
}

/** After registering: thanks, and a link to apply. */
export class InterestRegisteredPage extends PageObject {
  protected readonly heading = 'Thank you: we have your interest';
}
