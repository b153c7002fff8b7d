import { randomUUID } from 'node:crypto';
import { and, eq, gt, lt } from 'drizzle-orm';
import type { Db } from '../db/client';
import { formReplays } from './platform.schema';
import type { Clock } from './clock';

/** How long a form page answered with an error can be shown again by reloading it (minutes). */
export const FORM_REPLAY_MINUTES = 30;

export interface FormReplay {
  path: string;
  status: number;
  html: string;
}

/**
 * Keeps a form page that was answered with an error, so the browser can be redirected to a GET
 * (post/redirect/get): the address is then not the POST's, and reloading shows the same page with what
 * was typed instead of submitting it again. Kept in the database so every process can answer the GET.
 */
export interface FormReplayStore {
  /** Keeps the page under an id from `newId()`, the UUID that the signed cookie names. */
  keep(id: string, page: FormReplay): Promise<void>;
  newId(): string;
  /** The page kept under this id for this path (path and query), while it has not expired. */
  find(id: string, path: string): Promise<FormReplay | undefined>;
}

export function formReplayStore(deps: { db: Db; clock: Clock }): FormReplayStore {
  const { db, clock } = deps;
  let kept = 0;
  return {
    newId: randomUUID,
    async keep(id, page) {
      const now = clock.now();
      await db.insert(formReplays).values({ id, ...page, expiresAt: new Date(now.getTime() + FORM_REPLAY_MINUTES * 60_000) });
      // Expired pages go now and then on a later keep: no sweep to schedule, and the index makes it cheap.
      if (++kept % 100 === 1) await db.delete(formReplays).where(lt(formReplays.expiresAt, now));
    },
    async find(id, path) {
      const [row] = await db
        .select({ path: formReplays.path, status: formReplays.status, html: formReplays.html })
        .from(formReplays)
        .where(and(eq(formReplays.id, id), eq(formReplays.path, path), gt(formReplays.expiresAt, clock.now())));
      return row;
    },
  };
}

/** Removes the kept pages that have expired: the jobs runner's hourly sweep, so what a refused form held goes within the hour of expiring whatever the traffic. */
export async function pruneFormReplays(db: Db, clock: Clock): Promise<number> {
  const gone = await db.delete(formReplays).where(lt(formReplays.expiresAt, clock.now())).returning({ id: formReplays.id });
  return gone.length;
}
