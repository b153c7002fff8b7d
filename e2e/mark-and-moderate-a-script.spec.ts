import { expect, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';
import { onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given three early Task 1 accounts in the demo, when the admin allocates them evenly, the assessor marks one blind, and the admin draws the moderation sample, then the moderator second-marks it blind, sees both and adjusts it', async ({ browser }) => {
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

  // The sample: Asa is a new assessor, so their first scripts are taken.
  await admin.goto('/assessment/allocation');
  await admin.getByRole('link', { name: 'Moderation: the sample, its rules and agreement' }).click();
  const moderation = await onPage(admin, 'Moderation');
  await moderation.expectAccessible();
  await moderation.press('Draw the sample');
  await moderation.expectToSee(/sampled for moderation; the rest keep their first marks\./);
  await expect(admin.getByRole('row').filter({ hasText: candidate })).toContainText('Second marking');
  await moderation.expectAccessible();

  const moe = await (await browser.newContext()).newPage();
  await signInAs(moe, 'moderator');
  await moe.getByRole('link', { name: 'Moderation', exact: true }).click();
  const toModerate = await onPage(moe, 'Your scripts to moderate');
  await toModerate.expectAccessible();
  await moe.getByRole('link', { name: candidate }).click();
  const second = await onPage(moe, `Candidate ${candidate}`);
  await second.expectAccessible();
  // Blind to the first marks until the moderator's own are in.
  await expect(moe.locator('main')).not.toContainText('A diagnosis drawn from the school’s own fluency data.');
  for (const [criterion, score] of [['Designing the change', '7'], ['Leading the change', '7'], ['Evaluating the impact', '6'], ['Reflecting on leadership', '5']] as const) {
    await second.field(`Mark for ${criterion}, out of 10`).fill(score);
    await second.field(`Comment on ${criterion}`).fill(`The moderator on ${criterion.toLowerCase()}.`);
  }
  await second.field('Overall comment').fill('Stronger on leading the change than the first marks allow.');
  await second.press('Submit the marks');
  await second.expectToSee(`Your marks for ${candidate} are submitted: 25 marks. Compare them with the assessor’s below, and decide.`);
  await expect(moe.locator('main')).toContainText('A diagnosis drawn from the school’s own fluency data.');
  await second.expectAccessible();
  await second.press('Save the decision');
  await second.expectErrors('Choose whether you agree, adjust the marks to yours, or send the script back');
  await second.expectAccessible();
  await moe.getByLabel('Adjust: your 25 (pass) stands').check();
  await second.press('Save the decision');
  await toModerate.verifyOnPage();
  await toModerate.expectToSee(`${candidate} is decided: 25 marks, a pass.`);
  await expect(moe.getByRole('row').filter({ hasText: candidate })).toContainText('Decided');

  await admin.goto('/assessment/moderation/agreement');
  const agreement = await onPage(admin, 'Agreement between assessors and moderation');
  await expect(admin.getByRole('table', { name: 'By assessor' }).getByRole('row').filter({ hasText: 'Asa Assessor' })).toContainText('+2.0');
  await agreement.expectAccessible();
});
