import { expect, type Page, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';

test.use({ storageState: ADMIN_STATE });
test.setTimeout(180_000);

// Pages whose tables, summary lists and preformatted text a newcomer saw split mid-word ("Coho / rt",
// "filter[co / hort]", "application.ac / cepted", an email body's "fo / r").
const PAGES = ['/admin/applications', '/api/docs', '/admin/audit', '/admin/outbox', '/admin/users', '/admin/cohorts/2025a'];
const WIDTHS = [1280, 390];

/**
 * The words in tables, summary lists and preformatted text broken across lines where no break belongs:
 * a word (a run without spaces) no wider than its box, split other than just after a hyphen or a slash
 * (where a browser may break a web or email address). A word wider than its box may break anywhere.
 */
async function wordsBrokenMidWord(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const broken: string[] = [];
    const range = document.createRange();
    const lineOf = (node: Node, from: number, to: number) => {
      range.setStart(node, from);
      range.setEnd(node, to);
      const rect = [...range.getClientRects()].find((r) => r.width > 0);
      return rect ? Math.round(rect.top) : undefined;
    };
    for (const box of document.querySelectorAll('main th, main td, main dt, main dd, main pre')) {
      const width = box.getBoundingClientRect().width;
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (const m of (node.textContent ?? '').matchAll(/\S+/g)) {
          range.setStart(node, m.index);
          range.setEnd(node, m.index + m[0].length);
          const rects = [...range.getClientRects()].filter((r) => r.width > 0);
          if (new Set(rects.map((r) => Math.round(r.top))).size < 2 || rects.reduce((sum, r) => sum + r.width, 0) > width) continue;
          for (let i = 1; i < m[0].length; i++) {
            const before = lineOf(node, m.index + i - 1, m.index + i);
            const after = lineOf(node, m.index + i, m.index + i + 1);
            if (before !== undefined && after !== undefined && after > before && !'-/'.includes(m[0][i - 1]!)) broken.push(`${box.tagName.toLowerCase()}: ${m[0].slice(0, i)} / ${m[0].slice(i)}`);
          }
        }
      }
    }
    return broken;
  });
}

for (const width of WIDTHS) {
  test(`given the provider admin at ${width} px, when they open pages of tables and lists, then no word that fits its column is split across lines and the page never scrolls sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    for (const path of PAGES) {
      await page.goto(path);
      expect(await wordsBrokenMidWord(page), path).toEqual([]);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(width);
    }
    // The check sees the fault it looks for: the old rule splits the inbox's words again.
    await page.goto('/admin/applications');
    // (Through the CSSOM: the pages' Content-Security-Policy refuses a style element.)
    await page.evaluate(() => {
      for (const cell of document.querySelectorAll<HTMLElement>('.govuk-table__cell, .govuk-table__header')) cell.style.overflowWrap = 'anywhere';
    });
    expect(await wordsBrokenMidWord(page)).not.toEqual([]);
  });

  test(`given a value of 300 characters with no space at ${width} px, when it stands in a table, a summary list, a details' summary and preformatted text, then the page still does not scroll sideways`, async ({ page }) => {
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/admin/applications');
    // A header of one short word sits on one line (a row's cells share its height, so its text is measured).
    const lines = await page.getByRole('columnheader', { name: 'Cohort' }).evaluate((th) => {
      const range = document.createRange();
      range.selectNodeContents(th);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    });
    expect(lines).toBe(1);
    const long = `${'a'.repeat(290)}@school.test`;
    await page.evaluate((value) => {
      const main = document.querySelector('main')!;
      (document.querySelector('main td') as HTMLElement).textContent = value;
      main.insertAdjacentHTML('beforeend', `<dl class="govuk-summary-list"><div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Email</dt><dd class="govuk-summary-list__value">${value}</dd></div></dl><pre class="app-code">To: ${value}</pre><p class="govuk-body">${value}</p><details class="govuk-details"><summary class="govuk-details__summary"><span class="govuk-details__summary-text">Change 1: ${value}</span></summary><div class="govuk-details__text">${value}</div></details>`);
    }, long);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}
