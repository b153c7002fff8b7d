import { expect, test } from '@playwright/test';
import { DiagnosticCohortPage, DiagnosticPage, expectNoSidewaysScroll, RaterPage } from './pages/diagnostic.page';
import { emailedLink } from './pages/outbox.page';
import { ADMIN_STATE } from './pages/people';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(360_000);

test('given a participant’s start round, when they rate themself and ask colleagues, who answer by link on a phone, then the report shows groups only when enough answered', async ({ page, browser }) => {
  // Given the demo participant's diagnostic, reached from their home page
  const home = await signInAs(page, 'participant');
  await home.follow('Your 360° leadership diagnostic');
  const diagnostic = await new DiagnosticPage(page).verifyOnPage();
  await diagnostic.expectAccessible();
  const round = await diagnostic.openRound('Start of the programme');
  await round.expectAccessible();

  // Rate yourself, in words that speak to you: a gap is pointed out, what was chosen is kept.
  const self = await round.rateYourself();
  await expect(page.getByText('this person')).toHaveCount(0);
  await self.expectAccessible();
  await self.rateAll('Usually');
  await self.rate(0, 'Always');
  await self.rate(5, 'Not able to say');
  await self.saveAndComeBackLater();
  await self.expectRated(0, 'Always');
  await self.send();

  // When they ask colleagues, with one mistake.
  await round.askColleague({ name: 'Priti Peer', email: 'priti@' });
  await round.expectErrors('Enter an email address in the correct format', 'Select how they work with you');
  await expect(round.field('Their name')).toHaveValue('Priti Peer');
  await round.expectAccessible();
  for (const [name, email] of [['Priti Peer', 'priti@school.test'], ['Paul Peer', 'paul@school.test'], ['Pam Peer', 'pam@school.test']] as const) {
    await round.askColleague({ name, email, group: 'Peer' });
    await round.expectToSee(`We have asked ${name}.`);
  }
  await round.askColleague({ name: 'Lou Lead', email: 'lou@school.test', group: 'Line manager' });
  await round.expectToSee('Fewer than 3: their answers will be shown only with other small groups');

  // …and colleagues answer on a phone, one without JavaScript; one saves and comes back.
  const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
  for (const [i, email] of ['priti@school.test', 'paul@school.test', 'pam@school.test', 'lou@school.test'].entries()) {
    const link = await emailedLink(browser, email, '/rate');
    const context = await browser.newContext({ ...phone, javaScriptEnabled: i !== 1 });
    const rater = await (await new RaterPage(await context.newPage(), 'Pat Participant').openAt(link)).verifyOnPage();
    if (i !== 1) await rater.expectAccessible();
    await rater.rateAll(i === 3 ? 'Sometimes' : 'Often');
    if (i === 0) {
      await rater.saveAndComeBackLater();
      await rater.openAt(link);
      await rater.expectRated(3, 'Often');
      await rater.keepDoing('Listens before deciding.');
    }
    // A question's comments are shown once at least three colleagues wrote one (ADR 0013).
    if (i >= 2) await rater.keepDoing(i === 2 ? 'Keeps meetings short.' : 'Thanks people by name.');
    await rater.send();
    await context.close();
  }

  // While open, the participant sees a total, never which group answered.
  await page.reload();
  await round.expectToSee('4 colleagues have answered so far');

  // The admin closes the round early, after a page that says what will happen, so the report opens.
  const staff = await browser.newContext({ storageState: ADMIN_STATE });
  const cohort = await new DiagnosticCohortPage(await staff.newPage(), '2026a').open();
  await cohort.expectAccessible();
  const closing = await cohort.closeNowFor('Pat Participant');
  await closing.expectAccessible();
  await closing.cancel();
  await cohort.verifyOnPage();
  await (await cohort.closeNowFor('Pat Participant')).closeTheRoundNow();
  await cohort.page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(cohort.page);
  await staff.close();

  // Then the report shows three peers and a lone line manager as four together, never the line manager alone.
  await diagnostic.open();
  const report = await (await diagnostic.openRound('Start of the programme')).readYourReport();
  await expect(page.getByRole('img', { name: /Radar chart/ })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Other colleagues (4)' })).toBeVisible();
  await report.expectToSee('Listens before deciding.');
  await report.expectToSee('Keeps meetings short.');
  await report.expectToSee('Produced on');
  await report.expectAccessible();
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole('region', { name: 'Per behaviour: you, your colleagues, and each group shown' })).toBeVisible();
});
