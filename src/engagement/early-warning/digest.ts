import { Temporal } from '@js-temporal/polyfill';
import { and, asc, desc, eq, gt, inArray, or } from 'drizzle-orm';
import { enrolmentIdsOfPartnersQuery } from '../../enrolment/enrolment.queries';
import { type Email, enqueueEmail } from '../../mail/outbox';
import { partnerLeadsAndFacilitators, type PartnerRoleHolder } from '../../people/people.queries';
import { ukDate } from '../../platform/clock';
import type { EngagementContext } from '../engagement.context';
import { engagementSnapshots, riskDigestsSent } from '../engagement.schema';

/** The hour (UK time) before which no digest goes: the first run of the week after it sends, so it comes on Monday morning, not at midnight. */
export const DIGEST_NOT_BEFORE_HOUR = 7;

/** How far back the first digest a person gets looks for new flags, in days. */
const FIRST_DIGEST_LOOKS_BACK_DAYS = 7;

/** The ISO week of a UK date, as "2026-W48": one digest per person per week. */
export function isoWeekOf(date: string): string {
  const d = Temporal.PlainDate.from(date);
  return `${d.yearOfWeek}-W${String(d.weekOfYear).padStart(2, '0')}`;
}

/** A participant newly flagged, as a digest lists them. */
export interface NewlyFlagged {
  enrolmentId: string;
  fullName: string;
  riskScore: number;
  signals: number;
}

/**
 * The weekly digest (issue 11 item 4: "a weekly email digest lists new ones"). It names each
 * participant and how many signals were found, not what they are: email passes through hands the
 * platform does not control, so the reasons stay behind sign-in (docs/adr/0058).
 */
export const riskDigestEmail = (p: { to: string; name: string; flagged: readonly NewlyFlagged[]; baseUrl: string; providerName: string }): Email => {
  const n = p.flagged.length;
  const lines = p.flagged.map((f) => `- ${f.fullName}: ${f.signals} ${f.signals === 1 ? 'signal' : 'signals'}, weighing ${f.riskScore}\n  ${p.baseUrl}/engagement/participants/${f.enrolmentId}`);
  return {
    to: p.to,
    subject: `${n} ${n === 1 ? 'participant' : 'participants'} newly flagged at risk`,
    body: `Hello ${p.name},\n\n${n === 1 ? 'This participant you support has' : 'These participants you support have'} been flagged at risk of falling behind since your last digest:\n\n${lines.join('\n')}\n\nEach page shows the signals and their weights (you will be asked to sign in). When you have called, emailed or met them, record it there: the flag clears until something new comes up.\n\nEveryone flagged now: ${p.baseUrl}/engagement?risk=yes\n\n${p.providerName}\n`,
  };
};

/**
 * Sends this week's digest to each partner lead and facilitator: the participants newly flagged at
 * risk since their last digest (or in the last FIRST_DIGEST_LOOKS_BACK_DAYS days, for a first) of their
 * partners (a lead) and of the groups they facilitate. Once per ISO week in UK time, at the first run
 * from DIGEST_NOT_BEFORE_HOUR (the hourly sweep: Monday morning): a run later the same week sends
 * nothing more, and those flagged later wait for next week's. Nobody is sent an empty digest, but the
 * week is marked done for them all the same. Returns how many were sent. Each person's email and its
 * record are written together, so a retried run does not send twice.
 */
export async function sendRiskDigests(ctx: EngagementContext, site: { baseUrl: string; providerName: string }): Promise<number> {
  const now = ctx.clock.now();
  const ukHour = Temporal.Instant.fromEpochMilliseconds(now.getTime()).toZonedDateTimeISO('Europe/London').hour;
  if (ukHour < DIGEST_NOT_BEFORE_HOUR) return 0;
  const week = isoWeekOf(ukDate(now));
  const holders = await partnerLeadsAndFacilitators(ctx.db);
  const byUser = new Map<string, PartnerRoleHolder[]>();
  for (const h of holders) byUser.set(h.userId, [...(byUser.get(h.userId) ?? []), h]);
  const lastSent = new Map(
    (
      await ctx.db
        .selectDistinctOn([riskDigestsSent.userId], { userId: riskDigestsSent.userId, week: riskDigestsSent.week, sentAt: riskDigestsSent.sentAt })
        .from(riskDigestsSent)
        .orderBy(riskDigestsSent.userId, desc(riskDigestsSent.sentAt))
    ).map((r) => [r.userId, r]),
  );
  let sent = 0;
  for (const [userId, roles] of byUser) {
    const last = lastSent.get(userId);
    if (last?.week === week) continue;
    const since = last?.sentAt ?? new Date(now.getTime() - FIRST_DIGEST_LOOKS_BACK_DAYS * 86_400_000);
    const led = roles.filter((r) => r.role === 'delivery_partner_lead').map((r) => r.deliveryPartnerId);
    // Their partners' participants (a lead), and those in the groups they facilitate, whichever partner those are of.
    const whose = or(led.length ? inArray(engagementSnapshots.enrolmentId, enrolmentIdsOfPartnersQuery(ctx.db, led)) : undefined, eq(engagementSnapshots.facilitatorUserId, userId));
    const rows = await ctx.db
      .select({ enrolmentId: engagementSnapshots.enrolmentId, fullName: engagementSnapshots.fullName, riskScore: engagementSnapshots.riskScore, riskSignals: engagementSnapshots.riskSignals })
      .from(engagementSnapshots)
      .where(and(eq(engagementSnapshots.atRisk, true), gt(engagementSnapshots.flaggedSince, since), whose))
      .orderBy(asc(engagementSnapshots.fullName), asc(engagementSnapshots.enrolmentId));
    const flagged = rows.map((r) => ({ enrolmentId: r.enrolmentId, fullName: r.fullName, riskScore: r.riskScore, signals: r.riskSignals.length }));
    const who = roles[0]!;
    // This week's digest is done for them whether or not it had anyone in it: the next looks from now, a week on.
    sent += await ctx.db.transaction(async (tx) => {
      const inserted = await tx.insert(riskDigestsSent).values({ userId, week, participants: flagged.length, sentAt: now }).onConflictDoNothing().returning({ userId: riskDigestsSent.userId });
      if (!inserted.length || !flagged.length) return 0;
      await enqueueEmail(tx, ctx.clock, riskDigestEmail({ to: who.email, name: who.name, flagged, ...site }));
      return 1;
    });
  }
  return sent;
}
