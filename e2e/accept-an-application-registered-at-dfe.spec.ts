import { expect, test } from '@playwright/test';
import { ApplicationsInboxPage } from './pages/admin.page';
import { SchoolApprovalPage } from './pages/apply.page';
import { emailedLink } from './pages/outbox.page';
import { expectAccessible } from './pages/page-object';
import { ADMIN_STATE } from './pages/people';

test('given Ben Whitaker registered at DfE (the demo’s stand-in), when the admin asks his school to approve, after a mistake, his head approves by the emailed link and the admin accepts him with a funded place, then DfE has the acceptance', async ({ browser }) => {
  const staff = await browser.newContext({ storageState: ADMIN_STATE });
  const admin = await staff.newPage();
  const inbox = await new ApplicationsInboxPage(admin).open();
  await inbox.search('Whitaker');
  const application = await inbox.openApplication('Ben Whitaker');
  await application.expectToSee(/DfE’s id .+; DfE showed it pending when last read/);
  // DfE's id for Ben's application, to find the call that accepts it among others the demo made.
  const dfeId = /DfE’s id ([0-9a-f-]{36})/.exec((await admin.getByText(/DfE’s id .+; DfE showed it pending when last read/).textContent()) ?? '')![1]!;
  await application.expectToSee(/No one has been asked to approve this application/);
  await application.expectAccessible();
  // The address is left out by mistake: the page says so, and keeps the name typed.
  await application.field('Line manager’s full name').fill('Priya Head');
  await application.press('Ask the school to approve');
  await application.expectErrors('Enter the line manager’s email address');
  await expect(application.field('Line manager’s full name')).toHaveValue('Priya Head');
  await application.expectAccessible();
  await application.field('Line manager’s work email address').fill('priya.head@school.test');
  await application.press('Ask the school to approve');
  await application.expectToSee('We have emailed Priya Head (priya.head@school.test) to approve Ben Whitaker’s application.');

  const school = await browser.newContext();
  const head = await new SchoolApprovalPage(await school.newPage(), 'Ben Whitaker').openAt(await emailedLink(browser, 'priya.head@school.test', '/school-approval'));
  await head.verifyOnPage();
  await head.approve('Ben has our support.');
  await school.close();

  await admin.reload();
  await application.expectToSee('Approved by Priya Head (priya.head@school.test)');
  await admin.getByRole('radio', { name: 'Yes' }).first().check();
  await application.acceptApplication();
  // DfE is told by a job after commit: the call shows on the DfE page once made.
  await expect(async () => {
    await admin.goto(`/admin/dfe?q=${dfeId}/accept`);
    await expect(admin.getByRole('heading', { name: `POST /api/v3/npq-applications/${dfeId}/accept` })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(admin.getByText('DfE has every decision and change of status sent to it.')).toBeVisible();
  await expectAccessible(admin);
  await staff.close();
});
