import { expect, test } from '@playwright/test';
import { onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given Pat attended the last online briefing, when they open its survey, forget the rating, then rate it and comment by keyboard, then the Midlands lead sees it among the classmates’ feedback per session and per facilitator, with comments', async ({ browser }) => {
  // Given Pat, on their programme, follows the link to their feedback.
  const pat = await (await browser.newContext()).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  await pat.getByRole('link', { name: /Your feedback/ }).first().click();
  const list = await onPage(pat, 'Your feedback');
  await list.expectAccessible();
  // When they open the briefing's survey and send it without a rating: told what to do, their comment kept.
  await pat.getByRole('link', { name: 'Support and guidance' }).click();
  const survey = await onPage(pat, 'Support and guidance');
  await survey.expectAccessible();
  await survey.field('What worked, and what would have made it better? (optional)').fill('Clear on where to get help. The recording came a day late.');
  await survey.press('Send your feedback');
  await survey.expectErrors('Select how good it was, or skip this survey');
  await expect(survey.field('What worked, and what would have made it better? (optional)')).toHaveValue('Clear on where to get help. The recording came a day late.');
  await survey.expectAccessible();
  // Then they choose "Good" by keyboard and send it.
  await pat.getByLabel('Very good').focus();
  await pat.keyboard.press('ArrowDown');
  await expect(pat.getByLabel('Good', { exact: true })).toBeChecked();
  await survey.press('Send your feedback');
  const sent = await onPage(pat, 'Your feedback');
  await sent.expectToSee('Thank you: your feedback is sent.');
  await expect(pat.getByRole('link', { name: 'Support and guidance' })).toHaveCount(0);

  // And the Midlands lead, from Engagement, reads the feedback per session and per facilitator.
  const lead = await (await browser.newContext()).newPage();
  await signInAs(lead, 'Midlands delivery partner lead');
  await lead.getByRole('link', { name: 'Engagement', exact: true }).click();
  await lead.getByRole('link', { name: 'Participants’ feedback' }).click();
  const results = await onPage(lead, 'Participants’ feedback');
  await results.expectAccessible();
  const briefing = lead.getByRole('row').filter({ hasText: 'Support and guidance, Autumn 2026' });
  await expect(briefing).toContainText('Event or briefing');
  await expect(briefing).toContainText(/\d\.\d out of 5/);
  await briefing.getByRole('link', { name: 'Support and guidance, Autumn 2026' }).click();
  const comments = await onPage(lead, 'Support and guidance, Autumn 2026');
  await comments.expectToSee('Clear on where to get help. The recording came a day late.');
  await comments.expectAccessible();
  await lead.goBack();
  await results.field('Results per').selectOption({ label: 'Facilitator or coach' });
  await results.press('Show');
  await expect(lead.getByRole('row').filter({ hasText: 'Fred Facilitator' })).toContainText(/\d\.\d out of 5/);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('given Pat, without JavaScript, when they skip one module’s survey and answer another’s, then each is done and leaves their list', async ({ page }) => {
    await signInAs(page, 'participant');
    await page.goto('/programme');
    await page.getByRole('link', { name: /Your feedback/ }).first().click();
    await onPage(page, 'Your feedback');
    const modules = page.getByRole('listitem').filter({ hasText: 'Online module' }).getByRole('link');
    expect(await modules.count()).toBeGreaterThanOrEqual(2);
    const [skipped, answered] = [await modules.nth(0).textContent(), await modules.nth(1).textContent()];
    await modules.nth(0).click();
    await (await onPage(page, skipped!.trim())).press('Skip this survey');
    await (await onPage(page, 'Your feedback')).expectToSee('Survey skipped. It will not be asked again.');
    await page.getByRole('link', { name: answered!.trim() }).click();
    const survey = await onPage(page, answered!.trim());
    await page.getByLabel('Very good').check();
    await survey.field('What worked, and what would have made it better? (optional)').fill('The video made it click.');
    await survey.press('Send your feedback');
    await (await onPage(page, 'Your feedback')).expectToSee('Thank you: your feedback is sent.');
    await expect(page.getByRole('link', { name: skipped!.trim() })).toHaveCount(0);
    await expect(page.getByRole('link', { name: answered!.trim() })).toHaveCount(0);
  });

  test('given the facilitator, when they open the feedback on what they led, then it works as a plain page, and shows only what three or more answered', async ({ page }) => {
    await signInAs(page, 'facilitator');
    await page.goto('/feedback');
    const results = await onPage(page, 'Participants’ feedback');
    await results.expectToSee('You see what you led, once at least 3 people have answered.');
    await expect(page.getByRole('row').filter({ hasText: 'Event 1: Induction, Autumn 2026' })).toContainText(/\d\.\d out of 5/);
    await expect(page.getByText('Support and guidance, Autumn 2026')).toHaveCount(0);
  });
});
