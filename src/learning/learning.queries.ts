import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import { intakeById, type IntakeRow } from '../catalogue/catalogue.queries';
import type { Executor } from '../db/client';
import { ATTENDED, type AttendanceStatus, type ComponentProgress, type ExpectedByNow, expectedByNow, type Lapses, lapsesOf, type ParticipantRecord, type PlanEntry, progressOf } from './domain/timeline';
import { planOf, type ProgrammeVersion, versionOfIntake } from './learning.context';
import { attendance, groupMembers, intakeGroups, learningProgress, planEntries } from './learning.schema';

/**
 * What other capabilities may read of learning (docs/adr/0029): plain query functions over its
 * tables. Each takes the database or a transaction and only reads.
 */

/** A participant's place in a group: the group's intake (to check it is the place's own intake), name and facilitator. */
export interface GroupPlace {
  enrolmentId: string;
  groupId: string;
  intakeId: string;
  groupName: string;
  facilitatorUserId: string | null;
}

/** The groups these places are in (enrolment id → its group). A place is in at most one group of an intake; callers check the intake is the place's. */
export async function groupsOfPlaces(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, GroupPlace>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .select({ enrolmentId: groupMembers.enrolmentId, groupId: intakeGroups.id, intakeId: intakeGroups.intakeId, groupName: intakeGroups.name, facilitatorUserId: intakeGroups.facilitatorUserId })
    .from(groupMembers)
    .innerJoin(intakeGroups, eq(intakeGroups.id, groupMembers.groupId))
    .where(inArray(groupMembers.enrolmentId, [...new Set(enrolmentIds)]));
  return new Map(rows.map((r) => [r.enrolmentId, r]));
}

/** The places in the groups this person facilitates (of any intake: callers check each is the place's own intake). */
export async function placesInGroupsLedBy(db: Executor, facilitatorUserId: string): Promise<GroupPlace[]> {
  return db
    .select({ enrolmentId: groupMembers.enrolmentId, groupId: intakeGroups.id, intakeId: intakeGroups.intakeId, groupName: intakeGroups.name, facilitatorUserId: intakeGroups.facilitatorUserId })
    .from(groupMembers)
    .innerJoin(intakeGroups, eq(intakeGroups.id, groupMembers.groupId))
    .where(and(isNotNull(intakeGroups.facilitatorUserId), eq(intakeGroups.facilitatorUserId, facilitatorUserId)));
}

/** Enrolment ids per query: well under PostgreSQL's limit of parameters, and few round trips for a large intake. */
const BATCH = 5_000;

/** The work done and register marks in `intakeId` of each of these places (a participant's record, without replies), read in batches. */
async function recordsOfPlaces(db: Executor, intakeId: string, enrolmentIds: readonly string[]): Promise<Map<string, ParticipantRecord>> {
  const done = new Map(enrolmentIds.map((id) => [id, new Map<string, Date>()]));
  const marked = new Map(enrolmentIds.map((id) => [id, new Map<string, AttendanceStatus>()]));
  const ids = [...done.keys()];
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const [work, marks] = await Promise.all([
      db.select({ enrolmentId: learningProgress.enrolmentId, itemKey: learningProgress.itemKey, doneAt: learningProgress.doneAt }).from(learningProgress).where(inArray(learningProgress.enrolmentId, batch)),
      db.select({ enrolmentId: attendance.enrolmentId, itemKey: attendance.itemKey, status: attendance.status }).from(attendance).where(and(inArray(attendance.enrolmentId, batch), eq(attendance.intakeId, intakeId))),
    ]);
    for (const d of work) done.get(d.enrolmentId)?.set(d.itemKey, d.doneAt);
    for (const m of marks) marked.get(m.enrolmentId)?.set(m.itemKey, m.status as AttendanceStatus);
  }
  return new Map(ids.map((id) => [id, { done: done.get(id)!, attendance: marked.get(id)!, replies: new Map() }]));
}

/**
 * The progress per component (domain/timeline.ts progressOf: guided learning expected by now and
 * evidenced, in minutes) of these places of one intake, each in their own time zone (UK time when
 * none), by enrolment id; with the programme version the intake follows. Undefined when the intake's
 * NPQ has no programme yet. Reads each table once per 5,000 places, and computes what is expected
 * once per zone: a 2,500-person intake is a handful of queries (issue 10 item 8; issue 11 item 3).
 * With each place's lapses (domain/timeline.ts lapsesOf: sessions missed, work overdue) for early
 * warning (issue 11 item 4).
 */
export async function progressOfPlaces(db: Executor, now: Date, intake: Pick<IntakeRow, 'id' | 'qualificationId'>, places: readonly { enrolmentId: string; timeZone: string | null }[]): Promise<{ version: ProgrammeVersion; progress: Map<string, ComponentProgress[]>; lapses: Map<string, Lapses> } | undefined> {
  const version = await versionOfIntake(db, intake);
  if (!version) return undefined;
  const plan = await planOf(db, intake.id);
  const records = await recordsOfPlaces(db, intake.id, places.map((p) => p.enrolmentId));
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
  const progress = new Map<string, ComponentProgress[]>();
  const lapses = new Map<string, Lapses>();
  for (const place of places) {
    const zone = place.timeZone ?? 'Europe/London';
    const record = records.get(place.enrolmentId)!;
    progress.set(place.enrolmentId, progressOf(version.content, plan, record, now, zone, expectedIn(zone)));
    lapses.set(place.enrolmentId, lapsesOf(version.content, plan, record, now, zone));
  }
  return { version, progress, lapses };
}

/** A piece of a place's programme the participant has finished: a session they attended that has ended, or a module they completed. */
export interface FinishedPiece {
  kind: 'session' | 'module';
  itemKey: string;
  title: string;
  /** When it ended (a session) or its last activity was done (a module). */
  finishedAt: Date;
  /** Who led the session, and where (null for a module, or when the plan names none). */
  facilitatorUserId: string | null;
  venueId: string | null;
}

/** The pieces finished by `now` of a programme, as one participant's record shows them (finishedPiecesOf's rule). */
function piecesFinished(version: ProgrammeVersion, plan: Map<string, PlanEntry>, record: Pick<ParticipantRecord, 'done' | 'attendance'>, now: Date): FinishedPiece[] {
  const pieces: FinishedPiece[] = [];
  for (const s of [...version.content.events, ...version.content.briefings]) {
    const entry = plan.get(s.key);
    const mark = record.attendance.get(s.key);
    if (entry?.endsAt && entry.endsAt <= now && mark && ATTENDED.has(mark)) pieces.push({ kind: 'session', itemKey: s.key, title: s.title, finishedAt: entry.endsAt, facilitatorUserId: entry.facilitatorUserId ?? null, venueId: entry.venueId });
  }
  for (const m of version.content.courses.flatMap((c) => c.modules)) {
    const done = m.activities.map((a) => record.done.get(a.key));
    if (m.activities.length && done.every((d): d is Date => d !== undefined)) pieces.push({ kind: 'module', itemKey: m.key, title: m.title, finishedAt: new Date(Math.max(...done.map((d) => d.getTime()))), facilitatorUserId: null, venueId: null });
  }
  return pieces;
}

/**
 * The pieces of this place's programme the participant has finished by `now`: events and briefings
 * the register marks them attended at that have ended, and modules whose every activity is done
 * (issue 11 item 5: a survey "after each event, module"). Empty for a place without an intake or
 * programme.
 */
export async function finishedPiecesOf(db: Executor, now: Date, place: { enrolmentId: string; intakeId: string | null }): Promise<FinishedPiece[]> {
  if (!place.intakeId) return [];
  return (await finishedPiecesOfPlaces(db, now, place.intakeId, [place.enrolmentId])).get(place.enrolmentId) ?? [];
}

/**
 * finishedPiecesOf for many places of one intake at once, by enrolment id (issue 13: every place's
 * evidence weighed for DfE's declarations): the intake's programme and plan read once, the records in
 * batches, a few queries whatever the number of places. Empty for an intake without a programme.
 */
export async function finishedPiecesOfPlaces(db: Executor, now: Date, intakeId: string, enrolmentIds: readonly string[]): Promise<Map<string, FinishedPiece[]>> {
  const out = new Map<string, FinishedPiece[]>();
  const intake = await intakeById(db, intakeId);
  const version = intake ? await versionOfIntake(db, intake) : undefined;
  if (!intake || !version || !enrolmentIds.length) return out;
  const plan = await planOf(db, intake.id);
  const records = await recordsOfPlaces(db, intake.id, enrolmentIds);
  for (const [id, record] of records) out.set(id, piecesFinished(version, plan, record, now));
  return out;
}

/**
 * Everyone who taught each of these places, by enrolment id: the facilitators of the sessions of the
 * intakes given for it (its own, and any it was moved from) and of its group. Who may not mark the
 * place's accounts (issue 12 item 4).
 */
export async function facilitatorsOfPlaces(db: Executor, places: readonly { enrolmentId: string; intakeIds: readonly string[] }[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  const intakeIds = [...new Set(places.flatMap((p) => p.intakeIds))];
  if (!places.length) return out;
  const [sessionsLed, groups] = await Promise.all([
    intakeIds.length ? db.selectDistinct({ intakeId: planEntries.intakeId, userId: planEntries.facilitatorUserId }).from(planEntries).where(and(inArray(planEntries.intakeId, intakeIds), isNotNull(planEntries.facilitatorUserId))) : [],
    groupsOfPlaces(db, places.map((p) => p.enrolmentId)),
  ]);
  for (const p of places) {
    const taught = new Set(sessionsLed.filter((s) => p.intakeIds.includes(s.intakeId)).map((s) => s.userId!));
    // Their group's facilitator taught them, even in an intake they have since moved from.
    const group = groups.get(p.enrolmentId);
    if (group?.facilitatorUserId) taught.add(group.facilitatorUserId);
    out.set(p.enrolmentId, taught);
  }
  return out;
}
