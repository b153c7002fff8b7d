import { expect, type Page, test } from '@playwright/test';
import { expectAccessible } from './support/axe';
import { emailedLink } from './support/outbox';

test.setTimeout(180_000);


async function continueTo(page: Page, heading: string | RegExp) {
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
  await expectAccessible(page);
}

test('a teacher checks funding, registers interest, applies; the school approves, the gateway is passed and the provider accepts', async ({ page, browser }) => {
  // 1. Check eligibility, with a wrong answer on the way.
  await page.goto('/funding');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(page.getByRole('heading', { name: 'When do you want to start?' })).toBeVisible();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Select when you want to start');
  await expectAccessible(page);
  await page.getByLabel(/cohort 2026a/).check();
  await continueTo(page, 'Which NPQ do you want to take?');
  await page.getByLabel(/National Professional Qualification for Headship/).check();
  await continueTo(page, 'Do you work in England?');
  await page.getByLabel('Yes').check();
  await continueTo(page, 'Where do you work?');
  await page.getByLabel('A school', { exact: true }).check();
  await continueTo(page, 'Which school, college or nursery do you work in?');
  await page.getByLabel('Search by name, town, postcode or URN').fill('Riverside');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel('Riverside Academy').check();
  await continueTo(page, 'Check your answers');
  await page.getByRole('button', { name: 'See the result' }).click();
  await expect(page.getByRole('heading', { name: 'DfE will fund your NPQ' })).toBeVisible();
  await expectAccessible(page);

  // 2. Register interest from the course page.
  await page.goto('/interest?npq=npq-headship');
  await expect(page.getByRole('link', { name: 'Apply now' })).toBeVisible();
  await page.getByLabel('Full name').fill('Tara Teacher');
  await page.getByLabel('Email address').fill('tara.teacher@school.test');
  await page.getByLabel('When would you like to start?').selectOption({ index: 1 });
  await page.getByLabel('You may email me about this NPQ and when applications open').check();
  await page.getByRole('button', { name: 'Register interest' }).click();
  await expect(page.getByRole('heading', { name: 'Thank you: we have your interest' })).toBeVisible();

  // 3. Create an account: the emailed link proves the address.
  await page.goto('/qualifications/npq-headship');
  await page.getByRole('button', { name: 'Apply for the NPQH' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByRole('link', { name: 'Create an account to apply for an NPQ' }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Full name').fill('Tara Teacher');
  await page.getByLabel('Email address').fill('tara.teacher@school');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter an email address in the correct format');
  await expect(page.getByLabel('Full name')).toHaveValue('Tara Teacher');
  await page.getByLabel('Email address').fill('tara.teacher@school.test');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: 'Check your email' })).toBeVisible();
  await expectAccessible(page);

  await page.goto(await emailedLink(browser, 'tara.teacher@school.test', '/invitations'));
  await page.getByLabel('New password', { exact: true }).fill('leading schools well');
  await page.getByLabel('Confirm new password').fill('leading schools well');
  await page.getByRole('button', { name: 'Save password' }).click();
  await page.getByLabel('Email address').fill('tara.teacher@school.test');
  await page.getByLabel('Password').fill('leading schools well');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Hello, Tara Teacher' })).toBeVisible();

  // 4. Apply, one question a page.
  await page.goto('/apply?npq=npq-headship');
  await expect(page.getByRole('heading', { name: 'Your details' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Teacher reference number (TRN)').fill('12 345');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter your teacher reference number as 7 digits');
  await expect(page.getByLabel('Full name')).toHaveValue('Tara Teacher');
  await expectAccessible(page);
  await page.getByLabel('Teacher reference number (TRN)').fill('2345678');
  await continueTo(page, 'Do you work in England?');
  await page.getByLabel('Yes').check();
  await continueTo(page, 'Where do you work?');
  await page.getByLabel('A school', { exact: true }).check();
  await continueTo(page, 'Which school, college or nursery do you work in?');
  await page.getByLabel('Search by name, town, postcode or URN').fill('Oakfield');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByLabel('Oakfield Primary School').check();
  await continueTo(page, 'What is your job?');
  await page.getByLabel('Job title').fill('Deputy headteacher');
  await continueTo(page, 'Who is your line manager?');
  await page.getByLabel('Their full name').fill('Harriet Head');
  await page.getByLabel('Their work email address').fill('harriet.head@');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Enter an email address in the correct format');
  await expect(page.getByLabel('Their full name')).toHaveValue('Harriet Head');
  // Her own address, however written, is refused: an applicant never approves their own application.
  await page.getByLabel('Their work email address').fill('Tara.Teacher+head@School.test');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('not your own');
  await page.getByLabel('Their work email address').fill('harriet.head@oakfield.test');
  await continueTo(page, 'When and how do you want to study?');
  await page.getByLabel(/^January 2027: Face to face/).check();
  await continueTo(page, 'DfE will fund your NPQ');
  await continueTo(page, 'Sharing your details with DfE');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('alert')).toContainText('Confirm that we may share your details with DfE');
  await page.getByLabel('I agree that my details may be shared with DfE').check();
  await continueTo(page, 'Check your answers before sending your application');
  await expect(page.getByText('Oakfield Primary School, Birmingham')).toBeVisible();
  await page.getByRole('button', { name: 'Send application' }).click();
  await expect(page.getByRole('heading', { name: 'Application sent' })).toBeVisible();
  await expect(page.getByText('Waiting for your school')).toBeVisible();
  await expectAccessible(page);

  // 5. The gateway: save, come back, send.
  await page.getByRole('button', { name: 'Answer the gateway questions' }).click();
  await expect(page.getByRole('heading', { name: 'Gateway assessment' })).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('Why is now the right time for you to prepare for headship?').fill('I have led our curriculum and our staff development for three years.');
  await page.getByRole('button', { name: 'Send for review' }).click();
  await expect(page.getByRole('alert')).toContainText('Answer “Describe a change you led');
  await expect(page.getByLabel('Why is now the right time for you to prepare for headship?')).toHaveValue(/curriculum and our staff development/);
  await page.getByLabel('Describe a change you led across your school, and its effect on pupils.').fill('A reading programme across the school: reading ages rose by a year.');
  await page.getByLabel(/Supporting statement/).fill('A large urban primary.');
  await page.getByRole('button', { name: 'Send for review' }).click();
  await expect(page.getByText('Your gateway answers are sent for review.')).toBeVisible();

  // 6. The line manager approves from the emailed link, without an account.
  const approval = await browser.newContext();
  const head = await approval.newPage();
  await head.goto(await emailedLink(browser, 'harriet.head@oakfield.test', '/school-approval'));
  await expect(head.getByRole('heading', { name: 'Approve Tara Teacher’s NPQ application' })).toBeVisible();
  await expect(head.getByText('Oakfield Primary School, Birmingham (URN 140001)')).toBeVisible();
  await expect(head.getByText('Deputy headteacher')).toBeVisible();
  await expectAccessible(head);
  await head.getByLabel('No, I decline it').check();
  await head.getByRole('button', { name: 'Send your answer' }).click();
  await expect(head.getByRole('alert')).toContainText('Tell the applicant why you are declining');
  await expectAccessible(head);
  await head.getByLabel('Yes, I approve it for my school').check();
  await head.getByLabel('Comment for the applicant').fill('Tara is ready. We will give her the time.');
  await head.getByRole('button', { name: 'Send your answer' }).click();
  await expect(head.getByRole('heading', { name: 'Thank you: your answer is recorded' })).toBeVisible();
  await expectAccessible(head);
  await approval.close();

  // 7. A reviewer passes the gateway; the admin accepts into the intake.
  const staff = await browser.newContext({ storageState: 'test-results/.auth/admin.json' });
  const admin = await staff.newPage();
  await admin.goto('/admin/gateway');
  await expectAccessible(admin);
  await admin.getByRole('link', { name: 'Tara Teacher' }).click();
  await expect(admin.getByRole('heading', { name: 'Gateway assessment: Tara Teacher' })).toBeVisible();
  await admin.getByRole('button', { name: 'Record the result' }).click();
  await expect(admin.getByRole('alert')).toContainText('Score “Readiness for headship” from 0 to 4');
  await expectAccessible(admin);
  await admin.getByLabel('Readiness for headship (0 to 4)').selectOption('3');
  await admin.getByLabel('Evidence of leading change beyond their own team (0 to 4)').selectOption('3');
  await admin.getByLabel('Impact on pupils (0 to 4)').selectOption('2');
  await admin.getByLabel('Pass', { exact: true }).check();
  await admin.getByLabel('Feedback for the applicant').fill('Clear readiness and evidence of whole-school change.');
  await admin.getByRole('button', { name: 'Record the result' }).click();
  // The result is emailed and final: the reviewer sees what they record, and confirms it.
  await expect(admin.getByRole('heading', { name: 'Record a pass for Tara Teacher?' })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole('button', { name: 'Yes, record the pass' }).click();
  await expect(admin.getByText('Tara Teacher: gateway passed')).toBeVisible();

  await admin.goto('/admin/applications');
  await admin.getByLabel('Name, email or TRN').fill('tara');
  await admin.getByRole('button', { name: 'Filter' }).click();
  await admin.waitForURL(/q=tara/);
  await expectAccessible(admin);
  await admin.getByRole('link', { name: 'Tara Teacher' }).click();
  await expect(admin.getByRole('heading', { name: /Tara Teacher/ })).toBeVisible();
  await expect(admin.getByText('Approved by Harriet Head (harriet.head@oakfield.test)', { exact: false })).toBeVisible();
  await expectAccessible(admin);
  await admin.getByRole('button', { name: 'Reject application' }).click();
  await expect(admin.getByRole('alert')).toContainText('Give the reason for rejecting the application');
  await admin.getByRole('button', { name: 'Accept application' }).click();
  await expect(admin.getByText('Tara Teacher is accepted. We have emailed them.')).toBeVisible();
  await expectAccessible(admin);
  await staff.close();

  // 8. The participant sees they are accepted.
  await page.goto('/applications');
  await page.getByRole('link', { name: 'National Professional Qualification for Headship' }).click();
  await expect(page.getByRole('heading', { name: 'You have a place' })).toBeVisible();
  await expectAccessible(page);
});
