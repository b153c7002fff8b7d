import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given the demo NPQH intake, when the participant opens their engagement without JavaScript and the Midlands lead lists engagement, then both see the same figure, with each part’s hours, and the lead filters, sorts and downloads the list', async ({ browser }) => {
  // Given Pat, without JavaScript, opens their engagement from their programme.
  const pat = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  await pat.getByRole('link', { name: /Your engagement/ }).first().click();
  const mine = await onPage(pat, 'Your engagement');
  const table = pat.getByRole('table', { name: 'Your guided learning' });
  await expect(table).toContainText('Events attended');
  await expect(table).toContainText('Coaching held');
  const figure = ((await pat.locator('main').textContent()) ?? '').match(/(\d+)% engaged/)?.[1];
  expect(figure).toBeDefined();
  await mine.expectToSee(/Work done ahead in one part does not make up for another/);

  // When the Midlands lead opens Engagement, sorted lowest first, and narrows it to the NPQH intake.
  const lead = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signInAs(lead, 'Midlands delivery partner lead');
  await lead.getByRole('link', { name: 'Engagement', exact: true }).click();
  const list = await onPage(lead, 'Engagement');
  await list.expectAccessible();
  await list.field('Sort by').selectOption({ label: 'Lowest engagement first' });
  await list.field('NPQ').selectOption({ label: 'National Professional Qualification for Headship' });
  await list.press('Show');
  await expect(lead.getByRole('img', { name: /Participants by engagement/ })).toBeVisible();
  // Then Pat's row shows the figure Pat saw.
  const row = lead.getByRole('row').filter({ hasText: 'Pat Participant' });
  await expect(row).toContainText(`${figure}%`);
  await list.expectAccessible();
  const [download] = await Promise.all([lead.waitForEvent('download'), lead.getByRole('link', { name: 'Download these as CSV' }).click()]);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv).toContain('Pat Participant,NPQH');
  await row.getByRole('link', { name: 'Pat Participant' }).click();
  const detail = await onPage(lead, 'Pat Participant');
  await detail.expectToSee(new RegExp(`${figure}% engaged`));
  await detail.expectAccessible();
  // And Pat's page passes the same checks with scripts on.
  const patWithScripts = await (await browser.newContext()).newPage();
  await signInAs(patWithScripts, 'participant');
  await patWithScripts.goto(pat.url());
  await (await onPage(patWithScripts, 'Your engagement')).expectAccessible();
});
