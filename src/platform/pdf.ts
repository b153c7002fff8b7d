import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';

/**
 * Prints HTML to PDF with headless Chromium: the report's own markup and print stylesheet, so the PDF
 * is what the page shows. One browser is started on first use and kept; pages are opened per print.
 */
export function pdfPrinter(opts: { chromiumPath: string; stylesheet?: string }) {
  let browser: Promise<Browser> | undefined;
  // Pages kept between prints: a fresh page is a fresh browser context, about 200 ms of a 300 ms print
  // (measured for a certificate). Each print replaces the whole document, and nothing is fetched, so a
  // page carries nothing from one print to the next.
  const idle: Page[] = [];
  const KEEP_IDLE = 2;
  const available = existsSync(opts.chromiumPath);
  let stylesheet: string | undefined;
  const css = () => (stylesheet ??= readFileSync(opts.stylesheet ?? path.resolve('public/assets/app.css'), 'utf8'));
  const openPage = async () => {
    // Loaded on the first print, not at start: Playwright is large, and most processes never print.
    browser ??= import('playwright-core').then(({ chromium }) => chromium.launch({ executablePath: opts.chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] }));
    const page = await (await browser).newPage();
    // No network: everything the page needs is inline, so nothing outside can be fetched from it.
    await page.route('**/*', (route) => route.abort());
    return page;
  };
  return {
    available,
    async print(title: string, bodyHtml: string): Promise<Buffer> {
      if (!available) throw new Error(`Chromium not found at ${opts.chromiumPath}`);
      const page = idle.pop() ?? (await openPage());
      let reusable = false;
      try {
        await page.setContent(`<!DOCTYPE html><html lang="en" class="govuk-template govuk-template--rebranded"><head><meta charset="utf-8"><title>${title}</title><style>${css()}</style></head><body class="govuk-template__body"><div class="govuk-width-container"><main class="govuk-main-wrapper">${bodyHtml}</main></div></body></html>`, { waitUntil: 'load' });
        const file = await page.pdf({ format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
        reusable = true;
        return file;
      } finally {
        // A page that failed a print is not trusted with the next one.
        if (reusable && idle.length < KEEP_IDLE && browser) idle.push(page);
        else await page.close().catch(() => undefined);
      }
    },
    async close() {
      idle.length = 0;
      if (browser) await (await browser).close();
      browser = undefined;
    },
  };
}
export type PdfPrinter = ReturnType<typeof pdfPrinter>;
