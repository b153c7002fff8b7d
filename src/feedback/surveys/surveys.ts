import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { heldSessionsOf } from '../../coaching/coaching.queries';
import { type Place, placesByEnrolment } from '../../enrolment/enrolment.queries';
import { finishedPiecesOf } from '../../learning/learning.queries';
import { namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { ukDate } from '../../platform/clock';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { COMMENT_MAX, RATINGS, requestKeyOf, type SurveyKind, surveyOpen } from '../domain/feedback';
import type { FeedbackContext } from '../feedback.context';
import { feedbackRequests, feedbackResponses } from '../feedback.schema';

/** A survey a participant may answer: what it is about, when that finished, and who led it and where. */
export interface Survey {
  kind: SurveyKind;
  subjectKey: string;
  title: string;
  finishedAt: Date;
  facilitatorUserId: string | null;
  venueId: string | null;
}

const requestKey = (survey: Survey, place: Place) => requestKeyOf(survey.kind, survey.subjectKey, place.intakeId);

/** The participant's own place (NotFoundError for anyone else's, as for one that does not exist). */
async function ownPlace(ctx: FeedbackContext, actor: Actor, enrolmentId: string): Promise<Place> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  return place;
}

/** Everything on the place whose survey is open now: sessions attended and modules completed (learning), coaching held (coaching). */
async function openSurveys(ctx: FeedbackContext, place: Place): Promise<Survey[]> {
  const now = ctx.clock.now();
  const [pieces, held] = await Promise.all([finishedPiecesOf(ctx.db, now, place), heldSessionsOf(ctx.db, place.enrolmentId)]);
  const coaches = await namesOfAccounts(
    ctx.db,
    held.map((h) => h.coachUserId),
  );
  const surveys: Survey[] = [
    ...pieces.map((p) => ({ kind: p.kind, subjectKey: p.itemKey, title: p.title, finishedAt: p.finishedAt, facilitatorUserId: p.facilitatorUserId, venueId: p.venueId })),
    ...held.map((h) => ({ kind: 'coaching' as const, subjectKey: h.bookingId, title: `Coaching with ${coaches.get(h.coachUserId) ?? 'your coach'}`, finishedAt: h.endedAt, facilitatorUserId: h.coachUserId, venueId: null })),
  ];
  return surveys.filter((s) => surveyOpen(s.finishedAt, now)).sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime());
}

/**
 * The surveys waiting for the participant on their own place (issue 11 item 5), newest first: those
 * open (SURVEY_OPEN_DAYS from what they are about) that they have neither answered nor skipped; none
 * once they have withdrawn. NotFoundError for a place not theirs.
 */
export async function mySurveys(ctx: FeedbackContext, actor: Actor, enrolmentId: string): Promise<{ place: Place; waiting: Survey[] }> {
  const place = await ownPlace(ctx, actor, enrolmentId);
  // A withdrawn participant is asked nothing more (as they can send no more messages).
  if (place.trainingStatus === 'withdrawn') return { place, waiting: [] };
  const [open, done] = await Promise.all([openSurveys(ctx, place), ctx.db.select({ kind: feedbackRequests.kind, subjectKey: feedbackRequests.subjectKey }).from(feedbackRequests).where(eq(feedbackRequests.enrolmentId, enrolmentId))]);
  const seen = new Set(done.map((d) => `${d.kind}:${d.subjectKey}`));
  return { place, waiting: open.filter((s) => !seen.has(`${s.kind}:${requestKey(s, place)}`)) };
}

/** One waiting survey of the participant's; NotFoundError when there is no such survey open, or it is answered or skipped. */
export async function mySurvey(ctx: FeedbackContext, actor: Actor, enrolmentId: string, kind: string, subjectKey: string): Promise<{ place: Place; survey: Survey }> {
  const { place, waiting } = await mySurveys(ctx, actor, enrolmentId);
  const survey = waiting.find((s) => s.kind === kind && s.subjectKey === subjectKey);
  if (!survey) throw new NotFoundError('survey');
  return { place, survey };
}

/** Records that the survey is answered or skipped; false when it already was (two tabs, or a second press). */
async function close(tx: Executor, place: Place, survey: Survey, outcome: 'answered' | 'skipped'): Promise<boolean> {
  const rows = await tx.insert(feedbackRequests).values({ enrolmentId: place.enrolmentId, kind: survey.kind, subjectKey: requestKey(survey, place), outcome }).onConflictDoNothing().returning({ kind: feedbackRequests.kind });
  return rows.length > 0;
}

const alreadyDone = () => new AppError('survey_closed', 'You have already answered or skipped this survey', 422);

/**
 * The participant's answer to one of their waiting surveys: a rating (1 to 5; ValidationError on
 * `rating` without one) and a comment (optional, at most COMMENT_MAX characters; ValidationError on
 * `comment`). The response is kept against no one, dated by UK month, with what the results group by
 * copied from the place and the survey's subject; that it was answered is kept apart, undated, and
 * not audited. `survey_closed`
 * (422) when it was answered or skipped already; NotFoundError when it is not theirs or not open.
 */
export async function answerSurvey(ctx: FeedbackContext, actor: Actor, enrolmentId: string, kind: string, subjectKey: string, input: { rating?: string | undefined; comment?: string | undefined }): Promise<void> {
  const rating = Number(input.rating);
  const comment = (input.comment ?? '').replace(/\r\n/g, '\n').trim();
  const errors: Record<string, string> = {};
  if (!RATINGS.includes(rating as (typeof RATINGS)[number])) errors.rating = 'Select how good it was, or skip this survey';
  if (characterCount(comment) > COMMENT_MAX) errors.comment = `Your comment must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer: it is ${characterCount(comment).toLocaleString('en-GB')}`;
  else if (comment && !hasVisibleText(comment)) errors.comment = 'Your comment has no visible text: write something, or leave it empty';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  // Theirs first: whether a survey was answered is said only to the participant it belongs to.
  const own = await ownPlace(ctx, actor, enrolmentId);
  const { place, survey } = await mySurvey(ctx, actor, enrolmentId, kind, subjectKey).catch(async (err) => {
    // Answered in another tab since this form was shown: said plainly, not as a missing page.
    if (err instanceof NotFoundError && (await answeredOrSkipped(ctx, own, kind, subjectKey))) throw alreadyDone();
    throw err;
  });
  const now = ctx.clock.now();
  // Nothing is audited: a record of who answered when, beside responses dated by month, could say whose each is (docs/adr/0059).
  await ctx.db.transaction(async (tx) => {
    if (!(await close(tx, place, survey, 'answered'))) throw alreadyDone();
    await tx.insert(feedbackResponses).values({
      kind: survey.kind,
      // A coaching session is answered for as its coach's, never as the booking (which is one participant's).
      subjectKey: survey.kind === 'coaching' ? (survey.facilitatorUserId ?? '') : survey.subjectKey,
      subjectTitle: survey.title,
      intakeId: place.intakeId,
      courseIdentifier: place.courseIdentifier,
      cohortId: place.cohortId,
      deliveryPartnerId: place.deliveryPartnerId,
      venueId: survey.venueId,
      facilitatorUserId: survey.facilitatorUserId,
      rating,
      comment,
      answeredIn: ukDate(now).slice(0, 7),
    });
  });
}

/** Skips one of the participant's waiting surveys (issue 11 item 5: "a participant can skip it"): it is not asked again. Same refusals as answerSurvey. */
export async function skipSurvey(ctx: FeedbackContext, actor: Actor, enrolmentId: string, kind: string, subjectKey: string): Promise<void> {
  const own = await ownPlace(ctx, actor, enrolmentId);
  const { place, survey } = await mySurvey(ctx, actor, enrolmentId, kind, subjectKey).catch(async (err) => {
    if (err instanceof NotFoundError && (await answeredOrSkipped(ctx, own, kind, subjectKey))) throw alreadyDone();
    throw err;
  });
  await ctx.db.transaction(async (tx) => {
    if (!(await close(tx, place, survey, 'skipped'))) throw alreadyDone();
  });
}

async function answeredOrSkipped(ctx: FeedbackContext, place: Place, kind: string, subjectKey: string): Promise<boolean> {
  const rows = await ctx.db
    .select({ k: feedbackRequests.kind })
    .from(feedbackRequests)
    .where(and(eq(feedbackRequests.enrolmentId, place.enrolmentId), eq(feedbackRequests.kind, kind), eq(feedbackRequests.subjectKey, requestKeyOf(kind, subjectKey, place.intakeId))));
  return rows.length > 0;
}

/** Whether the participant has answered or skipped this survey of their own place (NotFoundError for a place not theirs). */
export async function surveyClosed(ctx: FeedbackContext, actor: Actor, enrolmentId: string, kind: string, subjectKey: string): Promise<boolean> {
  return answeredOrSkipped(ctx, await ownPlace(ctx, actor, enrolmentId), kind, subjectKey);
}
