import { expect, test } from '@playwright/test';
import { AdminCataloguePage } from './pages/admin.page';
import { CoursePage } from './pages/catalogue.page';
import { ADMIN_STATE } from './pages/people';

// axe needs JavaScript in the page, so it checks these pages in the other journeys instead.
test.use({ javaScriptEnabled: false, storageState: ADMIN_STATE });

test('given no JavaScript, when the provider admin makes an edit with a mistake, then without, then it reaches the public page', async ({ page }) => {
  // Given NPQLTD's edit page
  const npqltd = await (await new AdminCataloguePage(page).open()).edit('NPQLTD', /Leading Teacher Development/);

  // When the full name is left out, what else was typed is kept
  await npqltd.field('Full name').fill('');
  await npqltd.field('Summary').fill('Lead the development of the teachers in your school, without JavaScript.');
  await npqltd.save();
  await npqltd.expectErrors('Enter the full name');
  await expect(npqltd.field('Summary')).toHaveValue('Lead the development of the teachers in your school, without JavaScript.');

  // …and once put right, it is saved
  await npqltd.field('Full name').fill('National Professional Qualification in Leading Teacher Development');
  await npqltd.save();
  await npqltd.expectSaved();

  // Then the public page shows it
  await new CoursePage(page, /Leading Teacher Development/).openAt('npq-leading-teaching-development');
  await expect(page.getByText('Lead the development of the teachers in your school, without JavaScript.')).toBeVisible();
});
