import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { linkIn, useMailHarness } from '../../testing/smtp';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const mail = useMailHarness(t);
const mailTo = (to: string) => mail.to(to);

/** A new applicant: asks for an account, follows the emailed link, chooses a password, signs in. */
async function newApplicant(email: string, name: string, tryAMistake = false) {
  const c = new Client(t);
  await c.get('/account/create');
  if (tryAMistake) {
    const bad = await c.post('/account/create', { name: '', email: 'nope' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter your full name');
    expect(bad.body).toContain('value="nope"');
  }
  const sent = await c.post('/account/create', { name, email });
  expect(sent.body).toContain('Check your email');
  const link = linkIn((await mailTo(email))[0]!.text, '/invitations');
  await c.get(link);
  await c.post(link, { password: 'a long new password', confirmation: 'a long new password' });
  const signedIn = await c.signIn(email, 'a long new password');
  expect(signedIn.headers.location).toBe('/home');
  return c;
}

/** Posts one step and follows to the next page; returns the next step's path. */
async function answer(c: Client, step: string, form: Record<string, string>) {
  await c.get(`/apply/${step}`);
  const res = await c.post(`/apply/${step}`, form);
  expect(res.statusCode, `${step}: ${res.body.match(/govuk-error-message[^<]*<[^>]*>[^<]*<\/span>([^<]*)/)?.[1] ?? ''}`).toBe(303);
  return res.headers.location as string;
}

describe('applying, approving, reviewing and accepting through the pages', () => {
  it('runs from a new account to an accepted participant', async () => {
    const c = await newApplicant('hana.head@school.test', 'Hana Head', true);

    // Asking for an account again for the same address says nothing new, and sends a sign-in note instead.
    const again = new Client(t);
    await again.get('/account/create');
    expect((await again.post('/account/create', { name: 'Someone', email: 'hana.head@school.test' })).body).toContain('Check your email');
    expect((await mailTo('hana.head@school.test')).some((m) => m.subject.startsWith('You already have an account with'))).toBe(true);

    const start = await c.get('/apply?npq=npq-headship');
    expect(start.headers.location).toBe('/apply/details');
    await c.get('/apply/details');
    const wrong = await c.post('/apply/details', { fullName: 'Hana Head', trn: '12345' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Enter your teacher reference number as 7 digits');
    expect(wrong.body).toContain('value="12345"');
    expect(await answer(c, 'details', { fullName: 'Hana Head', trn: '7654321' })).toBe('/apply/england');
    expect(await answer(c, 'england', { worksInEngland: 'yes' })).toBe('/apply/setting');
    expect(await answer(c, 'setting', { workSetting: 'a_school' })).toBe('/apply/school');
    expect((await c.get('/apply/school?q=Riverside')).body).toContain('Riverside Academy');
    expect(await answer(c, 'school', { schoolUrn: '140002' })).toBe('/apply/job');
    expect(await answer(c, 'job', { employmentRole: 'Deputy headteacher' })).toBe('/apply/line-manager');
    await c.get('/apply/line-manager');
    const badManager = await c.post('/apply/line-manager', { lineManagerName: 'Lee Head', lineManagerEmail: 'lee@' });
    expect(badManager.statusCode).toBe(422);
    expect(badManager.body).toContain('value="Lee Head"');
    expect(await answer(c, 'line-manager', { lineManagerName: 'Lee Head', lineManagerEmail: 'lee.head@school.test' })).toBe('/apply/intake');

    // Signing out and in again finds the answers kept.
    await c.post('/sign-out');
    await c.signIn('hana.head@school.test', 'a long new password');
    expect((await c.get('/applications')).body).toContain('Continue your application');
    expect((await c.get('/apply')).headers.location).toBe('/apply/intake');

    const intakePage = await c.get('/apply/intake');
    const intakeId = intakePage.body.match(/name="intakeId" type="radio" value="([0-9a-f-]+)"/)![1]!;
    const distance = intakePage.body.match(/value="([0-9a-f-]+)"[^>]*>\s*<label[^>]*>[^<]*distance/i)?.[1];
    expect(distance).toBeDefined();
    expect(distance).not.toBe(intakeId);
    // Someone who works in England learns in UK time: the time zone is not asked.
    expect(await answer(c, 'intake', { intakeId: distance! })).toBe('/apply/funding');
    expect((await c.get('/apply/time-zone')).body).not.toContain('Mars');
    const funding = await c.get('/apply/funding');
    expect(funding.body).toContain('DfE will fund your NPQ');
    expect(await answer(c, 'funding', { fundingSeen: 'yes' })).toBe('/apply/consent');
    await c.get('/apply/consent');
    expect((await c.post('/apply/consent', {})).body).toContain('Confirm that we may share your details with DfE');
    expect(await answer(c, 'consent', { consent: 'yes' })).toBe('/apply/check');

    const check = await c.get('/apply/check');
    expect(check.body).toContain('Riverside Academy');
    expect(check.body).toContain('Lee Head (lee.head@school.test)');
    const sent = await c.post('/apply/check');
    expect(sent.statusCode).toBe(303);
    const appPath = (sent.headers.location as string).split('?')[0]!;
    // A second press of the button finds the same application.
    const twice = await c.post('/apply/check');
    expect((twice.headers.location as string).split('?')[0]).toBe(appPath);
    const mine = await c.get(appPath);
    expect(mine.body).toContain('Waiting for your school');
    expect(mine.body).toContain('Answer the gateway questions');

    // The line manager answers from the emailed link, with no account.
    const approvalPath = linkIn((await mailTo('lee.head@school.test'))[0]!.text, '/school-approval');
    const lee = new Client(t);
    const approvalPage = await lee.get(approvalPath);
    expect(approvalPage.body).toContain('Approve Hana Head’s NPQ application');
    const missing = await lee.post(approvalPath, { decision: 'decline', comment: '', approverName: 'Lee Head' });
    expect(missing.statusCode).toBe(422);
    expect(missing.body).toContain('Tell the applicant why you are declining');
    // 1,995 characters as the page counts them, though the browser sends each line break as CRLF (2,280).
    expect((await lee.post(approvalPath, { decision: 'approve', comment: 'Ready.\r\n'.repeat(285), approverName: 'Lee Head' })).statusCode).toBe(303);
    expect((await lee.get(approvalPath)).body).toContain('Application approved');
    expect((await new Client(t).get('/school-approval/not-a-real-token')).statusCode).toBe(410);

    // The gateway: saved, then sent.
    await c.get(`${appPath}/gateway`);
    const saved = await c.post(`${appPath}/gateway`, { action: 'save', q1: 'I have led our curriculum review.' });
    expect(saved.headers.location).toBe(`${appPath}/gateway`);
    expect((await c.get(`${appPath}/gateway`)).body).toContain('I have led our curriculum review.');
    const incomplete = await c.post(`${appPath}/gateway`, { action: 'submit', q1: 'I have led our curriculum review.' });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.body).toContain('I have led our curriculum review.');
    await c.post(`${appPath}/gateway`, { action: 'submit', q1: 'I have led our curriculum review.', q2: 'A whole-school reading programme.', q3: 'A rural primary.' });

    // The assessor is refused the gateway: its answers name the applicant, and assessors mark blind.
    const assessor = new Client(t);
    await assessor.signIn('assessor@demo.npq.test');
    const id = appPath.split('/').at(-1)!;
    expect((await assessor.get('/admin/gateway')).statusCode).toBe(403);
    expect((await assessor.get(`/admin/gateway/${id}`)).statusCode).toBe(403);
    const refusedReview = await assessor.post(`/admin/gateway/${id}`, { 'score-c1': '3', 'score-c2': '3', 'score-c3': '3', result: 'passed', feedback: 'Strong evidence.', confirm: 'yes' });
    expect(refusedReview.statusCode).toBe(403);
    expect(refusedReview.body).not.toContain('Hana Head');
    const assessorActor: Actor = { kind: 'user', userId: crypto.randomUUID(), sessionId: 'test', name: 'Asa Assessor', email: 'assessor@demo.npq.test', roles: [{ role: 'assessor', scopeType: 'provider', scopeId: null }], fullySignedIn: true };
    await expect(t.services.applications.forReview(assessorActor, id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(t.services.applications.gatewayQueue(assessorActor, 'submitted', 1)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await assessor.get('/admin/applications')).statusCode).toBe(403);

    // The admin reviews the gateway, passes it, and accepts.
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const queue = await admin.get('/admin/gateway');
    expect(queue.body).toContain('Hana Head');
    await admin.get(`/admin/gateway/${id}`);
    const noScores = await admin.post(`/admin/gateway/${id}`, { result: 'passed', feedback: '' });
    expect(noScores.statusCode).toBe(422);
    expect(noScores.body).toContain('Write feedback for the applicant');
    const review = { 'score-c1': '3', 'score-c2': '3', 'score-c3': '3', result: 'passed', feedback: 'Strong evidence.' };
    const confirmReview = await admin.post(`/admin/gateway/${id}`, review);
    expect(confirmReview.body).toContain('Record a pass for Hana Head?');
    expect((await admin.post(`/admin/gateway/${id}`, { ...review, confirm: 'yes' })).statusCode).toBe(303);
    const inbox = await admin.get('/admin/applications?q=hana&gateway=passed&approval=approved');
    expect(inbox.body).toContain('Hana Head');
    expect((await admin.get('/admin/applications?q=hana&status=rejected')).body).not.toContain('Hana Head');
    const csv = await admin.get('/admin/applications.csv?q=hana');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[1]).toContain('Hana Head');
    await admin.get(`/admin/applications/${id}`);
    expect((await admin.post(`/admin/applications/${id}/accept`, {})).statusCode).toBe(303);
    const accepted = await admin.get(`/admin/applications/${id}`);
    expect(accepted.body).toContain('is accepted');

    expect(accepted.body).toContain('UK time (London)');

    // Delivery partner leads read only their own partner's applications (distance learning is the
    // North East's), and decide none.
    const north = new Client(t);
    await north.signIn('lead.north@demo.npq.test');
    expect((await north.get('/admin/applications')).body).toContain('Hana Head');
    const asLead = await north.get(`/admin/applications/${id}`);
    expect(asLead.statusCode).toBe(200);
    expect(asLead.body).not.toContain('Withdraw: reason');
    expect((await north.post(`/admin/applications/${id}/participant/defer`, { reason: 'career-break' })).statusCode).toBe(403);
    const midlands = new Client(t);
    await midlands.signIn('lead.midlands@demo.npq.test');
    expect((await midlands.get('/admin/applications')).body).not.toContain('Hana Head');
    expect((await midlands.get('/admin/applications.csv')).body).not.toContain('Hana Head');
    expect((await midlands.get(`/admin/applications/${id}`)).statusCode).toBe(404);

    expect((await c.get(appPath)).body).toContain('You have a place');
    expect((await mailTo('hana.head@school.test')).map((m) => m.subject)).toContain('You have a place on the NPQH');
  });

  it('keeps the inbox and the gateway from people without the right role', async () => {
    for (const email of ['participant@demo.npq.test', 'coach@demo.npq.test', 'facilitator@demo.npq.test', 'approver@demo.npq.test']) {
      const c = new Client(t);
      await c.signIn(email);
      expect((await c.get('/admin/applications')).statusCode, email).toBe(403);
      expect((await c.get('/admin/applications.csv')).statusCode, email).toBe(403);
      expect((await c.get('/admin/gateway')).statusCode, email).toBe(403);
    }
    const lead = new Client(t);
    await lead.signIn('lead.midlands@demo.npq.test');
    expect((await lead.get('/admin/gateway')).statusCode).toBe(403);
    expect((await new Client(t).get('/apply')).headers.location).toBe('/sign-in?next=%2Fapply');
  });

  it('shows an applicant only their own applications', async () => {
    const owner = await newApplicant('owner@school.test', 'Olive Owner');
    await owner.get('/apply?npq=npq-senco');
    await answer(owner, 'details', { fullName: 'Olive Owner', trn: '1112223' });
    const draftOfOwner = await t.services.applications.myApplications({ kind: 'user', userId: (await t.services.people.listUsers({ kind: 'system', name: 't' }, { query: 'owner@school.test' }, 1)).rows[0]!.id, sessionId: '', name: '', email: '', roles: [], fullySignedIn: true });
    const intruder = await newApplicant('intruder@school.test', 'Ivan Intruder');
    expect((await intruder.get(`/applications/${draftOfOwner[0]!.id}`)).statusCode).toBe(404);
    expect((await intruder.get(`/applications/${draftOfOwner[0]!.id}/gateway`)).statusCode).toBe(404);
    await intruder.get('/applications');
    expect((await intruder.post(`/applications/${draftOfOwner[0]!.id}/withdraw`)).statusCode).toBe(404);
    expect((await intruder.post(`/applications/${draftOfOwner[0]!.id}/approval`, { lineManagerName: 'x', lineManagerEmail: 'x@y.test' })).statusCode).toBe(404);
    expect((await intruder.get('/applications')).body).not.toContain('Olive Owner');
  });
});
