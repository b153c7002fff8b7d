import { expect, test } from '@playwright/test';
import { expectAccessible } from './support/axe';

test('a teacher checks DfE funding for a specialist NPQ, is told why not, and tries another school', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('link', { name: 'Check if DfE will fund your NPQ' }).click();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Start now' }).click();

  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Select when you want to start');
  await expectAccessible(page);
  await page.getByLabel('In 2026 to 2027 (cohort 2026a)').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByLabel(/Leading Teaching \(NPQLT\)/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectAccessible(page);
  await page.getByLabel('A school', { exact: true }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await page.getByLabel('Search by name, town, postcode or URN').fill('birmingham');
  await page.getByRole('button', { name: 'Search' }).click();
  await expectAccessible(page);
  await page.getByLabel('Oakfield Primary School').check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Nothing that names a person is asked: the answer comes from DfE's rules and lists alone.
  await expect(page.getByRole('heading', { name: 'Check your answers' })).toBeVisible();
  await expect(page.getByText(/teacher reference number/i)).toHaveCount(0);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'See the result' }).click();
  await expect(page.getByRole('heading', { name: 'DfE will not fund this NPQ for you' })).toBeVisible();
  await expect(page.getByText('PP50 lists')).toBeVisible();
  await expectAccessible(page);

  // Try the school next door: on the PP50 list.
  await page.getByRole('link', { name: 'Change your answers' }).click();
  await page.getByRole('link', { name: 'Change school' }).click();
  await page.getByLabel('Search by name, town, postcode or URN').fill('140002');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel('Riverside Academy').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'See the result' }).click();
  await expect(page.getByRole('heading', { name: 'DfE will fund your NPQ' })).toBeVisible();
  await expectAccessible(page);
});

test('a childminder gives an Ofsted URN as Ofsted writes it', async ({ page }) => {
  await page.goto('/funding/start-date');
  await page.getByLabel('In 2026 to 2027 (cohort 2026a)').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel(/Early Years Leadership/).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('Yes').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('An early years or childcare setting').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByLabel('I am a childminder').check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'What is your Ofsted unique reference number (URN)?' })).toBeVisible();
  await page.getByLabel('Ofsted URN').fill('EY12');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter an Ofsted URN as 6 or 7 digits, or EY or CA followed by 6 digits');
  await expectAccessible(page);
  await page.getByLabel('Ofsted URN').fill(' 600001 ');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'See the result' }).click();
  await expect(page.getByRole('heading', { name: 'DfE will fund your NPQ' })).toBeVisible();
});
