import { inArray } from 'drizzle-orm';
import { placesInIntake } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import type { AttendanceStatus, ParticipantRecord } from '../domain/timeline';
import { type ExpectedByNow, expectedByNow, progressOf } from '../domain/timeline';
import { intakeFor, type LearningContext, planOf, refuse, versionOfIntake } from '../learning.context';
import { attendance, learningProgress } from '../learning.schema';
import { zoneOfPlace } from './my-programme';

/** Enrolment ids per query: well under PostgreSQL's limit of parameters, and few round trips for a large intake. */
const BATCH = 5_000;

/**
 * Every participant's progress in an intake (issue 10 item 8, for the intake's staff: NotFoundError for
 * others), per component as `progressOf` computes it, in name order. Reads each table once per 5,000
 * participants rather than once per participant: a 2,500-person intake is a handful of queries.
 * AppError no_programme when the intake's NPQ has none.
 */
export async function progressOfIntake(ctx: LearningContext, actor: Actor, intakeId: string) {
  const { intake } = await intakeFor(ctx, actor, intakeId);
  const version = await versionOfIntake(ctx.db, intake);
  if (!version) throw refuse('no_programme', 'This NPQ has no programme yet: an admin builds it first', 404);
  const [plan, places] = await Promise.all([planOf(ctx.db, intake.id), placesInIntake(ctx.db, intake.id)]);
  const records = new Map<string, { done: Map<string, Date>; attendance: Map<string, AttendanceStatus> }>(places.map((p) => [p.enrolmentId, { done: new Map(), attendance: new Map() }]));
  const ids = [...records.keys()];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const [done, marks] = await Promise.all([
      ctx.db.select({ enrolmentId: learningProgress.enrolmentId, itemKey: learningProgress.itemKey, doneAt: learningProgress.doneAt }).from(learningProgress).where(inArray(learningProgress.enrolmentId, batch)),
      ctx.db.select({ enrolmentId: attendance.enrolmentId, itemKey: attendance.itemKey, status: attendance.status, intakeId: attendance.intakeId }).from(attendance).where(inArray(attendance.enrolmentId, batch)),
    ]);
    for (const d of done) records.get(d.enrolmentId)?.done.set(d.itemKey, d.doneAt);
    for (const m of marks) if (m.intakeId === intake.id) records.get(m.enrolmentId)?.attendance.set(m.itemKey, m.status as AttendanceStatus);
  }
  const now = ctx.clock.now();
  // What is expected by now depends only on the zone: computed once per zone, not per participant.
  const expected = new Map<string, ExpectedByNow>();
  const expectedIn = (zone: string) => {
    let e = expected.get(zone);
    if (!e) {
      e = expectedByNow(version.content, plan, now, zone);
      expected.set(zone, e);
    }
    return e;
  };
  return {
    intake,
    version,
    participants: places.map((place) => {
      const zone = zoneOfPlace(place);
      return { place, progress: progressOf(version.content, plan, records.get(place.enrolmentId) as ParticipantRecord, now, zone, expectedIn(zone)) };
    }),
  };
}
