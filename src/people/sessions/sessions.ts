import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { randomToken, sha256 } from '../../platform/crypto';
import { SESSION_IDLE_HOURS } from '../domain/credentials';
import type { PeopleContext, Tx } from '../people.context';
import { sessions } from '../people.schema';

// The steps of a session's life that several use cases share.

/** Opens a session (half signed in until `secondFactorDone`); returns the cookie's value, kept only as its hash. */
export async function openSession(ctx: PeopleContext, userId: string, secondFactorDone: boolean, userAgent?: string): Promise<string> {
  const token = randomToken();
  await ctx.db.insert(sessions).values({
    tokenHash: sha256(token),
    userId,
    secondFactorDone,
    userAgent: userAgent?.slice(0, 300) ?? null,
    createdAt: ctx.now(),
    lastSeenAt: ctx.now(),
    expiresAt: ctx.hoursFromNow(SESSION_IDLE_HOURS),
  });
  return token;
}

/** Gives a half-signed-in session its second factor under a new cookie value, so a value seen before it was trusted is worth nothing. */
export async function completeSession(ctx: PeopleContext, tx: Tx, sessionId: string): Promise<string> {
  const token = randomToken();
  await tx.update(sessions).set({ secondFactorDone: true, tokenHash: sha256(token), lastSeenAt: ctx.now() }).where(eq(sessions.id, sessionId));
  return token;
}

/** Ends every session of the person still waiting for a second factor. */
export async function endHalfSignedIn(ctx: PeopleContext, tx: Tx | Db, userId: string): Promise<void> {
  await tx.update(sessions).set({ revokedAt: ctx.now() }).where(and(eq(sessions.userId, userId), eq(sessions.secondFactorDone, false), isNull(sessions.revokedAt)));
}
