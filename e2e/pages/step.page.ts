import { NamedPage } from './page-object';

/**
 * A page of a journey that asks one thing a page (GOV.UK's question pages: the funding checker, the
 * application): known by its heading, answered by labels, sent on with "Continue".
 */
export class StepPage extends NamedPage {
  /** Ticks a radio or checkbox by its label. */
  async choose(label: string | RegExp, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByLabel(label, options).check();
  }

  /** Types an answer into a field, found by its label. */
  async answer(label: string | RegExp, value: string, options: { exact?: boolean } = {}): Promise<void> {
    await this.page.getByLabel(label, options).fill(value);
  }

  async continue(): Promise<void> {
    await this.press('Continue');
  }

  /** Presses "Continue" and lands on the next page, which passes axe. */
  async continueTo(heading: string | RegExp): Promise<StepPage> {
    await this.continue();
    const next = await new StepPage(this.page, heading).verifyOnPage();
    await next.expectAccessible();
    return next;
  }

  /** The school search of both journeys: searches, then picks one school from the results. */
  async findSchool(search: string, school: string): Promise<void> {
    await this.answer('Search by name, town, postcode or URN', search);
    await this.press('Search');
    await this.choose(school);
  }
}
