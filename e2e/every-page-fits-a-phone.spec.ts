import { expect, type Page, test } from '@playwright/test';
import type { DemoPerson } from './pages/people';
import { signInAs } from './pages/sign-in.page';
import { ADMIN_PAGES, PUBLIC_PAGES } from './support/pages';

test.setTimeout(300_000);
// A phone's width, without mobile emulation's zooming out to fit a page that is too wide: that would
// widen innerWidth with the page and hide the very fault this looks for.
const PHONE = { viewport: { width: 390, height: 844 } };
test.use(PHONE);

/** Each role's own pages, beyond the public ones; the admin's are the accessibility journey's list. */
const PAGES_OF: [who: DemoPerson, pages: string[]][] = [
  ['provider admin', [...ADMIN_PAGES, '/admin/diagnostic/cohorts']],
  ['Midlands delivery partner lead', ['/home', '/admin/applications', '/coaching/allocations', '/admin/users', '/admin/diagnostic/cohorts', '/admin/diagnostic/cohorts/2026a', '/account/sessions', '/engagement', '/feedback']],
  ['facilitator', ['/home', '/admin/diagnostic/cohorts', '/admin/diagnostic/cohorts/2026a', '/delivery', '/engagement', '/messages', '/feedback']],
  ['coach', ['/home', '/coaching', '/coaching/slots', '/messages', '/engagement', '/feedback']],
  ['assessor', ['/home', '/marking']],
  ['moderator', ['/home', '/moderation']],
  ['participant', ['/home', '/applications', '/diagnostic', '/programme', '/programme/calendar']],
  ['school approver', ['/home']],
];

/** Opens `path` and says what is wrong with it on a phone: the page scrolling sideways, or an asset it could not load. */
async function problemsOf(page: Page, path: string, failedAssets: string[]): Promise<string[]> {
  failedAssets.length = 0;
  await page.goto(path);
  await page.waitForLoadState('load');
  const { scrollWidth, innerWidth, widest } = await page.evaluate(() => {
    // The element sticking out furthest names the culprit when the page is too wide.
    let widest = '';
    let right = window.innerWidth;
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect().right;
      if (r > right + 1 && !el.closest('.app-table-scroll')) {
        right = r;
        widest = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`;
      }
    }
    return { scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth, widest };
  });
  const problems = scrollWidth > innerWidth ? [`${path} scrolls sideways: ${scrollWidth}px wide on a ${innerWidth}px screen (widest: ${widest})`] : [];
  return [...problems, ...failedAssets.map((a) => `${path} could not load ${a}`)];
}

test('given each role signed in on a phone, when they open every page of theirs, then each fits a 390 px phone without scrolling sideways and loads every asset it asks for', async ({ browser }) => {
  const problems: string[] = [];
  const visit = async (page: Page, paths: string[]) => {
    const failedAssets: string[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/assets/') && res.status() >= 400) failedAssets.push(`${res.url()} (${res.status()})`);
    });
    for (const path of paths) problems.push(...(await problemsOf(page, path, failedAssets)));
  };

  const anonymous = await browser.newContext(PHONE);
  await visit(await anonymous.newPage(), PUBLIC_PAGES);
  await anonymous.close();

  for (const [who, paths] of PAGES_OF) {
    const context = await browser.newContext(PHONE);
    const page = await context.newPage();
    await signInAs(page, who);
    await visit(page, paths);
    await context.close();
  }
  expect(problems).toEqual([]);
});
