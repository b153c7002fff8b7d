import { test } from '@playwright/test';
import { applyFor, YourApplicationsPage } from './pages/apply.page';
import { signInAs } from './pages/sign-in.page';
import { StepPage } from './pages/step.page';

// axe needs JavaScript in the page, so it checks these pages in the other journeys instead.
test.use({ javaScriptEnabled: false });

test('given no JavaScript, when an applicant starts an application, searches for their school and makes a mistake, then they are told what is wrong, and can delete what they started', async ({ page }) => {
  // Given the demo participant, signed in
  await signInAs(page, 'participant');

  // When they start an application with a TRN that is not one
  const details = await applyFor(page, 'npq-leading-behaviour-culture');
  await details.answer('Teacher reference number (TRN)', 'abc');
  await details.continue();
  await details.expectErrors('Enter your teacher reference number as 7 digits');

  // Then, put right, the journey goes on, the school search too
  await details.answer('Teacher reference number (TRN)', '3456712');
  await details.continue();
  const england = new StepPage(page, 'Do you work in England?');
  await england.choose('Yes');
  await england.continue();
  const where = new StepPage(page, 'Where do you work?');
  await where.choose('An academy trust');
  await where.continue();
  const school = new StepPage(page, 'Which school, college or nursery do you work in?');
  await school.findSchool('PL1', 'Harbour View Academy');
  await school.continue();
  await new StepPage(page, 'What is your job?').verifyOnPage();

  // And the unsent application can be deleted
  const applications = await new YourApplicationsPage(page).open();
  await applications.expectUnsentApplication();
  await applications.deleteUnsentApplication();
});
