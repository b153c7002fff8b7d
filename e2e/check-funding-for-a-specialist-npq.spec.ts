import { expect, test } from '@playwright/test';
import { LandingPage } from './pages/catalogue.page';
import { FundingCheckAnswersPage } from './pages/funding.page';
import { StepPage } from './pages/step.page';

test('given a school off the PP50 lists, when a teacher checks funding for a specialist NPQ, then they are told why not, and funded at the school next door', async ({ page }) => {
  // Given the funding checker, reached from the front page
  const checker = await (await new LandingPage(page).open()).checkFunding();
  await checker.expectAccessible();

  // When they answer, with a mistake on the way
  const start = await checker.startNow();
  await start.continue();
  await start.expectErrors('Select when you want to start');
  await start.expectAccessible();
  await start.choose('In 2026 to 2027 (cohort 2026a)');
  await start.continue();

  const npq = new StepPage(page, 'Which NPQ do you want to take?');
  await npq.choose(/Leading Teaching \(NPQLT\)/);
  await npq.continue();
  const england = new StepPage(page, 'Do you work in England?');
  await england.choose('Yes');
  await england.continue();
  const where = new StepPage(page, 'Where do you work?');
  await where.expectAccessible();
  await where.choose('A school', { exact: true });
  await where.continue();

  const school = new StepPage(page, 'Which school, college or nursery do you work in?');
  await school.answer('Search by name, town, postcode or URN', 'birmingham');
  await school.press('Search');
  await school.expectAccessible();
  await school.choose('Oakfield Primary School');
  await school.continue();

  // Nothing that names a person is asked: the answer comes from DfE's rules and lists alone.
  const answers = await new FundingCheckAnswersPage(page).verifyOnPage();
  await expect(page.getByText(/teacher reference number/i)).toHaveCount(0);
  await answers.expectAccessible();

  // Then DfE will not fund it, and the page says why
  const refused = await answers.seeTheResult('DfE will not fund this NPQ for you');
  await refused.expectToSee('PP50 lists');
  await refused.expectAccessible();

  // And at the school next door, on the PP50 list, it will
  const again = await refused.changeYourAnswers();
  await again.follow('Change school');
  await school.findSchool('140002', 'Riverside Academy');
  await school.continue();
  const funded = await answers.seeTheResult('DfE will fund your NPQ');
  await funded.expectAccessible();
});
