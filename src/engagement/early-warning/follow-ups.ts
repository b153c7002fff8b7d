import { and, desc, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { placesByEnrolment } from '../../enrolment/enrolment.queries';
import { namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { acknowledgementOf, FOLLOW_UP_KINDS, FOLLOW_UP_NOTE_MAX, type FollowUpKind, riskOf, signalsFingerprint } from '../domain/early-warning';
import { engagementOfPlaces } from '../engagement.compute';
import { ENGAGEMENT_CHANNEL, type EngagementContext } from '../engagement.context';
import { riskFollowUps } from '../engagement.schema';
import { engagementReader } from '../participants/my-engagement';
import { writeSnapshots } from '../snapshots/refresh-engagement';

/** How long the person who recorded a follow-up may take it back, in minutes (a mistake, the wrong participant). */
export const UNDO_FOLLOW_UP_WITHIN_MINUTES = 30;

/** Kept lists are dropped: whoever followed up goes back to a list that shows the flag as it is now, not as it was a minute ago. */
const flagsChanged = (ctx: EngagementContext) => ctx.notifier?.publish(ENGAGEMENT_CHANNEL, 'follow-up');

/** A place the actor may read the engagement of (engagementReader), or NotFoundError, as for one that does not exist. */
async function placeFor(ctx: EngagementContext, actor: Actor, enrolmentId: string) {
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || !(await engagementReader(ctx, actor))(place)) throw new NotFoundError('participant');
  return place;
}

/**
 * Records that someone followed up a participant (issue 11 item 4: "a follow-up (called, emailed, met)
 * can be recorded and clears the flag until new signals arrive"): how, and a note (at most
 * FOLLOW_UP_NOTE_MAX characters; may be empty), with the signals found now as what it acknowledged.
 * Their snapshot is written at once, so the lists show the flag cleared. For whoever may read the
 * participant's engagement (NotFoundError else); ValidationError naming `kind` or `note`;
 * `not_in_training` (422) for a participant withdrawn or deferred; `signals_changed` (409) when `seen`
 * (signalsFingerprint of what the page showed) is not what is found now. Returns whether it cleared a
 * flag. Audited.
 */
export async function recordFollowUp(ctx: EngagementContext, actor: Actor, enrolmentId: string, input: { kind?: string | undefined; note?: string | undefined; seen?: string | undefined }): Promise<{ followUpId: string; cleared: boolean }> {
  const me = requireFullySignedIn(actor);
  const place = await placeFor(ctx, actor, enrolmentId);
  const errors: Record<string, string> = {};
  const kind = input.kind as FollowUpKind;
  if (!FOLLOW_UP_KINDS.includes(kind)) errors.kind = 'Select how you followed them up';
  const note = (input.note ?? '').replace(/\r\n/g, '\n').trim();
  if (characterCount(note) > FOLLOW_UP_NOTE_MAX) errors.note = `The note must be ${FOLLOW_UP_NOTE_MAX.toLocaleString('en-GB')} characters or fewer: it is ${characterCount(note).toLocaleString('en-GB')}`;
  else if (note && !hasVisibleText(note)) errors.note = 'The note has no visible text: write something, or leave it empty';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (place.trainingStatus !== 'active') throw new AppError('not_in_training', 'They are not in training now: only participants in training are flagged', 422);
  const now = ctx.clock.now();
  const [computed] = await engagementOfPlaces(ctx.db, now, [place]);
  // Something new since the page was read: the recorder reads it before acknowledging it.
  if (input.seen !== undefined && input.seen !== signalsFingerprint(computed!.risk.signals)) throw new AppError('signals_changed', 'Something has changed since you opened this page: read the signals again, then record your follow-up', 409);
  const acknowledged = acknowledgementOf(computed!.risk.signals);
  const cleared = computed!.risk.atRisk;
  const recorded = await ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(riskFollowUps).values({ enrolmentId, kind, note, acknowledged, recordedByUserId: me.userId, recordedAt: now }).returning({ id: riskFollowUps.id });
    await writeSnapshots(tx, now, [{ ...computed!, risk: riskOf(computed!.risk.signals, acknowledged) }]);
    await audit(tx, ctx.clock, actor, { action: 'engagement.followed_up', entityType: 'enrolment', entityId: enrolmentId, after: { kind, acknowledged } });
    return { followUpId: row!.id, cleared };
  });
  await flagsChanged(ctx);
  return recorded;
}

/**
 * Takes back a follow-up its recorder made within UNDO_FOLLOW_UP_WITHIN_MINUTES (`cannot_undo`, 422,
 * otherwise; NotFoundError for one not of this participant or not theirs to see): the flag comes back
 * if the signals still add up. Audited.
 */
export async function undoFollowUp(ctx: EngagementContext, actor: Actor, enrolmentId: string, followUpId: string): Promise<void> {
  const me = requireFullySignedIn(actor);
  const place = await placeFor(ctx, actor, enrolmentId);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(riskFollowUps).where(and(eq(riskFollowUps.id, followUpId), eq(riskFollowUps.enrolmentId, enrolmentId))).for('update');
    if (!row) throw new NotFoundError('follow-up');
    if (row.recordedByUserId !== me.userId) throw new AppError('cannot_undo', 'Only the person who recorded a follow-up can take it back', 422);
    if (now.getTime() - row.recordedAt.getTime() > UNDO_FOLLOW_UP_WITHIN_MINUTES * 60_000) throw new AppError('cannot_undo', `A follow-up can be taken back only within ${UNDO_FOLLOW_UP_WITHIN_MINUTES} minutes of recording it`, 422);
    await tx.delete(riskFollowUps).where(eq(riskFollowUps.id, followUpId));
    if (place.trainingStatus !== 'withdrawn') await writeSnapshots(tx, now, await engagementOfPlaces(tx, now, [place]));
    await audit(tx, ctx.clock, actor, { action: 'engagement.follow_up_undone', entityType: 'enrolment', entityId: enrolmentId, before: { kind: row.kind, note: row.note } });
  });
  await flagsChanged(ctx);
}

/** A follow-up as the participant's page lists it. */
export interface FollowUp {
  id: string;
  kind: FollowUpKind;
  note: string;
  recordedAt: Date;
  recordedBy: string;
  /** Whether the actor may still take it back (theirs, and recent). */
  mayUndo: boolean;
}

/** The participant's follow-ups, newest first, for whoever may read their engagement (NotFoundError else). */
export async function followUpsOf(ctx: EngagementContext, actor: Actor, enrolmentId: string): Promise<FollowUp[]> {
  await placeFor(ctx, actor, enrolmentId);
  const rows = await ctx.db.select().from(riskFollowUps).where(eq(riskFollowUps.enrolmentId, enrolmentId)).orderBy(desc(riskFollowUps.recordedAt), desc(riskFollowUps.id)).limit(100);
  const names = await namesOfAccounts(
    ctx.db,
    rows.map((r) => r.recordedByUserId),
  );
  const now = ctx.clock.now().getTime();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as FollowUpKind,
    note: r.note,
    recordedAt: r.recordedAt,
    recordedBy: names.get(r.recordedByUserId) ?? 'Someone no longer here',
    mayUndo: actor.kind === 'user' && r.recordedByUserId === actor.userId && now - r.recordedAt.getTime() <= UNDO_FOLLOW_UP_WITHIN_MINUTES * 60_000,
  }));
}
