import { expect, test } from '@playwright/test';
import { expectNoSidewaysScroll } from './pages/diagnostic.page';
import { onPage, ProgrammePage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given the demo NPQH intake, when the participant asks a question in their group’s module discussion and the facilitator answers it on a phone and pins guidance, then the participant reads both, and the facilitator finds their group and its register', async ({ browser }) => {
  // Given the participant, without JavaScript, opens the first module and asks a question.
  const pat = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(pat, 'participant');
  await pat.goto('/programme');
  const programme = await new ProgrammePage(pat).verifyOnPage();
  const module1 = await programme.openModule('Context for change & strategic development');
  await module1.press('Post to the discussion');
  await module1.expectErrors('Enter your post');
  await module1.field('Start a new thread').fill('Where do I find the case study? https://example.org/case-study');
  await module1.press('Post to the discussion');
  await module1.expectToSee('Your post is added to the discussion.');
  await expect(pat.getByRole('link', { name: 'https://example.org/case-study' })).toHaveAttribute('rel', 'nofollow ugc noopener noreferrer');

  // When the facilitator, on a phone, answers and pins guidance.
  const fred = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await signInAs(fred, 'facilitator');
  await fred.goto('/delivery');
  await fred.getByRole('link', { name: 'Autumn 2026' }).click();
  await fred.getByRole('link', { name: 'Discussion of Context for change & strategic development' }).click();
  const staff = await onPage(fred, 'Context for change & strategic development');
  await staff.expectAccessible();
  await expectNoSidewaysScroll(fred);
  await fred.getByText('Reply to Pat Participant', { exact: true }).click();
  await staff.field('Your reply to Pat Participant').fill('It is in the module’s second reading.');
  await staff.press('Send your reply');
  await staff.expectToSee('Your reply is posted.');
  await staff.field('Start a new thread').fill('Read both readings before Event 2.');
  await staff.press('Post to the discussion');
  await fred.getByRole('button', { name: /^Pin as guidance the post by Fiona|^Pin as guidance/ }).last().click();
  await staff.expectToSee('The post is pinned to the top as guidance.');
  await staff.expectAccessible();

  // The facilitator's group, on the phone: who is in it, and its own register for tomorrow's event.
  await fred.goto('/delivery');
  await fred.getByRole('link', { name: 'Autumn 2026' }).click();
  await fred.getByRole('link', { name: 'Groups and their facilitators' }).click();
  const groups = await onPage(fred, 'Groups');
  await expect(fred.getByRole('table', { name: 'Participants and their groups' })).toContainText('Pat ParticipantGroup A — Birmingham');
  await groups.expectAccessible();
  await expectNoSidewaysScroll(fred);
  await fred.goBack();
  await fred.getByRole('link', { name: 'Take the register for Event 2: Strategy & Improvement' }).click();
  await fred.getByRole('link', { name: /^Group A — Birmingham/ }).click();
  const register = await onPage(fred, 'Register: Event 2: Strategy & Improvement');
  await register.expectToSee('Showing Group A — Birmingham, led by Fred Facilitator.');
  await register.expectAccessible();

  // Then the participant reads the answer and the pinned guidance first; the page passes axe with JavaScript.
  await pat.reload();
  await expect(pat.locator('#discussion article').first()).toContainText('Read both readings before Event 2.');
  await expect(pat.locator('#discussion')).toContainText('It is in the module’s second reading.');
  const seen = await (await browser.newContext()).newPage();
  await signInAs(seen, 'participant');
  await seen.goto('/programme');
  await (await new ProgrammePage(seen).openModule('Context for change & strategic development')).expectAccessible();
});
