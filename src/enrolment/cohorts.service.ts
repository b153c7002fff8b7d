import './domain/enrolment.permissions';
import { asc, eq } from 'drizzle-orm';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import { cohorts } from './enrolment.schema';
import type { Actor } from '../platform/auth/actor';
import { can } from '../platform/auth/permissions';
import type { Clock } from '../platform/clock';
import { ConflictError, ForbiddenError, NotFoundError } from '../platform/errors';
import { type CohortInput, cohortIdentifier } from './domain/cohort';

export type CohortRow = typeof cohorts.$inferSelect;

export function createCohortsService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const authorise = (actor: Actor) => {
    if (!can(actor, 'cohorts:manage')) throw new ForbiddenError();
  };
  return {
    async list(actor: Actor): Promise<CohortRow[]> {
      authorise(actor);
      return db.select().from(cohorts).orderBy(asc(cohorts.startYear), asc(cohorts.suffix));
    },

    /** Cohorts and their funding are public: the funding checker asks which one a person starts in. */
    async publicList(): Promise<Pick<CohortRow, 'identifier' | 'startYear' | 'funding'>[]> {
      return db.select({ identifier: cohorts.identifier, startYear: cohorts.startYear, funding: cohorts.funding }).from(cohorts).orderBy(asc(cohorts.startYear), asc(cohorts.suffix));
    },

    async byIdentifier(identifier: string): Promise<CohortRow | undefined> {
      const [row] = await db.select().from(cohorts).where(eq(cohorts.identifier, identifier.trim().toLowerCase()));
      return row;
    },

    /** Creating the same cohort twice is refused with a stable code, so a retried call changes nothing. */
    async create(actor: Actor, input: CohortInput): Promise<CohortRow> {
      authorise(actor);
      const identifier = cohortIdentifier(input.startYear, input.suffix);
      if (await this.byIdentifier(identifier)) throw new ConflictError('cohort_exists', `Cohort ${identifier} already exists`);
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(cohorts)
          .values({ identifier, startYear: input.startYear, suffix: input.suffix, funding: input.funding, fundedPlaceLimits: input.funding === 'capped' ? input.fundedPlaceLimits : {}, createdAt: clock.now() })
          .onConflictDoNothing()
          .returning();
        if (!row) throw new ConflictError('cohort_exists', `Cohort ${identifier} already exists`);
        await audit(tx, clock, actor, { action: 'cohort.created', entityType: 'cohort', entityId: row.id, after: row });
        return row;
      });
    },

    async update(actor: Actor, identifier: string, input: Pick<CohortInput, 'funding' | 'fundedPlaceLimits'>): Promise<CohortRow> {
      authorise(actor);
      const before = await this.byIdentifier(identifier);
      if (!before) throw new NotFoundError('cohort');
      return db.transaction(async (tx) => {
        const [after] = await tx
          .update(cohorts)
          .set({ funding: input.funding, fundedPlaceLimits: input.funding === 'capped' ? input.fundedPlaceLimits : {} })
          .where(eq(cohorts.id, before.id))
          .returning();
        await audit(tx, clock, actor, { action: 'cohort.updated', entityType: 'cohort', entityId: before.id, before, after });
        return after!;
      });
    },
  };
}
export type CohortsService = ReturnType<typeof createCohortsService>;
