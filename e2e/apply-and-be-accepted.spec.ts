import { expect, test } from '@playwright/test';
import { ApplicationsInboxPage, GatewayQueuePage } from './pages/admin.page';
import { applyFor, CheckApplicationPage, SchoolApprovalPage, YourApplicationsPage } from './pages/apply.page';
import { CoursePage } from './pages/catalogue.page';
import { FundingCheckAnswersPage, FundingStartPage } from './pages/funding.page';
import { HomePage } from './pages/home.page';
import { InterestRegisteredPage, RegisterInterestPage } from './pages/interest.page';
import { emailedLink } from './pages/outbox.page';
import { ADMIN_STATE } from './pages/people';
import { CheckYourEmailPage, CreatePasswordPage, SignInPage } from './pages/sign-in.page';

test.setTimeout(180_000);

test('given a teacher who checks funding and registers interest, when they apply, their school approves, the gateway is passed and the provider accepts, then they have a place', async ({ page, browser }) => {
  // 1. Check eligibility, with a wrong answer on the way.
  const checker = await new FundingStartPage(page).open();
  await checker.expectAccessible();
  const start = await checker.startNow();
  await start.continue();
  await start.expectErrors('Select when you want to start');
  await start.expectAccessible();
  await start.choose(/cohort 2026a/);
  const npq = await start.continueTo('Which NPQ do you want to take?');
  await npq.choose(/National Professional Qualification for Headship/);
  const england = await npq.continueTo('Do you work in England?');
  await england.choose('Yes');
  const where = await england.continueTo('Where do you work?');
  await where.choose('A school', { exact: true });
  const school = await where.continueTo('Which school, college or nursery do you work in?');
  await school.findSchool('Riverside', 'Riverside Academy');
  await school.continueTo('Check your answers');
  const funded = await new FundingCheckAnswersPage(page).seeTheResult('DfE will fund your NPQ');
  await funded.expectAccessible();

  // 2. Register interest from the course page.
  const interest = await new RegisterInterestPage(page, 'NPQH').openAt('npq-headship');
  await expect(page.getByRole('link', { name: 'Apply now' })).toBeVisible();
  await interest.register({ name: 'Tara Teacher', email: 'tara.teacher@school.test', firstIntake: true, consent: true });
  await new InterestRegisteredPage(page).verifyOnPage();

  // 3. Create an account: the emailed link proves the address.
  const course = await new CoursePage(page, /Headship/).openAt('npq-headship');
  await course.applyFor('NPQH');
  const signIn = await new SignInPage(page).verifyOnPage();
  const account = await signIn.createAnAccount();
  await account.expectAccessible();
  await account.askFor({ name: 'Tara Teacher', email: 'tara.teacher@school' });
  await account.expectErrors('Enter an email address in the correct format');
  await expect(account.field('Full name')).toHaveValue('Tara Teacher');
  await account.askFor({ email: 'tara.teacher@school.test' });
  const checkEmail = await new CheckYourEmailPage(page).verifyOnPage();
  await checkEmail.expectAccessible();

  await (await new CreatePasswordPage(page).openAt(await emailedLink(browser, 'tara.teacher@school.test', '/invitations'))).choose('leading schools well');
  await signIn.signInWith('tara.teacher@school.test', 'leading schools well');
  await (await new HomePage(page).verifyOnPage()).expectGreeting('Tara Teacher');

  // 4. Apply, one question a page.
  const details = await (await applyFor(page, 'npq-headship')).verifyOnPage();
  await details.expectAccessible();
  await details.answer('Teacher reference number (TRN)', '12 345');
  await details.continue();
  await details.expectErrors('Enter your teacher reference number as 7 digits');
  await expect(details.field('Full name')).toHaveValue('Tara Teacher');
  await details.expectAccessible();
  await details.answer('Teacher reference number (TRN)', '2345678');
  const inEngland = await details.continueTo('Do you work in England?');
  await inEngland.choose('Yes');
  const workplace = await inEngland.continueTo('Where do you work?');
  await workplace.choose('A school', { exact: true });
  const whichSchool = await workplace.continueTo('Which school, college or nursery do you work in?');
  await whichSchool.findSchool('Oakfield', 'Oakfield Primary School');
  const job = await whichSchool.continueTo('What is your job?');
  await job.answer('Job title', 'Deputy headteacher');
  const lineManager = await job.continueTo('Who is your line manager?');
  await lineManager.answer('Their full name', 'Harriet Head');
  await lineManager.answer('Their work email address', 'harriet.head@');
  await lineManager.continue();
  await lineManager.expectErrors('Enter an email address in the correct format');
  await expect(lineManager.field('Their full name')).toHaveValue('Harriet Head');
  // Her own address, however written, is refused: an applicant never approves their own application.
  await lineManager.answer('Their work email address', 'Tara.Teacher+head@School.test');
  await lineManager.continue();
  await lineManager.expectErrors('not your own');
  await lineManager.answer('Their work email address', 'harriet.head@oakfield.test');
  const study = await lineManager.continueTo('When and how do you want to study?');
  await study.choose(/^January 2027: Face to face/);
  const funding = await study.continueTo('DfE will fund your NPQ');
  const consent = await funding.continueTo('Sharing your details with DfE');
  await consent.continue();
  await consent.expectErrors('Confirm that we may share your details with DfE');
  await consent.choose('I agree that my details may be shared with DfE');
  await consent.continueTo('Check your answers before sending your application');
  const check = new CheckApplicationPage(page);
  await check.expectToSee('Oakfield Primary School, Birmingham');
  const sent = await check.send('National Professional Qualification for Headship');
  await sent.expectToSee('Waiting for your school');
  await sent.expectAccessible();

  // 5. The gateway: save, come back, send.
  const gateway = await sent.answerTheGatewayQuestions();
  await gateway.expectAccessible();
  await gateway.answer('Why is now the right time for you to prepare for headship?', 'I have led our curriculum and our staff development for three years.');
  await gateway.sendForReview();
  await gateway.expectErrors('Answer “Describe a change you led');
  await expect(gateway.field('Why is now the right time for you to prepare for headship?')).toHaveValue(/curriculum and our staff development/);
  await gateway.answer('Describe a change you led across your school, and its effect on pupils.', 'A reading programme across the school: reading ages rose by a year.');
  await gateway.answer(/Supporting statement/, 'A large urban primary.');
  await gateway.sendForReview();
  await gateway.expectToSee('Your gateway answers are sent for review.');

  // 6. The line manager approves from the emailed link, without an account.
  const approval = await browser.newContext();
  const head = await new SchoolApprovalPage(await approval.newPage(), 'Tara Teacher').openAt(await emailedLink(browser, 'harriet.head@oakfield.test', '/school-approval'));
  await head.verifyOnPage();
  await head.expectToSee('Oakfield Primary School, Birmingham (URN 140001)');
  await head.expectToSee('Deputy headteacher');
  await head.expectAccessible();
  await head.decline();
  await head.expectErrors('Tell the applicant why you are declining');
  await head.expectAccessible();
  const approved = await head.approve('Tara is ready. We will give her the time.');
  await approved.expectAccessible();
  await approval.close();

  // 7. A reviewer passes the gateway; the admin accepts into the intake.
  const staff = await browser.newContext({ storageState: ADMIN_STATE });
  const admin = await staff.newPage();
  const queue = await new GatewayQueuePage(admin).open();
  await queue.expectAccessible();
  const review = await queue.review('Tara Teacher');
  await review.recordTheResult();
  await review.expectErrors('Score “Readiness for headship” from 0 to 4');
  await review.expectAccessible();
  await review.score('Readiness for headship', '3');
  await review.score('Evidence of leading change beyond their own team', '3');
  await review.score('Impact on pupils', '2');
  await review.pass('Clear readiness and evidence of whole-school change.');
  await review.recordTheResult();
  // The result is emailed and final: the reviewer sees what they record, and confirms it.
  await review.confirmPass();

  const inbox = await new ApplicationsInboxPage(admin).open();
  await inbox.search('tara');
  await inbox.expectAccessible();
  const application = await inbox.openApplication('Tara Teacher');
  await application.expectToSee('Approved by Harriet Head (harriet.head@oakfield.test)');
  await application.expectAccessible();
  await application.rejectApplication();
  await application.expectErrors('Give the reason for rejecting the application');
  await application.acceptApplication();
  await application.expectAccessible();
  await staff.close();

  // 8. Then the participant sees they are accepted.
  const mine = await new YourApplicationsPage(page).open();
  const place = await mine.openApplication('National Professional Qualification for Headship');
  await place.expectAPlace();
  await place.expectAccessible();
});
