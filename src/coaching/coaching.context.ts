import { eq } from 'drizzle-orm';
import type { Db, Executor } from '../db/client';
import type { Clock } from '../platform/clock';
import { commitAndTell, type Notifier, type TransactionWork } from '../platform/notifier';
import { AppError } from '../platform/errors';
import type { FileStore } from '../platform/file-store';
import { DEFAULT_NOTICE_HOURS } from './domain/coaching';
import { coachingSettings, coachProfiles } from './coaching.schema';

/** What coaching's use cases are built with (src/app.ts gives it). */
export interface CoachingDeps {
  db: Db;
  clock: Clock;
  baseUrl: string;
  providerName: string;
  /** Tells every process of a change, so kept pages that show it are dropped (COACHING_CHANNEL). */
  notifier?: Pick<Notifier, 'publish'> | undefined;
  /** Where the files sent with messages are kept (the same store as learning's: docs/adr/0056). */
  files: FileStore;
}
export type CoachingContext = CoachingDeps;

/** The notifier channel on which every committed change to coaching is told: the coaching pages kept per person are dropped (docs/adr/0050). */
export const COACHING_CHANNEL = 'coaching';

/** What the coaching pages kept per person show changes with coaching, places (applications: training status, names) and the NPQs' coaching hours (catalogue). */
export const COACHING_PAGE_CHANNELS = [COACHING_CHANNEL, 'applications', 'catalogue'] as const;

/** Runs one change in a transaction, then tells every process on COACHING_CHANNEL (commitAndTell). */
export const commit = <T>(ctx: CoachingContext, work: TransactionWork<T>): Promise<T> => commitAndTell(ctx.db, ctx.notifier, COACHING_CHANNEL, work);

/** A refusal with a stable code (422 unless told): what was asked cannot be done in this state. */
export const refuse = (code: string, message: string, status = 422) => new AppError(code, message, status);

/** The provider's notice period for cancelling or moving a session, in hours (DEFAULT_NOTICE_HOURS until set). */
export async function noticeHours(db: Executor): Promise<number> {
  const [row] = await db.select({ h: coachingSettings.noticeHours }).from(coachingSettings).where(eq(coachingSettings.id, 1));
  return row?.h ?? DEFAULT_NOTICE_HOURS;
}

/** A coach's own time zone (UK time until they choose one) and capacity. */
export async function profileOf(db: Executor, userId: string): Promise<{ timeZone: string; capacity: number | null }> {
  const [row] = await db.select({ timeZone: coachProfiles.timeZone, capacity: coachProfiles.capacity }).from(coachProfiles).where(eq(coachProfiles.userId, userId));
  return row ?? { timeZone: 'Europe/London', capacity: null };
}
