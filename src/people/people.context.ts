import type { Db } from '../db/client';
import type { Actor } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';
import type { SecretBox } from '../platform/crypto';
import { EVERYTHING, type Notifier } from '../platform/notifier';

/** What people's use cases are built with (src/app.ts gives it). */
export interface PeopleDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  baseUrl: string;
  providerName: string;
  /** Checks a password against a hash; argon2id unless a test counts the checks. */
  verifyPassword?: (hash: string, password: string) => Promise<boolean>;
  /** Tells the other processes of a change to someone's sessions, so their cached sessions go too (docs/adr/0031). */
  notifier?: Notifier;
}

/** A transaction of the people database. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Signed-in requests look their session up here first. An entry lives a few seconds, and every change
 * to a person's sessions, roles or second factor made through people's use cases drops theirs at once
 * (`forget`) in this process and, through the notifier, in every other before the change's answer is
 * sent (docs/adr/0031): the next request to any process is refused. SESSION_CACHE_MS bounds how late
 * another process can be only if PostgreSQL could not deliver the message at all.
 */
export const SESSION_CACHE_MS = 10_000;
export const SESSION_CACHE_MAX = 20_000;

export interface SessionCache {
  entries: Map<string, { actor: Actor; until: number }>;
  tokensOf: Map<string, Set<string>>;
  /**
   * Bumped by every `forget` heard here: a session read from the database before a revocation was
   * heard, and answered after it, is used for its own request but never kept.
   */
  generation: number;
}

/** One set of deps and one session cache, shared by every use case of one people service. */
export interface PeopleContext extends Omit<PeopleDeps, 'verifyPassword'> {
  verifyPassword: (hash: string, password: string) => Promise<boolean>;
  sessionCache: SessionCache;
  now: () => Date;
  hoursFromNow: (hours: number) => Date;
  /**
   * Drops a person's cached sessions in every process (docs/adr/0031), after anything that changes who
   * they are or whether they are signed in. Awaited, so the next request to any process is refused.
   */
  forget: (userId: string) => Promise<void>;
}

export function peopleContext(deps: PeopleDeps, verifyPassword: (hash: string, password: string) => Promise<boolean>): PeopleContext {
  const sessionCache: SessionCache = { entries: new Map(), tokensOf: new Map(), generation: 0 };
  const now = () => deps.clock.now();
  const forgetHere = (userId: string) => {
    sessionCache.generation++;
    if (userId === EVERYTHING) {
      sessionCache.entries.clear();
      sessionCache.tokensOf.clear();
      return;
    }
    for (const hash of sessionCache.tokensOf.get(userId) ?? []) sessionCache.entries.delete(hash);
    sessionCache.tokensOf.delete(userId);
  };
  deps.notifier?.subscribe('sessions', forgetHere);
  return {
    ...deps,
    verifyPassword: deps.verifyPassword ?? verifyPassword,
    sessionCache,
    now,
    hoursFromNow: (h) => new Date(now().getTime() + h * 3_600_000),
    forget: async (userId) => {
      forgetHere(userId);
      await deps.notifier?.publish('sessions', userId).catch(() => undefined);
    },
  };
}

export const emailKey = (email: string) => email.trim().toLowerCase();
