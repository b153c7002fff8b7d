// Not a test: `tsx e2e/screenshot.ts URL FILE` saves what a person would see, for a look by eye.
import { chromium } from '@playwright/test';

const [url = 'http://127.0.0.1:3000/', file = '/tmp/page.png', width = '1200'] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
await page.goto(url);
await page.screenshot({ path: file, fullPage: true });
await browser.close();
