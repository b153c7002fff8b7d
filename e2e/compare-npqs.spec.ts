import { expect, test } from '@playwright/test';
import { LandingPage } from './pages/catalogue.page';

test('given the NPQs on offer, when a teacher filters them and compares two, then they see them side by side and open one', async ({ page }) => {
  // Given the front page
  const landing = await new LandingPage(page).open();
  await landing.expectAccessible();

  // When they find the specialist NPQs for teachers
  const qualifications = await landing.findAnNpq();
  await qualifications.expectAccessible();
  await qualifications.filter({ kind: 'specialist', whoFor: 'teachers' });
  await qualifications.expectToSee('6 qualifications match your filters');
  await expect(qualifications.npq(/Leading Teaching \(NPQLT\)/)).toBeVisible();
  await expect(qualifications.npq(/Headship \(NPQH\)/)).toHaveCount(0);

  // …and go to compare: the leadership NPQs are compared until they choose
  const compare = await qualifications.compare();
  const table = compare.table('Leadership NPQs compared');
  await expect(table.getByRole('row', { name: /Master's credits/ })).toContainText('Up to 40');
  await expect(table.getByRole('row', { name: /Coaching/ })).toContainText('No');
  await compare.expectAccessible();

  // One is not a comparison: the page says so next to the choice.
  await compare.compare(/Leading Literacy/);
  await compare.expectErrors('Choose at least 2 NPQs to compare');
  await expect(compare.field(/Leading Literacy/)).toBeChecked();
  await compare.expectAccessible();

  // Then two are compared side by side
  await compare.compare(/Special Educational Needs Co-ordinators/);
  const chosen = compare.table('Your chosen NPQs compared');
  await expect(chosen.getByRole('columnheader', { name: 'NPQLL' })).toBeVisible();
  await expect(chosen.getByRole('columnheader', { name: 'NPQ SENCO' })).toBeVisible();

  // And one of them opens its own page
  const senco = await compare.openChosen('NPQ SENCO', /Special Educational Needs Co-ordinators/);
  await senco.expectAccessible();
});
