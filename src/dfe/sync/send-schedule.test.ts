import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { intakes } from '../../catalogue/catalogue.schema';
import { jobs } from '../../platform/platform.schema';
import { factoriesFor } from '../../testing/factories';
import { dfeChanges } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { sendPendingChanges } from './send-decisions';

/**
 * Issue 13 item 2, schedules: a participant moved to an intake on another DfE schedule, or whose
 * intake's schedule changes, has DfE told once, as the schedule they are on when sending; a move
 * between intakes of one schedule sends nothing; a schedule DfE lacks in the participant's cohort is
 * never sent (DfE would move them to another cohort), and the admin is told why.
 */
const { t, standIn, client, acceptedAtDfe, declareStarted } = useDfeTestApp({ portBase: 41_100, token: 'schedule-token' });
const f = factoriesFor(t);
const EHCO = 'npq-early-headship-coaching-offer';
const changesOf = async (applicationId: string) => t.database.db.select().from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, 'change_schedule')));
const puts = (participantId: string) => standIn().calls.filter((c) => c.method === 'PUT' && c.url.endsWith(`/participants/npq/${participantId}/change-schedule`)).length;
const scheduleAtDfe = (dfeApplicationId: string) => standIn().state.applications.get(dfeApplicationId)?.schedule;
const anEhcoIntake = (schedule: 'npq-ehco-november' | 'npq-ehco-december') => f.anIntake({ course: EHCO, cohortIdentifier: '2026b', schedule });
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('changing a participant’s schedule, and telling DfE', () => {
  it('a move to an intake on another schedule reaches DfE once; a move between intakes of one schedule sends nothing', async () => {
    const november = await anEhcoIntake('npq-ehco-november');
    const { registered, person, mine, admin } = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: november.id });
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-november');
    const december = await anEhcoIntake('npq-ehco-december');
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'move', { intakeId: december.id });
    await t.services.jobs.drain();
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-december');
    expect(puts(person.id)).toBe(1);
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied']);
    // Another December intake: DfE already shows the schedule, so nothing is sent.
    const alsoDecember = await anEhcoIntake('npq-ehco-december');
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'move', { intakeId: alsoDecember.id });
    await t.services.jobs.drain();
    expect(puts(person.id)).toBe(1);
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied', 'applied']);
  });

  it('a change of the intake’s schedule in the catalogue reaches DfE for its participants', async () => {
    const intake = await anEhcoIntake('npq-ehco-november');
    const { registered, person } = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: intake.id });
    await f.anIntakeChanged(EHCO, intake.id, { schedule: 'npq-ehco-december' });
    await t.services.jobs.drain();
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-december');
    expect(puts(person.id)).toBe(1);
  });

  it('when DfE is away, the sweep sends the schedule later, once', async () => {
    const november = await anEhcoIntake('npq-ehco-november');
    const { registered, person, mine, admin } = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: november.id });
    standIn().faults.push({ kind: '500', method: 'PUT', path: '/change-schedule', times: 100 });
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'move', { intakeId: (await anEhcoIntake('npq-ehco-december')).id });
    await t.services.jobs.drain();
    const [waiting] = await changesOf(mine.id);
    expect(waiting?.state).toBe('pending');
    expect(JSON.stringify(waiting?.answer)).toContain('DfE is read again before it is sent again');
    standIn().faults.length = 0;
    await t.database.db.delete(jobs);
    const before = puts(person.id);
    t.clock.advance(1000);
    expect(await sendPendingChanges({ db: t.database.db, clock: t.clock, client: client() })).toBeGreaterThanOrEqual(1);
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-december');
    expect(puts(person.id) - before).toBe(1);
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied']);
  });

  it('never sends a schedule DfE lacks in the participant’s cohort, and tells the admin why', async () => {
    const november = await anEhcoIntake('npq-ehco-november');
    const { registered, person, mine, admin } = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: november.id });
    // March belongs to 2026a at DfE: sent for a 2026b participant, DfE would move them into that
    // unfunded cohort. The catalogue now refuses such an intake; one saved before it did is here.
    const march = await anEhcoIntake('npq-ehco-december');
    await t.database.db.update(intakes).set({ schedule: 'npq-ehco-march' }).where(eq(intakes.id, march.id));
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'move', { intakeId: march.id });
    await t.services.jobs.drain();
    expect(puts(person.id)).toBe(0);
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-november');
    expect(standIn().state.applications.get(registered.id)?.cohort).toBe('2026b');
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['refused']);
    const page = text((await (await admin.signIn('10.127.2.1')).get('/admin/dfe')).body);
    expect(page).toMatch(/Schedule changed Not sent [\s\S]*Not sent: DfE has no schedule npq-ehco-march in cohort 2026b/);
  });

  it('never sends a schedule change for a withdrawn participant, told to DfE or not, and says why', async () => {
    // One withdrawn and told to DfE; one withdrawn whose withdrawal DfE has not had (DfE away for it).
    const told = await anEhcoIntake('npq-ehco-november');
    const a = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: told.id });
    declareStarted(a.registered);
    await t.services.applications.changeParticipant(a.admin.actor, a.mine.id, 'withdraw', { reason: 'personal-reason-moving-school' });
    await t.services.jobs.drain();
    expect(standIn().state.applications.get(a.registered.id)?.trainingStatus).toBe('withdrawn');
    const untold = await anEhcoIntake('npq-ehco-november');
    const b = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: untold.id });
    declareStarted(b.registered);
    standIn().faults.push({ kind: '500', method: 'PUT', path: '/withdraw', times: 100 });
    try {
      await t.services.applications.changeParticipant(b.admin.actor, b.mine.id, 'withdraw', { reason: 'personal-reason-moving-school' });
      await t.services.jobs.drain();
      expect(standIn().state.applications.get(b.registered.id)?.trainingStatus).toBe('active');
      await f.anIntakeChanged(EHCO, told.id, { schedule: 'npq-ehco-december' });
      await f.anIntakeChanged(EHCO, untold.id, { schedule: 'npq-ehco-december' });
      await t.services.jobs.drain();
    } finally {
      standIn().faults.length = 0;
    }
    for (const { person, registered, mine } of [a, b]) {
      expect(puts(person.id)).toBe(0);
      expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-november');
      const [change] = await changesOf(mine.id);
      expect(change?.state).toBe('refused');
      expect(JSON.stringify(change?.answer)).toContain('Not sent: they are withdrawn, and DfE refuses a change of schedule for a withdrawn participant');
    }
    const page = text((await (await a.admin.signIn('10.127.2.2')).get('/admin/dfe')).body);
    expect(page).toContain('Not sent: they are withdrawn');
  });

  it('holds a schedule change while DfE still shows them withdrawn though the platform has them active', async () => {
    const november = await anEhcoIntake('npq-ehco-november');
    const { registered, person, mine, admin } = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: november.id });
    // DfE withdrew them on its side (its admins can), and the platform has not heard.
    standIn().state.applications.get(registered.id)!.trainingStatus = 'withdrawn';
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'move', { intakeId: (await anEhcoIntake('npq-ehco-december')).id });
    await t.services.jobs.drain();
    expect(puts(person.id)).toBe(0);
    const [held] = await changesOf(mine.id);
    expect(held?.state).toBe('pending');
    expect(JSON.stringify(held?.answer)).toContain('DfE shows them withdrawn though the platform does not');
    // Once DfE has them active again, the sweep sends it.
    standIn().state.applications.get(registered.id)!.trainingStatus = 'active';
    await t.database.db.delete(jobs);
    t.clock.advance(1000);
    await sendPendingChanges({ db: t.database.db, clock: t.clock, client: client() });
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-december');
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied']);
  });

  it('on a 410 for a participant id DfE retired, the event’s job moves them to the id kept at once and sends the schedule there', async () => {
    const november = await anEhcoIntake('npq-ehco-november');
    const { registered, person, mine, admin } = await acceptedAtDfe({ fundedPlace: false, course: EHCO, intakeId: november.id });
    const kept = standIn().state.addPerson({ fullName: 'Kept For Schedule', trn: null, email: null }, t.clock.now());
    t.clock.advance(1000);
    standIn().state.mergeParticipants(person.id, kept.id, t.clock.now());
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'move', { intakeId: (await anEhcoIntake('npq-ehco-december')).id });
    // The event's job moves them on from DfE's 410 and sends: no pull of participants ran.
    await t.services.jobs.drain();
    expect(scheduleAtDfe(registered.id)).toBe('npq-ehco-december');
    expect(puts(kept.id)).toBe(1);
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied']);
  });

  it('sent nothing DfE’s document does not allow', () => {
    expect(standIn().violations).toEqual([]);
  });
});
