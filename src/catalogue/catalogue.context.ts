import type { Db, Executor } from '../db/client';
import type { Actor } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';
import { ForbiddenError, NotFoundError } from '../platform/errors';
import { catalogueRepository, type IntakeRow } from './catalogue.repository';
import { catalogueAbilities } from './domain/catalogue.policy';

/** What the catalogue's use cases share: the database, the clock, and the signal that the public pages must be built again. */
export interface CatalogueContext {
  db: Db;
  clock: Clock;
  /**
   * Tells the public pages' snapshot, in every process, that the catalogue changed (after the
   * transaction has committed). Awaited before the answer goes out, so the next request, to any
   * process, sees the edit (docs/adr/0031).
   */
  changed: () => Promise<void>;
  /**
   * Told of a changed intake inside the change's transaction, so records that show it (enrolment's
   * applications) move with it. Returns what to run once the transaction has committed (dropping
   * cached pages that show the intake: dropped before the commit, a read in between would keep the
   * old), or nothing.
   */
  intakeChanged?: ((tx: Executor, before: IntakeRow, after: IntakeRow) => Promise<AfterCommit | undefined>) | undefined;
  /** Whether enrolment knows a cohort: passed in, as enrolment builds on the catalogue. */
  cohortExists?: ((identifier: string) => Promise<boolean>) | undefined;
}

/** Work that must wait until a transaction has committed. */
export type AfterCommit = () => Promise<void>;

/** Raises ForbiddenError unless the actor manages the catalogue (catalogue policy). */
export function authoriseCatalogueManager(actor: Actor): void {
  if (!catalogueAbilities(actor).manage) throw new ForbiddenError();
}

/** A qualification by id, retired or not; NotFoundError when there is none. */
export async function requireQualification(ctx: CatalogueContext, id: string) {
  const q = await catalogueRepository.qualificationById(ctx.db, id);
  if (!q) throw new NotFoundError('qualification');
  return q;
}
