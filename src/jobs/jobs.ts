import path from 'node:path';
import { diskFileStore } from '../platform/file-store';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { applicationEventHandlers } from '../enrolment/applications/applications.events';
import { dfeEventHandlers } from '../dfe/dfe.events';
import { diagnosticEventHandlers } from '../diagnostic/diagnostic.events';
import { learningEventHandlers } from '../learning/learning.events';
import { engagementEventHandlers } from '../engagement/engagement.events';
import { interestEventHandlers } from '../enrolment/interest.events';
import { participantEventHandlers } from '../enrolment/participants/participants.events';
import { peopleEventHandlers } from '../people/people.events';
import { schoolApprovalEventHandlers } from '../enrolment/school-approval/school-approval.events';
import type { Clock } from '../platform/clock';
import { secretBox } from '../platform/crypto';
import { createEventHandlers } from '../platform/events';
import { createJobRunner, pruneDoneJobs } from '../platform/jobs';
import { pruneRateLimits } from '../platform/rate-limit-store';
import { pruneFormReplays } from '../platform/form-replay';
import type { ChangeDfeParticipantId } from '../dfe/sync/pull-participants';

/** The approval reminder sweep's period: line managers are reminded, and links expire, within the hour. */
const APPROVAL_SWEEP_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The platform's one jobs runner with every event handler and sweep registered (docs/adr/0030). Built
 * with the services, not started: server.ts starts it (and adds mail delivery when SMTP is set); tests
 * call `drain()`.
 */
export function createJobs(deps: { db: Db; clock: Clock; config: Config }, services: { applications: { remindAndExpireApprovals(): Promise<{ reminded: number; expired: number }>; recordDfeParticipantIdChange: ChangeDfeParticipantId; recordDfeTransfersAway: (dfeApplicationIds: readonly string[]) => Promise<string[]> }; learning: { sendReminders(): Promise<number> }; engagement: { refreshEngagementIfDue(): Promise<{ participants: number; atRisk: number; ms: number } | undefined>; sendRiskDigests(site: { baseUrl: string; providerName: string }): Promise<number> }; assessment: { purgeRemovedProjectEntries(): Promise<number>; announceReleasedResults(): Promise<number> } }) {
  const { db, clock, config } = deps;
  const runner = createJobRunner({ db, clock });
  const events = createEventHandlers(runner, db, clock);
  const site = { baseUrl: config.baseUrl, providerName: config.branding.name };
  // Handlers open the sealed tokens their emails link to (never carried by events), with the services' key.
  const secrets = secretBox(config.cookieSecret);
  interestEventHandlers(events, { db, clock, site });
  applicationEventHandlers(events, { db, clock, site });
  participantEventHandlers(events, { db, clock });
  schoolApprovalEventHandlers(events, { db, clock, secrets, site });
  peopleEventHandlers(events, { db, clock, secrets, site });
  diagnosticEventHandlers(events, { db, clock, secrets, site });
  learningEventHandlers(events, { db, clock, secrets, files: diskFileStore(path.resolve(config.DATA_DIR, 'uploads')), ...site });
  engagementEventHandlers(events, { db, clock });
  // A participant id DfE retired (410) is moved on at once by the senders, with the participants pull's own use case.
  dfeEventHandlers(events, { db, clock, config, changeId: services.applications.recordDfeParticipantIdChange, transferredAway: services.applications.recordDfeTransfersAway });
  // Every change the sweep makes is conditional on what it read, so a sweep retried after a crash is safe.
  runner.every('approvals.remind-and-expire', APPROVAL_SWEEP_MS, async () => {
    const r = await services.applications.remindAndExpireApprovals();
    if (r.reminded || r.expired) runner.say(`school approval reminders: ${r.reminded} sent, ${r.expired} links expired`);
  });
  // Reminders of sessions two days ahead and pre-work due soon: each sent once (reminders_sent).
  runner.every('learning.reminders', APPROVAL_SWEEP_MS, async () => {
    const n = await services.learning.sendReminders();
    if (n) runner.say(`programme reminders: ${n} queued`);
  });
  // Engagement computed afresh for everyone in training, daily (issue 11 item 3: "the nightly engagement computation").
  runner.every('engagement.nightly', DAY_MS, async () => {
    const r = await services.engagement.refreshEngagementIfDue();
    if (r) runner.say(`engagement: ${r.participants} participants computed in ${r.ms} ms, ${r.atRisk} flagged at risk`);
  });
  // The weekly digest of participants newly flagged at risk (issue 11 item 4): the first run in a week sends it, once per person (risk_digests_sent).
  runner.every('engagement.risk-digest', APPROVAL_SWEEP_MS, async () => {
    const n = await services.engagement.sendRiskDigests(site);
    if (n) runner.say(`early warning: ${n} weekly digests queued`);
  });
  // Done jobs are history for a week (what ran, when, after how many attempts), sweeps' for a day.
  runner.every('jobs.prune', APPROVAL_SWEEP_MS, async () => void (await pruneDoneJobs(db, clock, { jobsMs: 7 * DAY_MS, sweepsMs: DAY_MS })));
  // Rate-limit windows that have ended count nothing: their rows go hourly.
  runner.every('rate-limits.prune', APPROVAL_SWEEP_MS, async () => void (await pruneRateLimits(db, clock)));
  // Pages kept for a refused form hold what was typed: gone within the hour of expiring, not only when later forms are refused.
  runner.every('form-replays.prune', APPROVAL_SWEEP_MS, async () => void (await pruneFormReplays(db, clock)));
  // Project log entries removed and past putting back go, with their files (issue 12 item 2).
  runner.every('assessment.purge-removed-entries', APPROVAL_SWEEP_MS, async () => void (await services.assessment.purgeRemovedProjectEntries()));
  // Participants are emailed on their results' release day (issue 12 item 6), once per release.
  runner.every('assessment.announce-results', APPROVAL_SWEEP_MS, async () => {
    const n = await services.assessment.announceReleasedResults();
    if (n) runner.say(`results released: ${n} participants emailed`);
  });
  return runner;
}
