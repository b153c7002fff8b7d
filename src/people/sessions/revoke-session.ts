import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { requireSignedIn } from '../../platform/auth/require-signed-in';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { sessions } from '../people.schema';
import { loadManageable } from '../staff/load-manageable';

/** Where the person is signed in now, newest first. */
export async function sessionsOf(ctx: PeopleContext, actor: Actor) {
  const me = requireSignedIn(actor);
  return peopleRepository.sessionsOf(ctx.db, me.userId, ctx.now());
}

/**
 * Signs out one session: one's own, or one of someone the actor manages (people policy); anyone
 * else's is NotFoundError, as if it did not exist.
 */
export async function revokeSession(ctx: PeopleContext, actor: Actor, sessionId: string): Promise<void> {
  const me = requireSignedIn(actor);
  const [session] = await ctx.db.select().from(sessions).where(eq(sessions.id, sessionId));
  if (!session) throw new NotFoundError('session');
  if (session.userId !== me.userId) await loadManageable(ctx, actor, session.userId);
  await ctx.db.transaction(async (tx) => {
    await tx.update(sessions).set({ revokedAt: ctx.now() }).where(eq(sessions.id, sessionId));
    await audit(tx, ctx.clock, actor, { action: 'session.revoked', entityType: 'user', entityId: session.userId, after: { sessionId } });
  });
  await ctx.forget(session.userId);
}
