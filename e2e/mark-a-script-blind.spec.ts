import { expect, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';
import { onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given three early Task 1 accounts in the demo, when the admin allocates them evenly and the assessor marks one, then the assessor sees only a candidate number, is told what is missing, and submits a pass', async ({ browser }) => {
  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await admin.goto('/assessment/submissions');
  await admin.getByRole('link', { name: 'Allocate scripts for marking' }).click();
  const allocation = await onPage(admin, 'Allocate scripts for marking');
  await allocation.expectAccessible();
  // Whose scripts they are: the admin sees the names, to allocate; the assessor never will.
  const names = await admin.getByRole('table').getByRole('row').locator('td:first-child').allTextContents();
  expect(names.length).toBe(3);
  await allocation.press('Allocate evenly');
  await allocation.expectToSee(/scripts? allocated evenly\./);
  await allocation.expectAccessible();

  const asa = await (await browser.newContext()).newPage();
  await signInAs(asa, 'assessor');
  await asa.getByRole('link', { name: 'Marking', exact: true }).click();
  const list = await onPage(asa, 'Your scripts to mark');
  await list.expectAccessible();
  const scripts = asa.getByRole('table').getByRole('link', { name: /^C-[A-Z0-9]{6}$/ });
  expect(await scripts.count()).toBeGreaterThanOrEqual(1);
  const candidate = (await scripts.first().textContent())!.trim();
  for (const name of names) await expect(asa.locator('main')).not.toContainText(name.trim());
  await scripts.first().click();

  const mark = await onPage(asa, `Candidate ${candidate}`);
  await mark.expectAccessible();
  for (const name of names) await expect(asa.locator('main')).not.toContainText(name.trim());
  const download = asa.waitForEvent('download');
  await asa.getByRole('link', { name: /Download the script/ }).click();
  expect((await download).suggestedFilename()).toBe(`${candidate}.pdf`);

  await mark.field('Mark for Designing the change, out of 10').fill('7');
  await mark.field('Comment on Designing the change').fill('A diagnosis drawn from the school’s own fluency data.');
  await mark.press('Save as a draft');
  await mark.expectToSee(`Your draft marks for ${candidate} are saved. Submit them when you have finished.`);
  await expect(mark.field('Mark for Designing the change, out of 10')).toHaveValue('7');
  await mark.press('Submit the marks');
  await mark.expectErrors('Enter a mark for “Leading the change”, from 0 to 10', 'Enter an overall comment');
  await mark.expectAccessible();
  for (const [criterion, score] of [['Leading the change', '6'], ['Evaluating the impact', '5'], ['Reflecting on leadership', '5']] as const) {
    await mark.field(`Mark for ${criterion}, out of 10`).fill(score);
    await mark.field(`Comment on ${criterion}`).fill(`What the account shows of ${criterion.toLowerCase()}.`);
  }
  await mark.field('Overall comment').fill('A clear account of one change, honestly evaluated.');
  await mark.press('Submit the marks');
  await list.verifyOnPage();
  await list.expectToSee(`Your marks for ${candidate} are submitted: a pass, 23 marks.`);
  await expect(asa.getByRole('row').filter({ hasText: candidate })).toContainText('Submitted: pass (23 of 40)');
  await list.expectAccessible();
  await asa.getByRole('link', { name: candidate }).click();
  await mark.expectToSee('Your marks, submitted');
  await expect(asa.getByRole('button', { name: 'Submit the marks' })).toHaveCount(0);
  await mark.expectAccessible();
});
