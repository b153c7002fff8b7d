/**
 * The "authorise" step of enrolment's use cases: each raises before anything is read or changed, by
 * what enrolment's policy (domain/enrolment.policy.ts) says; the state is each use case's own decision.
 */
import type { Actor } from '../platform/auth/actor';
import { mayDecide, mayReviewGateways, scopeFilter } from './domain/enrolment.policy';
import { ForbiddenError, UnauthenticatedError } from '../platform/errors';

export type Applicant = Extract<Actor, { kind: 'user' }>;

/** The applicant themself: a fully signed-in person. Raises UnauthenticatedError (401) otherwise. */
export function requireApplicant(actor: Actor): Applicant {
  if (actor.kind !== 'user' || !actor.fullySignedIn) throw new UnauthenticatedError();
  return actor;
}

/** The provider deciding applications (`applications:manage`). Raises ForbiddenError (403) otherwise. */
export function requireManager(actor: Actor): void {
  if (!mayDecide(actor)) throw new ForbiddenError();
}

/** A gateway reviewer (`gateway:review`). Raises ForbiddenError (403) otherwise. */
export function requireReviewer(actor: Actor): void {
  if (!mayReviewGateways(actor)) throw new ForbiddenError();
}

/**
 * Who may read applications, and which (enrolment's policy, scopeFilter): the provider all of them
 * (`{}`); a delivery partner lead only those placed with their own partners; anyone else none (403).
 */
export function readScope(actor: Actor): { deliveryPartnerIds?: string[] } {
  const scope = scopeFilter(actor);
  if (!scope) throw new ForbiddenError();
  return scope;
}
