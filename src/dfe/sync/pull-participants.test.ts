import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { participants } from '../../enrolment/enrolment.schema';
import { jobs } from '../../platform/platform.schema';
import { dfeChanges, dfeSkippedRecords } from '../dfe.schema';
import { sendPendingChanges } from './send-decisions';
import { sendStatusChanges } from './send-status-changes';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { pullApplications } from './pull-applications';
import { idChangesOf, idChangesOfGone, pullParticipants } from './pull-participants';

/**
 * Issue 13 item 2, participants: DfE merges two identities and retires a participant id; the platform's
 * pull of participants moves its person to DfE's current id, so what it sends later reaches them, and
 * keeps for the admin a change it cannot apply (two of its people are one at DfE).
 */
const { t, standIn, client, acceptedAtDfe: accepted, declareStarted } = useDfeTestApp({ portBase: 37_100, token: 'participants-token' });
const pull = () => pullParticipants({ db: t.database.db, clock: t.clock, client: client(), changeId: t.services.applications.recordDfeParticipantIdChange });
/** Who applies DfE's id changes, as the sync's senders are given it. */
const withIdChanges = () => ({ db: t.database.db, clock: t.clock, client: client(), changeId: t.services.applications.recordDfeParticipantIdChange });
/** DfE merges `fromId` into a new identity (§4.5), a second later; the identity kept. */
function mergedIntoNew(fromId: string, fullName: string) {
  const kept = standIn().state.addPerson({ fullName, trn: null, email: null }, t.clock.now());
  t.clock.advance(1000);
  standIn().state.mergeParticipants(fromId, kept.id, t.clock.now());
  return kept;
}
const dfeIdOf = async (participantId: string | null) => (await t.database.db.select({ id: participants.dfeParticipantId }).from(participants).where(eq(participants.id, participantId!)))[0]?.id;

describe('pulling participants from DfE', () => {
  it('moves the platform’s person to the id DfE kept when DfE merges two, once, and later changes reach them there', async () => {
    const { person, registered, mine, admin } = await accepted();
    const kept = standIn().state.addPerson({ fullName: 'Kept Identity', trn: null, email: null }, t.clock.now());
    t.clock.advance(1000);
    standIn().state.mergeParticipants(person.id, kept.id, t.clock.now());
    expect(await pull()).toMatchObject({ idsChanged: 1, conflicts: 0, finished: true });
    expect(await dfeIdOf(mine.participantId)).toBe(kept.id);
    const audited = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'participant.dfe_id_changed'));
    expect(audited.some((a) => a.entityId === mine.participantId)).toBe(true);
    // Read again (the overlap): nothing more to do.
    expect(await pull()).toMatchObject({ idsChanged: 0, conflicts: 0 });
    // A withdrawal now goes to the id DfE kept (a started declaration first, as DfE requires).
    declareStarted(registered);
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'withdraw', { reason: 'other' });
    await t.services.jobs.drain();
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('withdrawn');
    expect(standIn().calls.some((c) => c.method === 'PUT' && c.url.endsWith(`/participants/npq/${kept.id}/withdraw`))).toBe(true);
  });

  it('moves the person along two merges made between pulls (A into B, then B into C), though C lists only B to C, by DfE’s application id', async () => {
    const { person, registered, mine, admin } = await accepted();
    const middle = standIn().state.addPerson({ fullName: 'Middle Identity', trn: null, email: null }, t.clock.now());
    const last = standIn().state.addPerson({ fullName: 'Last Identity', trn: null, email: null }, t.clock.now());
    t.clock.advance(1000);
    standIn().state.mergeParticipants(person.id, middle.id, t.clock.now());
    t.clock.advance(1000);
    standIn().state.mergeParticipants(middle.id, last.id, t.clock.now());
    expect(await pull()).toMatchObject({ idsChanged: 1, conflicts: 0, finished: true });
    expect(await dfeIdOf(mine.participantId)).toBe(last.id);
    expect(await pull()).toMatchObject({ idsChanged: 0, conflicts: 0 });
    // And what is sent next reaches them there, not a 410 for ever.
    declareStarted(registered);
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'withdraw', { reason: 'other' });
    await t.services.jobs.drain();
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('withdrawn');
  });

  it('keeps a merge it cannot apply — both ids are people of the platform — for the admin, changing nobody', async () => {
    const one = await accepted();
    const other = await accepted();
    t.clock.advance(1000);
    standIn().state.mergeParticipants(one.person.id, other.person.id, t.clock.now());
    expect(await pull()).toMatchObject({ idsChanged: 0, conflicts: 1 });
    expect(await dfeIdOf(one.mine.participantId)).toBe(one.person.id);
    expect(await dfeIdOf(other.mine.participantId)).toBe(other.person.id);
    const kept = await t.database.db.select().from(dfeSkippedRecords).where(eq(dfeSkippedRecords.reason, 'id_change_conflict'));
    expect(kept.map((k) => k.dfeApplicationId).sort()).toEqual([one.registered.id, other.registered.id].sort());
    const page = (await (await one.admin.signIn('10.127.0.3')).get('/admin/dfe')).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toContain('DfE merged two participant ids into one that another person in the platform holds');
    expect(page).toContain('Participants (DfE’s id changes)');
    // The applications pull re-reads both applications (the merge moved them): the conflict stays listed.
    t.clock.advance(60_000);
    await pullApplications({ db: t.database.db, clock: t.clock, client: client(), record: t.services.applications.recordDfeApplication });
    expect(await t.database.db.select().from(dfeSkippedRecords).where(eq(dfeSkippedRecords.reason, 'id_change_conflict'))).toHaveLength(2);
  });

  it('holds a change for a participant id DfE retired, showing DfE’s words, until the pull moves them to the id kept; the sweep goes past it meanwhile', async () => {
    const { person, registered, mine, admin } = await accepted();
    declareStarted(registered);
    const kept = standIn().state.addPerson({ fullName: 'Kept Again', trn: null, email: null }, t.clock.now());
    t.clock.advance(1000);
    standIn().state.mergeParticipants(person.id, kept.id, t.clock.now());
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'other' });
    await t.database.db.delete(jobs);
    await expect(sendStatusChanges({ db: t.database.db, clock: t.clock, client: client() }, mine.id)).rejects.toThrow(/retired/);
    const waiting = (await t.database.db.select().from(dfeChanges).where(eq(dfeChanges.applicationId, mine.id))).find((c) => c.kind === 'defer');
    expect(waiting?.state).toBe('pending');
    const page = (await (await admin.signIn('10.127.0.5')).get('/admin/dfe')).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(page).toMatch(/Deferred Waiting \d{1,2} \w+ \d{4}[^“]*DfE said: “/);
    // Another participant's change, made later, is not held up behind it.
    const other = await accepted();
    declareStarted(other.registered);
    await t.database.db.update(dfeChanges).set({ state: 'refused' }).where(eq(dfeChanges.state, 'pending'));
    await t.database.db.update(dfeChanges).set({ state: 'pending' }).where(eq(dfeChanges.id, waiting!.id));
    // Its first send finds DfE away: recorded, and pending.
    standIn().faults.push({ kind: '500', method: 'PUT', path: '/withdraw', times: 1 });
    await t.services.applications.changeParticipant(other.admin.actor, other.mine.id, 'withdraw', { reason: 'other' });
    await t.services.jobs.drain();
    await t.database.db.delete(jobs);
    const sweep = () => sendPendingChanges({ db: t.database.db, clock: t.clock, client: client() }, 1);
    t.clock.advance(1000);
    expect(await sweep()).toBe(0);
    t.clock.advance(1000);
    expect(await sweep()).toBe(1);
    expect(standIn().state.applications.get(other.registered.id)?.trainingStatus).toBe('withdrawn');
    // The pull moves the person to the id kept; the held change then goes.
    await pull();
    t.clock.advance(1000);
    expect(await sweep()).toBe(1);
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('deferred');
  });

  it('on a 410, moves the person to the id DfE kept at once, from DfE’s answer, and sends there — without waiting for a pull', async () => {
    const { person, registered, mine, admin } = await accepted();
    declareStarted(registered);
    const kept = mergedIntoNew(person.id, 'Kept At Once');
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'defer', { reason: 'other' });
    await t.database.db.delete(jobs);
    expect(await sendStatusChanges(withIdChanges(), mine.id)).toBe(1);
    expect(await dfeIdOf(mine.participantId)).toBe(kept.id);
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('deferred');
    expect(standIn().calls.some((c) => c.method === 'PUT' && c.url.endsWith(`/participants/npq/${kept.id}/defer`))).toBe(true);
    // Applied as the pull applies it: audited as the DfE sync, and a later pull finds nothing to do.
    const audited = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'participant.dfe_id_changed'));
    expect(audited.some((a) => a.entityId === mine.participantId && JSON.stringify(a.after).includes(kept.id))).toBe(true);
  });

  it('on a 410, follows a chain of merges (A into B, then B into C) to the id DfE kept last', async () => {
    const { person, registered, mine, admin } = await accepted();
    declareStarted(registered);
    const middle = mergedIntoNew(person.id, 'Middle Again');
    const last = mergedIntoNew(middle.id, 'Last Again');
    await t.services.applications.changeParticipant(admin.actor, mine.id, 'withdraw', { reason: 'other' });
    // The event's job, as the platform runs it, follows the chain: no pull of participants ran.
    await t.services.jobs.drain();
    expect(await dfeIdOf(mine.participantId)).toBe(last.id);
    expect(standIn().state.applications.get(registered.id)?.trainingStatus).toBe('withdrawn');
    // Read at A (410: A→B), at B (410: B→C), then at C.
    const reads = standIn().calls.filter((c) => c.method === 'GET' && [person.id, middle.id, last.id].some((id) => c.url.endsWith(`/participants/npq/${id}`)));
    expect(reads.slice(-3).map((c) => [c.url.split('/').at(-1), c.status])).toEqual([
      [person.id, 410],
      [middle.id, 410],
      [last.id, 200],
    ]);
  });

  it('on a 410 into an id another person of the platform holds, changes nobody and holds the change, saying why', async () => {
    const one = await accepted();
    const other = await accepted();
    declareStarted(one.registered);
    t.clock.advance(1000);
    standIn().state.mergeParticipants(one.person.id, other.person.id, t.clock.now());
    await t.services.applications.changeParticipant(one.admin.actor, one.mine.id, 'defer', { reason: 'other' });
    await t.database.db.delete(jobs);
    await expect(sendStatusChanges(withIdChanges(), one.mine.id)).rejects.toThrow(/retired/);
    expect(await dfeIdOf(one.mine.participantId)).toBe(one.person.id);
    expect(await dfeIdOf(other.mine.participantId)).toBe(other.person.id);
    const held = (await t.database.db.select().from(dfeChanges).where(eq(dfeChanges.applicationId, one.mine.id))).find((c) => c.kind === 'defer');
    expect(held?.state).toBe('pending');
    expect(JSON.stringify(held?.answer)).toContain(`DfE merged them into participant id ${other.person.id}, which another person in the platform holds`);
  });

  it('reads id changes oldest first', () => {
    const item = { id: 'p', attributes: { participant_id_changes: [ { from_participant_id: 'b', to_participant_id: 'p', changed_at: '2026-05-02T10:00:00Z' }, { from_participant_id: 'a', to_participant_id: 'b', changed_at: '2026-05-01T10:00:00Z' } ] } };
    expect(idChangesOf(item).map((c) => c.from)).toEqual(['a', 'b']);
    expect(idChangesOf({ id: 'q', attributes: {} })).toEqual([]);
    // As a 410 carries them (docs/dfe-api.md §4.5), and nothing from an answer that is not one.
    const gone = { errors: [{ title: 'Participant ID has been changed', detail: '…', participant_id_changes: [{ from_participant_id: 'b', to_participant_id: 'c', changed_at: '2026-05-02T10:00:00Z' }, { from_participant_id: 'a', to_participant_id: 'b', changed_at: '2026-05-01T10:00:00Z' }] }] };
    expect(idChangesOfGone(gone).map((c) => [c.from, c.to])).toEqual([
      ['a', 'b'],
      ['b', 'c'],
    ]);
    expect(idChangesOfGone({ text: 'Retry later' })).toEqual([]);
    expect(idChangesOfGone(null)).toEqual([]);
  });

  it('sent nothing DfE’s document does not allow', () => {
    expect(standIn().violations).toEqual([]);
  });
});
