/**
 * @deprecated The actor lives in src/platform/auth/actor.ts; this re-export serves enrolment and the
 * demo until they import it from there (delete it then).
 */
export { type Actor, actorId, actorLabel, anonymous, system } from '../../platform/auth/actor';
