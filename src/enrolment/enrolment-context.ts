import { isConcurrencyFailure } from '../db/errors';
/**
 * What every enrolment use case is given: its dependencies, the clock, one way to write (a transaction
 * after which cached inbox pages are dropped), and the catalogue facts most of them need.
 */
import type { PublicCatalogue } from '../catalogue/catalogue.queries';
import { intakeById } from '../catalogue/catalogue.queries';
import { eq } from 'drizzle-orm';
import { applications } from './enrolment.schema';
import type { Db } from '../db/client';
import type { Clock } from '../platform/clock';
import type { Notifier } from '../platform/notifier';
import type { SecretBox } from '../platform/crypto';
import { AppError } from '../platform/errors';
import type { CohortsService } from './cohorts.service';
import type { FundingService } from './funding.service';
import type { ReferenceService } from './reference.service';
import { gatewayConfigOf } from './gateway/gateway.repository';

export interface ApplicationsDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  catalogue: PublicCatalogue;
  cohorts: CohortsService;
  funding: FundingService;
  reference: ReferenceService;
  baseUrl: string;
  providerName: string;
  /** True when no other process can change the database (the embedded PGlite): cached pages then last until a change. */
  soleWriter?: boolean;
  /** False: every inbox and API page and count is read from the database, as staff see it after a decision (INBOX_CACHE=off; ADR 0034). */
  pageCache?: boolean;
  /** Tells the other processes of a change, so their cached inbox pages go too (docs/adr/0031). */
  notifier?: Notifier;
}

export type EnrolmentContext = ReturnType<typeof createEnrolmentContext>;

/** Builds the context once per service; `onChange` listeners (the inbox's caches) run after every write. */
export function createEnrolmentContext(deps: ApplicationsDeps) {
  const { db, clock, catalogue } = deps;
  const listeners: (() => void)[] = [];
  const dropCached = () => {
    for (const listener of listeners) listener();
  };
  deps.notifier?.subscribe('applications', dropCached);
  const changed = async () => {
    dropCached();
    await deps.notifier?.publish('applications').catch(() => undefined);
  };
  return {
    deps,
    db,
    clock,
    now: () => clock.now(),
    /**
     * Every change runs in one transaction, after which cached inbox pages are dropped in every process (ADR
     * 0010, 0031). A transaction PostgreSQL ends for a deadlock or a serialization failure is run once more;
     * failing again, it is refused 409 `try_again`, never a 500.
     */
    async write<T>(work: Parameters<typeof db.transaction<T>>[0]): Promise<T> {
      try {
        try {
          return await db.transaction(work);
        } catch (err) {
          if (!isConcurrencyFailure(err)) throw err;
        }
        try {
          return await db.transaction(work);
        } catch (err) {
          if (isConcurrencyFailure(err)) throw new AppError('try_again', 'Someone else changed this at the same moment: try again', 409);
          throw err;
        }
      } finally {
        await changed();
      }
    },
    onChange(listener: () => void) {
      listeners.push(listener);
    },
    /** Drops cached pages now, for a change made in another capability's transaction (catalogue's intakes). */
    changed,
    /** The NPQ with this course identifier, from the catalogue's cached list. Not inside `write`: see courseOfApplication. */
    async courseNamed(identifier: string) {
      return (await catalogue.list()).find((c) => c.identifier === identifier);
    },
    /**
     * The NPQ an application is for (its course never changes), read before a use case's `write`:
     * the catalogue's list is read from the database when its cache is cold (after any catalogue
     * change), and inside a PGlite transaction, which holds the one connection, that read would wait
     * for the transaction for ever.
     */
    async courseOfApplication(id: string) {
      const [row] = await db.select({ course: applications.courseIdentifier }).from(applications).where(eq(applications.id, id));
      return row ? (await catalogue.list()).find((c) => c.identifier === row.course) : undefined;
    },
    intakeById: (id: string) => intakeById(db, id),
    gatewayConfig: (course: string) => gatewayConfigOf(db, course),
    /** A refusal the caller can show as it is: a stable `code`, a sentence, an HTTP status (422 unless said). */
    refuse: (code: string, message: string, status = 422) => new AppError(code, message, status),
    applicationUrl: (id: string) => `${deps.baseUrl}/applications/${id}`,
  };
}

export { isConcurrencyFailure, isUniqueViolation } from '../db/errors';
