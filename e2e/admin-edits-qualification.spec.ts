import { expect, test } from '@playwright/test';
import { AdminCataloguePage, AuditLogPage } from './pages/admin.page';
import { CoursePage } from './pages/catalogue.page';
import { ADMIN_STATE } from './pages/people';

test.use({ storageState: ADMIN_STATE });

test('given the provider admin, when they edit NPQH with a mistake and then without, then the public page shows the change and the audit log who made it', async ({ page, browser }) => {
  // Given NPQH's edit page, which says where its hours do not add up
  const catalogue = await new AdminCataloguePage(page).open();
  await catalogue.expectAccessible();
  const npqh = await catalogue.edit('NPQH', /Headship/);
  await npqh.expectToSee('The components add up to 141 guided learning hours; the accredited total is 112.');
  await npqh.expectAccessible();

  // When they make a mistake, everything else that was typed is kept
  await npqh.field('Summary').fill('For headteachers and heads of school who lead a school with ambition.');
  await npqh.field('Longest duration (months)').fill('six');
  await npqh.save();
  await npqh.expectErrors('Longest duration in months must be a number');
  await expect(npqh.field('Summary')).toHaveValue('For headteachers and heads of school who lead a school with ambition.');
  await npqh.expectAccessible();
  await npqh.followError('Longest duration in months must be a number');
  await expect(npqh.field('Longest duration (months)')).toBeFocused();

  // …and once it is put right, the change is saved
  await npqh.field('Longest duration (months)').fill('18');
  await npqh.save();
  await npqh.expectSaved();

  // Then a visitor sees it on the public page
  const visitor = await browser.newPage();
  await new CoursePage(visitor, /Headship/).openAt('npq-headship');
  await expect(visitor.getByText('For headteachers and heads of school who lead a school with ambition.')).toBeVisible();
  await visitor.close();

  // And the change is in the audit log, with who made it
  const audit = await new AuditLogPage(page).open('qualification');
  await audit.expectEntry('qualification.updated', /Ada Admin/);
  await audit.expectAccessible();

  // And a component added to the programme shows on the course page too
  await catalogue.open();
  await catalogue.edit('NPQH', /Headship/);
  await npqh.addComponent({ kind: 'briefings', title: 'Assessment clinic', hours: '1.5' }, true);
  const course = await new CoursePage(page, /Headship/).openAt('npq-headship');
  await course.expectComponent('Assessment clinic', '1.5');
});
