import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';

test('a teacher finds NPQs for them and compares two side by side', async ({ page }) => {
  await page.goto('/');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Find an NPQ' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'National Professional Qualifications' })).toBeVisible();
  await expectAccessible(page);

  await page.getByLabel('Kind of NPQ').selectOption('specialist');
  await page.getByLabel('Who it is for').selectOption('teachers');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.getByText('6 qualifications match your filters')).toBeVisible();
  await expect(page.getByRole('link', { name: /Leading Teaching \(NPQLT\)/ })).toBeVisible();
  await expect(page.getByRole('link', { name: /Headship \(NPQH\)/ })).toHaveCount(0);

  await page.getByRole('link', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Which NPQ is right for me?' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Leadership NPQs compared' });
  await expect(table.getByRole('row', { name: /Master's credits/ })).toContainText('Up to 40');
  await expect(table.getByRole('row', { name: /Coaching/ })).toContainText('No');
  await expectAccessible(page);

  // One is not a comparison: the page says so next to the choice.
  await page.getByLabel(/Leading Literacy/).check();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('Choose at least 2 NPQs to compare');
  await expect(page.getByLabel(/Leading Literacy/)).toBeChecked();
  await expectAccessible(page);

  await page.getByLabel(/Special Educational Needs Co-ordinators/).check();
  await page.getByRole('button', { name: 'Compare', exact: true }).click();
  const chosen = page.getByRole('table', { name: 'Your chosen NPQs compared' });
  await expect(chosen.getByRole('columnheader', { name: 'NPQLL' })).toBeVisible();
  await expect(chosen.getByRole('columnheader', { name: 'NPQ SENCO' })).toBeVisible();

  await chosen.getByRole('link', { name: 'NPQ SENCO' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Special Educational Needs Co-ordinators/ })).toBeVisible();
  await expectAccessible(page);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the comparison still works', async ({ page }) => {
    await page.goto('/qualifications/compare');
    await page.getByLabel(/Headship \(NPQH\)/).check();
    await page.getByLabel(/Executive Leadership \(NPQEL\)/).check();
    await page.getByLabel(/Senior Leadership \(NPQSL\)/).check();
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await expect(page.getByRole('table', { name: 'Your chosen NPQs compared' }).getByRole('columnheader')).toHaveCount(4);
  });
});
