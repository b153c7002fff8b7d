import { expect, type Page, test } from '@playwright/test';
import { DEMO_PASSWORD, SEED_STATEMENTS, SELF_STATEMENTS } from './support/diagnostic';
import { expectAccessible } from './support/axe';
import { emailedLink } from './support/outbox';

test.setTimeout(360_000);


/** Rates every statement with the given choice. */
async function rateAll(page: Page, choice: string, statements = SEED_STATEMENTS) {
  for (const statement of statements) await page.getByRole('group', { name: statement }).getByLabel(choice, { exact: true }).check();
}

/** At a phone's width the page itself never scrolls sideways: wide tables scroll inside themselves. */
async function expectNoSidewaysScroll(page: Page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

test('a participant rates themself and asks colleagues, who answer by link on a phone; the report shows groups only when enough answered', async ({ page, browser }) => {
  await page.goto('/sign-in');
  await page.getByLabel('Email address').fill('participant@demo.npq.test');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Your 360° leadership diagnostic' }).click();
  await expect(page.getByRole('heading', { name: 'Your 360° leadership diagnostic' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: 'Start of the programme' }).click();
  await expect(page.getByRole('heading', { name: 'Start of the programme' })).toBeVisible();
  await expectAccessible(page);

  // Rate yourself, in words that speak to you: a gap is pointed out, what was chosen is kept.
  await page.getByRole('button', { name: 'Rate yourself' }).click();
  await expect(page.getByRole('heading', { name: 'Rate yourself' })).toBeVisible();
  await expect(page.getByText('this person')).toHaveCount(0);
  await expectAccessible(page);
  await rateAll(page, 'Usually', SELF_STATEMENTS);
  await page.getByRole('group', { name: SELF_STATEMENTS[0]! }).getByLabel('Always').check();
  await page.getByRole('group', { name: SELF_STATEMENTS[5]! }).getByLabel('Not able to say').check();
  await page.getByRole('button', { name: 'Save and come back later' }).click();
  await expect(page.getByText('Your ratings are saved.')).toBeVisible();
  await expect(page.getByRole('group', { name: SELF_STATEMENTS[0]! }).getByLabel('Always')).toBeChecked();
  await page.getByRole('button', { name: 'Send my ratings' }).click();
  await expect(page.getByText('Your ratings are sent.')).toBeVisible();

  // Ask colleagues, with one mistake.
  await page.getByLabel('Their name').fill('Priti Peer');
  await page.getByLabel('Their work email address').fill('priti@');
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter an email address in the correct format');
  await expect(page.getByRole('alert')).toContainText('Select how they work with you');
  await expect(page.getByLabel('Their name')).toHaveValue('Priti Peer');
  await expectAccessible(page);
  for (const [name, email] of [['Priti Peer', 'priti@school.test'], ['Paul Peer', 'paul@school.test'], ['Pam Peer', 'pam@school.test']]) {
    await page.getByLabel('Their name').fill(name!);
    await page.getByLabel('Their work email address').fill(email!);
    await page.getByLabel('Peer', { exact: true }).check();
    await page.getByRole('button', { name: 'Send the request' }).click();
    await expect(page.getByText(`We have asked ${name}.`)).toBeVisible();
  }
  await page.getByLabel('Their name').fill('Lou Lead');
  await page.getByLabel('Their work email address').fill('lou@school.test');
  await page.getByLabel('Line manager', { exact: true }).check();
  await page.getByRole('button', { name: 'Send the request' }).click();
  await expect(page.getByText('Fewer than 3: their answers will be shown only with other small groups')).toBeVisible();

  // Colleagues answer on a phone, one without JavaScript; one saves and comes back.
  const phone = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true };
  for (const [i, email] of ['priti@school.test', 'paul@school.test', 'pam@school.test', 'lou@school.test'].entries()) {
    const link = await emailedLink(browser, email, '/rate');
    const context = await browser.newContext({ ...phone, javaScriptEnabled: i !== 1 });
    const rater = await context.newPage();
    await rater.goto(link);
    await expect(rater.getByRole('heading', { name: 'Rate Pat Participant’s leadership' })).toBeVisible();
    if (i !== 1) await expectAccessible(rater);
    await rateAll(rater, i === 3 ? 'Sometimes' : 'Often');
    if (i === 0) {
      await rater.getByRole('button', { name: 'Save and come back later' }).click();
      await expect(rater.getByText('Your answers are saved.')).toBeVisible();
      await rater.goto(link);
      await expect(rater.getByRole('group', { name: SEED_STATEMENTS[3]! }).getByLabel('Often')).toBeChecked();
      await rater.getByLabel('What does this person do that you would like them to keep doing? (optional)').fill('Listens before deciding.');
    }
    // A question's comments are shown once at least three colleagues wrote one (ADR 0013).
    if (i >= 2) await rater.getByLabel('What does this person do that you would like them to keep doing? (optional)').fill(i === 2 ? 'Keeps meetings short.' : 'Thanks people by name.');
    await rater.getByRole('button', { name: 'Send my answers' }).click();
    await expect(rater.getByRole('heading', { name: 'Thank you' })).toBeVisible();
    await context.close();
  }

  // While open, the participant sees a total, never which group answered.
  await page.reload();
  await expect(page.getByText('4 colleagues have answered so far')).toBeVisible();

  // The admin closes the round early, after a page that says what will happen, so the report opens.
  const staff = await browser.newContext({ storageState: 'test-results/.auth/admin.json' });
  const admin = await staff.newPage();
  await admin.goto('/admin/diagnostic/cohorts/2026a');
  await expectAccessible(admin);
  await admin.getByRole('button', { name: 'Close now for Pat Participant' }).click();
  await expect(admin.getByRole('heading', { name: 'Close Pat Participant’s start round now?' })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole('link', { name: 'Cancel' }).click();
  await expect(admin.getByRole('heading', { name: 'Cohort 2026a' })).toBeVisible();
  await admin.getByRole('button', { name: 'Close now for Pat Participant' }).click();
  await admin.getByRole('button', { name: 'Close the round now' }).click();
  await expect(admin.getByText('The round is closed')).toBeVisible();
  await admin.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(admin);
  await staff.close();

  await page.goto('/diagnostic');
  await page.getByRole('link', { name: 'Start of the programme' }).click();
  await page.getByRole('button', { name: 'Read your report' }).click();
  await expect(page.getByRole('heading', { name: 'Start of the programme' })).toBeVisible();
  await expect(page.getByRole('img', { name: /Radar chart/ })).toBeVisible();
  // Three peers and a lone line manager: four together, never the line manager alone.
  await expect(page.getByRole('columnheader', { name: 'Other colleagues (4)' })).toBeVisible();
  await expect(page.getByText('Listens before deciding.')).toBeVisible();
  await expect(page.getByText('Keeps meetings short.')).toBeVisible();
  await expect(page.getByText('Produced on')).toBeVisible();
  await expectAccessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectNoSidewaysScroll(page);
  await expect(page.getByRole('region', { name: 'Per behaviour: you, your colleagues, and each group shown' })).toBeVisible();
});
