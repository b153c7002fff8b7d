import { test } from '@playwright/test';
import { ChooseNpqOfInterestPage, RegisterInterestPage } from './pages/interest.page';

test('given a teacher has not chosen an NPQ, when they register interest, then they choose it first', async ({ page }) => {
  // Given the interest form reached without an NPQ
  const choose = await (await new ChooseNpqOfInterestPage(page).open()).verifyOnPage();

  // When they continue without choosing, they are asked to
  await choose.choose();
  await choose.expectErrors('Select the NPQ you are interested in');
  await choose.expectAccessible();

  // Then, once chosen, the form is that NPQ's
  await choose.choose(/Senior Leadership \(NPQSL\)/);
  await new RegisterInterestPage(page, 'NPQSL').verifyOnPage();
});
