import { expect, test } from '@playwright/test';
import { ApplicationsInboxPage } from './pages/admin.page';
import { applyFor, CheckApplicationPage, SchoolApprovalPage } from './pages/apply.page';
import { HomePage } from './pages/home.page';
import { emailedLink } from './pages/outbox.page';
import { ADMIN_STATE } from './pages/people';
import { fillDate, onPage, ProgrammePage } from './pages/programme.page';
import { CheckYourEmailPage, CreatePasswordPage, SignInPage } from './pages/sign-in.page';

test.setTimeout(300_000);

test('given a teacher in Dubai, when an admin builds a short SENCO programme, she applies for its distance intake and is accepted, and the admin dates its event and briefing, then she sees both at her own time on each side of the clock change', async ({ page, browser }) => {
  // Given the admin builds a short programme for the NPQ for SENCOs, which has none.
  const staff = await browser.newContext({ storageState: ADMIN_STATE });
  const admin = await staff.newPage();
  await admin.goto('/admin/programmes');
  await admin.getByRole('link', { name: /Special Educational Needs Co-ordinators/ }).click();
  const editor = await onPage(admin, 'Build the programme');
  await editor.expectAccessible();
  const outline = editor.field('The programme, a line for each piece');
  await outline.fill(['Course: Leading SEND well', '  Module: The SENCO’s role (120 minutes)', '    Reading: The code of practice', 'Event: Live session: planning for SEND (120 minutes)', '  Agenda: The graduated approach', 'Briefing: Welcome (60)'].join('\n'));
  await editor.press('Save the programme');
  await editor.expectErrors('say how much guided learning the briefing is worth');
  await outline.fill((await outline.inputValue()).replace('(60)', '(60 minutes)'));
  await editor.press('Save the programme');
  await onPage(admin, 'Programme, version 1');

  // When a teacher creates an account and applies for the distance intake, from Dubai.
  await page.goto('/sign-in');
  const signIn = await new SignInPage(page).verifyOnPage();
  const account = await signIn.createAnAccount();
  await account.askFor({ name: 'Dina Haddad', email: 'dina.haddad@school.test' });
  await new CheckYourEmailPage(page).verifyOnPage();
  await (await new CreatePasswordPage(page).openAt(await emailedLink(browser, 'dina.haddad@school.test', '/invitations'))).choose('planning for every learner');
  await signIn.signInWith('dina.haddad@school.test', 'planning for every learner');
  await new HomePage(page).verifyOnPage();
  const details = await (await applyFor(page, 'npq-senco')).verifyOnPage();
  await details.answer('Teacher reference number (TRN)', '3456780');
  const inEngland = await details.continueTo('Do you work in England?');
  // She teaches in Dubai: the time zone is asked of those who do not work in England.
  await inEngland.choose('No');
  const job = await inEngland.continueTo('What is your job?');
  await job.answer('Job title', 'SENCO');
  const lineManager = await job.continueTo('Who is your line manager?');
  await lineManager.answer('Their full name', 'Harriet Head');
  await lineManager.answer('Their work email address', 'harriet.head@dubai-school.test');
  const study = await lineManager.continueTo('When and how do you want to study?');
  await study.choose(/^January 2027 \(distance\)/);
  const zone = await study.continueTo('Which time zone will you join live sessions from?');
  await zone.expectAccessible();
  await zone.choose(/Gulf \(Dubai/);
  const funding = await zone.continueTo('DfE will not fund this NPQ for you');
  await funding.choose('My school');
  const consent = await funding.continueTo('Sharing your details with DfE');
  await consent.choose('I agree that my details may be shared with DfE');
  await consent.continueTo('Check your answers before sending your application');
  const check = new CheckApplicationPage(page);
  await check.expectToSee(/Gulf \(Dubai/);
  await check.send('National Professional Qualification for Special Educational Needs Co-ordinators');

  // …her line manager approves, and the admin accepts her.
  const approval = await browser.newContext();
  const head = await new SchoolApprovalPage(await approval.newPage(), 'Dina Haddad').openAt(await emailedLink(browser, 'harriet.head@dubai-school.test', '/school-approval'));
  await head.approve('Dina leads SEND for our trust’s Dubai partnership school too.');
  await approval.close();
  const inbox = await new ApplicationsInboxPage(admin).open();
  await inbox.search('dina');
  const application = await inbox.openApplication('Dina Haddad');
  await application.acceptApplication();

  // …and the admin dates the live session after the clocks go forward and the briefing before, in UK time.
  await admin.goto('/delivery');
  await admin.getByRole('row', { name: /January 2027 \(distance\).*Special Educational Needs/ }).getByRole('link', { name: 'January 2027 (distance)' }).click();
  const plan = await onPage(admin, 'January 2027 (distance)');
  await plan.expectAccessible();
  await admin.getByRole('link', { name: 'Set Live session: planning for SEND' }).click();
  const event = await onPage(admin, 'Live session: planning for SEND');
  await fillDate(admin, 'Day of the live session', '2027-03-30');
  await event.field('Start time').fill('10:00');
  await event.field('End time').fill('12:00');
  await event.field('Join link').fill('meet.example.org/send');
  await event.press('Save');
  await event.expectErrors('Enter the join link as a web address that starts with https://');
  await expect(event.field('Start time')).toHaveValue('10:00');
  await event.field('Join link').fill('https://meet.example.org/send');
  await event.press('Save');
  await plan.expectToSee('The plan is saved.');
  await admin.getByRole('link', { name: 'Set Welcome' }).click();
  const briefing = await onPage(admin, 'Welcome');
  await fillDate(admin, 'Date', '2027-01-26');
  await briefing.field('Start time').fill('17:00');
  await briefing.field('End time').fill('18:00');
  await briefing.field('Join link').fill('https://meet.example.org/welcome');
  await briefing.press('Save');
  await plan.expectToSee('The plan is saved.');
  await staff.close();

  // Then she sees both in Gulf time: 10:00 BST is 13:00 in Dubai; 17:00 GMT is 21:00.
  await page.goto('/programme');
  const programme = await new ProgrammePage(page).verifyOnPage();
  await programme.expectAccessible();
  await programme.expectToSee(/Times are shown in Gulf \(Dubai/);
  const timetable = page.getByRole('table', { name: 'Your timetable' });
  await expect(timetable).toContainText('Tuesday 26 January 2027, 21:00 to 22:00');
  await expect(timetable).toContainText('Tuesday 30 March 2027, 13:00 to 15:00');
  const session = await programme.openSession('Live session: planning for SEND');
  await session.expectToSee(/Tuesday 30 March 2027, 13:00 to 15:00, Gulf \(Dubai/);
  await session.expectAccessible();
});
