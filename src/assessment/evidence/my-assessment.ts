import { and, eq, isNull, sum } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import type { AssessmentContext } from '../assessment.context';
import { boardPresentations, projectLogEntries } from '../assessment.schema';
import { tasksNeeding } from '../domain/assessment-spec';
import { expectedProjectMinutes } from '../domain/evidence';
import { assessmentPlaceFor } from './assessment-place';
import { placementOf } from './placement';
import { submissionStandings } from '../submissions/submissions';

/**
 * A place's assessment at a glance (issue 12 items 1 and 2), for its participant or staff who read its
 * evidence: the tasks as the version in force sets them, when the final assessment must be passed by
 * (deferral added), project time logged against what is expected by today, each placement's days
 * (recorded, confirmed by the host, the least asked), the board presentations per task with
 * whether feedback has come, and each task's account: sent, waiting as a draft, or when it is due. NotFoundError for anyone else, or an NPQ that is not assessed.
 */
export async function myAssessment(ctx: AssessmentContext, actor: Actor, enrolmentId: string) {
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const [[logged], boards, placementsOf, submissions] = await Promise.all([
    ctx.db.select({ minutes: sum(projectLogEntries.minutes).mapWith(Number) }).from(projectLogEntries).where(and(eq(projectLogEntries.enrolmentId, enrolmentId), isNull(projectLogEntries.removedAt))),
    ctx.db.select({ taskKey: boardPresentations.taskKey, feedbackAt: boardPresentations.feedbackAt }).from(boardPresentations).where(eq(boardPresentations.enrolmentId, enrolmentId)),
    Promise.all(tasksNeeding(at.spec, 'placement').map((t) => placementOf(ctx, at, t.key))),
    submissionStandings(ctx, at),
  ]);
  const perWeek = at.spec.projectMinutesPerWeek;
  return {
    ...at,
    project: perWeek ? { logged: logged?.minutes ?? 0, expected: expectedProjectMinutes(at.startedOn, at.today, perWeek), perWeek } : null,
    placements: new Map(placementsOf.map((p) => [p.task.key, { placement: p.placement, host: p.host, summary: p.summary }])),
    submissions,
    boards: new Map(tasksNeeding(at.spec, 'board_presentation').map((t) => [t.key, { recorded: boards.filter((b) => b.taskKey === t.key).length, withFeedback: boards.filter((b) => b.taskKey === t.key && b.feedbackAt).length }])),
  };
}
