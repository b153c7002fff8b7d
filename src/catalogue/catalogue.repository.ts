import { and, asc, eq, gte, isNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { deliveryPartners, intakes, programmeComponents, qualifications, venues } from './catalogue.schema';

export type QualificationRow = typeof qualifications.$inferSelect;
export type ComponentRow = typeof programmeComponents.$inferSelect;
export type PartnerRow = typeof deliveryPartners.$inferSelect;
export type VenueRow = typeof venues.$inferSelect;
export type IntakeRow = typeof intakes.$inferSelect;

export const catalogueRepository = {
  allQualifications: (db: Executor) => db.select().from(qualifications).orderBy(asc(qualifications.position), asc(qualifications.shortName)),
  qualificationById: async (db: Executor, id: string) => (await db.select().from(qualifications).where(eq(qualifications.id, id)))[0],
  qualificationByIdentifier: async (db: Executor, identifier: string) =>
    (await db.select().from(qualifications).where(eq(qualifications.identifier, identifier)))[0],
  allComponents: (db: Executor) => db.select().from(programmeComponents).orderBy(asc(programmeComponents.qualificationId), asc(programmeComponents.position)),
  componentsOf: (db: Executor, qualificationId: string) =>
    db.select().from(programmeComponents).where(eq(programmeComponents.qualificationId, qualificationId)).orderBy(asc(programmeComponents.position)),
  component: async (db: Executor, id: string) => (await db.select().from(programmeComponents).where(eq(programmeComponents.id, id)))[0],
  partners: (db: Executor) => db.select().from(deliveryPartners).orderBy(asc(deliveryPartners.name)),
  partner: async (db: Executor, id: string) => (await db.select().from(deliveryPartners).where(eq(deliveryPartners.id, id)))[0],
  venues: (db: Executor) => db.select().from(venues).orderBy(asc(venues.name)),
  venue: async (db: Executor, id: string) => (await db.select().from(venues).where(eq(venues.id, id)))[0],
  intakesFrom: (db: Executor, fromDate: string) =>
    db.select().from(intakes).where(and(isNull(intakes.retiredAt), gte(intakes.startDate, fromDate))).orderBy(asc(intakes.startDate)),
  allIntakes: (db: Executor) => db.select().from(intakes).orderBy(asc(intakes.startDate)),
  intake: async (db: Executor, id: string) => (await db.select().from(intakes).where(eq(intakes.id, id)))[0],
};
