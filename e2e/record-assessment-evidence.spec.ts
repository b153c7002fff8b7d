import { expect, test } from '@playwright/test';
import { emailedLink } from './pages/outbox.page';
import { fillDate, onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';
import { workingDaysIn } from '../src/assessment/domain/working-days';

test.setTimeout(240_000);

/** A day some days before today (UK date), so a day logged is always in the past whenever this runs. */
function daysAgo(n: number): string {
  const d = new Date(Date.now() - n * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** The `weekday` (1 Monday … 5 Friday) of the week `weeksAgo` weeks before this one, as a UK date. */
function weekdayOf(weeksAgo: number, weekday: number): string {
  const d = new Date(Date.now() - weeksAgo * 7 * 86_400_000);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + weekday - 1);
  return d.toISOString().slice(0, 10);
}

test('given Pat on NPQH, when they log project time, record a placement of nine working days over two stretches (one across a weekend) that the host confirms by link, and a board presentation whose clerk gives feedback by link, then their assessment shows it all', async ({ browser }) => {
  const pat = await (await browser.newContext()).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  await pat.getByRole('link', { name: /Your assessment/ }).first().click();
  const overview = await onPage(pat, 'Your assessment');
  await overview.expectAccessible();
  await expect(pat.getByRole('heading', { name: 'Task 2: a placement in a contrasting school' })).toBeVisible();
  await expect(pat.getByText(/Pass your final assessment by \d+ \w+ 20\d\d: 18 months from the start of your NPQ/)).toBeVisible();

  // The project log: a mistake is told next to the field, what was typed kept; then logged.
  await pat.getByRole('link', { name: 'Log time on your project' }).click();
  const log = await onPage(pat, 'Your project log');
  await log.expectAccessible();
  await fillDate(pat, 'When did you work on it?', daysAgo(2));
  await log.field('Hours').fill('14');
  await log.field('What did you do, and what did you learn?').fill('Met the English lead to plan the reading intervention; agreed the baseline test.');
  await log.press('Log this time');
  await log.expectErrors('One entry can be at most 12 hours: log each day separately');
  await expect(log.field('What did you do, and what did you learn?')).toHaveValue('Met the English lead to plan the reading intervention; agreed the baseline test.');
  await log.expectAccessible();
  await log.field('Hours').fill('2');
  await log.field('Minutes').fill('15');
  await log.press('Log this time');
  await log.expectToSee('Your time is logged.');
  await expect(pat.getByText(/You have logged \d+ hours? 15 minutes on your in-school project\./)).toBeVisible();

  // The placement: found by search, chosen, the contrast and the host's contact given.
  await pat.getByRole('link', { name: 'Your assessment' }).click();
  await pat.getByRole('link', { name: /Record placement/ }).click();
  const placement = await onPage(pat, 'Your placement');
  await placement.expectAccessible();
  await placement.field('Find the school by name, town, postcode or URN').fill('Oakfield');
  await placement.press('Search');
  await pat.getByLabel('Oakfield Primary School').check();
  await pat.getByLabel(/Pupil profile/).check();
  await pat.getByLabel(/Geography/).check();
  await placement.field('Your contact at the school').fill('Hana Host');
  await placement.field('Their email address').fill('hana.host@oakfield.test');
  await placement.press('Save the placement school');
  await placement.expectToSee('The placement school is saved. Now record the days you spend there.');
  await placement.expectAccessible();
  // A week five weeks ago, Monday to Friday; then two weeks ago from Thursday to the next Tuesday, the weekend between not counted.
  // (Bank holidays are left out as well: the service test shows it across the August bank holiday, on a frozen clock.)
  await fillDate(pat, 'First day', weekdayOf(5, 1));
  await fillDate(pat, /Last day/, weekdayOf(5, 5));
  await placement.press('Record these days');
  const first = workingDaysIn(weekdayOf(5, 1), weekdayOf(5, 5)).length;
  await placement.expectToSee(`${first} working days recorded. Ask your host to confirm them when you are ready.`);
  await fillDate(pat, 'First day', weekdayOf(2, 4));
  await fillDate(pat, /Last day/, weekdayOf(1, 2));
  await placement.press('Record these days');
  const second = workingDaysIn(weekdayOf(2, 4), weekdayOf(1, 2)).length;
  await placement.expectToSee(`${second} working days recorded. Ask your host to confirm them when you are ready.`);
  const days = first + second;
  await placement.expectToSee(`${days} working days recorded; 0 confirmed by your host. At least 9 must be confirmed.`);
  // The same days again are refused, said next to the field.
  await fillDate(pat, 'First day', weekdayOf(5, 3));
  await placement.press('Record these days');
  await placement.expectErrors('You have already recorded');
  await placement.expectAccessible();
  await placement.press('Ask Hana Host to confirm your days');
  await placement.expectToSee(`We have emailed your host to confirm ${days} working days. Their link works for 30 days.`);
  await placement.expectAccessible();

  // The host, with no account, confirms the days by the emailed link.
  const hostLink = await emailedLink(browser, 'hana.host@oakfield.test', '/placement-days');
  const host = await (await browser.newContext()).newPage();
  await host.goto(hostLink);
  const confirm = await onPage(host, 'Confirm Pat Participant’s placement days');
  await confirm.expectAccessible();
  await expect(host.getByRole('main').getByRole('listitem')).toHaveCount(days);
  await host.getByLabel('Yes, they spent these days with us').check();
  await confirm.press('Send your answer');
  await (await onPage(host, 'Thank you')).expectToSee('You have confirmed the placement days. We have told the participant.');

  await pat.reload();
  await placement.expectToSee(`${days} working days recorded; ${days} confirmed by your host. At least 9 must be confirmed.`);

  // A board presentation: the clerk gives the board's feedback by link.
  await pat.getByRole('link', { name: 'Your assessment' }).click();
  await pat.getByRole('link', { name: /Record a board presentation for Task 1/ }).click();
  const board = await onPage(pat, 'Governing board presentations');
  await board.expectAccessible();
  await pat.getByLabel('Task 1: a whole-school change programme').check();
  await fillDate(pat, 'When did you present?', daysAgo(7));
  await board.field('The governing board').fill('Governing board of Riverside Academy');
  await pat.getByLabel('The chair or clerk gives it by an emailed link').check();
  await board.field('Their name').fill('Colin Clerk');
  await board.field('Their email address').fill('colin.clerk@riverside.test');
  await board.press('Record the presentation');
  await board.expectErrors('Select whether they are the chair or the clerk');
  await expect(board.field('Their email address')).toHaveValue('colin.clerk@riverside.test');
  await board.expectAccessible();
  await pat.getByLabel('Clerk', { exact: true }).check();
  await board.press('Record the presentation');
  await board.expectToSee('The presentation is recorded, and we have emailed the board’s link.');

  const clerkLink = await emailedLink(browser, 'colin.clerk@riverside.test', '/board-feedback');
  const clerk = await (await browser.newContext()).newPage();
  await clerk.goto(clerkLink);
  const feedback = await onPage(clerk, 'The board’s feedback on Pat Participant’s plan');
  await feedback.expectAccessible();
  await feedback.field('The board’s feedback on the plan').fill('The board supports the plan and asks for a report at the summer meeting.');
  await feedback.press('Send the board’s feedback');
  await (await onPage(clerk, 'Thank you')).expectToSee('The board’s feedback is sent. We have told the participant.');

  await pat.reload();
  await board.expectToSee('The board supports the plan and asks for a report at the summer meeting.');
  await pat.getByRole('link', { name: 'Your assessment' }).click();
  await overview.expectToSee(`Oakfield Primary School: ${days} of 9 working days confirmed by the host (${days} recorded)`);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('given Pat, without JavaScript, when they log time and then remove the entry by mistake, then they put it back', async ({ page }) => {
    await signInAs(page, 'participant');
    await page.goto('/programme');
    await page.getByRole('link', { name: /Your assessment/ }).first().click();
    await page.getByRole('link', { name: 'Log time on your project' }).click();
    const log = await onPage(page, 'Your project log');
    await fillDate(page, 'When did you work on it?', daysAgo(3));
    await log.field('Hours').fill('1');
    await log.field('What did you do, and what did you learn?').fill('Observed two reading lessons without JavaScript.');
    await log.press('Log this time');
    await log.expectToSee('Your time is logged.');
    await page.getByRole('link', { name: /Change the entry of/ }).first().click();
    const entry = await onPage(page, 'Change a log entry');
    await entry.press('Remove this entry');
    await log.expectToSee(/The entry is removed. You can put it back within 7 days./);
    await page.getByRole('button', { name: /Put back the entry of/ }).first().click();
    await log.expectToSee('The entry is back in your log.');
    await log.expectToSee('Observed two reading lessons without JavaScript.');
  });
});
