import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';

test.use({ storageState: 'test-results/.auth/admin.json' });

test('an admin edits NPQH and sees the change on the public page', async ({ page, browser }) => {
  await page.goto('/admin/catalogue');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'NPQH (edit)' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Headship/ })).toBeVisible();
  await expect(page.getByText('The components add up to 141 guided learning hours; the accredited total is 112.')).toBeVisible();
  await expectAccessible(page);

  // A mistake keeps everything else that was typed.
  await page.getByLabel('Summary').fill('For headteachers and heads of school who lead a school with ambition.');
  await page.getByLabel('Longest duration (months)').fill('six');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert')).toContainText('Longest duration in months must be a number');
  await expect(page.getByLabel('Summary')).toHaveValue('For headteachers and heads of school who lead a school with ambition.');
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Longest duration in months must be a number' }).click();
  await expect(page.getByLabel('Longest duration (months)')).toBeFocused();

  await page.getByLabel('Longest duration (months)').fill('18');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText('Changes saved.')).toBeVisible();

  const visitor = await browser.newPage();
  await visitor.goto('/qualifications/npq-headship');
  await expect(visitor.getByText('For headteachers and heads of school who lead a school with ambition.')).toBeVisible();
  await visitor.close();

  // The change is in the audit log, with who made it.
  await page.goto('/admin/audit?entity=qualification');
  await expect(page.getByRole('cell', { name: 'qualification.updated' }).first()).toBeVisible();
  await expect(page.getByRole('cell', { name: /Ada Admin/ }).first()).toBeVisible();
  await expectAccessible(page);

  // Adding an event to the programme shows on the course page too.
  await page.goto('/admin/catalogue');
  await page.getByRole('link', { name: 'NPQH (edit)' }).click();
  await page.getByRole('button', { name: 'Add a component' }).click();
  await expectAccessible(page);
  await page.getByLabel('Kind').selectOption('briefings');
  await page.getByLabel('Title').fill('Assessment clinic');
  await page.getByLabel('Guided learning hours').fill('1.5');
  await page.getByRole('button', { name: 'Add component' }).click();
  await expect(page.getByText('Component added.')).toBeVisible();
  await page.goto('/qualifications/npq-headship');
  await expect(page.getByRole('row', { name: /Assessment clinic/ })).toContainText('1.5');
});
