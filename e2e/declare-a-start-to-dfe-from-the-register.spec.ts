import { expect, test } from '@playwright/test';
import { NamedPage } from './pages/page-object';
import { ADMIN_STATE } from './pages/people';

/**
 * Issue 13's journey against the demo's DfE stand-in: a participant's evidence makes a `started`
 * declaration due; the admin approves it and sees it eligible at DfE and then on a statement; a
 * mistaken one is voided.
 */
test('given Tomasz Kowalski accepted at DfE into Spring 2025 with no session attended, when the admin marks him present at Event 1, then his start is due; approved, DfE has it eligible on a statement; and Owen Price’s, approved by mistake, is voided', async ({ browser }) => {
  const staff = await browser.newContext({ storageState: ADMIN_STATE });
  const admin = await staff.newPage();
  const declarations = new NamedPage(admin, 'Declarations to DfE');
  await admin.goto('/admin/dfe/declarations');
  await declarations.verifyOnPage();
  await expect(admin.getByRole('heading', { name: 'Tomasz Kowalski: Started' })).toHaveCount(0);

  // The register of Event 1 shows Tomasz there after all.
  await admin.goto('/delivery');
  await admin.getByRole('link', { name: 'Spring 2025' }).click();
  await admin.getByRole('link', { name: /^Take the register for Event 1/ }).click();
  const register = new NamedPage(admin, /^Register: Event 1/);
  await register.verifyOnPage();
  await admin.getByRole('group', { name: 'Tomasz Kowalski' }).getByLabel('Present').check();
  await register.press('Save the register');
  await register.expectToSee(/The register is saved/);

  // The evidence, weighed now, makes his start due, dated by the event.
  await admin.goto('/admin/dfe/declarations');
  await declarations.press('Check everyone’s evidence now');
  await declarations.expectToSee(/Everyone’s evidence is checked: \d+ declarations? (is|are) newly due/);
  const tomasz = admin.locator('.app-card', { has: admin.getByRole('heading', { name: 'Tomasz Kowalski: Started' }) });
  await expect(tomasz).toContainText('Attended Event 1');
  await expect(tomasz).toContainText('Milestone missed: it was 30 May 2025, for payment on 25 June 2025');
  await expect(tomasz).toContainText('Due, milestone missed');
  await declarations.expectAccessible();

  // Nothing chosen: said, and nothing sent. Then Tomasz's and, by mistake, Owen's.
  await declarations.press('Approve the selected declarations and send them to DfE');
  await declarations.expectErrors('Select the declarations to approve');
  await declarations.expectAccessible();
  await admin.getByLabel('Approve Tomasz Kowalski’s started declaration').check();
  await admin.getByLabel('Approve Owen Price’s started declaration').check();
  await declarations.press('Approve the selected declarations and send them to DfE');
  await declarations.expectToSee('2 declarations are approved and being sent to DfE. DfE’s answer shows here within a few minutes.');

  // DfE has it, eligible for payment; read back, it is on a statement.
  await expect(async () => {
    await admin.goto('/admin/dfe/declarations?tab=sent');
    await expect(admin.locator('.app-card', { has: admin.getByRole('heading', { name: 'Tomasz Kowalski: Started' }) })).toContainText('Eligible for payment', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await declarations.press('Read DfE’s states and statements now');
  await expect(async () => {
    await admin.goto('/admin/dfe/declarations?tab=sent');
    await expect(admin.locator('.app-card', { has: admin.getByRole('heading', { name: 'Tomasz Kowalski: Started' }) })).toContainText(/On DfE’s \w+ \d{4} statement, to be paid on \d{1,2} \w+ \d{4}/, { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await declarations.expectAccessible();

  // Owen's was a mistake: voided, after a warning of what that does.
  await admin.getByRole('link', { name: 'Void Owen Price’s started declaration' }).click();
  const voiding = new NamedPage(admin, 'Void Owen Price’s started declaration');
  await voiding.verifyOnPage();
  await voiding.expectToSee(/DfE has not paid it: voiding cancels it, and it comes off its statement/);
  await voiding.expectAccessible();
  await voiding.press('Void it at DfE');
  await declarations.expectToSee('The void is being sent to DfE. The declaration moves to Voided once DfE has it.');
  await expect(async () => {
    await admin.goto('/admin/dfe/declarations?tab=voided');
    await expect(admin.locator('.app-card', { has: admin.getByRole('heading', { name: 'Owen Price: Started' }) })).toContainText('Voided', { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await declarations.expectAccessible();
  await staff.close();
});
