import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { ADMIN_STATE } from './pages/people';
import { onPage } from './pages/programme.page';
import { signInAs } from './pages/sign-in.page';
import { aPdf } from '../src/testing/documents';

test.setTimeout(240_000);

const PLAN = aPdf('Staff meeting plan, final');

test('given the demo participant and their tutor, when the participant reads the tutor’s answer, is told what is wrong with an empty message and a false file, and sends the message with its file without JavaScript, then the tutor sees it new, downloads the file and answers, and the outbox holds emails that never say what was written', async ({ browser }) => {
  // Given Pat opens their messages from their programme: Cora's answer is new.
  const patWithScripts = await (await browser.newContext()).newPage();
  await signInAs(patWithScripts, 'participant');
  await patWithScripts.goto('/programme');
  await patWithScripts.getByRole('link', { name: 'Messages with your personal tutor and facilitator' }).first().click();
  const mine = await onPage(patWithScripts, 'Messages with your tutor and facilitator');
  await mine.expectToSee(/Read by you and Cora Coach, personal tutor/);
  await expect(patWithScripts.locator('[data-message]').filter({ hasText: 'Twenty minutes for questions is tight' })).toContainText('New');
  await mine.expectAccessible();
  const messagesUrl = patWithScripts.url();

  // When they send nothing, they are told; then a file that is not what its name says is refused, and the words stay.
  await mine.press('Send the message');
  await mine.expectErrors('Enter your message, or choose a file to send');
  await mine.expectAccessible();
  await mine.field('Your message to Cora Coach (personal tutor)').fill('Here is the final plan, with thirty minutes for questions.');
  await mine.field('Attach a file (optional)').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ not a PDF') });
  await mine.press('Send the message');
  await mine.expectErrors('“plan.pdf” is not a PDF, Word, PowerPoint, Excel, PNG image or JPEG image file');
  await expect(mine.field('Your message to Cora Coach (personal tutor)')).toHaveValue('Here is the final plan, with thirty minutes for questions.');

  // …and, without JavaScript, sends it with the right file.
  const pat = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signInAs(pat, 'participant');
  await pat.goto(messagesUrl);
  const plain = await onPage(pat, 'Messages with your tutor and facilitator');
  await plain.field('Your message to Cora Coach (personal tutor)').fill('Here is the final plan, with thirty minutes for questions.');
  await plain.field('Attach a file (optional)').setInputFiles({ name: 'Staff meeting plan.pdf', mimeType: 'application/pdf', buffer: PLAN });
  await plain.press('Send the message');
  await plain.expectToSee('Your message is sent.');
  await expect(pat.locator('[data-message]').last()).toContainText('Here is the final plan');
  await expect(pat.locator('[data-message]').last()).toContainText('Staff meeting plan.pdf');

  // Then Cora finds Pat first among their conversations, with a message not read, opens it and downloads the plan.
  const cora = await (await browser.newContext({ acceptDownloads: true })).newPage();
  await signInAs(cora, 'coach');
  await cora.getByRole('link', { name: 'Messages', exact: true }).click();
  const inbox = await onPage(cora, 'Your messages');
  await expect(cora.getByRole('table', { name: 'Conversations' }).getByRole('row').nth(1)).toContainText('Pat Participant');
  await expect(cora.getByRole('table', { name: 'Conversations' }).getByRole('row').nth(1)).toContainText('1 new');
  await inbox.expectAccessible();
  await cora.getByRole('link', { name: 'Pat Participant' }).click();
  const conversation = await onPage(cora, 'Messages with Pat Participant');
  await conversation.expectToSee('New messages');
  await conversation.expectAccessible();
  const [download] = await Promise.all([cora.waitForEvent('download'), cora.getByRole('link', { name: 'Staff meeting plan.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('Staff meeting plan.pdf');
  expect((await readFile(await download.path())).equals(PLAN)).toBe(true);

  // …answers, by keyboard alone…
  await conversation.field('Your message to Pat Participant').focus();
  await cora.keyboard.type('That reads well. Share it with the deputy.');
  await cora.getByRole('button', { name: 'Send the message' }).focus();
  await cora.keyboard.press('Enter');
  await conversation.expectToSee('Your message is sent.');

  // …and Pat reads it. The outbox holds an email telling each that a message waits, never its words.
  await pat.reload();
  await expect(pat.locator('[data-message]').last()).toContainText('That reads well.');
  const admin = await (await browser.newContext({ storageState: ADMIN_STATE })).newPage();
  await admin.goto('/admin/outbox');
  await expect(admin.getByText('New message about Pat Participant').first()).toBeVisible();
  await expect(admin.getByText('final plan')).toHaveCount(0);
});
