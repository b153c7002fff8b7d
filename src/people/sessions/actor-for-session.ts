import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import { sha256 } from '../../platform/crypto';
import { SESSION_IDLE_HOURS } from '../domain/credentials';
import { type PeopleContext, SESSION_CACHE_MAX, SESSION_CACHE_MS } from '../people.context';
import { peopleRepository } from '../people.repository';
import { sessions } from '../people.schema';

/** Resolves a session cookie to the person behind it (cached briefly: see SessionCache); refreshes the idle timeout now and then. */
export async function actorForSession(ctx: PeopleContext, token: string): Promise<Actor | undefined> {
  const { entries, tokensOf } = ctx.sessionCache;
  const hash = sha256(token);
  const cached = entries.get(hash);
  if (cached && cached.until > ctx.clock.now().getTime()) return cached.actor;
  const generation = ctx.sessionCache.generation;
  const found = await peopleRepository.sessionWithUser(ctx.db, hash, ctx.now());
  if (!found) return undefined;
  if (ctx.now().getTime() - found.lastSeenAt.getTime() > 5 * 60_000) {
    await ctx.db
      .update(sessions)
      .set({ lastSeenAt: ctx.now(), expiresAt: ctx.hoursFromNow(SESSION_IDLE_HOURS) })
      .where(eq(sessions.id, found.sessionId));
  }
  const actor: Actor = {
    kind: 'user',
    userId: found.userId,
    sessionId: found.sessionId,
    name: found.name,
    email: found.email,
    roles: found.roles,
    fullySignedIn: found.secondFactorDone,
  };
  // A revocation heard while we read may be of this very session: answer this request, keep nothing.
  if (generation !== ctx.sessionCache.generation) return actor;
  if (entries.size >= SESSION_CACHE_MAX) entries.delete(entries.keys().next().value!);
  entries.set(hash, { actor, until: ctx.clock.now().getTime() + SESSION_CACHE_MS });
  const tokens = tokensOf.get(found.userId) ?? new Set<string>();
  tokens.add(hash);
  tokensOf.set(found.userId, tokens);
  return actor;
}

/** Whether the person has turned two-factor on (else a half-signed-in person is sent to set it up). */
export async function hasTwoFactor(ctx: PeopleContext, userId: string): Promise<boolean> {
  const user = await peopleRepository.findUser(ctx.db, userId);
  return Boolean(user?.totpEnabledAt);
}
