import type { Actor } from './actor';

/**
 * What the web platform needs from whoever keeps sessions (people, today): the actor a session
 * cookie stands for, and whether a half-signed-in user has a second factor to give or one to set up.
 */
export interface SessionLookup {
  /** The signed-in actor for a session token, or undefined when the token names no live session. */
  actorForSession(token: string): Promise<Actor | undefined>;
  hasTwoFactor(userId: string): Promise<boolean>;
}
