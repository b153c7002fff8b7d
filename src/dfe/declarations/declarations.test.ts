import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, ValidationError } from '../../platform/errors';
import { factoriesFor, setUp } from '../../testing/factories';
import { dfeDeclarations, dfeStatements } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { approveDeclarations, dismissDeclaration, listDeclarations, proposeAgain, requestVoid, saveDeclarationSettings, weighEvidenceNow } from './declarations.service';
import { auditEvents } from '../../audit/audit.schema';
import { proposeDeclarations } from './propose-declarations';
import { pullDeclarations, pullDeliveryPartners, pullStatements } from './pull-declarations';
import { sendPendingDeclarations } from './send-declarations';
import { sendChangedOutcomes } from './send-outcomes';
import { participantOutcomes } from '../../assessment/assessment.schema';

/**
 * Issue 13 item 3 on a real database against DfE's stand-in: a participant's register mark makes their
 * `started` declaration due, dated by the session; the admin approves it and DfE has it once, eligible
 * and on a statement, even when DfE's answer is lost; a mistaken one is voided (before payment) or
 * clawed back (after); a refusal is kept in DfE's words; each role sees only what it may.
 */
const dfe = useDfeTestApp({ portBase: 44_100, token: 'declarations-token' });
const { t, standIn, client, acceptedAtDfe } = dfe;
const f = factoriesFor(t);
const deps = () => ({ db: t.database.db, clock: t.clock });
const sync = () => ({ db: t.database.db, clock: t.clock, client: client() });
let partnerId: string;
let otherPartnerId: string;

const anIntakeWithEvent1Held = () => dfe.anIntakeWithEvent1Held(partnerId);
const aParticipantWhoCame = () => dfe.aParticipantWhoCame(partnerId);

const rowsOf = async (applicationId: string) => t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, applicationId));
const atDfe = (dfeApplicationId: string) => [...standIn().state.declarations.values()].filter((d) => d.applicationId === dfeApplicationId);

beforeAll(async () => {
  // The platform's partner of the name DfE knows, and one DfE does not list.
  partnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Riverside  teaching school hub', region: '', description: '' });
  otherPartnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Elsewhere Partnership', region: '', description: '' });
  const linked = await pullDeliveryPartners({ client: client() }, (records) => t.services.catalogue.linkPartnersToDfe(setUp, records));
  expect(linked).toEqual({ linked: 1, unmatched: ['Moorland Learning Trust'] });
});

describe('declarations from evidence', () => {
  it('proposes started from the first session attended, dated by its end; nothing before', async () => {
    const intake = await anIntakeWithEvent1Held();
    const { mine } = await acceptedAtDfe({ fundedPlace: true, intakeId: intake.id });
    await proposeDeclarations(deps());
    expect(await rowsOf(mine.id)).toEqual([]);
    await t.services.learning.takeRegister(setUp, intake.id, 'e1', { marks: { [mine.id]: { status: 'present', reason: '' } } });
    const run = await proposeDeclarations(deps());
    expect(run.proposed).toBeGreaterThanOrEqual(1);
    const [started] = await rowsOf(mine.id);
    expect(started).toMatchObject({ declarationType: 'started', state: 'proposed', declarationDate: new Date('2026-11-10T16:00:00Z') });
    expect((started!.evidence as { summary: string }).summary).toMatch(/^Attended .+ \(the first evidence of taking part\)$/);
    // Weighed again: nothing new. A register corrected to absent takes the proposal back.
    expect((await proposeDeclarations(deps(), [mine.id])).proposed).toBe(0);
    await t.services.learning.takeRegister(setUp, intake.id, 'e1', { marks: { [mine.id]: { status: 'absent', reason: 'Was not there after all' } } });
    expect((await proposeDeclarations(deps(), [mine.id])).withdrawn).toBe(1);
    expect(await rowsOf(mine.id)).toEqual([]);
  });

  it('once approved reaches DfE once, eligible, on the statement whose cut-off follows, and the page shows that statement', async () => {
    const { mine, registered, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    const [proposed] = await rowsOf(mine.id);
    expect(await approveDeclarations(deps(), admin.actor, [proposed!.id])).toBe(1);
    await t.services.jobs.drain();
    const [sent] = await rowsOf(mine.id);
    expect(sent).toMatchObject({ state: 'sent', dfeState: 'eligible', attempts: 1 });
    const made = atDfe(registered.id);
    expect(made).toHaveLength(1);
    const riverside = [...standIn().state.deliveryPartners.values()].find((p) => p.name === 'Riverside Teaching School Hub')!;
    expect(made[0]).toMatchObject({ type: 'started', date: '2026-11-10T16:00:00+00:00', deliveryPartnerId: riverside.id });
    expect(sent!.dfeStatementId).toBe(made[0]!.statementId);
    await pullStatements(sync());
    const [statement] = await t.database.db.select().from(dfeStatements).where(eq(dfeStatements.dfeStatementId, sent!.dfeStatementId!));
    expect(statement).toMatchObject({ cutOffDate: '2026-11-30', paymentDate: '2026-12-25', month: 'December', paid: false });
    const listed = await listDeclarations(deps(), admin.actor, { tab: 'sent' }, 1, 500);
    expect(listed.rows.find((r) => r.id === sent!.id)).toMatchObject({ dfeState: 'eligible', statement: { month: 'December', year: '2026', paymentDate: '2026-12-25', paid: false }, actions: ['void'] });
    expect(standIn().violations).toEqual([]);
  });

  it('is made once when DfE’s answer is lost: the sweep reads DfE first and takes what it finds', async () => {
    const { mine, registered, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    standIn().faults.push({ kind: 'drop-after-commit', method: 'POST', path: '/participant-declarations', times: 1 });
    await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
    await t.services.jobs.drain();
    expect((await rowsOf(mine.id))[0]).toMatchObject({ state: 'approved' });
    await sendPendingDeclarations(sync());
    await sendPendingDeclarations(sync());
    expect((await rowsOf(mine.id))[0]).toMatchObject({ state: 'sent', dfeState: 'eligible', attempts: 1 });
    expect(atDfe(registered.id)).toHaveLength(1);
  });

  it('follows a participant id DfE retired (a merge) to the one it kept, at once, and declares there', async () => {
    const { mine, registered, person, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    const kept = standIn().state.addPerson({ fullName: 'Kept Identity', trn: null, email: null }, t.clock.now());
    standIn().state.mergeParticipants(person.id, kept.id, t.clock.now());
    await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
    await t.services.jobs.drain();
    expect((await rowsOf(mine.id))[0]).toMatchObject({ state: 'sent', dfeState: 'eligible' });
    expect(atDfe(registered.id).map((d) => d.personId)).toEqual([kept.id]);
  });

  it('never takes a previous provider’s declaration on a place transferred in as its own: refused with why, nothing sent (the break-it review)', async () => {
    const { mine, registered, admin } = await aParticipantWhoCame();
    const earlier = dfe.declareStarted(registered);
    Object.assign(earlier, { leadProviderId: dfe.seeded().otherProvider.id, state: 'eligible', createdAt: new Date(t.clock.now().getTime() - 40 * 24 * 60 * 60 * 1000) });
    await proposeDeclarations(deps(), [mine.id]);
    await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
    await t.services.jobs.drain();
    const [row] = await rowsOf(mine.id);
    expect(row).toMatchObject({ state: 'refused', dfeDeclarationId: null, attempts: 0 });
    expect(JSON.stringify(row!.answer)).toContain('made by Another Lead Provider before you approved this one');
    expect(atDfe(registered.id)).toHaveLength(1);
  });

  it('voids a mistaken one before payment; after payment it awaits clawback, which the pull shows', async () => {
    const { mine, registered, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
    await t.services.jobs.drain();
    const [sent] = await rowsOf(mine.id);
    await requestVoid(deps(), admin.actor, sent!.id);
    await expect(requestVoid(deps(), admin.actor, sent!.id)).rejects.toBeInstanceOf(ValidationError);
    // While the void is on its way it counts in Being sent only, not in Sent as well.
    const inFlight = async (tab: 'sending' | 'sent') => (await listDeclarations(deps(), admin.actor, { tab, search: mine.fullName }, 1, 10)).rows.map((r) => r.id);
    expect(await inFlight('sending')).toEqual([sent!.id]);
    expect(await inFlight('sent')).toEqual([]);
    expect((await listDeclarations(deps(), admin.actor, { tab: 'sent', search: mine.fullName }, 1, 10)).counts).toMatchObject({ sending: 1, sent: 0 });
    await t.services.jobs.drain();
    const [voided] = (await rowsOf(mine.id)).filter((r) => r.id === sent!.id);
    expect(voided).toMatchObject({ dfeState: 'voided' });
    expect(voided!.voidedAt).not.toBeNull();
    expect(atDfe(registered.id).map((d) => d.state)).toEqual(['voided']);
    // The same evidence (same type and date) does not propose again what the admin voided.
    expect((await proposeDeclarations(deps(), [mine.id])).proposed).toBe(0);
    expect((await rowsOf(mine.id)).filter((r) => r.voidedAt === null)).toEqual([]);
    // The admin asks for it again: proposed, audited; asked twice, told it is there already; a live one is no voided one.
    const againId = await proposeAgain(deps(), admin.actor, sent!.id);
    await expect(proposeAgain(deps(), admin.actor, sent!.id)).rejects.toBeInstanceOf(ValidationError);
    await expect(proposeAgain(deps(), admin.actor, againId)).rejects.toBeInstanceOf(ValidationError);
    const [asked] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, againId));
    expect(asked).toMatchObject({ action: 'dfe.declaration_proposed_again' });
    const again = (await rowsOf(mine.id)).find((r) => r.voidedAt === null)!;
    expect(again).toMatchObject({ id: againId, state: 'proposed', declarationType: 'started', declarationDate: voided!.declarationDate });
    // The evidence leaves it be (no second one), as for any proposal.
    expect((await proposeDeclarations(deps(), [mine.id])).proposed).toBe(0);
    await approveDeclarations(deps(), admin.actor, [again.id]);
    await t.services.jobs.drain();
    // DfE pays December's statement; the pull reads it paid; a void now claws it back.
    const was = t.clock.now();
    t.clock.set('2026-12-02T09:00:00Z');
    try {
      standIn().state.runPayments(t.clock.now(), true);
      await pullDeclarations(sync());
      const [paid] = (await rowsOf(mine.id)).filter((r) => r.id === again.id);
      expect(paid!.dfeState).toBe('paid');
      await requestVoid(deps(), admin.actor, again.id);
      await t.services.jobs.drain();
      const [clawed] = (await rowsOf(mine.id)).filter((r) => r.id === again.id);
      expect(clawed).toMatchObject({ dfeState: 'awaiting-clawback' });
      expect(clawed!.dfeClawbackStatementId).not.toBeNull();
    } finally {
      t.clock.set(was.toISOString());
    }
  });

  it('proposes a voided declaration again once its evidence gives another date', async () => {
    const { mine, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
    await t.services.jobs.drain();
    const [sent] = await rowsOf(mine.id);
    await requestVoid(deps(), admin.actor, sent!.id);
    await t.services.jobs.drain();
    expect((await proposeDeclarations(deps(), [mine.id])).proposed).toBe(0);
    // Voided from evidence of another day (a register corrected since): the evidence now is new, and proposed.
    await t.database.db.update(dfeDeclarations).set({ declarationDate: new Date(sent!.declarationDate.getTime() - 86_400_000) }).where(eq(dfeDeclarations.id, sent!.id));
    expect((await proposeDeclarations(deps(), [mine.id])).proposed).toBe(1);
    expect((await rowsOf(mine.id)).find((r) => r.voidedAt === null)).toMatchObject({ state: 'proposed', declarationDate: sent!.declarationDate });
  });

  it('keeps DfE’s refusal in its words, and lets the admin dismiss it, restore it, and try again', async () => {
    const { mine, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    const kept = new Map(standIn().state.statements);
    standIn().state.statements.clear();
    try {
      await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
      await t.services.jobs.drain();
    } finally {
      for (const [k, v] of kept) standIn().state.statements.set(k, v);
    }
    const [refused] = await rowsOf(mine.id);
    expect(refused!.state).toBe('refused');
    expect(JSON.stringify(refused!.answer)).toContain('The funding contract for this cohort has ended');
    await expect(dismissDeclaration(deps(), admin.actor, refused!.id, ' ')).rejects.toBeInstanceOf(ValidationError);
    await dismissDeclaration(deps(), admin.actor, refused!.id, 'Agreed with DfE by email');
    expect((await rowsOf(mine.id))[0]!.state).toBe('dismissed');
    await dismissDeclaration(deps(), admin.actor, refused!.id, null);
    expect((await rowsOf(mine.id))[0]!.state).toBe('proposed');
    await approveDeclarations(deps(), admin.actor, [refused!.id]);
    await t.services.jobs.drain();
    expect((await rowsOf(mine.id))[0]!.state).toBe('sent');
  });

  it('are sent without approval when the provider says so, and retention follows the provider’s count', async () => {
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    await expect(saveDeclarationSettings(deps(), admin.actor, { retained1Activities: '3', retained2Activities: '2', sendAutomatically: 'no' })).rejects.toMatchObject({ fieldErrors: { retained2Activities: 'Enter the number of sessions for retained-2 as more than for retained-1' } });
    // A proposal made while the admin approved by hand goes too once the provider sends without approval (the break-it review).
    const before = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [before.mine.id]);
    await saveDeclarationSettings(deps(), admin.actor, { retained1Activities: '1', retained2Activities: '5', sendAutomatically: 'yes' });
    try {
      const { mine, registered } = await aParticipantWhoCame();
      const run = await weighEvidenceNow(deps(), admin.actor);
      expect(run.approved.length).toBeGreaterThanOrEqual(2);
      await t.services.jobs.drain();
      expect(atDfe(registered.id).map((d) => d.type).sort()).toEqual(['retained-1', 'started']);
      expect((await rowsOf(mine.id)).map((r) => r.state)).toEqual(['sent', 'sent']);
      expect((await rowsOf(before.mine.id)).map((r) => r.state).sort()).toEqual(['sent', 'sent']);
    } finally {
      await saveDeclarationSettings(deps(), admin.actor, { retained1Activities: '6', retained2Activities: '12', sendAutomatically: 'no' });
    }
  });
});

describe('outcomes (issue 13 item 2; docs/dfe-api.md §3)', () => {
  it('go with completed as has_passed; a review that turns a fail into a pass reaches DfE once; a voided outcome asks the admin to void', async () => {
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    await saveDeclarationSettings(deps(), admin.actor, { retained1Activities: '1', retained2Activities: '2', sendAutomatically: 'no' });
    try {
      const { mine, registered, intake } = await aParticipantWhoCame();
      await t.services.learning.savePlanEntry(setUp, intake.id, 'b1', { date: '2026-11-12', startTime: '17:00', endTime: '18:30', joinUrl: 'https://meet.example.org/b1' });
      await t.services.learning.takeRegister(setUp, intake.id, 'b1', { marks: { [mine.id]: { status: 'present', reason: '' } } });
      const outcome = (state: 'passed' | 'failed' | 'voided') => t.database.db.insert(participantOutcomes).values({ enrolmentId: mine.id, state, completionDate: '2026-11-20', outAt: t.clock.now(), createdAt: t.clock.now() });
      await outcome('failed');
      await proposeDeclarations(deps(), [mine.id]);
      expect((await rowsOf(mine.id)).map((r) => [r.declarationType, r.hasPassed]).sort()).toEqual([['completed', false], ['retained-1', null], ['retained-2', null], ['started', null]]);
      await approveDeclarations(deps(), admin.actor, (await rowsOf(mine.id)).map((r) => r.id));
      await t.services.jobs.drain();
      const outcomesAtDfe = () => standIn().state.outcomes.filter((o) => standIn().state.declarations.get(o.declarationId)?.applicationId === registered.id).map((o) => o.state);
      expect(outcomesAtDfe()).toEqual(['failed']);
      // Nothing changed: nothing sent.
      expect(await sendChangedOutcomes(sync())).toEqual({ sent: 0, refused: 0, voidedHere: 0 });
      await outcome('passed');
      expect(await sendChangedOutcomes(sync())).toEqual({ sent: 1, refused: 0, voidedHere: 0 });
      expect(await sendChangedOutcomes(sync())).toEqual({ sent: 0, refused: 0, voidedHere: 0 });
      expect(outcomesAtDfe()).toEqual(['failed', 'passed']);
      expect((await rowsOf(mine.id)).find((r) => r.declarationType === 'completed')!.hasPassed).toBe(true);
      // A review that moves the completion date, still a pass, is told once too (DfE keeps a pass's first record: §3).
      await t.database.db.insert(participantOutcomes).values({ enrolmentId: mine.id, state: 'passed', completionDate: '2026-11-23', outAt: t.clock.now(), createdAt: t.clock.now() });
      expect(await sendChangedOutcomes(sync())).toEqual({ sent: 1, refused: 0, voidedHere: 0 });
      expect(await sendChangedOutcomes(sync())).toEqual({ sent: 0, refused: 0, voidedHere: 0 });
      await outcome('voided');
      expect((await sendChangedOutcomes(sync())).voidedHere).toBe(1);
      expect(JSON.stringify((await rowsOf(mine.id)).find((r) => r.declarationType === 'completed')!.answer)).toContain('void this declaration');
      expect(outcomesAtDfe()).toEqual(['failed', 'passed']);
      expect(standIn().violations).toEqual([]);
    } finally {
      await saveDeclarationSettings(deps(), admin.actor, { retained1Activities: '6', retained2Activities: '12', sendAutomatically: 'no' });
    }
  });
});

describe('two at once, and ids that name nothing', () => {
  it('two admins approving the same declaration at once send it once; the second is told it was approved since', async () => {
    const { mine, registered, admin } = await aParticipantWhoCame();
    const other = await f.aStaffMember({ role: 'provider_admin' });
    await proposeDeclarations(deps(), [mine.id]);
    const ids = (await rowsOf(mine.id)).map((r) => r.id);
    const results = await Promise.allSettled([approveDeclarations(deps(), admin.actor, ids), approveDeclarations(deps(), other.actor, ids)]);
    expect(results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value)).toEqual([1]);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(ValidationError);
    await t.services.jobs.drain();
    expect(atDfe(registered.id)).toHaveLength(1);
  });

  it('refuses ids that are not ids as choosing nothing, never as a fault', async () => {
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    await expect(approveDeclarations(deps(), admin.actor, ['nope', "1' or '1'='1"])).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('who sees and does what', () => {
  it('a partner’s lead sees their own partner’s declarations only and acts on none; others are refused', async () => {
    const { mine, admin } = await aParticipantWhoCame();
    await proposeDeclarations(deps(), [mine.id]);
    const [row] = await rowsOf(mine.id);
    const lead = await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } });
    const otherLead = await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: otherPartnerId } });
    const seen = await listDeclarations(deps(), lead.actor, { tab: 'due' }, 1, 500);
    expect(seen.rows.find((r) => r.id === row!.id)?.actions).toEqual([]);
    expect((await listDeclarations(deps(), otherLead.actor, { tab: 'due' }, 1, 500)).rows).toEqual([]);
    expect((await listDeclarations(deps(), admin.actor, { tab: 'due' }, 1, 500)).rows.find((r) => r.id === row!.id)?.actions).toEqual(['approve', 'dismiss']);
    await expect(approveDeclarations(deps(), lead.actor, [row!.id])).rejects.toBeInstanceOf(ForbiddenError);
    for (const role of ['participant', 'assessor', 'coach', 'facilitator', 'moderator'] as const) {
      const someone = role === 'participant' ? await f.aParticipantUser() : await f.aStaffMember({ role });
      await expect(listDeclarations(deps(), someone.actor, { tab: 'due' }, 1, 50)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(requestVoid(deps(), someone.actor, row!.id)).rejects.toBeInstanceOf(ForbiddenError);
    }
  });
});
