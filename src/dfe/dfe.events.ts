import type { Config } from '../config';
import type { Db } from '../db/client';
import type { Clock } from '../platform/clock';
import type { EventHandlers } from '../platform/events';
import { createDfeClient, type DfeClient } from './client/dfe-client';
import { pullDeclarations, pullStatements } from './declarations/pull-declarations';
import { sendDeclaration, sendVoid } from './declarations/send-declarations';
import { runReconciliation } from './reconciliation/reconcile';
import { STATUS_CHANGE_EVENTS } from './domain/status-changes';
import { sendDecision } from './sync/send-decisions';
import { sendFundedPlace } from './sync/send-funded-place';
import { sendSchedule } from './sync/send-schedule';
import type { ChangeDfeParticipantId } from './sync/pull-participants';
import { sendStatusChanges } from './sync/send-status-changes';

/** The token the demo's stand-in accepts when DFE_API_TOKEN is unset. */
export const DEMO_DFE_TOKEN = 'dfe-stand-in-token';

/**
 * Where the platform reaches DfE's API, from configuration: DFE_API_URL with DFE_API_TOKEN; in the demo
 * without DFE_API_URL, the stand-in the demo starts (dfe-sync.ts) on DFE_STAND_IN_PORT. Null: not connected.
 */
export function dfeConnection(config: Config): { baseUrl: string; token: string } | null {
  if (config.DFE_API_URL) return config.DFE_API_TOKEN ? { baseUrl: config.DFE_API_URL, token: config.DFE_API_TOKEN } : null;
  return config.DEMO ? { baseUrl: `http://127.0.0.1:${config.DFE_STAND_IN_PORT}`, token: config.DFE_API_TOKEN ?? DEMO_DFE_TOKEN } : null;
}

/**
 * The DfE sync's reactions to enrolment's events (issue 13 item 2), registered in every process so
 * whichever dispatches an event queues them: the provider's acceptance or rejection of an application
 * DfE holds is sent to DfE, exactly once (sendDecision); so is a participant's deferral, resumption or
 * withdrawal, in the order made (sendStatusChanges), a change of funded place (sendFundedPlace), and a
 * change of schedule when a participant moves intake or their intake's schedule changes (sendSchedule),
 * declarations the admin approved (sendDeclaration) and voids asked for (sendVoid).
 * A failed send is retried by the job runner. With `changeId` (enrolment's recordDfeParticipantIdChange,
 * the participants pull's own), a participant id DfE retired (410) is moved on at once from DfE's answer.
 * Without a connection nothing is sent.
 */
export function dfeEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock; config: Config; changeId?: ChangeDfeParticipantId; transferredAway?: (dfeApplicationIds: readonly string[]) => Promise<string[]> }): void {
  let client: DfeClient | null | undefined;
  const connected = () => {
    if (client === undefined) {
      const c = dfeConnection(deps.config);
      client = c ? createDfeClient({ ...c, db: deps.db, clock: deps.clock }) : null;
    }
    return client;
  };
  events
    .on('application.accepted', 'dfe', async ({ payload }) => {
      const c = connected();
      if (c) await sendDecision({ db: deps.db, clock: deps.clock, client: c }, payload.applicationId, 'accept');
    })
    .on('application.rejected', 'dfe', async ({ payload }) => {
      const c = connected();
      if (c) await sendDecision({ db: deps.db, clock: deps.clock, client: c }, payload.applicationId, 'reject');
    })
    .on('application.funded_place_changed', 'dfe', async ({ id, payload }) => {
      const c = connected();
      if (c) await sendFundedPlace({ db: deps.db, clock: deps.clock, client: c, changeId: deps.changeId }, payload.applicationId, id);
    })
    .on('participant.moved', 'dfe', async ({ id, payload }) => {
      const c = connected();
      if (c) await sendSchedule({ db: deps.db, clock: deps.clock, client: c, changeId: deps.changeId }, payload.applicationId, id);
    })
    .on('dfe.declarations_approved', 'dfe', async ({ payload }) => {
      const c = connected();
      if (!c) return;
      // Each on its own, as for schedules: the sweep sends again any left approved.
      const failures: unknown[] = [];
      for (const declarationId of payload.ids) await sendDeclaration({ db: deps.db, clock: deps.clock, client: c, changeId: deps.changeId }, declarationId).catch((err) => failures.push(err));
      if (failures.length) throw failures[0];
    })
    .on('dfe.declaration_void_requested', 'dfe', async ({ payload }) => {
      const c = connected();
      if (c) await sendVoid({ db: deps.db, clock: deps.clock, client: c }, payload.id);
    })
    .on('dfe.read_back_asked', 'dfe', async () => {
      const c = connected();
      if (!c) return;
      await pullStatements({ db: deps.db, clock: deps.clock, client: c });
      await pullDeclarations({ db: deps.db, clock: deps.clock, client: c });
    })
    // The admin's "Compare with DfE now": a run already going is not doubled (it answers busy).
    .on('dfe.reconcile_asked', 'dfe', async () => {
      const c = connected();
      if (c) await runReconciliation({ db: deps.db, clock: deps.clock, client: c, transferredAway: deps.transferredAway });
    })
    .on('application.schedule_changed', 'dfe', async ({ id, payload }) => {
      const c = connected();
      if (!c) return;
      // Each is its own: one participant DfE cannot be told of yet does not hold up the rest (the job, tried again, records none twice).
      const failures: unknown[] = [];
      for (const applicationId of payload.applicationIds) await sendSchedule({ db: deps.db, clock: deps.clock, client: c, changeId: deps.changeId }, applicationId, id).catch((err) => failures.push(err));
      if (failures.length) throw failures[0];
    });
  for (const type of STATUS_CHANGE_EVENTS) {
    events.on(type, 'dfe', async ({ payload }) => {
      const c = connected();
      if (c) await sendStatusChanges({ db: deps.db, clock: deps.clock, client: c, changeId: deps.changeId }, payload.applicationId);
    });
  }
}
