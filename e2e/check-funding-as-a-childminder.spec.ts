import { test } from '@playwright/test';
import { FundingCheckAnswersPage } from './pages/funding.page';
import { StepPage } from './pages/step.page';

test('given a childminder, when they give their Ofsted URN as Ofsted writes it, then the checker takes it', async ({ page }) => {
  // Given the checker's first question, for an early years NPQ in a childcare setting
  await page.goto('/funding/start-date');
  const start = new StepPage(page, 'When do you want to start?');
  await start.choose('In 2026 to 2027 (cohort 2026a)');
  await start.continue();
  const npq = new StepPage(page, 'Which NPQ do you want to take?');
  await npq.choose(/Early Years Leadership/);
  await npq.continue();
  const england = new StepPage(page, 'Do you work in England?');
  await england.choose('Yes');
  await england.continue();
  const where = new StepPage(page, 'Where do you work?');
  await where.choose('An early years or childcare setting');
  await where.continue();
  const setting = new StepPage(page, 'What kind of early years setting do you work in?');
  await setting.choose('I am a childminder');
  await setting.continue();

  // When they give a URN that is not one, they are told what one looks like
  const urn = await new StepPage(page, 'What is your Ofsted unique reference number (URN)?').verifyOnPage();
  await urn.answer('Ofsted URN', 'EY12');
  await urn.continue();
  await urn.expectErrors('Enter an Ofsted URN as 6 or 7 digits, or EY or CA followed by 6 digits');
  await urn.expectAccessible();

  // Then one with spaces around it is taken, and DfE funds the NPQ
  await urn.answer('Ofsted URN', ' 600001 ');
  await urn.continue();
  await new FundingCheckAnswersPage(page).seeTheResult('DfE will fund your NPQ');
});
