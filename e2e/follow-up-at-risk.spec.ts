import { expect, type Page, test } from '@playwright/test';
import type { NamedPage } from './pages/page-object';
import { onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(180_000);

/** The count sentence's "M flagged at risk", as a number. */
async function flaggedCount(page: Page): Promise<number> {
  const sentence = page.getByText(/participants? match(es)?; .* below their NPQ’s threshold; \d+ flagged at risk\./);
  await expect(sentence).toBeVisible();
  return Number(((await sentence.textContent()) ?? '').match(/(\d+) flagged at risk/)?.[1]);
}

/** Engagement, narrowed to those flagged at risk by keyboard: the "Early warning" select, then Tab on to "Show". */
async function listFlaggedAtRisk(page: Page): Promise<NamedPage> {
  await page.getByRole('link', { name: 'Engagement', exact: true }).click();
  const list = await onPage(page, 'Engagement');
  const risk = list.field('Early warning');
  await risk.focus();
  await page.keyboard.press('ArrowDown');
  await expect(risk).toHaveValue('yes');
  await expect(risk.locator('option:checked')).toHaveText('Flagged at risk');
  const show = page.getByRole('button', { name: 'Show', exact: true });
  for (let i = 0; i < 5 && !(await show.evaluate((b) => b === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(show).toBeFocused();
  await page.keyboard.press('Enter');
  await page.waitForURL(/[?&]risk=yes/);
  return onPage(page, 'Engagement');
}

/** A participant's row of the list: flagged at risk, with reasons each weighed in brackets. */
async function expectFlagged(page: Page, name: string): Promise<void> {
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
  await expect(row).toHaveCount(1);
  await expect(row.locator('.govuk-tag--orange', { hasText: 'At risk' })).toBeVisible();
  await expect(row).toContainText(/[A-Za-z][^()]* \(weight \d+\)/);
}

test('given Sam Whitfield and Jo Marsh of the NPQH Autumn 2026 intake flagged at risk, when the Midlands lead reads Sam’s reasons and records a follow-up, after a mistake, then Sam’s flag clears and Jo’s stays', async ({ page }) => {
  // Given the Midlands lead, signed in with their password and a code from their app, lists those flagged at risk.
  await signInAs(page, 'Midlands delivery partner lead');
  const list = await listFlaggedAtRisk(page);
  const flagged = await flaggedCount(page);
  expect(flagged).toBeGreaterThanOrEqual(2);
  await expectFlagged(page, 'Sam Whitfield');
  await expectFlagged(page, 'Jo Marsh');
  await list.expectAccessible();

  // When they open Sam's page, it says why Sam is flagged: each signal with its weight, and the total against 5.
  await page.getByRole('link', { name: 'Sam Whitfield', exact: true }).click();
  const sam = await onPage(page, 'Sam Whitfield');
  await expect(page.getByRole('heading', { level: 2, name: 'Early warning' })).toBeVisible();
  await sam.expectToSee(/At risk: their signals weigh \d+, at or above the 5 that flags a participant\./);
  const signals = page.getByRole('table', { name: 'Signals and their weights' });
  await expect(signals).toBeVisible();
  await expect(signals.getByRole('row', { name: /Total/ })).toContainText(/\d+ \(flagged at 5\)/);
  await sam.expectAccessible();

  // …and record a follow-up without saying how: they are told, and their note is kept.
  const note = 'Rang Sam; a family illness. Agreed a catch-up plan.';
  await sam.field('Note (optional)').fill(note);
  await sam.press('Record the follow-up');
  await sam.expectErrors('Select how you followed them up');
  await expect(sam.field('Note (optional)')).toHaveValue(note);
  await sam.expectAccessible();

  // …then, choosing "Called them" by keyboard, record it.
  const called = sam.field('Called them', true);
  await called.focus();
  await page.keyboard.press('Space');
  await expect(called).toBeChecked();
  await sam.press('Record the follow-up');

  // Then the flag is cleared on Sam's page, and the follow-up is listed with who recorded it.
  await onPage(page, 'Sam Whitfield');
  await sam.expectToSee(/Your follow-up is recorded\./);
  await sam.expectToSee(/Followed up: their signals weigh \d+/);
  await expect(page.getByText(/At risk: their signals weigh/)).toHaveCount(0);
  await sam.expectToSee(/Called them — Mina Lead/);
  await sam.expectToSee(note);
  await sam.expectAccessible();

  // …and those flagged at risk no longer list Sam, but still list Jo.
  await page.goto('/engagement?risk=yes');
  const after = await onPage(page, 'Engagement');
  expect(await flaggedCount(page)).toBe(flagged - 1);
  await expect(page.getByRole('link', { name: 'Sam Whitfield', exact: true })).toHaveCount(0);
  await expectFlagged(page, 'Jo Marsh');
  await after.expectAccessible();
});

test.describe('without JavaScript', () => {
  // axe needs JavaScript in the page, so it checks these pages in the journey above instead.
  test.use({ javaScriptEnabled: false });

  test('given Jo Marsh flagged at risk, when the Midlands lead records that they emailed Jo, without JavaScript, then the follow-up is recorded and Jo’s flag clears', async ({ page }) => {
    // Given the Midlands lead, signed in, on Jo's page from the list of those flagged at risk.
    await signInAs(page, 'Midlands delivery partner lead');
    await page.goto('/engagement?risk=yes');
    await onPage(page, 'Engagement');
    await expectFlagged(page, 'Jo Marsh');
    await page.getByRole('link', { name: 'Jo Marsh', exact: true }).click();
    const jo = await onPage(page, 'Jo Marsh');
    await jo.expectToSee(/At risk: their signals weigh \d+, at or above the 5 that flags a participant\./);

    // When they record that they emailed Jo.
    await jo.field('Emailed them', true).check();
    await jo.field('Note (optional)').fill('Emailed Jo the catch-up recordings.');
    await jo.press('Record the follow-up');

    // Then it is recorded, and the flag cleared.
    await onPage(page, 'Jo Marsh');
    await jo.expectToSee(/Your follow-up is recorded\./);
    await jo.expectToSee(/Followed up: their signals weigh \d+/);
    await jo.expectToSee(/Emailed them — Mina Lead/);
    await page.goto('/engagement?risk=yes');
    await onPage(page, 'Engagement');
    await expect(page.getByRole('link', { name: 'Jo Marsh', exact: true })).toHaveCount(0);
  });
});
