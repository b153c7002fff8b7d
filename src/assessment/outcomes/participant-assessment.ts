import { and, asc, count, eq, gte, inArray, lte, type SQL } from 'drizzle-orm';
import { DFE_OUTCOME_COURSES } from '../../enrolment/domain/dfe-courses';
import { enrolmentIdsOfCoursesQuery, type Place, placesByEnrolment, placesOfParticipant } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import type { AssessmentContext } from '../assessment.context';
import { participantOutcomes, releasedResults, resultReleases, submissions } from '../assessment.schema';
import type { AssessmentTask } from '../domain/assessment-spec';
import { readsEvidenceOf, submissionScope } from '../domain/assessment.policy';
import { isReleased, type ScriptResultState, scriptResultOf } from '../domain/outcome';
import { type AssessmentPlace, assessmentPlaceFor } from '../evidence/assessment-place';
import { sentScripts } from '../marking/scripts';
import type { ParticipantOutcome } from './outcomes';

/** Where a sent account is in marking, as the API gives it: a script's result state, or `released` once its result is out. */
export type MarkingStage = ScriptResultState | 'released';

/** One sent (or withdrawn) account of a task, as the API gives it: never a draft, and its result only once released. */
export interface SubmissionState {
  id: string;
  attempt: number;
  status: 'submitted' | 'withdrawn';
  late: boolean;
  overLimit: boolean;
  wordsCounted: number;
  wordLimit: number;
  submittedAt: Date | null;
  withdrawnAt: Date | null;
  /** Null for a withdrawn account. */
  stage: MarkingStage | null;
  /** The released result; null until its release day. */
  released: { total: number; result: 'pass' | 'fail'; releasedOn: string } | null;
}

/** An outcome with what DfE's `participant-outcome` names beside it: the participant and the course. */
export interface OutcomeOfParticipant {
  outcome: ParticipantOutcome;
  participantId: string;
  courseIdentifier: string;
}

/**
 * A DfE participant's assessment on each of their assessed places the actor reads (the provider's
 * admin every place, a delivery partner's lead their partner's places: readsEvidenceOf), for the API
 * (issue 12 item 8): per task, each account sent or withdrawn with its lateness, words counted, where
 * it is in marking and, from its release day, its result; the final assessment's deadline; and the
 * outcome that stands, once out. NotFoundError when there is none the actor may see (an assessor, who
 * marks blind, never does).
 */
export async function assessmentOfDfeParticipant(ctx: AssessmentContext, actor: Actor, participantId: string): Promise<{ at: AssessmentPlace; tasks: { task: AssessmentTask; submissions: SubmissionState[] }[]; outcome: ParticipantOutcome | null }[]> {
  const seen = await visiblePlaces(ctx, actor, participantId);
  const ats: AssessmentPlace[] = [];
  for (const place of seen) {
    try {
      ats.push(await assessmentPlaceFor(ctx, actor, place.enrolmentId));
    } catch (error) {
      // A place on an NPQ that is not assessed (the Early Headship Coaching Offer) has no assessment to give.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }
  if (!ats.length) throw new NotFoundError('participant');
  const ids = ats.map((a) => a.place.enrolmentId);
  const now = ctx.clock.now();
  const [sent, results, outcomes] = await Promise.all([
    ctx.db
      .select()
      .from(submissions)
      .where(and(inArray(submissions.enrolmentId, ids), inArray(submissions.status, ['submitted', 'withdrawn'])))
      .orderBy(asc(submissions.attempt), asc(submissions.uploadedAt)),
    ctx.db.select({ result: releasedResults, releasesOn: resultReleases.releasesOn }).from(releasedResults).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).where(inArray(releasedResults.enrolmentId, ids)),
    ctx.db
      .select()
      .from(participantOutcomes)
      .where(and(inArray(participantOutcomes.enrolmentId, ids), lte(participantOutcomes.outAt, now)))
      .orderBy(asc(participantOutcomes.seq)),
  ]);
  const scripts = new Map((await sentScripts(ctx, { submissionIds: sent.filter((s) => s.status === 'submitted').map((s) => s.id) })).map((s) => [s.submission.id, s]));
  const releasedOf = new Map(results.filter((r) => isReleased(r.releasesOn, now)).map((r) => [r.result.submissionId, { total: r.result.total, result: r.result.result as 'pass' | 'fail', releasedOn: r.releasesOn }]));
  return ats.map((at) => ({
    at,
    tasks: at.spec.tasks.map((task) => ({
      task,
      submissions: sent
        .filter((s) => s.enrolmentId === at.place.enrolmentId && s.taskKey === task.key)
        .map((s): SubmissionState => {
          const released = releasedOf.get(s.id) ?? null;
          const script = scripts.get(s.id);
          const stage: MarkingStage | null = s.status !== 'submitted' ? null : released ? 'released' : script ? scriptResultOf({ allocated: Boolean(script.allocation), first: script.marking, sample: script.moderation }).state : 'not_allocated';
          return { id: s.id, attempt: s.attempt, status: s.status as 'submitted' | 'withdrawn', late: s.late, overLimit: s.overLimit, wordsCounted: s.wordsCounted, wordLimit: s.wordLimit, submittedAt: s.submittedAt, withdrawnAt: s.withdrawnAt, stage, released };
        }),
    })),
    outcome: outcomes.filter((o) => o.enrolmentId === at.place.enrolmentId).at(-1) ?? null,
  }));
}

/**
 * Every outcome of a DfE participant's places the actor reads (readsEvidenceOf), as DfE keeps them:
 * appended, never changed, only those out (outcomeOutAt), on the courses DfE keeps outcomes for, in
 * the order they came out (issue 12 item 8). NotFoundError when the actor may see none of their places.
 */
export async function outcomesOfDfeParticipant(ctx: AssessmentContext, actor: Actor, participantId: string): Promise<OutcomeOfParticipant[]> {
  const seen = (await visiblePlaces(ctx, actor, participantId)).filter((p) => (DFE_OUTCOME_COURSES as readonly string[]).includes(p.courseIdentifier));
  if (!seen.length) return [];
  const rows = await ctx.db
    .select()
    .from(participantOutcomes)
    .where(
      and(
        inArray(
          participantOutcomes.enrolmentId,
          seen.map((p) => p.enrolmentId),
        ),
        lte(participantOutcomes.outAt, ctx.clock.now()),
      ),
    )
    .orderBy(asc(participantOutcomes.outAt), asc(participantOutcomes.id));
  const placeOf = new Map(seen.map((p) => [p.enrolmentId, p]));
  return rows.map((outcome) => ({ outcome, participantId: placeOf.get(outcome.enrolmentId)!.participantId, courseIdentifier: placeOf.get(outcome.enrolmentId)!.courseIdentifier }));
}

/**
 * One page of the outcomes of every place the actor reads (the provider's admin every place's, a
 * delivery partner's lead their partner's: submissionScope), on the courses DfE keeps outcomes for,
 * in the order they came out (by outcomeOutAt, then id), from `outSince` if given (DfE's
 * `filter[created_since]`: a client asking for what is new since its last call misses none). `page`
 * from 1. ForbiddenError never: an actor who reads no places gets an empty list.
 */
export async function releasedOutcomes(ctx: AssessmentContext, actor: Actor, filter: { outSince?: Date | undefined }, page: number, perPage: number): Promise<{ rows: OutcomeOfParticipant[]; total: number }> {
  const scope = submissionScope(actor);
  if (!('all' in scope) && !scope.partners.length) return { rows: [], total: 0 };
  const where: SQL[] = [lte(participantOutcomes.outAt, ctx.clock.now()), inArray(participantOutcomes.enrolmentId, enrolmentIdsOfCoursesQuery(ctx.db, DFE_OUTCOME_COURSES, 'all' in scope ? 'all' : scope.partners))];
  if (filter.outSince) where.push(gte(participantOutcomes.outAt, filter.outSince));
  const [rows, [counted]] = await Promise.all([
    ctx.db
      .select()
      .from(participantOutcomes)
      .where(and(...where))
      .orderBy(asc(participantOutcomes.outAt), asc(participantOutcomes.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    ctx.db
      .select({ n: count() })
      .from(participantOutcomes)
      .where(and(...where)),
  ]);
  const placeOf = new Map((await placesByEnrolment(ctx.db, rows.map((r) => r.enrolmentId))).map((p) => [p.enrolmentId, p]));
  return {
    rows: rows.flatMap((outcome) => {
      const place = placeOf.get(outcome.enrolmentId);
      return place ? [{ outcome, participantId: place.participantId, courseIdentifier: place.courseIdentifier }] : [];
    }),
    total: counted?.n ?? 0,
  };
}

/** A DfE participant's places the actor reads (readsEvidenceOf); NotFoundError when there are none, as for a participant who does not exist. */
async function visiblePlaces(ctx: AssessmentContext, actor: Actor, participantId: string): Promise<Place[]> {
  const seen = (await placesOfParticipant(ctx.db, participantId)).filter((p) => readsEvidenceOf(actor, p.deliveryPartnerId));
  if (!seen.length) throw new NotFoundError('participant');
  return seen;
}
