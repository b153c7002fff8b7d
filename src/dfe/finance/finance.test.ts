import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { factoriesFor, setUp } from '../../testing/factories';
import { approveDeclarations, requestVoid } from '../declarations/declarations.service';
import { proposeDeclarations } from '../declarations/propose-declarations';
import { pullDeclarations, pullDeliveryPartners, pullStatements } from '../declarations/pull-declarations';
import { dfeDeclarations, dfeStatements } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { type ContractInput, contractCohorts, forecast, listContracts, listStatements, npqNames, saveContract, statementReckoning } from './finance.service';

/**
 * Issue 13 item 5 on a real database against DfE's stand-in: the admin sets the contract (finance reads
 * it); a declaration DfE holds eligible is expected and held alike on December's statement with the
 * service fee; one DfE voided unasked and one still to be sent are listed with their causes; the
 * forecast prices what is still to come; everyone else is refused.
 */
const dfe = useDfeTestApp({ portBase: 46_100, token: 'finance-token' });
const { t, standIn, client } = dfe;
const f = factoriesFor(t);
const deps = () => ({ db: t.database.db, clock: t.clock });
const sync = () => ({ db: t.database.db, clock: t.clock, client: client() });
let partnerId: string;

const npqh: ContractInput = { cohort: '2026b', courseIdentifier: 'npq-headship', perParticipant: '£3,000', recruitmentTarget: '20', outputPaymentPercent: '60', serviceFeePercent: '40', serviceFeeInstalments: '12' };
const rowsOf = async (applicationId: string) => t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, applicationId));
/** A participant who came to Event 1, their started declaration proposed (and approved and sent, unless `send` is false). */
async function aStartedDeclaration(send = true) {
  const { mine, registered, admin } = await dfe.aParticipantWhoCame(partnerId);
  await proposeDeclarations(deps(), [mine.id]);
  const [row] = await rowsOf(mine.id);
  if (send) {
    await approveDeclarations(deps(), admin.actor, [row!.id]);
    await t.services.jobs.drain();
  }
  return { mine, registered, row: (await rowsOf(mine.id))[0]! };
}

beforeAll(async () => {
  partnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Riverside Teaching School Hub', region: '', description: '' });
  await pullDeliveryPartners({ client: client() }, (records) => t.services.catalogue.linkPartnersToDfe(setUp, records));
});

describe('contracts', () => {
  it('are set by the admin alone, checked field by field, audited; finance reads them', async () => {
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    const finance = await f.aStaffMember({ role: 'finance' });
    const cohorts = await contractCohorts(deps(), finance.actor);
    expect(cohorts).toContain('2026b');
    await expect(saveContract(deps(), finance.actor, npqh, cohorts)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(saveContract(deps(), admin.actor, { cohort: '1999a', courseIdentifier: 'npq-cooking', perParticipant: '12.345', recruitmentTarget: 'ten', outputPaymentPercent: '70', serviceFeePercent: '40', serviceFeeInstalments: '0' }, cohorts)).rejects.toMatchObject({
      fieldErrors: {
        cohort: 'Select the cohort',
        courseIdentifier: 'Select the NPQ',
        perParticipant: 'Enter the price per participant in pounds and pence, like 2,500 or 2500.00',
        recruitmentTarget: 'Enter the recruitment target as a whole number',
        serviceFeePercent: 'The output payment and service fee shares together must be 100% or less',
        serviceFeeInstalments: 'Enter the number of service fee instalments from 1 to 120',
      },
    });
    await expect(saveContract(deps(), admin.actor, { ...npqh, perParticipant: '' }, cohorts)).rejects.toBeInstanceOf(ValidationError);
    await saveContract(deps(), admin.actor, { ...npqh, perParticipant: '2500' }, cohorts);
    await saveContract(deps(), admin.actor, npqh, cohorts);
    expect(await listContracts(deps(), finance.actor)).toEqual([{ cohort: '2026b', courseIdentifier: 'npq-headship', perParticipantPence: 300_000, recruitmentTarget: 20, outputPaymentPercent: 60, serviceFeePercent: 40, serviceFeeInstalments: 12 }]);
    const audited = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'dfe.contract_set'), eq(auditEvents.entityId, '2026b/npq-headship')));
    expect(audited).toHaveLength(2);
    expect(audited.find((a) => (a.before as { perParticipantPence?: number } | null)?.perParticipantPence === 250_000)?.after).toMatchObject({ perParticipantPence: 300_000 });
  });
});

describe('expected against paid', () => {
  it('agrees on a declaration DfE holds eligible, adds the service fee, and lists one DfE voided and one still to send with their causes', async () => {
    const finance = await f.aStaffMember({ role: 'finance' });
    const held = await aStartedDeclaration();
    const voided = await aStartedDeclaration();
    const waiting = await aStartedDeclaration(false);
    expect(held.row).toMatchObject({ state: 'sent', dfeState: 'eligible' });
    // DfE voids one without being asked (an admin at DfE, a merged identity); the pull reads it back.
    t.clock.advance(60_000);
    const atDfe = [...standIn().state.declarations.values()].find((d) => d.applicationId === voided.registered.id)!;
    Object.assign(atDfe, { state: 'voided', statementId: null, updatedAt: t.clock.now() });
    await pullDeclarations(sync());
    await pullStatements(sync());
    const r = await statementReckoning(deps(), finance.actor, held.row.dfeStatementId!);
    expect(r.statement).toMatchObject({ month: 'December', year: '2026', cutOffDate: '2026-11-30', paid: false });
    expect(r.cohort).toBe('2026b');
    // The statements of 2026 are paid from October 2026: December's is the third instalment of twelve.
    expect(r.instalment).toBe(3);
    expect(r.serviceFeePence).toBe(200_000);
    const line = (id: string) => r.lines.find((l) => l.declaration.id === id);
    expect(line(held.row.id)).toMatchObject({ kind: 'output', expectedPence: 45_000, dfePence: 45_000, cause: null });
    expect(line(voided.row.id)).toMatchObject({ expectedPence: 45_000, dfePence: 0, cause: 'voided_at_dfe' });
    expect(line(waiting.row.id)).toMatchObject({ expectedPence: 45_000, dfePence: 0, cause: 'waiting_to_be_sent' });
    expect(r.counts.started?.eligible).toBeGreaterThanOrEqual(1);
    expect(r.expectedPence - r.dfePence).toBe(r.lines.reduce((n, l) => n + (l.expectedPence ?? 0) - (l.dfePence ?? 0), 0));
    expect(r.dfePence).toBe(r.lines.reduce((n, l) => n + (l.dfePence ?? 0), 0) + 200_000);
    // The list: December's statement among 2026's, with its differences counted.
    const listed = await listStatements(deps(), finance.actor, { cohort: '2026' }, 1, 100);
    expect(listed.cohorts).toContain('2026');
    expect(listed.total).toBe(listed.rows.length);
    expect(listed.rows.find((s) => s.statement.id === held.row.dfeStatementId)).toMatchObject({ cohort: '2026b', expectedPence: r.expectedPence, dfePence: r.dfePence, differences: r.differences.length });
    // Latest payment first.
    expect(listed.rows[0]!.statement.paymentDate >= listed.rows.at(-1)!.statement.paymentDate).toBe(true);
    await expect(statementReckoning(deps(), finance.actor, 'no-such-statement')).rejects.toBeInstanceOf(NotFoundError);
    expect((await t.database.db.select().from(dfeStatements)).length).toBeGreaterThan(0);
    expect(standIn().violations).toEqual([]);
  });

  it('keeps a paid declaration voided afterwards on its paid statement, and takes it back on the clawback statement', async () => {
    const finance = await f.aStaffMember({ role: 'finance' });
    const { mine, row } = await aStartedDeclaration();
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    const was = t.clock.now();
    t.clock.set('2026-12-02T09:00:00Z');
    try {
      // DfE pays December's statement; the admin voids it after: clawed back on the next statement (§2.7).
      standIn().state.runPayments(t.clock.now(), true);
      await pullDeclarations(sync());
      await requestVoid(deps(), admin.actor, row.id);
      await t.services.jobs.drain();
      await pullStatements(sync());
      const [clawed] = await rowsOf(mine.id);
      expect(clawed).toMatchObject({ dfeState: 'awaiting-clawback', dfeStatementId: row.dfeStatementId });
      const paid = await statementReckoning(deps(), finance.actor, row.dfeStatementId!);
      expect(paid.statement.paid).toBe(true);
      expect(paid.lines.find((l) => l.declaration.id === row.id)).toMatchObject({ kind: 'output', expectedPence: 45_000, dfePence: 45_000, cause: null });
      const next = await statementReckoning(deps(), finance.actor, clawed!.dfeClawbackStatementId!);
      expect(next.lines.find((l) => l.declaration.id === row.id)).toMatchObject({ kind: 'clawback', expectedPence: -45_000, dfePence: -45_000, cause: null });
      expect(next.counts.started?.['awaiting-clawback']).toBe(1);
    } finally {
      t.clock.set(was.toISOString());
    }
  });

  it('reckons the service fee on every month’s statement though DfE lists two a month for 2026 alike but for their ids, and counts no note as a difference', async () => {
    const finance = await f.aStaffMember({ role: 'finance' });
    const { rows } = await listStatements(deps(), finance.actor, { cohort: '2026' }, 1, 100);
    const months = new Map<string, typeof rows>();
    for (const r of rows) months.set(r.statement.paymentDate, [...(months.get(r.statement.paymentDate) ?? []), r]);
    expect(months.size).toBeGreaterThan(1);
    for (const [month, pair] of months) {
      // 2026b is the only 2026 cohort with a contract here: one of the month's two is its, with the fee; the other 2026a's.
      expect(pair.map((r) => r.cohort).sort(), month).toEqual(['2026a', '2026b']);
      expect(pair.every((r) => r.cohortBasis !== 'ambiguous' && r.cohortBasis !== 'no_contract'), month).toBe(true);
      const theirs = pair.find((r) => r.cohort === '2026b')!;
      expect(theirs.expectedPence, month).toBeGreaterThanOrEqual(200_000);
      // 2026a's has no contract: a note, not a difference.
      const other = pair.find((r) => r.cohort === '2026a')!;
      expect(other.notes.some((n) => n.startsWith('No contract for cohort 2026a')), month).toBe(true);
      if (!other.declarations) expect(other.differences, month).toBe(0);
    }
  });

  it('keeps a declaration voided before payment on its statement, saying so, with nothing owed', async () => {
    const finance = await f.aStaffMember({ role: 'finance' });
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    const { mine, row } = await aStartedDeclaration();
    const statementId = row.dfeStatementId!;
    await requestVoid(deps(), admin.actor, row.id);
    await t.services.jobs.drain();
    await pullDeclarations(sync());
    await pullStatements(sync());
    const [voided] = await rowsOf(mine.id);
    expect(voided).toMatchObject({ dfeState: 'voided', dfeStatementId: null });
    // DfE takes a voided declaration off its statement (statement_id null, and the platform's pull keeps no former one): the platform
    // shows it on the one statement it expects it on (the first open for its cohort after it was sent), saying it was voided.
    expect(statementId).toBeTruthy();
    const { rows } = await listStatements(deps(), finance.actor, { cohort: '2026', future: true }, 1, 1000);
    const all = await Promise.all(rows.map((s) => statementReckoning(deps(), finance.actor, s.statement.id)));
    const showing = all.filter((r) => r.lines.some((l) => l.declaration.id === row.id));
    expect(showing).toHaveLength(1);
    expect(showing[0]!.cohort).toBe('2026b');
    expect(showing[0]!.lines.find((l) => l.declaration.id === row.id)).toMatchObject({ kind: 'output', expectedPence: 0, dfePence: 0, cause: null, note: 'voided_before_payment' });
    expect(showing[0]!.differences.find((l) => l.declaration.id === row.id)).toBeUndefined();
  });

  it('names the NPQs as the catalogue does, by DfE’s course identifier', async () => {
    const finance = await f.aStaffMember({ role: 'finance' });
    const names = await npqNames(deps(), finance.actor);
    expect(names.get('npq-headship')).not.toBe('npq-headship');
    expect(names.get('npq-headship')).toMatch(/headship/i);
    const lead = await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } });
    await expect(npqNames(deps(), lead.actor)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('forecasts output payments still to come, by cohort where DfE published no milestones', async () => {
    const finance = await f.aStaffMember({ role: 'finance' });
    await aStartedDeclaration();
    const groups = await forecast(deps(), finance.actor);
    const of2026b = groups.find((g) => g.cohort === '2026b')!;
    // Each NPQH place in training has its leadership schedule's four types, less those DfE has.
    expect(of2026b.declarations).toBeGreaterThanOrEqual(3);
    expect(of2026b.pence).toBe((of2026b.declarations - of2026b.withoutContract) * 45_000);
  });
});

describe('who may', () => {
  it('refuses everyone but the admin and finance, on every use case', async () => {
    const lead = await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } });
    const participant = await f.aParticipantUser();
    for (const someone of [lead, participant, await f.aStaffMember({ role: 'assessor' }), await f.aStaffMember({ role: 'facilitator' })]) {
      await expect(listStatements(deps(), someone.actor, {}, 1, 10)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(statementReckoning(deps(), someone.actor, 'any')).rejects.toBeInstanceOf(ForbiddenError);
      await expect(forecast(deps(), someone.actor)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(listContracts(deps(), someone.actor)).rejects.toBeInstanceOf(ForbiddenError);
      await expect(saveContract(deps(), someone.actor, npqh, ['2026b'])).rejects.toBeInstanceOf(ForbiddenError);
    }
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    expect((await listStatements(deps(), admin.actor, {}, 1, 10)).rows.length).toBeLessThanOrEqual(10);
  });
});
