import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { system } from '../../platform/auth/actor';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { gatewayAssessments } from '../enrolment.schema';

const t = useTestApp();
const f = factoriesFor(t);
const call = f.anApiClient();
const admin = system('test admin');

/** An NPQSL application entered through the API, the school's approval already given. */
const npqslApplication = (email: string, trn: string) => f.anApiEnteredApplication({ via: call, email, trn, course: 'npq-senior-leadership' });

/** What DfE's clients rely on, on enrolment's shape: `updated_at` follows related records, schedules are never swapped. */
describe('DfE’s applications API on enrolment’s shape', () => {
  it('refuses a schedule that does not fit the application, never answering with another', async () => {
    const app = await npqslApplication('schedule.check@school.test', '3456781');
    const wrong = await call('POST', `/api/v1/applications/${app.id}/accept`, { data: { type: 'npq-application-accept', attributes: { schedule_identifier: 'npq-aso-march' } } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('schedule_not_valid_for_course');
    const intake = await f.theIntake('npq-senior-leadership');
    const other = intake.schedule === 'npq-leadership-spring' ? 'npq-leadership-autumn' : 'npq-leadership-spring';
    const notTheIntakes = await call('POST', `/api/v1/applications/${app.id}/accept`, { data: { type: 'npq-application-accept', attributes: { schedule_identifier: other } } });
    expect(notTheIntakes.statusCode).toBe(422);
    expect(notTheIntakes.json().error.code).toBe('schedule_not_the_intakes');
    expect((await call('GET', `/api/v1/applications/${app.id}`)).json().data.attributes.status).toBe('pending');

    const right = await call('POST', `/api/v1/applications/${app.id}/accept`, { data: { type: 'npq-application-accept', attributes: { schedule_identifier: intake.schedule } } });
    expect(right.statusCode).toBe(200);
    expect(right.json().data.attributes).toMatchObject({ status: 'accepted', schedule_identifier: intake.schedule });
    // Accepting again with a wrong schedule is still refused, not answered with what was done.
    expect((await call('POST', `/api/v1/applications/${app.id}/accept`, { data: { type: 'npq-application-accept', attributes: { schedule_identifier: 'npq-aso-march' } } })).statusCode).toBe(422);
  });

  it('moves updated_at of every application showing an intake when its schedule changes, so filter[updated_since] finds them', async () => {
    const app = await npqslApplication('updated.since@school.test', '3456782');
    await t.services.applications.accept(admin, app.id, {});
    t.clock.advance(60_000);
    const since = t.clock.now().toISOString();
    const quiet = (await call('GET', `/api/v1/applications?filter[updated_since]=${encodeURIComponent(since)}`)).json().data as { id: string }[];
    expect(quiet.map((a) => a.id)).not.toContain(app.id);

    t.clock.advance(60_000);
    const intake = await f.theIntake('npq-senior-leadership');
    // Cohort 2026a has only spring schedules at DfE: the intake moves to 2027a's autumn (the catalogue refuses a schedule DfE lacks in the cohort).
    const schedule = 'npq-leadership-autumn';
    await f.anIntakeChanged('npq-senior-leadership', intake.id, { cohortIdentifier: '2027a', schedule });

    const changed = (await call('GET', `/api/v1/applications?filter[updated_since]=${encodeURIComponent(since)}`)).json().data as { id: string; attributes: { schedule_identifier: string; updated_at: string } }[];
    const found = changed.find((a) => a.id === app.id);
    expect(found?.attributes.schedule_identifier).toBe(schedule);
    expect(found?.attributes.updated_at).toBe(t.clock.now().toISOString());
  });

  it('moves updated_at when the school’s approval, the gateway or the training status changes', async () => {
    const shown = async (id: string) => (await call('GET', `/api/v1/applications/${id}`)).json().data.attributes as { updated_at: string; school_approval: string; gateway: string; training_status: string | null };
    const now = () => t.clock.now().toISOString();

    // The school's approval: a link nobody answers expires.
    const waiting = await f.anApiEnteredApplication({ via: call, email: 'unanswered@school.test', trn: '3456783', course: 'npq-senco', fields: { school_approved: false } });
    t.clock.advance(15 * 24 * 60 * 60_000);
    await t.services.applications.remindAndExpireApprovals();
    expect(await shown(waiting.id)).toMatchObject({ school_approval: 'expired', updated_at: now() });

    // The gateway, its own record: a review moves the application.
    await t.services.applications.saveGatewayConfig(admin, 'npq-headship', { questions: [{ id: 'q1', prompt: 'Why?', hint: '', wordLimit: 100 }], criteria: [{ id: 'c1', name: 'Readiness', maxScore: 4 }], passMark: 2 });
    const headship = await f.anApiEnteredApplication({ via: call, email: 'gateway.moves@school.test', trn: '3456784', course: 'npq-headship' });
    await t.database.db.update(gatewayAssessments).set({ status: 'submitted', answers: { q1: 'Ready' } }).where(eq(gatewayAssessments.applicationId, headship.id));
    t.clock.advance(60_000);
    await t.services.applications.reviewGateway(admin, headship.id, { scores: { c1: '3' }, result: 'passed', feedback: 'Ready to lead' });
    expect(await shown(headship.id)).toMatchObject({ gateway: 'passed', updated_at: now() });

    // The training status.
    await t.services.applications.accept(admin, headship.id, {});
    t.clock.advance(60_000);
    await t.services.applications.changeParticipant(admin, headship.id, 'defer', { reason: 'career-break' });
    expect(await shown(headship.id)).toMatchObject({ training_status: 'deferred', updated_at: now() });
  });
});
