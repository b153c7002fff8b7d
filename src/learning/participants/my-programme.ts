import { and, eq } from 'drizzle-orm';
import { intakeById, venuesById } from '../../catalogue/catalogue.queries';
import { type Place, placesByEnrolment, placesOfParticipant, placesOfUser } from '../../enrolment/enrolment.queries';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { ukDate } from '../../platform/clock';
import { NotFoundError } from '../../platform/errors';
import { intakeAbilities } from '../domain/learning.policy';
import { mayMarkDone, progressOf, timeline } from '../domain/timeline';
import { commit, type LearningContext, planOf, recordOf, refuse, versionOfIntake } from '../learning.context';
import { learningProgress } from '../learning.schema';
import { namesOfAccounts } from '../../people/people.queries';
import { groupOfPlace } from '../plans/groups';

/** The zone a participant reads times in: the one they gave (distance learning abroad), or UK time. */
export const zoneOfPlace = (place: Pick<Place, 'timeZone'>): string => place.timeZone ?? 'Europe/London';

/**
 * One place's programme as its participant or their staff read it: the intake, the programme version
 * it follows, the plan, what they have done, the timeline and progress per component (domain/timeline.ts)
 * in the participant's own time zone, the venues the plan names, their group and who leads each session. Undefined when the place has no
 * intake or its NPQ no programme yet.
 */
export async function programmeOfPlace(ctx: LearningContext, place: Place) {
  if (!place.intakeId) return undefined;
  const intake = await intakeById(ctx.db, place.intakeId);
  if (!intake) return undefined;
  const version = await versionOfIntake(ctx.db, intake);
  if (!version) return undefined;
  const [plan, record, group] = await Promise.all([planOf(ctx.db, intake.id), recordOf(ctx.db, place.enrolmentId, intake.id), groupOfPlace(ctx, place.enrolmentId, intake.id)]);
  const [venues, leaders] = await Promise.all([
    venuesById(ctx.db, [...plan.values()].flatMap((p) => (p.venueId ? [p.venueId] : []))),
    namesOfAccounts(ctx.db, [...plan.values()].flatMap((p) => (p.facilitatorUserId ? [p.facilitatorUserId] : []))),
  ]);
  const now = ctx.clock.now();
  const timeZone = zoneOfPlace(place);
  return {
    place,
    intake,
    version,
    content: version.content,
    plan,
    record,
    venues,
    /** The group they are in, with its facilitator, if any. */
    group,
    /** The names of the people leading sessions, by account id. */
    leaders,
    timeZone,
    /** The time the programme was read at (the clock's). */
    now,
    today: ukDate(now, timeZone),
    timeline: timeline(version.content, plan, record, now, timeZone),
    progress: progressOf(version.content, plan, record, now, timeZone),
  };
}
export type PlaceProgramme = NonNullable<Awaited<ReturnType<typeof programmeOfPlace>>>;

/** The signed-in participant's programmes, one per accepted place that has one (UnauthenticatedError when not fully signed in). */
export async function myProgrammes(ctx: LearningContext, actor: Actor): Promise<PlaceProgramme[]> {
  const me = requireFullySignedIn(actor);
  const places = await placesOfUser(ctx.db, me.userId);
  const programmes = await Promise.all(places.map((p) => programmeOfPlace(ctx, p)));
  return programmes.filter((p): p is PlaceProgramme => p !== undefined);
}

/** The actor's own place by enrolment id, with its programme; NotFoundError for anyone else's or one without a programme. */
export async function myProgramme(ctx: LearningContext, actor: Actor, enrolmentId: string): Promise<PlaceProgramme> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  const programme = await programmeOfPlace(ctx, place);
  if (!programme) throw new NotFoundError('programme');
  return programme;
}

/**
 * Marks a piece done, or not done again (`done` false: the undo), for the participant on their own
 * place: an activity of a released module, an event's pre-work, or the catch-up task of an event they
 * missed (domain mayMarkDone). A core task is
 * done when its reviewer accepts it, never here. Refused (not_yours as NotFoundError; cannot_mark)
 * otherwise, and while the participant is withdrawn or deferred.
 */
export async function markDone(ctx: LearningContext, actor: Actor, enrolmentId: string, itemKey: string, done: boolean): Promise<void> {
  const p = await myProgramme(ctx, actor, enrolmentId);
  if (p.place.trainingStatus !== 'active') throw refuse('not_in_training', 'Your place is paused or has ended, so nothing can be marked done. Ask your provider if this is wrong.');
  if (!mayMarkDone(p.content, p.plan, p.record, itemKey, p.today)) throw refuse('cannot_mark', 'This cannot be marked done: it is not released yet, or your facilitator marks it');
  await commit(ctx, async (tx) => {
    if (done) {
      const [row] = await tx.insert(learningProgress).values({ enrolmentId, itemKey, doneAt: ctx.clock.now() }).onConflictDoNothing().returning();
      if (row) await audit(tx, ctx.clock, actor, { action: 'learning.done', entityType: 'enrolment', entityId: enrolmentId, after: { itemKey } });
    } else {
      const [row] = await tx.delete(learningProgress).where(and(eq(learningProgress.enrolmentId, enrolmentId), eq(learningProgress.itemKey, itemKey))).returning();
      if (row) await audit(tx, ctx.clock, actor, { action: 'learning.undone', entityType: 'enrolment', entityId: enrolmentId, before: { itemKey, doneAt: row.doneAt } });
    }
  });
}

/**
 * A participant's progress on each of their places (DfE's `participant_id`), for their own account or
 * for staff who may see the place's intake (admin; the partner's lead or facilitator). NotFoundError
 * when there is no such participant or none of their places is the actor's to see.
 */
export async function progressOfParticipant(ctx: LearningContext, actor: Actor, participantId: string) {
  const places = await placesOfParticipant(ctx.db, participantId);
  const visible = places.filter((p) => (actor.kind === 'user' && actor.fullySignedIn && p.userId === actor.userId) || (p.deliveryPartnerId !== null && intakeAbilities(actor, { deliveryPartnerId: p.deliveryPartnerId }).see));
  if (!visible.length) throw new NotFoundError('participant');
  const programmes = await Promise.all(visible.map((p) => programmeOfPlace(ctx, p)));
  return visible.map((place, i) => ({ place, programme: programmes[i] }));
}
