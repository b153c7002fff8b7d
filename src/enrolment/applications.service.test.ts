import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applications as applicationsTable, schoolApprovals } from './enrolment.schema';
import { auditEvents } from '../audit/audit.schema';
import { intakes } from '../catalogue/catalogue.schema';
import { outboundEmails } from '../mail/mail.schema';
import type { Actor } from '../platform/auth/actor';
import { system } from '../platform/auth/actor';
import { useMailHarness, tokenIn } from '../testing/smtp';
import { factoriesFor } from '../testing/factories';
import { useTestApp } from '../testing/test-app';
import { selectApplications } from './applications/applications.repository';
import type { ApplicationAnswers } from './domain/application-journey';

const t = useTestApp();
const f = factoriesFor(t);
const mail = useMailHarness(t);
const admin = system('test admin');
let people = 0;

const trns = new Map<string, string>();
async function applicant(name = `Applicant ${++people}`): Promise<Actor & { kind: 'user' }> {
  const email = `applicant${people}.${Date.now()}@school.test`;
  const userId = await t.services.people.createUserDirectly({ name, email, password: 'a long enough password', roles: [] });
  // Each person has their own TRN: a shared one would make later applicants "previously funded".
  trns.set(userId, String(2_000_000 + people));
  return { kind: 'user', userId, sessionId: 'test', name, email, roles: [], fullySignedIn: true };
}

/** Riverside Academy (140002) is on the PP50 list: every NPQ is funded there. */
async function answersFor(course: string, overrides: Partial<ApplicationAnswers> = {}, trn = '1234567'): Promise<ApplicationAnswers> {
  const intake = await f.theIntake(course);
  return {
    fullName: 'Ada Lovelace',
    trn,
    course,
    worksInEngland: true,
    workSetting: 'a_school',
    schoolUrn: '140002',
    employmentRole: 'Head of maths',
    lineManagerName: 'Grace Head',
    lineManagerEmail: 'grace.head@school.test',
    intakeId: intake.id,
    fundingSeen: true,
    consent: true,
    ...overrides,
  };
}

async function submitted(actor: Actor & { kind: 'user' }, course = 'npq-senco', overrides: Partial<ApplicationAnswers> = {}) {
  await t.services.applications.startDraft(actor, course);
  await t.services.applications.saveAnswers(actor, await answersFor(course, overrides, trns.get(actor.userId)));
  return t.services.applications.submit(actor);
}

const approvalToken = (text: string) => tokenIn(text, '/school-approval');

const mailTo = (to: string) => mail.to(to);

describe('an applicant applies', () => {
  it('saves a draft, sends it once, and asks the line manager by email with a link that works once', async () => {
    const me = await applicant();
    const draft = await t.services.applications.startDraft(me, 'npq-senco');
    expect(draft.status).toBe('draft');
    expect((await t.services.applications.startDraft(me, 'npq-senco')).id).toBe(draft.id);
    await t.services.applications.saveAnswers(me, await answersFor('npq-senco', { lineManagerEmail: 'lm1@school.test' }, trns.get(me.userId)));

    const [first, second] = await Promise.all([t.services.applications.submit(me), t.services.applications.submit(me)]);
    expect(first.id).toBe(draft.id);
    expect(second.id).toBe(draft.id);
    // The gateway is its own record now (ADR 0026): read the application as enrolment does.
    const rows = await selectApplications(t.database.db).where(eq(applicationsTable.userId, me.userId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'pending', approvalStatus: 'pending', eligibleForFunding: true, fundingStatusCode: 'funded', gatewayStatus: 'not_required', schoolUrn: '140002', schoolUkprn: '10040002' });

    const requests = await mailTo('lm1@school.test');
    expect(requests).toHaveLength(1);
    expect(requests[0]!.subject).toContain('Please approve');
    const confirmation = await mailTo(me.email);
    expect(confirmation.map((m) => m.subject)).toContain('We have your application for the NPQ SENCO');

    const token = approvalToken(requests[0]!.text);
    const view = await t.services.applications.approvalByToken(token);
    expect(view?.app.fullName).toBe('Ada Lovelace');
    await expect(t.services.applications.decideApproval(token, { decision: 'decline', approverName: 'Grace' })).rejects.toMatchObject({ fieldErrors: { comment: expect.any(String) } });
    await t.services.applications.decideApproval(token, { decision: 'approve', approverName: 'Grace Head', comment: 'Fully support this' });
    await expect(t.services.applications.decideApproval(token, { decision: 'decline', approverName: 'Grace', comment: 'changed my mind' })).rejects.toMatchObject({ code: 'already_decided' });
    const approved = await t.services.applications.mine(me, draft.id);
    expect(approved).toMatchObject({ approvalStatus: 'approved', approverName: 'Grace Head', approvalComment: 'Fully support this' });
    expect((await mailTo(me.email)).map((m) => m.subject)).toContain('Your school has approved your NPQ application');
  });

  it('refuses a second application for the same NPQ and cohort, and an incomplete one', async () => {
    const me = await applicant();
    await submitted(me);
    await expect(submitted(me)).rejects.toMatchObject({ code: 'validation_failed', fieldErrors: { course: expect.stringContaining('already applied') } });
    await t.services.applications.discardDraft(me);
    await t.services.applications.startDraft(me, 'npq-senco');
    await t.services.applications.saveAnswers(me, { fullName: 'Half done', course: 'npq-senco' });
    await expect(t.services.applications.submit(me)).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await t.services.applications.draft(me))?.answers).toEqual({ fullName: 'Half done', course: 'npq-senco' });
  });

  it('records who pays when DfE does not, and insists on it', async () => {
    const me = await applicant();
    // Greenway is an independent school: not an eligible establishment.
    await expect(submitted(me, 'npq-senco', { schoolUrn: '140004' })).rejects.toMatchObject({ fieldErrors: { funding_choice: expect.any(String) } });
    await t.services.applications.saveAnswers(me, await answersFor('npq-senco', { schoolUrn: '140004', fundingSeen: false, fundingChoice: 'school' }, trns.get(me.userId)));
    const app = await t.services.applications.submit(me);
    expect(app).toMatchObject({ eligibleForFunding: false, fundingStatusCode: 'ineligible_establishment_type', fundingChoice: 'school' });
  });

  it('lets the applicant withdraw before a decision, after which the school’s link has nothing to approve', async () => {
    const me = await applicant();
    const app = await submitted(me, 'npq-senco', { lineManagerEmail: 'too.late@school.test' });
    const token = approvalToken((await mailTo('too.late@school.test'))[0]!.text);
    expect(await t.services.applications.withdrawMine(me, app.id)).toMatchObject({ status: 'withdrawn', reasonForRejection: null });
    expect(await t.services.applications.withdrawMine(me, app.id)).toMatchObject({ status: 'withdrawn' });
    await expect(t.services.applications.decideApproval(token, { decision: 'approve', approverName: 'Head' })).rejects.toMatchObject({ code: 'application_closed' });
    const again = await submitted(me);
    expect(again.id).not.toBe(app.id);
    await expect(t.services.applications.withdrawMine(await applicant(), again.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('keeps one applicant out of another’s applications', async () => {
    const owner = await applicant();
    const other = await applicant();
    const app = await submitted(owner);
    await expect(t.services.applications.mine(other, app.id)).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.services.applications.myApplications(other)).toEqual([]);
    await expect(t.services.applications.list(owner, {}, 1)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.services.applications.accept(owner, app.id, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(t.services.applications.gatewayQueue(owner, 'submitted', 1)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('school approval reminders', () => {
  it('reminds twice with the same link, then expires it; the applicant can ask again', async () => {
    const me = await applicant();
    const app = await submitted(me, 'npq-senco', { lineManagerEmail: 'slow.head@school.test' });
    const link = approvalToken((await mailTo('slow.head@school.test'))[0]!.text);
    const start = t.clock.now();
    const at = (days: number) => t.clock.set(new Date(start.getTime() + days * 86_400_000));
    try {
      at(3);
      expect((await t.services.applications.remindAndExpireApprovals()).reminded).toBe(0);
      at(4);
      const [r1, r1again] = await Promise.all([t.services.applications.remindAndExpireApprovals(), t.services.applications.remindAndExpireApprovals()]);
      expect(r1.reminded + r1again.reminded).toBeGreaterThanOrEqual(1);
      at(10);
      await t.services.applications.remindAndExpireApprovals();
      const reminders = (await mailTo('slow.head@school.test')).filter((m) => m.subject.startsWith('Reminder'));
      expect(reminders).toHaveLength(2);
      expect(reminders.every((m) => approvalToken(m.text) === link)).toBe(true);
      at(14);
      await t.services.applications.remindAndExpireApprovals();
      expect((await t.services.applications.mine(me, app.id)).approvalStatus).toBe('expired');
      await expect(t.services.applications.decideApproval(link, { decision: 'approve', approverName: 'Late' })).rejects.toMatchObject({ code: 'link_expired' });
      expect((await mailTo(me.email)).map((m) => m.subject)).toContain('Your school has not answered your NPQ application');

      await expect(t.services.applications.askApprovalAgain(me, app.id, { lineManagerName: 'Deputy', lineManagerEmail: 'not an email' })).rejects.toMatchObject({ fieldErrors: { lineManagerEmail: expect.any(String) } });
      await t.services.applications.askApprovalAgain(me, app.id, { lineManagerName: 'Dee Deputy', lineManagerEmail: 'dee.deputy@school.test' });
      const fresh = approvalToken((await mailTo('dee.deputy@school.test'))[0]!.text);
      expect(fresh).not.toBe(link);
      await t.services.applications.decideApproval(fresh, { decision: 'approve', approverName: 'Dee Deputy' });
      expect((await t.services.applications.mine(me, app.id)).approvalStatus).toBe('approved');
    } finally {
      t.clock.set(start);
    }
  });
});

describe('the gateway assessment', () => {
  it('keeps answers as typed, checks word limits, and lets a reviewer pass or fail with feedback', async () => {
    const me = await applicant();
    const app = await submitted(me, 'npq-headship');
    expect(app.gatewayStatus).toBe('awaiting_submission');
    const tooLong = Array.from({ length: 401 }, () => 'word').join(' ');
    await expect(t.services.applications.saveGatewayAnswers(me, app.id, { q1: tooLong, q2: 'Led a reading programme' }, true)).rejects.toMatchObject({ fieldErrors: { q1: expect.stringContaining('401 words') } });
    expect((await t.services.applications.mine(me, app.id)).gatewayAnswers).toMatchObject({ q1: tooLong, q2: 'Led a reading programme' });
    await t.services.applications.saveGatewayAnswers(me, app.id, { q1: 'Ready now', q2: 'Led a reading programme', q3: '' }, false);
    await t.services.applications.saveGatewayAnswers(me, app.id, { q1: 'Ready now', q2: 'Led a reading programme', q3: 'A contrasting school' }, true);
    await expect(t.services.applications.saveGatewayAnswers(me, app.id, { q1: 'x' }, true)).rejects.toMatchObject({ code: 'gateway_not_open' });

    const { rows } = await t.services.applications.gatewayQueue(admin, 'submitted', 1);
    expect(rows.map((r) => r.id)).toContain(app.id);
    await expect(t.services.applications.reviewGateway(admin, app.id, { scores: { c1: '5' }, result: 'passed', feedback: '' })).rejects.toMatchObject({ fieldErrors: { 'score-c1': expect.any(String), 'score-c2': expect.any(String), feedback: expect.any(String) } });
    await t.services.applications.reviewGateway(admin, app.id, { scores: { c1: '3', c2: '3', c3: '2' }, result: 'passed', feedback: 'Clear evidence of leading change.' });
    expect(await t.services.applications.mine(me, app.id)).toMatchObject({ gatewayStatus: 'passed', gatewayScores: { c1: 3, c2: 3, c3: 2 } });
    await expect(t.services.applications.reviewGateway(admin, app.id, { scores: { c1: '0', c2: '0', c3: '0' }, result: 'failed', feedback: 'x' })).rejects.toMatchObject({ code: 'gateway_not_submitted' });
    expect((await mailTo(me.email)).map((m) => m.subject)).toContain('You have passed the NPQH gateway assessment');
  });
});

describe('the provider decides', () => {
  async function approvedApplication(course = 'npq-senco', actor?: Actor & { kind: 'user' }) {
    const me = actor ?? (await applicant());
    const app = await submitted(me, course);
    const [row] = await t.database.db.select().from(applicationsTable).where(eq(applicationsTable.id, app.id));
    await t.database.db.update(schoolApprovals).set({ status: 'approved' }).where(eq(schoolApprovals.applicationId, row!.id));
    return { me, app };
  }

  it('will not accept before the school approves, then accepts once however often it is asked', async () => {
    const me = await applicant();
    const app = await submitted(me);
    await expect(t.services.applications.accept(admin, app.id, {})).rejects.toMatchObject({ code: 'awaiting_school_approval' });
    await t.database.db.update(schoolApprovals).set({ status: 'approved' }).where(eq(schoolApprovals.applicationId, app.id));
    const [a, b] = await Promise.all([t.services.applications.accept(admin, app.id, {}), t.services.applications.accept(admin, app.id, {})]);
    expect(a.status).toBe('accepted');
    expect(b.status).toBe('accepted');
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, app.id));
    expect(events.filter((e) => e.action === 'application.accepted')).toHaveLength(1);
    expect((await mailTo(me.email)).filter((m) => m.subject === 'You have a place on the NPQ SENCO')).toHaveLength(1);
  });

  it('in a capped cohort: funded places only for the eligible, and never beyond the limit even when accepted at once', async () => {
    await t.services.cohorts.update(admin, '2025a', { funding: 'capped', fundedPlaceLimits: { 'npq-leading-teaching': 1 } });
    const intake = await f.theIntake('npq-leading-teaching');
    await t.database.db.update(intakes).set({ cohortIdentifier: '2025a' }).where(eq(intakes.id, intake.id));
    try {
      const one = await approvedApplication('npq-leading-teaching');
      const two = await approvedApplication('npq-leading-teaching');
      await expect(t.services.applications.accept(admin, one.app.id, {})).rejects.toMatchObject({ code: 'funded_place_required' });
      const results = await Promise.allSettled([t.services.applications.accept(admin, one.app.id, { fundedPlace: true }), t.services.applications.accept(admin, two.app.id, { fundedPlace: true })]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'funded_place_limit_reached' });
      const loser = results[0]!.status === 'rejected' ? one : two;
      expect((await t.services.applications.accept(admin, loser.app.id, { fundedPlace: false })).fundedPlace).toBe(false);

      const ineligible = await applicant();
      const app = await submitted(ineligible, 'npq-leading-teaching', { schoolUrn: '140004', fundingSeen: false, fundingChoice: 'self' });
      await t.database.db.update(schoolApprovals).set({ status: 'approved' }).where(eq(schoolApprovals.applicationId, app.id));
      await expect(t.services.applications.accept(admin, app.id, { fundedPlace: true })).rejects.toMatchObject({ code: 'funded_place_not_eligible' });
    } finally {
      await t.database.db.update(intakes).set({ cohortIdentifier: '2026a' }).where(eq(intakes.id, intake.id));
    }
  });

  it('accepting one application rejects the person’s other applications in that cohort', async () => {
    const me = await applicant();
    const { app: senco } = await approvedApplication('npq-senco', me);
    const { app: lbc } = await approvedApplication('npq-leading-behaviour-culture', me);
    await t.services.applications.accept(admin, senco.id, {});
    expect(await t.services.applications.mine(me, lbc.id)).toMatchObject({ status: 'rejected', reasonForRejection: 'other_application_in_this_cohort_accepted' });
  });

  it('rejects with a reason, once, and an accepted one cannot be rejected', async () => {
    const { me, app } = await approvedApplication();
    await expect(t.services.applications.reject(admin, app.id, ' ')).rejects.toMatchObject({ fieldErrors: { reason: expect.any(String) } });
    await t.services.applications.reject(admin, app.id, 'No places left for this start date');
    await t.services.applications.reject(admin, app.id, 'again');
    expect(await t.services.applications.mine(me, app.id)).toMatchObject({ status: 'rejected', reasonForRejection: 'No places left for this start date' });
    await expect(t.services.applications.accept(admin, app.id, {})).rejects.toMatchObject({ code: 'application_rejected' });
    const accepted = await approvedApplication('npq-leading-literacy');
    await t.services.applications.accept(admin, accepted.app.id, {});
    await expect(t.services.applications.reject(admin, accepted.app.id, 'Too late')).rejects.toMatchObject({ code: 'application_already_accepted' });
  });

  it('undoes a rejection, unless the person has applied again', async () => {
    const { me, app } = await approvedApplication();
    await t.services.applications.reject(admin, app.id, 'Wrong intake');
    expect(await t.services.applications.reopen(admin, app.id)).toMatchObject({ status: 'pending', reasonForRejection: null });
    await expect(t.services.applications.reopen(admin, app.id)).rejects.toMatchObject({ code: 'not_rejected' });
    await t.services.applications.reject(admin, app.id, 'Wrong intake');
    await submitted(me);
    await expect(t.services.applications.reopen(admin, app.id)).rejects.toMatchObject({ code: 'applied_again' });
    await expect(t.services.applications.reopen(me, app.id)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('fills an intake, keeps a waiting list, and gives a freed place to the longest waiting', async () => {
    const intake = await f.theIntake('npq-leading-primary-mathematics');
    await t.database.db.update(intakes).set({ capacity: 1, waitingList: true }).where(eq(intakes.id, intake.id));
    const first = await approvedApplication('npq-leading-primary-mathematics');
    const second = await approvedApplication('npq-leading-primary-mathematics');
    const third = await approvedApplication('npq-leading-primary-mathematics');
    expect((await t.services.applications.accept(admin, first.app.id, {})).onWaitingList).toBe(false);
    expect((await t.services.applications.accept(admin, second.app.id, {})).onWaitingList).toBe(true);
    t.clock.advance(1000);
    expect((await t.services.applications.accept(admin, third.app.id, {})).onWaitingList).toBe(true);

    await expect(t.services.applications.changeParticipant(admin, first.app.id, 'withdraw', {})).rejects.toMatchObject({ fieldErrors: { reason: expect.any(String) } });
    await t.services.applications.changeParticipant(admin, first.app.id, 'defer', { reason: 'parental-leave' });
    await expect(t.services.applications.changeParticipant(admin, first.app.id, 'defer', { reason: 'parental-leave' })).rejects.toMatchObject({ code: 'cannot_defer' });
    await t.services.applications.changeParticipant(admin, first.app.id, 'resume', {});
    await t.services.applications.changeParticipant(admin, first.app.id, 'withdraw', { reason: 'personal-reason-moving-school' });
    expect(await t.services.applications.mine(second.me, second.app.id)).toMatchObject({ onWaitingList: false, trainingStatus: 'active' });
    expect(await t.services.applications.mine(third.me, third.app.id)).toMatchObject({ onWaitingList: true });
    expect((await mailTo(second.me.email)).map((m) => m.subject)).toContain('You have a place on your NPQ');

    const distance = await f.theIntake('npq-leading-primary-mathematics', 'January 2027 (distance)');
    await expect(t.services.applications.changeParticipant(admin, second.app.id, 'move', { intakeId: second.app.intakeId! })).rejects.toMatchObject({ fieldErrors: { intakeId: expect.any(String) } });
    const moved = await t.services.applications.changeParticipant(admin, second.app.id, 'move', { intakeId: distance.id });
    expect(moved).toMatchObject({ intakeId: distance.id, onWaitingList: false });
    expect(await t.services.applications.mine(third.me, third.app.id)).toMatchObject({ onWaitingList: false });
    const actions = (await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, first.app.id))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['participant.deferred', 'participant.resumed', 'participant.withdrawn']));
  });

  it('filters and searches the inbox', async () => {
    const me = await applicant('Zebedee Searchable');
    await submitted(me, 'npq-senco', { fullName: 'Zebedee Searchable' });
    const byName = await t.services.applications.list(admin, { query: 'zebedee' }, 1);
    expect(byName.rows.map((r) => r.fullName)).toEqual(['Zebedee Searchable']);
    const byTrn = await t.services.applications.list(admin, { query: trns.get(me.userId), course: 'npq-senco', approval: 'pending' }, 1);
    expect(byTrn.rows.every((r) => r.courseIdentifier === 'npq-senco' && r.approvalStatus === 'pending')).toBe(true);
    const none = await t.services.applications.list(admin, { status: 'accepted', gateway: 'failed' }, 1);
    expect(none.total).toBe(0);
    const drafts = await t.database.db.select().from(applicationsTable).where(eq(applicationsTable.status, 'draft'));
    const all = await t.services.applications.list(admin, {}, 1, 1000);
    expect(all.rows.some((r) => drafts.some((d) => d.id === r.id))).toBe(false);
    expect((await t.database.db.select().from(outboundEmails)).length).toBeGreaterThan(0);
  });
});

describe('the demo applications', () => {
  it('load once however often the demo starts, the demo participant accepted', async () => {
    const { loadDemoApplications } = await import('../demo/demo-data');
    await loadDemoApplications(t.services.applications);
    await loadDemoApplications(t.services.applications);
    const demo = await t.services.applications.list(admin, { query: 'demo' }, 1);
    expect(demo.rows.map((r) => [r.fullName, r.status, r.approvalStatus]).sort()).toEqual([
      ['Owen Price', 'pending', 'approved'],
      ['Pat Participant', 'accepted', 'approved'],
      ['Priya Shah', 'pending', 'pending'],
    ]);
  });
});
