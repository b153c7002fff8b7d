import { expect, type Locator, type Page } from '@playwright/test';
import { NamedPage, PageObject } from './page-object';

/** /programme: the participant's timetable, what is next and their progress. */
export class ProgrammePage extends PageObject {
  protected readonly heading = 'Your programme';
  protected override readonly path = '/programme';

  /** The progress table's row for a part of the programme ("Online course modules"), as read. */
  async progressOf(part: string): Promise<string> {
    return (await this.page.getByRole('row', { name: new RegExp(`^${part}`) }).innerText()).replace(/\s+/g, ' ');
  }

  async openSession(title: string | RegExp): Promise<NamedPage> {
    await this.page.getByRole('table', { name: 'Your timetable' }).getByRole('link', { name: title }).click();
    return new NamedPage(this.page, title).verifyOnPage();
  }

  async openModule(title: string): Promise<NamedPage> {
    await this.page.getByRole('table', { name: 'Your timetable' }).getByRole('link', { name: title, exact: true }).click();
    return new NamedPage(this.page, title).verifyOnPage();
  }
}

/** A staff page reached from a list, named by its heading. */
export async function onPage(page: Page, heading: string | RegExp): Promise<NamedPage> {
  return new NamedPage(page, heading).verifyOnPage();
}

/** Types a date into the GOV.UK date fields under a legend, on the page or within one part of it (a form of several). */
export async function fillDate(page: Page | Locator, legend: string | RegExp, date: string): Promise<void> {
  const [y, m, d] = date.split('-');
  const group = page.getByRole('group', { name: legend });
  await group.getByLabel('Day').fill(String(Number(d)));
  await group.getByLabel('Month').fill(String(Number(m)));
  await group.getByLabel('Year').fill(y!);
}

export { expect };
