import { expect, type Locator } from '@playwright/test';
import { FundingStartPage } from './funding.page';
import { RegisterInterestPage } from './interest.page';
import { NamedPage, PageObject } from './page-object';

/** /: the provider's front page, for teachers finding an NPQ. */
export class LandingPage extends PageObject {
  protected readonly heading = 'Lead with confidence: National Professional Qualifications';
  protected override readonly path = '/';

  async findAnNpq(): Promise<QualificationsPage> {
    await this.press('Find an NPQ');
    return new QualificationsPage(this.page).verifyOnPage();
  }

  async checkFunding(): Promise<FundingStartPage> {
    await this.follow('Check if DfE will fund your NPQ');
    return new FundingStartPage(this.page).verifyOnPage();
  }
}

/** /qualifications: every NPQ on offer, with filters. */
export class QualificationsPage extends PageObject {
  protected readonly heading = 'National Professional Qualifications';
  protected override readonly path = '/qualifications';

  async filter(choices: { kind?: string; whoFor?: string }): Promise<void> {
    if (choices.kind) await this.field('Kind of NPQ').selectOption(choices.kind);
    if (choices.whoFor) await this.field('Who it is for').selectOption(choices.whoFor);
    await this.press('Apply filters');
  }

  /** The link to one NPQ's page, by the words of its name. */
  npq(name: RegExp): Locator {
    return this.page.getByRole('link', { name });
  }

  async compare(): Promise<ComparePage> {
    await this.page.getByRole('link', { name: 'Compare', exact: true }).click();
    return new ComparePage(this.page).verifyOnPage();
  }
}

/** /qualifications/compare: NPQs side by side, the leadership ones until the person chooses. */
export class ComparePage extends PageObject {
  protected readonly heading = 'Which NPQ is right for me?';
  protected override readonly path = '/qualifications/compare';

  /** A table of the comparison, by its caption. */
  table(caption: 'Leadership NPQs compared' | 'Your chosen NPQs compared'): Locator {
    return this.page.getByRole('table', { name: caption });
  }

  /** Ticks each NPQ (by words of its name) and presses "Compare". */
  async compare(...npqs: RegExp[]): Promise<void> {
    for (const npq of npqs) await this.field(npq).check();
    await this.press('Compare', { exact: true });
  }

  /** Follows a chosen NPQ's column heading (its short name) to its page, whose h1 is its full name. */
  async openChosen(shortName: string, name: RegExp): Promise<CoursePage> {
    await this.table('Your chosen NPQs compared').getByRole('link', { name: shortName }).click();
    return new CoursePage(this.page, name).verifyOnPage();
  }
}

/** /qualifications/<identifier>: one NPQ's page, where a teacher registers interest or applies. */
export class CoursePage extends NamedPage {
  async openAt(identifier: string): Promise<this> {
    await this.page.goto(`/qualifications/${identifier}`);
    return this;
  }

  async registerInterest(npq: string): Promise<RegisterInterestPage> {
    await this.follow('Register your interest');
    return new RegisterInterestPage(this.page, npq).verifyOnPage();
  }

  /** Presses "Apply for the NPQH" (by the NPQ's short name); someone signed out is asked to sign in first. */
  async applyFor(npq: string): Promise<void> {
    await this.press(`Apply for the ${npq}`);
  }

  /** A row of the programme's components, by its title. */
  async expectComponent(title: string, hours: string): Promise<void> {
    await expect(this.page.getByRole('row', { name: new RegExp(title) })).toContainText(hours);
  }
}
