import { and, asc, eq, ilike, inArray, ne, or, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import { scheduleOfIntake } from '../catalogue/catalogue.queries';
import { domainEvents } from '../platform/platform.schema';
import { deliveryPartnerOf } from './applications/applications.repository';
import { TRANSFERRED_AWAY } from './applications/record-dfe-transfer-away';
import { applications, cohorts, enrolments, participantStatusChanges, participants, schools } from './enrolment.schema';

/**
 * What other capabilities may read of enrolment (docs/adr/0029): plain query functions over its
 * tables, so that no capability reads `applications` or `cohorts` itself and enrolment can reshape
 * them (participants as their own record, issue 9) by changing only these bodies. Each takes the
 * database or a transaction and only reads.
 */

/**
 * One person's place on one NPQ, as other capabilities see it. `enrolmentId` is the application's id
 * (the 360°'s rounds hang off it, by a foreign key to applications); the enrolment's own row (ADR 0036)
 * is read beside it for the delivery partner and the training status.
 */
export interface ParticipantSummary {
  enrolmentId: string;
  userId: string | null;
  fullName: string;
  courseIdentifier: string;
  cohortId: string | null;
  /** The cohort's identifier ("2026a"), null while the application has none. */
  cohort: string | null;
  deliveryPartnerId: string | null;
}

const summary = {
  enrolmentId: applications.id,
  userId: applications.userId,
  fullName: applications.fullName,
  courseIdentifier: applications.courseIdentifier,
  cohortId: applications.cohortId,
  cohort: cohorts.identifier,
  deliveryPartnerId: deliveryPartnerOf,
};

/** `select <summary> from applications` with each one's enrolment beside it (ADR 0036). */
const selectSummaries = (db: Executor) => db.select(summary).from(applications).leftJoin(enrolments, eq(enrolments.applicationId, applications.id));

/** The people on these enrolments (any status), by enrolment id; ids that name none are left out. */
export async function participantsByEnrolment(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, ParticipantSummary>> {
  if (enrolmentIds.length === 0) return new Map();
  const rows = await selectSummaries(db)
    .leftJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .where(inArray(applications.id, [...new Set(enrolmentIds)]));
  return new Map(rows.map((r) => [r.enrolmentId, r]));
}

/** The person on one enrolment, or undefined. */
export async function participantOf(db: Executor, enrolmentId: string): Promise<ParticipantSummary | undefined> {
  return (await participantsByEnrolment(db, [enrolmentId])).get(enrolmentId);
}

/** Every enrolment (any status) of one user, as their own pages list them. */
export async function enrolmentsOfUser(db: Executor, userId: string): Promise<ParticipantSummary[]> {
  return selectSummaries(db).leftJoin(cohorts, eq(cohorts.id, applications.cohortId)).where(eq(applications.userId, userId));
}

/**
 * Which participants of a cohort someone may see as a group: `all`, or those of the delivery
 * partners or cohorts listed (both empty: none).
 */
export type ParticipantScope = { all: true } | { partners: readonly string[]; cohorts: readonly string[] };

/** The enrolments of a cohort (by identifier) within `scope`, in name order. */
export async function participantsOfCohort(db: Executor, cohortIdentifier: string, scope: ParticipantScope = { all: true }): Promise<ParticipantSummary[]> {
  const within =
    'all' in scope
      ? undefined
      : or(
          scope.partners.length ? inArray(deliveryPartnerOf, [...scope.partners]) : undefined,
          scope.cohorts.length ? inArray(applications.cohortId, [...scope.cohorts]) : undefined,
          sql`false`,
        );
  return selectSummaries(db)
    .innerJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .where(and(eq(cohorts.identifier, cohortIdentifier), within))
    .orderBy(asc(applications.fullName), asc(applications.id));
}

/**
 * Participants in training now: accepted and not withdrawn (deferred still count), with their cohort,
 * of one user or one cohort (by id).
 */
export async function participantsInTraining(db: Executor, which: { userId: string } | { cohortId: string }): Promise<{ enrolmentId: string; cohortId: string }[]> {
  const rows = await db
    .select({ enrolmentId: applications.id, cohortId: applications.cohortId })
    .from(applications)
    .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .where(and('userId' in which ? eq(applications.userId, which.userId) : eq(applications.cohortId, which.cohortId), eq(applications.status, 'accepted'), ne(enrolments.trainingStatus, 'withdrawn')));
  return rows.filter((r): r is { enrolmentId: string; cohortId: string } => r.cohortId !== null);
}

/**
 * The ids of every enrolment (any status) in a cohort, as a subquery for another capability's filter:
 * a cohort may hold more participants than one statement may carry parameters (65,535), so its ids
 * are never sent as a list.
 */
export const enrolmentIdsInCohortQuery = (db: Executor, cohortId: string) => db.select({ id: applications.id }).from(applications).where(eq(applications.cohortId, cohortId));

/** The places (enrolment ids) delivered by these partners now, as a subquery: a scope read from the enrolment itself, never from a copy that may be behind a move. */
export const enrolmentIdsOfPartnersQuery = (db: Executor, partnerIds: readonly string[]) => db.select({ id: enrolments.applicationId }).from(enrolments).where(inArray(enrolments.deliveryPartnerId, [...partnerIds]));

/**
 * The places (enrolment ids) on these courses, delivered by these partners now (or any partner's:
 * 'all'), as a subquery: a list of another capability's records kept to what its reader may see.
 */
export const enrolmentIdsOfCoursesQuery = (db: Executor, courses: readonly string[], partnerIds: readonly string[] | 'all') =>
  db
    .select({ id: applications.id })
    .from(applications)
    .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .where(and(inArray(applications.courseIdentifier, [...courses]), partnerIds === 'all' ? undefined : inArray(enrolments.deliveryPartnerId, partnerIds.length ? [...partnerIds] : ['00000000-0000-0000-0000-000000000000'])));

/** A cohort by its identifier ("2026a"), or undefined. */
export async function cohortByIdentifier(db: Executor, identifier: string): Promise<{ id: string; identifier: string } | undefined> {
  const [row] = await db.select({ id: cohorts.id, identifier: cohorts.identifier }).from(cohorts).where(eq(cohorts.identifier, identifier));
  return row;
}

/** Cohort id → identifier ("2026a"), for every cohort: to name where a cohort-scoped role or window is. */
export async function cohortIdentifiers(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select({ id: cohorts.id, identifier: cohorts.identifier }).from(cohorts);
  return new Map(rows.map((r) => [r.id, r.identifier]));
}

/**
 * One accepted participant's place as the programme reads it (issue 10): the intake they were placed
 * in, their own time zone (the application's; null for UK time) and their training status.
 */
export interface Place {
  enrolmentId: string;
  participantId: string;
  userId: string | null;
  fullName: string;
  email: string;
  courseIdentifier: string;
  intakeId: string | null;
  deliveryPartnerId: string | null;
  /** The DfE cohort (its id) the place counts in. */
  cohortId: string | null;
  timeZone: string | null;
  trainingStatus: string;
}

const place = {
  enrolmentId: applications.id,
  participantId: enrolments.participantId,
  userId: applications.userId,
  fullName: applications.fullName,
  email: applications.email,
  courseIdentifier: applications.courseIdentifier,
  intakeId: enrolments.intakeId,
  deliveryPartnerId: enrolments.deliveryPartnerId,
  cohortId: applications.cohortId,
  timeZone: applications.timeZone,
  trainingStatus: enrolments.trainingStatus,
};
const selectPlaces = (db: Executor) => db.select(place).from(applications).innerJoin(enrolments, eq(enrolments.applicationId, applications.id));

/**
 * The accepted places as a subquery another capability joins on by enrolment id (the application's):
 * the intake placed in and the participant's name, for a list it filters, orders and pages in SQL.
 */
export const acceptedPlacesSubquery = (db: Executor) =>
  db.select({ enrolmentId: sql<string>`${applications.id}`.as('place_enrolment_id'), intakeId: sql<string | null>`${enrolments.intakeId}`.as('place_intake_id'), fullName: sql<string>`${applications.fullName}`.as('place_full_name') }).from(applications).innerJoin(enrolments, eq(enrolments.applicationId, applications.id)).where(eq(applications.status, 'accepted')).as('accepted_places');

/** A user's accepted places (any training status), newest first. */
export async function placesOfUser(db: Executor, userId: string): Promise<Place[]> {
  return selectPlaces(db).where(and(eq(applications.userId, userId), eq(applications.status, 'accepted'))).orderBy(sql`${applications.decidedAt} desc nulls last`);
}

/**
 * Holds a place's row until the caller's transaction ends, so changes to one place's record (its
 * outcomes) wait for each other: on PostgreSQL two requests would otherwise each read the history
 * before the other's row is in.
 */
export async function holdPlace(tx: Executor, enrolmentId: string): Promise<void> {
  await tx.select({ id: applications.id }).from(applications).where(eq(applications.id, enrolmentId)).for('update');
}

/** Accepted places by enrolment id (the application's) or by DfE's participant id; ids that name none are left out. */
export async function placesByEnrolment(db: Executor, enrolmentIds: readonly string[]): Promise<Place[]> {
  if (!enrolmentIds.length) return [];
  return selectPlaces(db).where(and(inArray(applications.id, [...new Set(enrolmentIds)]), eq(applications.status, 'accepted')));
}

/** The accepted places of a participant (DfE's `participant_id`), any training status. */
export async function placesOfParticipant(db: Executor, participantId: string): Promise<Place[]> {
  return selectPlaces(db).where(and(eq(enrolments.participantId, participantId), eq(applications.status, 'accepted')));
}

/** How many participants are placed in an intake and not withdrawn or waiting for a place (placesInIntake's count). */
export async function placedInIntake(db: Executor, intakeId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(applications)
    .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .where(and(eq(enrolments.intakeId, intakeId), eq(applications.status, 'accepted'), ne(enrolments.trainingStatus, 'withdrawn'), eq(enrolments.onWaitingList, false)));
  return row?.n ?? 0;
}

/** The participants placed in an intake and not withdrawn or waiting for a place, in name order. */
export async function placesInIntake(db: Executor, intakeId: string): Promise<Place[]> {
  return selectPlaces(db)
    .where(and(eq(enrolments.intakeId, intakeId), eq(applications.status, 'accepted'), ne(enrolments.trainingStatus, 'withdrawn'), eq(enrolments.onWaitingList, false)))
    .orderBy(asc(applications.fullName), asc(applications.id));
}

/** Which participants in training a staff list shows: of these partners (or all), of one NPQ, matching a search, and any further condition on the enrolment's id. */
export interface PlacesFilter {
  partners: readonly string[] | 'all';
  /** An NPQ's identifier. */
  course?: string | undefined;
  /** Part of a name or email address. */
  q?: string | undefined;
  /** A condition of another capability's on the enrolment's id (a subquery: "has no coach"). */
  where?: ((enrolmentId: AnyPgColumn) => SQL) | undefined;
}

/**
 * A page of the participants in training (accepted, not withdrawn, not waiting for a place) within
 * `filter`, in name order, and how many there are in all: the staff lists of other capabilities. A
 * page is at an offset, or (`after`) the rows after a name and id, as an export walks the list.
 */
export async function placesInTraining(db: Executor, filter: PlacesFilter, page: { limit: number; offset: number; after?: { fullName: string; enrolmentId: string } | undefined }): Promise<{ rows: Place[]; total: number }> {
  const search = filter.q?.trim() ? `%${filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const where = and(
    eq(applications.status, 'accepted'),
    ne(enrolments.trainingStatus, 'withdrawn'),
    eq(enrolments.onWaitingList, false),
    filter.partners === 'all' ? undefined : filter.partners.length ? inArray(enrolments.deliveryPartnerId, [...filter.partners]) : sql`false`,
    filter.course ? eq(applications.courseIdentifier, filter.course) : undefined,
    search ? or(ilike(applications.fullName, search), ilike(applications.email, search)) : undefined,
    filter.where?.(applications.id),
  );
  // After a row (an export's walk by key: docs/adr/0044), or at an offset (a page of the list).
  const after = page.after ? sql`(${applications.fullName}, ${applications.id}) > (${page.after.fullName}, ${page.after.enrolmentId})` : undefined;
  const [rows, [count]] = await Promise.all([
    selectPlaces(db).where(and(where, after)).orderBy(asc(applications.fullName), asc(applications.id)).limit(page.limit).offset(page.after ? 0 : page.offset),
    db.select({ n: sql<number>`count(*)::int` }).from(applications).innerJoin(enrolments, eq(enrolments.applicationId, applications.id)).where(where),
  ]);
  return { rows, total: count?.n ?? 0 };
}

/**
 * The training status changes of one place (by its enrolment id, the application's), oldest first:
 * the change's id, from and to what, DfE's reason code, and when (UTC instant). The assessment clock
 * reads deferrals from it (issue 12 item 1); the DfE sync sends each to DfE (issue 13 item 2).
 */
export async function statusChangesOfPlace(db: Executor, enrolmentId: string): Promise<{ id: string; fromStatus: string | null; toStatus: string; reason: string | null; changedAt: Date }[]> {
  return db
    .select({ id: participantStatusChanges.id, fromStatus: participantStatusChanges.fromStatus, toStatus: participantStatusChanges.toStatus, reason: participantStatusChanges.reason, changedAt: participantStatusChanges.changedAt })
    .from(participantStatusChanges)
    .innerJoin(enrolments, eq(enrolments.id, participantStatusChanges.enrolmentId))
    .where(eq(enrolments.applicationId, enrolmentId))
    .orderBy(asc(participantStatusChanges.changedAt), asc(participantStatusChanges.id));
}

/** The school a place's application named (its GIAS URN as a number), or null when it named none or not one that is a number. */
export async function schoolUrnOfPlace(db: Executor, enrolmentId: string): Promise<number | null> {
  const [row] = await db.select({ urn: applications.schoolUrn }).from(applications).where(eq(applications.id, enrolmentId));
  const urn = Number(row?.urn);
  return row?.urn && Number.isSafeInteger(urn) ? urn : null;
}

/** A school as GIAS lists it, by URN, with what pages name it by; undefined for none. */
export async function schoolByUrn(db: Executor, urn: number): Promise<{ urn: number; name: string; town: string | null; postcode: string | null; phaseName: string | null; typeName: string | null } | undefined> {
  if (!Number.isSafeInteger(urn) || urn <= 0 || urn > 2_147_483_647) return undefined;
  const [row] = await db.select({ urn: schools.urn, name: schools.name, town: schools.town, postcode: schools.postcode, phaseName: schools.phaseName, typeName: schools.typeName }).from(schools).where(eq(schools.urn, urn));
  return row;
}

/**
 * The intakes each of these places was moved from (enrolment id → intake ids), from the
 * `participant.moved` events recorded when a participant changed intake: whoever taught them there,
 * or works for that intake's partner, taught them too (issue 12 item 4: an assessor never marks a
 * participant they taught). Places never moved are left out.
 */
export async function earlierIntakesOf(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (!enrolmentIds.length) return out;
  const rows = await db
    .select({ enrolmentId: sql<string>`${domainEvents.payload}->>'applicationId'`, intakeId: sql<string | null>`${domainEvents.payload}->>'fromIntakeId'` })
    .from(domainEvents)
    .where(and(eq(domainEvents.type, 'participant.moved'), inArray(sql`${domainEvents.payload}->>'applicationId'`, [...new Set(enrolmentIds)])));
  for (const r of rows) if (r.intakeId) out.set(r.enrolmentId, [...(out.get(r.enrolmentId) ?? []), r.intakeId]);
  return out;
}

/** An application as DfE's API gives it, and what recording one did (issue 13): the DfE sync's terms. */
export type { DfeApplicationRecord, DfeApplicationRecorded } from './applications/record-dfe-application';
export type { DfeParticipantIdChange, DfeParticipantIdChangeApplied } from './applications/record-dfe-participant-id-change';
export { TRANSFERRED_AWAY } from './applications/record-dfe-transfer-away';

/**
 * What DfE must be told of the provider's decision on an application it holds (issue 13 item 2): DfE's
 * id for it (null for one DfE does not hold), the platform's status, the funded place given and the
 * cohort's funding (DfE asks for `funded_place` only in a capped cohort, and `false` in an unfunded one:
 * docs/dfe-api.md §1.1), the schedule of the intake placed in, the NPQ and cohort, and the status DfE
 * last showed in a pull.
 * Undefined for no application.
 */
export async function dfeDecisionOf(db: Executor, applicationId: string): Promise<{ dfeApplicationId: string | null; dfeStatus: string | null; status: string; courseIdentifier: string; cohort: string | null; fundedPlace: boolean | null; cohortFunding: string | null; schedule: string | null } | undefined> {
  const [row] = await db
    .select({ dfeApplicationId: applications.dfeApplicationId, dfeStatus: applications.dfeStatus, status: applications.status, courseIdentifier: applications.courseIdentifier, cohort: cohorts.identifier, fundedPlace: enrolments.fundedPlace, cohortFunding: cohorts.funding, schedule: scheduleOfIntake(sql`coalesce(${enrolments.intakeId}, ${applications.intakeId})`) })
    .from(applications)
    .leftJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .leftJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .where(eq(applications.id, applicationId));
  return row;
}

/**
 * The DfE participant id the platform holds for the person of each of its applications DfE knows by
 * `dfeApplicationIds` (DfE's npq_application_id, which survives merges: docs/dfe-api.md §4.5 and
 * "Use a stable internal key"). Applications of people with no DfE participant id yet are left out.
 */
export async function dfeParticipantIdsOfApplications(db: Executor, dfeApplicationIds: readonly string[]): Promise<{ dfeApplicationId: string; dfeParticipantId: string }[]> {
  if (!dfeApplicationIds.length) return [];
  const rows = await db
    .select({ dfeApplicationId: applications.dfeApplicationId, dfeParticipantId: participants.dfeParticipantId })
    .from(applications)
    .innerJoin(participants, eq(participants.id, applications.participantId))
    .where(inArray(applications.dfeApplicationId, [...dfeApplicationIds]));
  return rows.filter((r): r is { dfeApplicationId: string; dfeParticipantId: string } => r.dfeApplicationId !== null && r.dfeParticipantId !== null);
}

/**
 * Whom DfE must be told of a change to a participant's training (issue 13 item 2): DfE's ids for the
 * application and the person (null where DfE holds neither yet), the NPQ's course identifier, which
 * DfE's participant actions name (docs/dfe-api.md §1.2), and the status DfE last showed in a pull.
 * Undefined for no application.
 */
export async function dfeParticipantOf(db: Executor, applicationId: string): Promise<{ dfeApplicationId: string | null; dfeParticipantId: string | null; courseIdentifier: string; dfeStatus: string | null } | undefined> {
  const [row] = await db
    .select({ dfeApplicationId: applications.dfeApplicationId, dfeParticipantId: participants.dfeParticipantId, courseIdentifier: applications.courseIdentifier, dfeStatus: applications.dfeStatus })
    .from(applications)
    .leftJoin(participants, eq(participants.id, applications.participantId))
    .where(eq(applications.id, applicationId));
  return row;
}

/** An accepted place DfE holds (its application and person known by DfE's ids), as declarations read it (issue 13 item 3). */
export interface PlaceAtDfe {
  enrolmentId: string;
  fullName: string;
  courseIdentifier: string;
  intakeId: string | null;
  deliveryPartnerId: string | null;
  /** DfE's cohort identifier (`2025a`). */
  cohort: string;
  /** The intake's DfE schedule; null when the place has no intake or the intake names none. */
  schedule: string | null;
  trainingStatus: 'active' | 'deferred' | 'withdrawn';
  /** The funded place given; null where the cohort does not ask (DfE's `funded_place`). */
  fundedPlace: boolean | null;
  /** When the provider accepted it: DfE's default schedule is taken from this when the intake names none. */
  decidedAt: Date | null;
  dfeApplicationId: string;
  dfeParticipantId: string;
}

/**
 * The accepted places DfE holds — the application linked to DfE's and the person to DfE's participant
 * id — a page at a time in a fixed order (`after`: the last enrolment id of the page before), or just
 * `enrolmentIds`. Places DfE does not hold yet, or no longer holds (transferred away: TRANSFERRED_AWAY),
 * are left out: nothing can be declared for them.
 */
export async function placesAtDfe(db: Executor, which: { after?: string; limit: number } | { enrolmentIds: readonly string[] }): Promise<PlaceAtDfe[]> {
  const where = 'enrolmentIds' in which ? (which.enrolmentIds.length ? inArray(applications.id, [...which.enrolmentIds]) : sql`false`) : which.after ? sql`${applications.id} > ${which.after}` : undefined;
  const rows = await db
    .select({
      enrolmentId: applications.id,
      fullName: applications.fullName,
      courseIdentifier: applications.courseIdentifier,
      intakeId: enrolments.intakeId,
      deliveryPartnerId: enrolments.deliveryPartnerId,
      cohort: cohorts.identifier,
      schedule: scheduleOfIntake(enrolments.intakeId),
      trainingStatus: enrolments.trainingStatus,
      fundedPlace: enrolments.fundedPlace,
      decidedAt: applications.decidedAt,
      dfeApplicationId: applications.dfeApplicationId,
      dfeParticipantId: participants.dfeParticipantId,
    })
    .from(applications)
    .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .innerJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .innerJoin(participants, eq(participants.id, applications.participantId))
    .where(and(eq(applications.status, 'accepted'), sql`${applications.dfeApplicationId} is not null`, sql`${participants.dfeParticipantId} is not null`, sql`${applications.dfeStatus} is distinct from ${TRANSFERRED_AWAY}`, where))
    .orderBy(asc(applications.id))
    .limit('limit' in which ? which.limit : Math.max(1, which.enrolmentIds.length));
  return rows as PlaceAtDfe[];
}

/** When each of these places last withdrew, by enrolment id (places never withdrawn are left out). */
export async function withdrawalsOfPlaces(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, Date>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .select({ enrolmentId: enrolments.applicationId, at: sql<string>`max(${participantStatusChanges.changedAt})` })
    .from(participantStatusChanges)
    .innerJoin(enrolments, eq(enrolments.id, participantStatusChanges.enrolmentId))
    .where(and(inArray(enrolments.applicationId, [...enrolmentIds]), eq(participantStatusChanges.toStatus, 'withdrawn')))
    .groupBy(enrolments.applicationId);
  return new Map(rows.map((r) => [r.enrolmentId, new Date(r.at)]));
}

/**
 * Accepted places as a subquery another capability joins on by enrolment id (the application's), for a
 * list it filters, orders and pages in SQL: the participant's name, the NPQ, the delivery partner, DfE's
 * cohort, the intake's schedule and when the provider accepted them.
 */
export const declaredPlacesSubquery = (db: Executor) =>
  db
    .select({
      enrolmentId: sql<string>`${applications.id}`.as('dp_enrolment_id'),
      fullName: sql<string>`${applications.fullName}`.as('dp_full_name'),
      courseIdentifier: sql<string>`${applications.courseIdentifier}`.as('dp_course'),
      deliveryPartnerId: sql<string | null>`${enrolments.deliveryPartnerId}`.as('dp_partner_id'),
      cohort: sql<string>`${cohorts.identifier}`.as('dp_cohort'),
      schedule: sql<string | null>`${scheduleOfIntake(enrolments.intakeId)}`.as('dp_schedule'),
      decidedAt: sql<string | null>`${applications.decidedAt}`.as('dp_decided_at'),
    })
    .from(applications)
    .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .innerJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .as('declared_places');

/** One of the platform's applications DfE holds, as reconciliation compares it with DfE's (issue 13 item 6). */
export interface ApplicationKnownToDfe {
  applicationId: string;
  dfeApplicationId: string;
  /** DfE's participant id the platform holds for the person; null while it has none. */
  dfeParticipantId: string | null;
  fullName: string;
  courseIdentifier: string;
  /** DfE's cohort identifier (`2025a`); null while the application has none. */
  cohort: string | null;
  status: string;
  /** The place's training status; null for an application with no place (not accepted). */
  trainingStatus: 'active' | 'deferred' | 'withdrawn' | null;
  /** The schedule of the intake placed in (or applied for): what the platform tells DfE; null when it names none. */
  schedule: string | null;
  fundedPlace: boolean | null;
}

/**
 * Every application the platform holds that DfE holds too (its DfE id known), any status, a page at a
 * time in a fixed order (`after`: the last application id of the page before), for reconciliation to
 * compare with what DfE shows (issue 13 item 6). Only reads.
 */
export async function applicationsKnownToDfe(db: Executor, page: { after?: string | undefined; limit: number }): Promise<ApplicationKnownToDfe[]> {
  const rows = await db
    .select({
      applicationId: applications.id,
      dfeApplicationId: applications.dfeApplicationId,
      dfeParticipantId: participants.dfeParticipantId,
      fullName: applications.fullName,
      courseIdentifier: applications.courseIdentifier,
      cohort: cohorts.identifier,
      status: applications.status,
      trainingStatus: enrolments.trainingStatus,
      schedule: scheduleOfIntake(sql`coalesce(${enrolments.intakeId}, ${applications.intakeId})`),
      fundedPlace: enrolments.fundedPlace,
    })
    .from(applications)
    .leftJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .leftJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .leftJoin(participants, eq(participants.id, applications.participantId))
    .where(and(sql`${applications.dfeApplicationId} is not null`, page.after ? sql`${applications.id} > ${page.after}` : undefined))
    .orderBy(asc(applications.id))
    .limit(page.limit);
  return rows as ApplicationKnownToDfe[];
}
