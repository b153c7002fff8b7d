/**
 * What other capabilities may read from the catalogue: intakes and their schedules. Queries only;
 * every change goes through the catalogue's own service.
 */
import { and, asc, eq, gte, inArray, isNotNull, isNull, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../db/client';
import type { CatalogueNames, CatalogueService } from './catalogue.service';

export type { CatalogueNames };
import { deliveryPartners, intakes, qualifications } from './catalogue.schema';

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
