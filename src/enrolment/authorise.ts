/**
 * The "authorise" step of enrolment's use cases: each raises before anything is read or changed.
 */
import type { Actor } from '../people/domain/actor';
import { can, ledPartners } from '../people/domain/policy';
import { ForbiddenError, UnauthenticatedError } from '../platform/errors';

export type Applicant = Extract<Actor, { kind: 'user' }>;

/** The applicant themself: a fully signed-in person. Raises UnauthenticatedError (401) otherwise. */
export function requireApplicant(actor: Actor): Applicant {
  if (actor.kind !== 'user' || !actor.fullySignedIn) throw new UnauthenticatedError();
  return actor;
}

/** The provider deciding applications (`applications:manage`). Raises ForbiddenError (403) otherwise. */
export function requireManager(actor: Actor): void {
  if (!can(actor, 'applications:manage')) throw new ForbiddenError();
}

/** A gateway reviewer (`gateway:review`). Raises ForbiddenError (403) otherwise. */
export function requireReviewer(actor: Actor): void {
  if (!can(actor, 'gateway:review')) throw new ForbiddenError();
}

/**
 * Who may read applications, and which: the provider all of them; a delivery partner lead only
 * those placed with their own partners (and never another partner's); anyone else none (403).
 */
export function readScope(actor: Actor): { all: true } | { partners: string[] } {
  if (can(actor, 'applications:manage')) return { all: true };
  const partners = ledPartners(actor);
  if (partners.length) return { partners };
  throw new ForbiddenError();
}
