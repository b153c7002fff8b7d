import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { system } from '../../platform/auth/actor';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { anEnteredApplication } from '../applications/an-entered-application';
import { enrolments, participants } from '../enrolment.schema';
import { statusHistoryOf } from './participants.repository';

const t = useTestApp();
const f = factoriesFor(t);
const admin = system('test admin');

/** An application as the provider enters it, the school's approval already given. */
const entered = async (email: string, course: string, trn: string) =>
  (await t.services.applications.create(admin, anEnteredApplication({ email, teacher_reference_number: trn, course_identifier: course, intake_id: (await f.theIntake(course)).id }, { funding_choice: 'school' }))).application;

describe('a participant', () => {
  it('is one person however many applications and NPQs: two entered without an account share one participant id', async () => {
    const senco = await entered('Ravi.Patel@school.test', 'npq-senco', '3456789');
    const literacy = await entered('ravi.patel@school.test', 'npq-leading-literacy', '3456789');
    expect(senco.participantId).toBeTruthy();
    expect(literacy.participantId).toBe(senco.participantId);
    expect(await t.database.db.select().from(participants).where(eq(participants.id, senco.participantId!))).toEqual([expect.objectContaining({ email: 'ravi.patel@school.test', userId: null })]);
    // DfE's filter[participant_id] finds both of the person's applications.
    const found = await t.services.applications.list(admin, { participantIds: [senco.participantId!] }, 1);
    expect(found.rows.map((r) => r.id).sort()).toEqual([senco.id, literacy.id].sort());
  });

  it('with an account is the same participant as before this record existed: their user id', async () => {
    const email = `account.holder.${Date.now()}@school.test`;
    const userId = await t.services.people.createUserDirectly({ name: 'Account Holder', email, password: 'a long enough password', roles: [] });
    const one = await entered(email, 'npq-senco', '3456790');
    const two = await entered(email, 'npq-leading-literacy', '3456790');
    expect(one.participantId).toBe(userId);
    expect(two.participantId).toBe(userId);
  });

  it('keeps the history of their training status: each change with DfE’s reason, when and by whom', async () => {
    const app = await entered(`history.${Date.now()}@school.test`, 'npq-senco', '3456791');
    await t.services.applications.accept(admin, app.id, {});
    t.clock.advance(60_000);
    await t.services.applications.changeParticipant(admin, app.id, 'defer', { reason: 'parental-leave' });
    t.clock.advance(60_000);
    await t.services.applications.changeParticipant(admin, app.id, 'resume', {});
    t.clock.advance(60_000);
    await t.services.applications.changeParticipant(admin, app.id, 'withdraw', { reason: 'non-payment-of-invoice' });
    const history = await statusHistoryOf(t.database.db, app.participantId!);
    expect(history.map((h) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      [null, 'active', null],
      ['active', 'deferred', 'parental-leave'],
      ['deferred', 'active', null],
      ['active', 'withdrawn', 'non-payment-of-invoice'],
    ]);
    expect(history.every((h) => h.changedBy === 'system: test admin')).toBe(true);
    expect(history[3]!.changedAt.getTime() - history[0]!.changedAt.getTime()).toBe(180_000);
    // Status is per enrolment (ADR 0036): every line names the one enrolment, which holds the status now.
    const [enrolment] = await t.database.db.select().from(enrolments).where(eq(enrolments.applicationId, app.id));
    expect(enrolment).toMatchObject({ participantId: app.participantId, trainingStatus: 'withdrawn', trainingStatusReason: 'non-payment-of-invoice' });
    expect(history.every((h) => h.enrolmentId === enrolment!.id)).toBe(true);
  });
});
