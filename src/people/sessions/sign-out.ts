import { eq } from 'drizzle-orm';
import { type Actor, isSignedIn } from '../../platform/auth/actor';
import type { PeopleContext } from '../people.context';
import { sessions } from '../people.schema';

/** Ends the session the person is using; does nothing for anyone not signed in. */
export async function signOut(ctx: PeopleContext, actor: Actor): Promise<void> {
  if (!isSignedIn(actor)) return;
  await ctx.db.update(sessions).set({ revokedAt: ctx.now() }).where(eq(sessions.id, actor.sessionId));
  await ctx.forget(actor.userId);
}
