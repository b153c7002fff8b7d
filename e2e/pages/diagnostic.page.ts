import { expect, type Page } from '@playwright/test';
import { asSelf, SEED_INSTRUMENT, statementsOf } from '../../src/diagnostic/domain/instrument';
import { NamedPage, PageObject } from './page-object';

/** The statements as raters read them. */
export const SEED_STATEMENTS = statementsOf(SEED_INSTRUMENT).map((s) => s.text);
/** The same statements as the participant's own form says them, to "you". */
export const SELF_STATEMENTS = statementsOf(asSelf(SEED_INSTRUMENT)).map((s) => s.text);

/** A form of the 360° statements: each a group of choices, by the statement's words. */
abstract class RatingForm extends PageObject {
  protected abstract readonly statements: string[];

  /** Rates one statement (by its place in the instrument) with a choice. */
  async rate(statement: number, choice: string): Promise<void> {
    await this.page.getByRole('group', { name: this.statements[statement]! }).getByLabel(choice, { exact: true }).check();
  }

  /** Rates every statement with the same choice. */
  async rateAll(choice: string): Promise<void> {
    for (const statement of this.statements) await this.page.getByRole('group', { name: statement }).getByLabel(choice, { exact: true }).check();
  }

  async expectRated(statement: number, choice: string): Promise<void> {
    await expect(this.page.getByRole('group', { name: this.statements[statement]! }).getByLabel(choice, { exact: true })).toBeChecked();
  }
}

/** /diagnostic: the participant's 360° rounds. */
export class DiagnosticPage extends PageObject {
  protected readonly heading = 'Your 360° leadership diagnostic';
  protected override readonly path = '/diagnostic';

  async openRound(name: string): Promise<RoundPage> {
    await this.follow(name);
    return new RoundPage(this.page, name).verifyOnPage();
  }
}

/** One round (start or end of the programme): rate yourself, ask colleagues, read the report. */
export class RoundPage extends NamedPage {
  async rateYourself(): Promise<RateYourselfPage> {
    await this.press('Rate yourself');
    return new RateYourselfPage(this.page).verifyOnPage();
  }

  /** Asks a colleague (by the words of the group they belong to, when given) to rate the participant. */
  async askColleague(colleague: { name: string; email: string; group?: 'Peer' | 'Line manager' }): Promise<void> {
    await this.field('Their name').fill(colleague.name);
    await this.field('Their work email address').fill(colleague.email);
    if (colleague.group) await this.field(colleague.group, true).check();
    await this.press('Send the request');
  }

  async readYourReport(): Promise<ReportPage> {
    await this.press('Read your report');
    return new ReportPage(this.page, this.heading).verifyOnPage();
  }
}

/** The participant's own ratings, in words that speak to them. */
export class RateYourselfPage extends RatingForm {
  protected readonly heading = 'Rate yourself';
  protected readonly statements = SELF_STATEMENTS;

  async saveAndComeBackLater(): Promise<void> {
    await this.press('Save and come back later');
    await this.expectToSee('Your ratings are saved.');
  }

  async send(): Promise<void> {
    await this.press('Send my ratings');
    await this.expectToSee('Your ratings are sent.');
  }
}

/** /rate/<key>: a colleague answers from the emailed link, without an account. */
export class RaterPage extends RatingForm {
  protected readonly heading: string;
  protected readonly statements = SEED_STATEMENTS;

  constructor(page: Page, participant: string) {
    super(page);
    this.heading = `Rate ${participant}’s leadership`;
  }

  async openAt(link: string): Promise<this> {
    await this.page.goto(link);
    return this;
  }

  async saveAndComeBackLater(): Promise<void> {
    await this.press('Save and come back later');
    await this.expectToSee('Your answers are saved.');
  }

  /** Answers "what would you like them to keep doing?", which is optional. */
  async keepDoing(comment: string): Promise<void> {
    await this.field('What does this person do that you would like them to keep doing? (optional)').fill(comment);
  }

  async send(): Promise<void> {
    await this.press('Send my answers');
    await new RaterThanksPage(this.page).verifyOnPage();
  }
}

class RaterThanksPage extends PageObject {
  protected readonly heading = 'Thank you';
}

/** A round's report: charts and tables of who said what, by group only when enough answered. */
export class ReportPage extends NamedPage {}

/** /admin/diagnostic/cohorts/<cohort>: each participant's rounds, with what staff may do to them. */
export class DiagnosticCohortPage extends NamedPage {
  constructor(
    page: Page,
    readonly cohort: string,
  ) {
    super(page, `Cohort ${cohort}`);
  }

  override async open(): Promise<this> {
    await this.page.goto(`/admin/diagnostic/cohorts/${this.cohort}`);
    return this;
  }

  /** Presses "Close now" for a participant: a page says what will happen first. */
  async closeNowFor(participant: string, round = 'start'): Promise<CloseRoundPage> {
    await this.press(`Close now for ${participant}`);
    return new CloseRoundPage(this.page, `Close ${participant}’s ${round} round now?`).verifyOnPage();
  }
}

/** Asks before closing a participant's round early. */
export class CloseRoundPage extends NamedPage {
  async cancel(): Promise<void> {
    await this.follow('Cancel');
  }

  async closeTheRoundNow(): Promise<void> {
    await this.press('Close the round now');
    await this.expectToSee('The round is closed');
  }
}

/** At a phone's width the page itself never scrolls sideways: wide tables scroll inside themselves. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}
