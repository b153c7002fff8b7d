import { expect, test } from '@playwright/test';
import { CoursePage } from './pages/catalogue.page';
import { InterestRegisteredPage } from './pages/interest.page';

test('given NPQH takes applications, when a teacher registers interest from its course page with a mistake and then without, then we have their interest', async ({ page }) => {
  // Given NPQH's course page
  const course = await new CoursePage(page, /Headship/).openAt('npq-headship');

  // When they follow "Register your interest": NPQH takes applications now, so the page says so and
  // links to apply, and offers only NPQH's intakes.
  const interest = await course.registerInterest('NPQH');
  await interest.expectApplicationsOpen('National Professional Qualification for Headship', 'npq-headship');
  await interest.expectAccessible();

  // A mistake keeps what was typed.
  await interest.register({ name: 'Robin Deputy', email: 'robin@' });
  await interest.expectErrors('Enter an email address in the correct format', 'Confirm that we may email you');
  await interest.verifyOnPage();
  await expect(interest.field('Full name')).toHaveValue('Robin Deputy');
  await interest.expectAccessible();

  await interest.register({ email: 'robin@school.test', firstIntake: true, consent: true });

  // Then we have their interest, and they may apply.
  const thanks = await new InterestRegisteredPage(page).verifyOnPage();
  await expect(page.getByRole('link', { name: 'apply for the NPQ' })).toBeVisible();
  await thanks.expectAccessible();
});
