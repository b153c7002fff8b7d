import { type Actor, isFullySignedIn, isSignedIn, type UserActor } from './actor';
import { UnauthenticatedError } from '../errors';

/** The person asking, signed in (perhaps still before their second factor); else UnauthenticatedError. */
export function requireSignedIn(actor: Actor): UserActor {
  if (!isSignedIn(actor)) throw new UnauthenticatedError();
  return actor;
}

/** The person asking, past their second factor too; else UnauthenticatedError. */
export function requireFullySignedIn(actor: Actor): UserActor {
  if (!isFullySignedIn(actor)) throw new UnauthenticatedError();
  return actor;
}
