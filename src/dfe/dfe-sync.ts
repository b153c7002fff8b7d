import { randomUUID } from 'node:crypto';
import type { Config } from '../config';
import type { Db } from '../db/client';
import type { DfeApplicationRecord, DfeApplicationRecorded, DfeParticipantIdChange, DfeParticipantIdChangeApplied } from '../enrolment/enrolment.queries';
import type { Clock } from '../platform/clock';
import type { JobRunner } from '../platform/jobs';
import { createDfeClient } from './client/dfe-client';
import { dfeConnection } from './dfe.events';
import { pruneDfeCalls } from './dfe-calls';
import { proposeDeclarations } from './declarations/propose-declarations';
import { pullDeclarations, pullDeliveryPartners, pullStatements } from './declarations/pull-declarations';
import { sendDeclaration, sendPendingDeclarations } from './declarations/send-declarations';
import { sendChangedOutcomes } from './declarations/send-outcomes';
import { DEMO_FUNDED_AT_DFE, DEMO_PARTNER_NAMES } from './stand-in/demo-registrations';
import { seedDfe } from './stand-in/stand-in-seed';
import { createDfeStandIn } from './stand-in/stand-in-server';
import { runReconciliation } from './reconciliation/reconcile';
import { pullApplications } from './sync/pull-applications';
import { pullParticipants } from './sync/pull-participants';
import { sendDecision, sendPendingChanges } from './sync/send-decisions';

/** How often applications are pulled from DfE: DfE asks for polls at random minutes, not on the hour (docs/dfe-api.md §6 rule 3); the overlap is twice this. */
const PULL_EVERY_MS = 5 * 60 * 1000;

/**
 * Connects the platform to DfE's Lead Provider API (issue 13 item 2) and registers its sync on the
 * jobs runner: applications pulled every 5 minutes (a decision made before a record was linked sent
 * then), participants pulled every 5 minutes (DfE's id changes applied), and decisions and status
 * changes still pending sent again every 5 minutes. With DFE_API_URL and DFE_API_TOKEN set, to DfE;
 * without DFE_API_URL, in the demo only, to a DfE stand-in started here on DFE_STAND_IN_PORT and
 * holding a dozen applications registered for the demo provider (docs/adr/0068); otherwise not at all.
 * Gives what it connected to (for the start-up message), or null.
 */
export async function startDfeSync(deps: { config: Config; db: Db; clock: Clock; jobs: JobRunner; record: (r: DfeApplicationRecord) => Promise<DfeApplicationRecorded>; changeId: (change: DfeParticipantIdChange) => Promise<DfeParticipantIdChangeApplied>; linkPartners: (records: { dfeId: string; name: string }[]) => Promise<{ linked: number; unmatched: string[] }>; transferredAway?: (dfeApplicationIds: readonly string[]) => Promise<string[]>; log: (msg: string) => void }): Promise<{ url: string; standIn: boolean; close(): Promise<void> } | null> {
  const { config } = deps;
  const connection = dfeConnection(config);
  if (!connection) {
    if (config.DFE_API_URL) deps.log('DFE_API_URL is set without DFE_API_TOKEN: DfE sync is off');
    return null;
  }
  const { token } = connection;
  let url = config.DFE_API_URL;
  let close = async () => {};
  if (!url) {
    const standIn = createDfeStandIn();
    const now = deps.clock.now();
    const { provider } = seedDfe(standIn.state, now, { providerName: config.branding.name, token });
    const courses = ['npq-headship', 'npq-senior-leadership', 'npq-leading-literacy'];
    for (let i = 0; i < 12; i++) {
      const person = standIn.state.addPerson({ fullName: DEMO_DFE_NAMES[i]!, trn: String(5200000 + i), email: `${DEMO_DFE_NAMES[i]!.toLowerCase().replace(/\W+/g, '.')}@dfe-registered.test`, id: randomUUID() }, now);
      standIn.state.addApplication({ personId: person.id, leadProviderId: provider.id, course: courses[i % courses.length]!, cohort: '2025a', schoolUrn: String(140001 + (i % 5)) }, now);
    }
    // The demo's own partners, confirmed with the provider, and three teachers the demo accepts into its Spring 2025 NPQLT intake.
    for (const name of DEMO_PARTNER_NAMES) standIn.state.addDeliveryPartner(name, { [provider.id]: ['2025a', '2025b', '2026a', '2026b'] }, now);
    for (const p of DEMO_FUNDED_AT_DFE) {
      standIn.state.addPerson({ fullName: p.fullName, trn: p.trn, email: p.email, id: p.dfeParticipantId }, now);
      standIn.state.addApplication({ id: p.dfeApplicationId, personId: p.dfeParticipantId, leadProviderId: provider.id, course: 'npq-leading-teaching', cohort: '2025a', schoolUrn: '140002' }, now);
    }
    try {
      url = await standIn.listen(config.DFE_STAND_IN_PORT);
    } catch (err) {
      deps.log(`DfE stand-in not started (port ${config.DFE_STAND_IN_PORT}: ${(err as Error).message}); DfE sync is off`);
      return null;
    }
    close = () => standIn.close();
  }
  const client = createDfeClient({ baseUrl: url, token, db: deps.db, clock: deps.clock });
  const sync = { db: deps.db, clock: deps.clock, client };
  deps.jobs.every('dfe.pull-applications', PULL_EVERY_MS, async () => {
    const r = await pullApplications({ ...sync, record: deps.record, decided: (id, kind) => sendDecision(sync, id, kind) }, { overlapMs: 2 * PULL_EVERY_MS });
    if (r.created || r.linked || r.transferred_in || r.skipped) deps.jobs.say(`DfE applications: ${r.created} new, ${r.linked} matched to the platform's own, ${r.transferred_in} transferred in from another provider, ${r.skipped} not taken in (see /admin/dfe), ${r.read} read`);
  });
  deps.jobs.every('dfe.pull-participants', PULL_EVERY_MS, async () => {
    const r = await pullParticipants({ ...sync, changeId: deps.changeId }, { overlapMs: 2 * PULL_EVERY_MS });
    if (r.idsChanged || r.conflicts) deps.jobs.say(`DfE participants: ${r.idsChanged} ids changed to DfE's current ones, ${r.conflicts} that could not be (see /admin/dfe), ${r.read} read`);
  });
  // Decisions and status changes the event's job could not send (DfE away longer than its retries, or not connected then).
  deps.jobs.every('dfe.send-pending', PULL_EVERY_MS, async () => {
    const n = await sendPendingChanges({ ...sync, changeId: deps.changeId });
    if (n) deps.jobs.say(`DfE: ${n} pending changes settled`);
  });
  // Declarations (issue 13 item 3): DfE's delivery partners matched by name, the evidence weighed hourly
  // (due ones proposed, or sent where the provider says so), approved ones and voids sent, and DfE's
  // states and statements read back.
  deps.jobs.every('dfe.pull-delivery-partners', 60 * 60 * 1000, async () => {
    const r = await pullDeliveryPartners(sync, deps.linkPartners);
    if (r.linked || r.unmatched.length) deps.jobs.say(`DfE delivery partners: ${r.linked} matched by name${r.unmatched.length ? `; not in the platform: ${r.unmatched.join(', ')}` : ''}`);
  });
  deps.jobs.every('dfe.propose-declarations', 60 * 60 * 1000, async () => {
    const r = await proposeDeclarations(sync);
    for (const id of r.approved) await sendDeclaration({ ...sync, changeId: deps.changeId }, id).catch(() => undefined);
    if (r.proposed || r.withdrawn) deps.jobs.say(`DfE declarations: ${r.proposed} due from evidence${r.approved.length ? ` (${r.approved.length} sent without approval, as the provider set)` : ''}, ${r.withdrawn} no longer supported by it, over ${r.places} places`);
  });
  deps.jobs.every('dfe.send-declarations', PULL_EVERY_MS, async () => {
    const n = await sendPendingDeclarations({ ...sync, changeId: deps.changeId });
    if (n) deps.jobs.say(`DfE: ${n} declarations and voids settled`);
    // Outcomes changed since their completed declaration went (a review of marking).
    const o = await sendChangedOutcomes(sync);
    if (o.sent || o.refused || o.voidedHere) deps.jobs.say(`DfE outcomes: ${o.sent} sent, ${o.refused} refused, ${o.voidedHere} voided here (void their declarations)`);
  });
  deps.jobs.every('dfe.pull-declarations', PULL_EVERY_MS, async () => {
    const r = await pullDeclarations(sync, { overlapMs: 2 * PULL_EVERY_MS });
    if (r.changed) deps.jobs.say(`DfE declarations read back: ${r.changed} changed at DfE, ${r.read} read`);
  });
  deps.jobs.every('dfe.pull-statements', 60 * 60 * 1000, async () => void (await pullStatements(sync, { overlapMs: 2 * 60 * 60 * 1000 })));
  // Reconciliation (issue 13 item 6): the platform compared with DfE read whole, nightly; the differences on /admin/dfe/reconciliation.
  deps.jobs.every('dfe.reconcile', 24 * 60 * 60 * 1000, async () => {
    const r = await runReconciliation({ ...sync, transferredAway: deps.transferredAway });
    if (r.state === 'finished') deps.jobs.say(`DfE reconciliation: ${Object.values(r.counts.differences).reduce((a, b) => a + b, 0)} differences, ${Object.values(r.counts.onItsWay).reduce((a, b) => a + b, 0)} changes on their way (see /admin/dfe/reconciliation)`);
  });
  // Calls are kept a year (issue 13 item 4), then go.
  deps.jobs.every('dfe.prune-calls', 24 * 60 * 60 * 1000, async () => void (await pruneDfeCalls(deps.db, deps.clock)));
  return { url, standIn: !config.DFE_API_URL, close };
}

const DEMO_DFE_NAMES = ['Amara Okafor', 'Ben Whitaker', 'Chloe Nguyen', 'Dev Patel', 'Erin McAllister', 'Farid Haddad', 'Grace Lin', 'Harry Osei', 'Isla Fraser', 'Jonah Levi', 'Keira Walsh', 'Luca Romano'];
