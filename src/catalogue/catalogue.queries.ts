/**
 * What other capabilities may read from the catalogue: intakes and their schedules. Queries only;
 * every change goes through the catalogue's own service.
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import type { CatalogueNames, CatalogueService } from './catalogue.service';

export type { CatalogueNames };
/** The catalogue as the brief describes it: other capabilities seed from it (learning's programmes follow its components). */
export { SEED_QUALIFICATIONS } from './seed-data';
import { deliveryPartners, intakes, programmeComponents, qualifications, venues } from './catalogue.schema';

export type IntakeRow = typeof intakes.$inferSelect;

/** One intake by id, retired or not; undefined when there is none. */
export async function intakeById(db: Executor, id: string): Promise<IntakeRow | undefined> {
  const [row] = await db.select().from(intakes).where(eq(intakes.id, id));
  return row;
}

/**
 * Intakes of an NPQ (by course identifier) an applicant may choose on `today` (UK date, yyyy-mm-dd):
 * not retired, deadline not passed, with a cohort; earliest start first.
 */
export async function openIntakesOf(db: Executor, course: string, today: string): Promise<IntakeRow[]> {
  const rows = await db
    .select({ intake: intakes })
    .from(intakes)
    .innerJoin(qualifications, eq(qualifications.id, intakes.qualificationId))
    .where(and(eq(qualifications.identifier, course), isNull(intakes.retiredAt), gte(intakes.applicationDeadline, today), isNotNull(intakes.cohortIdentifier)))
    .orderBy(asc(intakes.startDate));
  return rows.map((r) => r.intake);
}

/**
 * The delivery partner of the intake named by `intakeId` (a column of another capability's table), as
 * one SQL expression: a pending application's partner is its chosen intake's (ADR 0036).
 */
export const partnerOfIntake = (intakeId: AnyPgColumn | SQL): SQL<string | null> => sql<string | null>`(select ${intakes.deliveryPartnerId} from ${intakes} where ${intakes.id} = ${intakeId})`;

/**
 * The DfE schedule of the intake named by `intakeId` (a column or expression of another capability's
 * query), as one SQL expression: null without an intake or a schedule.
 */
export const scheduleOfIntake = (intakeId: AnyPgColumn | SQL): SQL<string | null> => sql<string | null>`(select ${intakes.schedule} from ${intakes} where ${intakes.id} = ${intakeId})`;

/** The ids of the intakes of these delivery partners, as a subquery for another capability's filter. */
export const intakeIdsOfPartners = (db: Executor, partnerIds: readonly string[]) => db.select({ id: intakes.id }).from(intakes).where(inArray(intakes.deliveryPartnerId, [...partnerIds]));

/** Delivery partner id → name, for every partner (retired ones too: roles may still name them). */
export async function deliveryPartnerNames(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select({ id: deliveryPartners.id, name: deliveryPartners.name }).from(deliveryPartners);
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The catalogue as other capabilities are given it (src/app.ts passes the one service): its cached
 * list of the NPQs on offer. Typed here so that no capability imports the catalogue's service.
 */
export type PublicCatalogue = Pick<CatalogueService, 'list' | 'everyName'>;

/** A venue as other capabilities show it. */
export interface VenueSummary {
  id: string;
  deliveryPartnerId: string;
  name: string;
  addressLine: string;
  town: string;
  postcode: string;
  /** How many people its rooms hold, when the admin has said. */
  capacity: number | null;
  retired: boolean;
}

const venueSummary = (v: typeof venues.$inferSelect): VenueSummary => ({ id: v.id, deliveryPartnerId: v.deliveryPartnerId, name: v.name, addressLine: v.addressLine, town: v.town, postcode: v.postcode, capacity: v.capacity, retired: v.retiredAt !== null });

/** Every venue of these delivery partners (retired ones too, marked: a plan may still name one), by name. */
export async function venuesOfPartners(db: Executor, partnerIds: readonly string[]): Promise<VenueSummary[]> {
  if (!partnerIds.length) return [];
  const rows = await db.select().from(venues).where(inArray(venues.deliveryPartnerId, [...partnerIds])).orderBy(asc(venues.name));
  return rows.map(venueSummary);
}

/** Venues by id. */
export async function venuesById(db: Executor, ids: readonly string[]): Promise<Map<string, VenueSummary>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(venues).where(inArray(venues.id, [...new Set(ids)]));
  return new Map(rows.map((v) => [v.id, venueSummary(v)]));
}

const qualificationNames = { id: qualifications.id, identifier: qualifications.identifier, name: qualifications.name, shortName: qualifications.shortName, kind: qualifications.kind, mastersCredits: qualifications.mastersCredits, retired: sql<boolean>`${qualifications.retiredAt} is not null` };
/** A qualification as outcomes name it: id, identifier, names, kind, master's credits (up to), and whether retired. */
export type QualificationNames = { id: string; identifier: string; name: string; shortName: string; kind: string; mastersCredits: number | null; retired: boolean };

/** A qualification's id, identifier and names by its identifier (retired too), or undefined. */
export async function qualificationByIdentifier(db: Executor, identifier: string): Promise<QualificationNames | undefined> {
  const [row] = await db.select(qualificationNames).from(qualifications).where(eq(qualifications.identifier, identifier));
  return row;
}

/** A qualification by its short name (NPQH), for the progression path's next step; retired too, or undefined. */
export async function qualificationByShortName(db: Executor, shortName: string): Promise<QualificationNames | undefined> {
  const [row] = await db.select(qualificationNames).from(qualifications).where(eq(qualifications.shortName, shortName)).limit(1);
  return row;
}

/** The intakes of these delivery partners (or all), newest start first, with their NPQ's name: the delivery lists. */
export async function intakesForDelivery(db: Executor, partnerIds: readonly string[] | 'all') {
  return db
    .select({ intake: intakes, qualificationName: qualifications.name, qualificationShortName: qualifications.shortName, qualificationIdentifier: qualifications.identifier, partnerName: deliveryPartners.name })
    .from(intakes)
    .innerJoin(qualifications, eq(qualifications.id, intakes.qualificationId))
    .innerJoin(deliveryPartners, eq(deliveryPartners.id, intakes.deliveryPartnerId))
    .where(partnerIds === 'all' ? undefined : partnerIds.length ? inArray(intakes.deliveryPartnerId, [...partnerIds]) : sql`false`)
    .orderBy(sql`${intakes.startDate} desc`, asc(qualifications.name), asc(intakes.name));
}

/** Every qualification's id, identifier and names (retired ones marked), in the catalogue's order. */
export async function allQualificationNames(db: Executor): Promise<{ id: string; identifier: string; name: string; shortName: string; retired: boolean }[]> {
  const rows = await db.select({ id: qualifications.id, identifier: qualifications.identifier, name: qualifications.name, shortName: qualifications.shortName, retiredAt: qualifications.retiredAt }).from(qualifications).orderBy(asc(qualifications.position), asc(qualifications.name));
  return rows.map(({ retiredAt, ...q }) => ({ ...q, retired: retiredAt !== null }));
}

/**
 * The coaching each NPQ entitles a participant to, in minutes, by the NPQ's identifier: the guided
 * learning time of its coaching components (seed 002: NPQH's "3 hours of individual coaching").
 * NPQs with no coaching component are left out (none). Issue 11 item 1; docs/adr/0055.
 */
export async function coachingMinutesByQualification(db: Executor): Promise<Map<string, number>> {
  const rows = await db
    .select({ identifier: qualifications.identifier, minutes: sql<number>`sum(${programmeComponents.guidedLearningMinutes})::int` })
    .from(programmeComponents)
    .innerJoin(qualifications, eq(qualifications.id, programmeComponents.qualificationId))
    .where(eq(programmeComponents.kind, 'coaching'))
    .groupBy(qualifications.identifier);
  return new Map(rows.map((r) => [r.identifier, r.minutes]));
}

/** What an NPQ says that engagement is measured against (issue 11 item 3). */
export interface EngagementTerms {
  /** Per cent of the guided learning expected by now a participant must evidence. */
  thresholdPercent: number;
  /** The shortest duration in months: the span over which coaching is expected to be spread. */
  durationMonthsMin: number;
  /** The guided learning of its coaching and diagnostic components, in minutes (0 when it has none). */
  coachingMinutes: number;
  diagnosticMinutes: number;
}

/** Every NPQ's engagement terms, by identifier. */
export async function engagementTermsByQualification(db: Executor): Promise<Map<string, EngagementTerms>> {
  const [rows, components] = await Promise.all([
    db.select({ id: qualifications.id, identifier: qualifications.identifier, thresholdPercent: qualifications.engagementThresholdPercent, durationMonthsMin: qualifications.durationMonthsMin }).from(qualifications),
    db
      .select({ qualificationId: programmeComponents.qualificationId, kind: programmeComponents.kind, minutes: sql<number>`sum(${programmeComponents.guidedLearningMinutes})::int` })
      .from(programmeComponents)
      .where(inArray(programmeComponents.kind, ['coaching', 'diagnostic']))
      .groupBy(programmeComponents.qualificationId, programmeComponents.kind),
  ]);
  const minutes = (id: string, kind: string) => components.find((c) => c.qualificationId === id && c.kind === kind)?.minutes ?? 0;
  return new Map(rows.map((q) => [q.identifier, { thresholdPercent: q.thresholdPercent, durationMonthsMin: q.durationMonthsMin, coachingMinutes: minutes(q.id, 'coaching'), diagnosticMinutes: minutes(q.id, 'diagnostic') }]));
}

/** Intakes by id (those that exist): what engagement needs to place a participant's programme in time. */
export async function intakesByIds(db: Executor, ids: readonly string[]): Promise<Map<string, IntakeRow>> {
  if (!ids.length) return new Map();
  const rows = await db.select().from(intakes).where(inArray(intakes.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/** DfE's id of each of these delivery partners that DfE's list has been matched to, by partner id (issue 13: declarations name it). */
export async function deliveryPartnerDfeIds(db: Executor, partnerIds: readonly string[]): Promise<Map<string, string>> {
  if (!partnerIds.length) return new Map();
  const rows = await db.select({ id: deliveryPartners.id, dfeId: deliveryPartners.dfeDeliveryPartnerId }).from(deliveryPartners).where(inArray(deliveryPartners.id, [...partnerIds]));
  return new Map(rows.filter((r): r is { id: string; dfeId: string } => r.dfeId !== null).map((r) => [r.id, r.dfeId]));
}

/**
 * The intake a participant DfE transferred to this provider joins (issue 13: transfers, docs/dfe-api.md
 * §4.4): of the NPQ's (course identifier) intakes in the cohort (`2026b`), not retired, one on DfE's
 * schedule when DfE names one (else any), earliest start first; undefined when none fits, and the admin
 * places them.
 */
export async function intakeForTransferIn(db: Executor, course: string, cohortIdentifier: string, schedule: string | null): Promise<IntakeRow | undefined> {
  const [row] = await db
    .select({ intake: intakes })
    .from(intakes)
    .innerJoin(qualifications, eq(qualifications.id, intakes.qualificationId))
    .where(and(eq(qualifications.identifier, course), eq(intakes.cohortIdentifier, cohortIdentifier), isNull(intakes.retiredAt), schedule ? eq(intakes.schedule, schedule) : undefined))
    .orderBy(asc(intakes.startDate), asc(intakes.id))
    .limit(1);
  return row?.intake;
}
