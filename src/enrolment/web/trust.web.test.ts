import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applications as applicationsTable, schoolApprovals } from '../enrolment.schema';
import { auditEvents } from '../../audit/audit.schema';
import { loadDemoApplications } from '../../demo/demo-data';
import { type Actor, system } from '../../platform/auth/actor';
import { expectMatchesDfeSchema } from '../../testing/dfe-contract';
import { linkIn, useMailHarness } from '../../testing/smtp';
import { factoriesFor } from '../../testing/factories';
import { Client, useTestApp } from '../../testing/test-app';
import { applicationsInDfeShape } from '../api/presenters/application.presenter';
import { applicationById, selectApplications } from '../applications/applications.repository';
import { APPLICATION_STATUSES, APPROVAL_STATUSES, DEFERRAL_REASONS, GATEWAY_STATUSES, TRAINING_STATUSES, WITHDRAWAL_REASONS } from '../domain/application';
import type { ApplicationAnswers } from '../domain/application-journey';
import { FUNDING_STATUS_CODES } from '../domain/funding-eligibility';

/**
 * Issue 8 ("Trust"), each fault as a kind: an applicant never approves their own application, a
 * decision against its rule needs a reason, withdrawn is not rejected, irreversible steps ask first,
 * people never read codes, and every free-text field says when it is too long.
 */
const t = useTestApp();
const f = factoriesFor(t);
const mail = useMailHarness(t);
const admin = system('test admin');
let n = 0;

beforeAll(async () => {
  await loadDemoApplications(t.services.applications);
});

const PASSWORD = 'a long enough password';
/**
 * A new person with an account, as the services see them and (when `signIn`) signed in through the
 * pages. Sign-ins are few: the platform limits them per minute from one address.
 */
async function person(prefix = 'ada', signIn = true) {
  n++;
  const email = `${prefix}.${n}@school.test`;
  const name = `Ada Applicant ${n}`;
  const userId = await t.services.people.createUserDirectly({ name, email, password: PASSWORD, roles: [] });
  const c = new Client(t);
  if (signIn) await c.signIn(email, PASSWORD);
  const actor: Actor & { kind: 'user' } = { kind: 'user', userId, sessionId: 'test', name, email, roles: [], fullySignedIn: true };
  return { c, email, name, actor, trn: String(3_000_000 + n) };
}

/** A sent application, made through the service with a school teacher's answers (Riverside Academy, on every list). */
async function sent(p: Awaited<ReturnType<typeof person>>, course = 'npq-senco', overrides: Partial<ApplicationAnswers> = {}) {
  const intake = await f.theIntake(course);
  await t.services.applications.startDraft(p.actor, course);
  await t.services.applications.saveAnswers(p.actor, {
    fullName: p.name,
    trn: p.trn,
    course,
    worksInEngland: true,
    workSetting: 'a_school',
    schoolUrn: '140002',
    employmentRole: 'Head of maths',
    lineManagerName: 'Grace Head',
    lineManagerEmail: `grace.${n}@school.test`,
    intakeId: intake.id,
    fundingSeen: true,
    consent: true,
    ...overrides,
  });
  return t.services.applications.submit(p.actor);
}

async function approvalLinkFor(address: string) {
  return linkIn((await mail.to(address)).at(-1)!.text, '/school-approval');
}

const staffClients = new Map<string, Client>();
/** A member of staff, signed in once for the whole file. */
async function staff(email = 'admin@demo.npq.test') {
  const known = staffClients.get(email);
  if (known) return known;
  const c = new Client(t);
  await c.signIn(email);
  staffClients.set(email, c);
  return c;
}

/** Posts one step of the application and returns where it went (a redirect) or the page (an error). */
async function step(c: Client, name: string, form: Record<string, string>) {
  await c.get(`/apply/${name}`);
  return c.post(`/apply/${name}`, form);
}

describe('an applicant never approves their own application', () => {
  it('refuses their own address as line manager in the journey, whatever its case, spaces or +tag', async () => {
    const p = await person();
    await p.c.get('/apply?npq=npq-senco');
    for (const [k, v] of Object.entries<Record<string, string>>({ details: { fullName: p.name, trn: p.trn }, england: { worksInEngland: 'yes' }, setting: { workSetting: 'a_school' }, school: { schoolUrn: '140002' }, job: { employmentRole: 'Teacher' } })) {
      expect((await step(p.c, k, v)).statusCode, k).toBe(303);
    }
    const [local, domain] = p.email.split('@');
    for (const own of [p.email.toUpperCase(), `  ${p.email} `, `${local}+head@${domain}`, `${local}+head@${domain!.toUpperCase()}`]) {
      const res = await step(p.c, 'line-manager', { lineManagerName: 'Me Myself', lineManagerEmail: own });
      expect(res.statusCode, own).toBe(422);
      expect(res.body).toContain('not your own');
    }
    expect((await step(p.c, 'line-manager', { lineManagerName: 'Grace Head', lineManagerEmail: 'grace.head@school.test' })).statusCode).toBe(303);
  });

  it('refuses it when asking someone else later, and through the API’s create', async () => {
    const p = await person();
    const app = await sent(p);
    const page = `/applications/${app.id}`;
    await p.c.get(page);
    const again = await p.c.post(`${page}/approval`, { lineManagerName: 'Me', lineManagerEmail: p.email.replace('ada', 'ADA') });
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('not your own');
    await expect(t.services.applications.askApprovalAgain(p.actor, app.id, { lineManagerName: 'Me', lineManagerEmail: ` ${p.email.replace('@', '+x@')} ` })).rejects.toMatchObject({ code: 'validation_failed' });

    const intake = await f.theIntake('npq-senco');
    const api = { full_name: 'Api Person', email: 'api.person@school.test', course_identifier: 'npq-senco', intake_id: intake.id, works_in_england: true, work_setting: 'a_school', school_urn: '140002', employment_role: 'Teacher', line_manager_name: 'Api Person', funding_choice: 'school' };
    for (const own of ['API.Person@school.test', 'api.person+lm@school.test', ' api.person@school.test ']) {
      await expect(t.services.applications.create(admin, { ...api, line_manager_email: own }), own).rejects.toMatchObject({ code: 'validation_failed', fieldErrors: { line_manager_email: expect.stringContaining('applicant’s own') } });
    }
    // The applicant's account address counts too, when the application names another.
    await expect(t.services.applications.create(admin, { ...api, email: p.email.toUpperCase(), line_manager_email: p.email.replace('@', '+1@') })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('refuses the approval link to the applicant signed in, and shows the line manager the school and role', async () => {
    const p = await person();
    const app = await sent(p);
    const link = await approvalLinkFor(`grace.${n}@school.test`);

    const asApplicant = await p.c.get(link);
    expect(asApplicant.statusCode).toBe(403);
    expect(asApplicant.body).toContain('You cannot approve your own application');
    expect(asApplicant.body).not.toContain('Do you approve this application?');
    await p.c.get(`/applications/${app.id}`);
    expect((await p.c.post(link, { decision: 'approve', approverName: p.name })).statusCode).toBe(403);
    await expect(t.services.applications.decideApproval(link.split('/').at(-1)!, { decision: 'approve', approverName: 'x' }, p.actor)).rejects.toMatchObject({ code: 'own_application', status: 403 });
    expect((await t.services.applications.mine(p.actor, app.id)).approvalStatus).toBe('pending');

    const head = new Client(t);
    const page = await head.get(link);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Riverside Academy, Leeds (URN 140002)');
    expect(page.body).toContain('Head of maths');
    expect((await head.post(link, { decision: 'approve', approverName: 'Grace Head' })).statusCode).toBe(303);

    // The provider sees who approved, their address, and the school the applicant named.
    const provider = await staff();
    const detail = await provider.get(`/admin/applications/${app.id}`);
    expect(detail.body).toContain(`Approved by Grace Head (grace.${n}@school.test)`);
    expect(detail.body).toContain('Riverside Academy, Leeds (URN 140002)');
    const csv = await provider.get(`/admin/applications.csv?q=${encodeURIComponent(p.email)}`);
    expect(csv.body).toContain(`Grace Head (grace.${n}@school.test)`);
    expect((await p.c.get(`/applications/${app.id}`)).body).toContain(`by Grace Head (grace.${n}@school.test)`);
  });
});

describe('a decision against its rule needs a reason', () => {
  async function reviewReady() {
    const p = await person('ada', false);
    const app = await sent(p, 'npq-headship');
    await t.services.applications.saveGatewayAnswers(p.actor, app.id, { q1: 'Ready.', q2: 'A reading programme.', q3: 'A rural primary.' }, true);
    return app;
  }

  it('refuses a gateway pass below the pass mark without a reason, and keeps the reason given', async () => {
    const app = await reviewReady();
    const reviewer = await staff('admin@demo.npq.test');
    await reviewer.get(`/admin/gateway/${app.id}`);
    const low = { 'score-c1': '1', 'score-c2': '1', 'score-c3': '0', result: 'passed', feedback: 'Promising.' };
    const refused = await reviewer.post(`/admin/gateway/${app.id}`, low);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('The scores total 2, below the pass mark of 7');
    await expect(t.services.applications.reviewGateway(system('x'), app.id, { scores: { c1: '1', c2: '1', c3: '0' }, result: 'passed', feedback: 'x' })).rejects.toThrow();

    const reason = 'Interview evidence showed readiness the written answers did not';
    const confirm = await reviewer.post(`/admin/gateway/${app.id}`, { ...low, overrideReason: reason });
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Record a pass for');
    expect(confirm.body).toContain(reason);
    expect(confirm.body).toContain('the mark says fail');
    // The gateway is its own record now (ADR 0026): read the application as enrolment does.
    const before = await applicationById(t.database.db, app.id);
    expect(before!.gatewayStatus).toBe('submitted');
    expect((await reviewer.post(`/admin/gateway/${app.id}`, { ...low, overrideReason: reason, confirm: 'yes' })).statusCode).toBe(303);

    const after = await applicationById(t.database.db, app.id);
    expect(after).toMatchObject({ gatewayStatus: 'passed', gatewayOverrideReason: reason });
    const [event] = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.entityId, app.id), eq(auditEvents.action, 'gateway.passed')));
    expect(event!.after).toMatchObject({ total: 2, passMark: 7, againstPassMark: true, overrideReason: reason });
    const provider = await staff();
    expect((await provider.get(`/admin/applications/${app.id}`)).body).toContain(reason);
  });

  it('refuses a gateway fail at or above the pass mark without a reason', async () => {
    const app = await reviewReady();
    const reviewer = await staff('admin@demo.npq.test');
    await reviewer.get(`/admin/gateway/${app.id}`);
    const res = await reviewer.post(`/admin/gateway/${app.id}`, { 'score-c1': '4', 'score-c2': '4', 'score-c3': '4', result: 'failed', feedback: 'No.' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('which reaches the pass mark of 7');
  });

  it('refuses to accept what the school declined', async () => {
    const p = await person('ada', false);
    const app = await sent(p);
    const link = await approvalLinkFor(`grace.${n}@school.test`);
    const head = new Client(t);
    await head.get(link);
    await head.post(link, { decision: 'decline', comment: 'Not this year', approverName: 'Grace Head' });
    await expect(t.services.applications.accept(admin, app.id, {})).rejects.toMatchObject({ code: 'awaiting_school_approval' });
  });
});

describe('withdrawn is not rejected', () => {
  it('asks first, then shows withdrawn everywhere and closes every form on it', async () => {
    const p = await person();
    const app = await sent(p, 'npq-headship');
    const link = await approvalLinkFor(`grace.${n}@school.test`);
    const page = `/applications/${app.id}`;

    // The button leads to a page that says what will happen; only its Confirm withdraws.
    const ask = await p.c.get(`${page}/withdraw`);
    expect(ask.body).toContain('Withdraw your application?');
    expect(ask.body).toContain('You cannot undo this');
    expect(ask.body).toContain('name="confirm" value="yes"');
    expect(ask.body).toContain(`href="${page}"`);
    expect((await p.c.post(`${page}/withdraw`, {})).headers.location).toBe(`${page}/withdraw`);
    expect((await t.services.applications.mine(p.actor, app.id)).status).toBe('pending');
    expect((await p.c.post(`${page}/withdraw`, { confirm: 'yes' })).statusCode).toBe(303);

    const mine = await p.c.get(page);
    expect(mine.body).toContain('You withdrew this application');
    expect(mine.body).toContain('data-status="withdrawn">Withdrawn');
    expect(mine.body).not.toContain('Rejected');
    expect(mine.body).not.toContain('Answer the gateway questions');
    expect(mine.body).not.toContain('Ask someone else to approve it');
    expect((await p.c.get('/applications')).body).toMatch(/Withdrawn<\/strong>/);
    const gateway = await p.c.get(`${page}/gateway`);
    expect(gateway.body).toContain('gateway assessment is closed');
    expect(gateway.body).not.toContain('Send for review');
    await expect(t.services.applications.saveGatewayAnswers(p.actor, app.id, { q1: 'x' }, true)).rejects.toMatchObject({ code: 'gateway_not_open' });
    await expect(t.services.applications.askApprovalAgain(p.actor, app.id, { lineManagerName: 'A B', lineManagerEmail: 'ab@school.test' })).rejects.toMatchObject({ code: 'approval_not_open' });
    const approval = await new Client(t).get(link);
    expect(approval.body).toContain('has withdrawn this application');
    expect(approval.body).not.toContain('Do you approve');

    // The provider: a status of its own in the page, the filter and the CSV; no decision can be made on it.
    const provider = await staff();
    const detail = await provider.get(`/admin/applications/${app.id}`);
    expect(detail.body).toContain('Withdrawn');
    expect(detail.body).not.toContain('Rejected');
    expect(detail.body).not.toContain('Accept application');
    expect(detail.body).not.toContain('Reopen');
    expect((await provider.get(`/admin/applications?status=withdrawn&q=${encodeURIComponent(p.email)}`)).body).toContain(p.name);
    expect((await provider.get(`/admin/applications?status=rejected&q=${encodeURIComponent(p.email)}`)).body).not.toContain(p.name);
    expect((await provider.get(`/admin/applications.csv?q=${encodeURIComponent(p.email)}`)).body).toContain(',Withdrawn,');
    await expect(t.services.applications.accept(admin, app.id, {})).rejects.toMatchObject({ code: 'application_withdrawn' });
    await expect(t.services.applications.reject(admin, app.id, 'No')).rejects.toMatchObject({ code: 'application_withdrawn' });
    await expect(t.services.applications.reopen(admin, app.id)).rejects.toMatchObject({ code: 'not_rejected' });
    await expect(t.services.applications.reviewGateway(admin, app.id, { scores: {}, result: 'passed', feedback: 'x' })).rejects.toMatchObject({ status: expect.any(Number) });
    expect((await t.services.applications.gatewayQueue(admin, 'submitted', 1)).rows.map((r) => r.id)).not.toContain(app.id);

    // The API keeps DfE's statuses: rejected, with the withdrawal beside it and no made-up reason.
    const presented = JSON.parse((await applicationsInDfeShape(t.database.db)([app.id]))[0]!);
    expect(presented.attributes).toMatchObject({ status: 'rejected', reason_for_rejection: null, withdrawn_by_applicant: true });
    expectMatchesDfeSchema('ApplicationResponse', { data: presented });
    const rejectedFilter = await t.services.applications.list(admin, { statuses: ['rejected', 'withdrawn'], query: p.email }, 1);
    expect(rejectedFilter.rows.map((r) => r.id)).toContain(app.id);
  });
});

describe('irreversible steps ask first', () => {
  it('a provider’s rejection and a participant’s withdrawal show what will happen, and happen only on Confirm', async () => {
    const p = await person('ada', false);
    const app = await sent(p);
    const provider = await staff();
    await provider.get(`/admin/applications/${app.id}`);
    const noReason = await provider.post(`/admin/applications/${app.id}/reject`, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    const ask = await provider.post(`/admin/applications/${app.id}/reject`, { reason: 'The cohort is full' });
    expect(ask.statusCode).toBe(200);
    expect(ask.body).toContain('Reject this application?');
    expect(ask.body).toContain('The cohort is full');
    expect((await t.services.applications.detail(admin, app.id)).app.status).toBe('pending');
    expect((await provider.post(`/admin/applications/${app.id}/reject`, { reason: 'The cohort is full', confirm: 'yes' })).statusCode).toBe(303);
    expect((await t.services.applications.detail(admin, app.id)).app.status).toBe('rejected');

    const q = await person('ada', false);
    const accepted = await sent(q);
    await t.database.db.update(schoolApprovals).set({ status: 'approved' }).where(eq(schoolApprovals.applicationId, accepted.id));
    await t.services.applications.accept(admin, accepted.id, {});
    await provider.get(`/admin/applications/${accepted.id}`);
    const withdraw = await provider.post(`/admin/applications/${accepted.id}/participant/withdraw`, { reason: 'personal-reason-moving-school', change: 'withdraw' });
    expect(withdraw.statusCode).toBe(200);
    expect(withdraw.body).toContain('from the course?');
    expect(withdraw.body).toContain('Personal reason: moving school');
    expect(withdraw.body).not.toContain('personal-reason-moving-school<');
    expect((await t.services.applications.detail(admin, accepted.id)).app.trainingStatus).toBe('active');
    const noChoice = await provider.post(`/admin/applications/${accepted.id}/participant/withdraw`, { reason: '', change: 'withdraw' });
    expect(noChoice.statusCode).toBe(422);
    expect((await provider.post(`/admin/applications/${accepted.id}/participant/withdraw`, { reason: 'personal-reason-moving-school', change: 'withdraw', confirm: 'yes' })).statusCode).toBe(303);
    const after = await provider.get(`/admin/applications/${accepted.id}`);
    expect(after.body).toContain('Personal reason: moving school');
    expect((await t.services.applications.detail(admin, accepted.id)).app.trainingStatus).toBe('withdrawn');
  });
});

describe('people never read codes', () => {
  /** The text a person sees: no tags, no attribute values, no scripts. */
  const visibleText = (html: string) =>
    html
      .replace(/<script[\s\S]*?<\/script>/g, ' ')
      .replace(/<style[\s\S]*?<\/style>/g, ' ')
      .replace(/<[^>]+>/g, ' ')
      .replace(/&[a-z]+;|&#\d+;/g, ' ');
  const CODES = [...new Set<string>([...APPLICATION_STATUSES, ...APPROVAL_STATUSES, ...GATEWAY_STATUSES, ...TRAINING_STATUSES, ...FUNDING_STATUS_CODES, ...WITHDRAWAL_REASONS, ...DEFERRAL_REASONS, 'rejected_by_provider', 'other_application_in_this_cohort_accepted', 'registration_expired'])].filter((c) => /[_-]/.test(c));

  function expectNoCodes(where: string, text: string) {
    const snake = text.match(/\b[a-z0-9]+(?:_[a-z0-9]+)+\b/g);
    expect(snake, `${where}: snake_case in ${JSON.stringify(snake)}`).toBeNull();
    for (const code of CODES) expect(text.includes(code), `${where}: ${code}`).toBe(false);
    expect(text, where).not.toMatch(/\bfunding (full|capped|none)\b/);
  }

  it('in the demo’s enrolment pages and the inbox’s CSV', async () => {
    // Give the demo every state worth seeing: a withdrawn application, a withdrawn participant, a rejection, a gateway.
    const p = await person();
    const w = await sent(p, 'npq-headship');
    await t.services.applications.withdrawMine(p.actor, w.id);
    const q = await person();
    const r = await sent(q, 'npq-senco');
    await t.services.applications.reject(admin, r.id, 'The cohort is full');
    const provider = await staff();
    const ids = (await t.services.applications.list(admin, {}, 1, 200)).rows.map((row) => row.id);
    const pages = ['/admin/applications', '/admin/applications?status=withdrawn', '/admin/gateway', '/admin/gateway?status=passed', '/admin/interest', ...ids.map((id) => `/admin/applications/${id}`)];
    for (const url of pages) {
      const res = await provider.get(url);
      expect(res.statusCode, url).toBe(200);
      expectNoCodes(url, visibleText(res.body));
    }
    const csv = await provider.get('/admin/applications.csv');
    expectNoCodes('applications.csv', csv.body.split('\r\n').map((line) => line.split(',').filter((cell) => !/@/.test(cell)).join(',')).join('\n'));

    for (const who of [p, q]) {
      for (const url of ['/applications', ...(await t.services.applications.myApplications(who.actor)).map((a) => `/applications/${a.id}`)]) {
        const res = await who.c.get(url);
        expectNoCodes(url, visibleText(res.body));
      }
    }
    const participant = await staff('participant@demo.npq.test');
    const own = await participant.get('/applications');
    expectNoCodes('participant /applications', visibleText(own.body));
    for (const url of [...own.body.matchAll(/href="(\/applications\/[0-9a-f-]{36})"/g)].map((m) => m[1]!)) expectNoCodes(url, visibleText((await participant.get(url)).body));
  });
});

describe('every free-text field says when it is too long', () => {
  it('in the application journey, asking again and the approval page', async () => {
    const p = await person();
    await p.c.get('/apply?npq=npq-senco');
    const long = 'x'.repeat(10_000);
    const cases: [string, Record<string, string>, string][] = [
      ['details', { fullName: long, trn: '1234567' }, 'Your full name must be 200 characters or fewer'],
      ['details', { fullName: 'Ada', trn: '123456789' }, 'Your teacher reference number must be 7 digits'],
      ['job', { employmentRole: long }, 'Your job title must be 200 characters or fewer'],
      ['job', { employmentRole: 'Teacher', employerName: long }, 'Your employer’s name must be 200 characters or fewer'],
      ['line-manager', { lineManagerName: long, lineManagerEmail: 'head@school.test' }, 'Your line manager’s name must be 200 characters or fewer'],
      ['line-manager', { lineManagerName: 'Head', lineManagerEmail: `${'h'.repeat(300)}@school.test` }, 'Their email address must be 254 characters or fewer'],
      ['itt-provider', { ittProvider: long }, 'The provider’s name must be 300 characters or fewer'],
    ];
    for (const [name, form, message] of cases) {
      const res = await step(p.c, name, form);
      expect(res.statusCode, name).toBe(422);
      expect(res.body, name).toContain(message);
      expect(res.body).not.toContain('Enter their name');
    }

    const q = await person();
    const app = await sent(q);
    await q.c.get(`/applications/${app.id}`);
    const again = await q.c.post(`/applications/${app.id}/approval`, { lineManagerName: long, lineManagerEmail: 'x@school.test' });
    expect(again.body).toContain('Your line manager’s name must be 200 characters or fewer');

    const link = await approvalLinkFor(`grace.${n}@school.test`);
    const head = new Client(t);
    await head.get(link);
    const res = await head.post(link, { decision: 'decline', comment: long, approverName: long });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Your comment must be 2,000 characters or fewer');
    expect(res.body).toContain('Your name must be 200 characters or fewer');
  });
});

describe('no TRN is needed to apply', () => {
  it('lets a private nursery’s practitioner apply without a TRN, with the nursery’s Ofsted URN, in DfE’s shape', async () => {
    const p = await person('nursery');
    await p.c.get('/apply?npq=npq-early-years-leadership');
    expect((await p.c.get('/apply/details')).body).toContain('I do not have a TRN');
    const both = await step(p.c, 'details', { fullName: p.name, trn: '1234567', noTrn: 'yes' });
    expect(both.statusCode).toBe(422);
    const none = await step(p.c, 'details', { fullName: p.name, trn: '' });
    expect(none.body).toContain('or select “I do not have a TRN”');
    expect((await step(p.c, 'details', { fullName: p.name, trn: '', noTrn: 'yes' })).headers.location).toBe('/apply/england');
    expect((await step(p.c, 'england', { worksInEngland: 'yes' })).headers.location).toBe('/apply/setting');
    expect((await step(p.c, 'setting', { workSetting: 'early_years_or_childcare' })).headers.location).toBe('/apply/nursery');
    expect((await step(p.c, 'nursery', { kindOfNursery: 'private_nursery' })).headers.location).toBe('/apply/ofsted-urn');
    expect((await step(p.c, 'ofsted-urn', { ofstedUrn: 'EY12' })).body).toContain('Enter an Ofsted URN as 6 or 7 digits');
    expect((await step(p.c, 'ofsted-urn', { ofstedUrn: ' ey 944860 ' })).headers.location).toBe('/apply/job');
    expect((await step(p.c, 'job', { employmentRole: 'Nursery manager', employerName: 'Little Acorns Nursery' })).statusCode).toBe(303);
    expect((await step(p.c, 'line-manager', { lineManagerName: 'Nia Owner', lineManagerEmail: 'nia@acorns.test' })).statusCode).toBe(303);
    const intake = await f.theIntake('npq-early-years-leadership');
    expect((await step(p.c, 'intake', { intakeId: intake.id })).headers.location).toBe('/apply/funding');
    expect((await p.c.get('/apply/funding')).body).toContain('DfE will fund your NPQ');
    expect((await step(p.c, 'funding', { fundingSeen: 'yes' })).statusCode).toBe(303);
    expect((await step(p.c, 'consent', { consent: 'yes' })).headers.location).toBe('/apply/check');
    const check = await p.c.get('/apply/check');
    expect(check.body).toContain('no TRN yet');
    expect(check.body).toContain('EY944860');
    const done = await p.c.post('/apply/check');
    expect(done.statusCode).toBe(303);
    const [row] = await selectApplications(t.database.db).where(eq(applicationsTable.email, p.email));
    expect(row).toMatchObject({ status: 'pending', teacherReferenceNumber: null, privateChildcareProviderUrn: 'EY944860', eligibleForFunding: true });
    const presented = JSON.parse((await applicationsInDfeShape(t.database.db)([row!.id]))[0]!);
    expect(presented.attributes).toMatchObject({ teacher_reference_number: null, private_childcare_provider_urn: 'EY944860' });
    expectMatchesDfeSchema('ApplicationResponse', { data: presented });

    // The line manager sees the nursery by its Ofsted URN.
    const approval = await new Client(t).get(await approvalLinkFor('nia@acorns.test'));
    expect(approval.body).toContain('Little Acorns Nursery (Ofsted URN EY944860)');
  });
});

describe('the time-zone question', () => {
  it('is asked only of distance learners working outside England, by friendly name, and stored as IANA', async () => {
    const p = await person();
    await p.c.get('/apply?npq=npq-senco');
    await step(p.c, 'details', { fullName: p.name, trn: p.trn });
    expect((await step(p.c, 'england', { worksInEngland: 'no' })).headers.location).toBe('/apply/job');
    await step(p.c, 'job', { employmentRole: 'Head of primary', employerName: 'British School of Dubai' });
    await step(p.c, 'line-manager', { lineManagerName: 'Dee Head', lineManagerEmail: 'dee@bsd.test' });
    const distance = await f.theIntake('npq-senco', 'January 2027 (distance)');
    expect((await step(p.c, 'intake', { intakeId: distance.id })).headers.location).toBe('/apply/time-zone');
    const question = await p.c.get('/apply/time-zone');
    expect(question.body).toContain('UK time (London)');
    expect(question.body).toContain('Gulf (Dubai, Abu Dhabi, Muscat)');
    expect(question.body).toContain('Another time zone');
    expect(question.body).toMatch(/value="Europe\/London" checked/);
    // The long list is only behind "another", listed by city, not as raw IANA names.
    expect(visible(question.body)).not.toContain('Pacific/Auckland');
    expect(question.body).toContain('Auckland (Pacific)');
    expect((await step(p.c, 'time-zone', { timeZone: 'Mars/Olympus' })).statusCode).toBe(422);
    expect((await step(p.c, 'time-zone', { timeZone: 'other', otherTimeZone: 'Mars/Olympus' })).body).toContain('Choose your time zone from the list');
    expect((await step(p.c, 'time-zone', { timeZone: 'other', otherTimeZone: 'Pacific/Auckland' })).headers.location).toBe('/apply/funding');
    await step(p.c, 'time-zone', { timeZone: 'Asia/Dubai' });
    await step(p.c, 'funding', { fundingChoice: 'school' });
    await step(p.c, 'consent', { consent: 'yes' });
    expect((await p.c.get('/apply/check')).body).toContain('Gulf (Dubai, Abu Dhabi, Muscat)');
    await p.c.post('/apply/check');
    const [row] = await selectApplications(t.database.db).where(eq(applicationsTable.email, p.email));
    expect(row!.timeZone).toBe('Asia/Dubai');
  });
});

const visible = (html: string) => html.replace(/<[^>]+>/g, ' ');
