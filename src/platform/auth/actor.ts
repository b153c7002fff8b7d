import type { Role, RoleAssignment } from './roles';

/** A person with a session: between password and second factor `fullySignedIn` is false. */
export interface UserActor {
  kind: 'user';
  userId: string;
  sessionId: string;
  name: string;
  email: string;
  roles: RoleAssignment[];
  /** False between password and second factor: only the two-factor pages are open then. */
  fullySignedIn: boolean;
}

/** Who is asking: every use case takes one first and checks it before doing anything. */
export type Actor =
  | { kind: 'anonymous' }
  | UserActor
  /** scopes: what the token may do (src/api/domain/scopes.ts), checked per operation before any handler runs. */
  | { kind: 'api'; tokenId: string; name: string; roles: RoleAssignment[]; scopes: readonly string[] }
  | { kind: 'system'; name: string };

export const anonymous: Actor = { kind: 'anonymous' };

/** The actor of work nobody asked for in a request (the demo, imports at start-up, sweeps); may do anything. */
export const system = (name: string): Actor => ({ kind: 'system', name });

/** How the audit log and the outbox name an actor: "Ann Lee <ann@example.com>", "API token dfe", … */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'anonymous':
      return 'anonymous';
    case 'user':
      return `${actor.name} <${actor.email}>`;
    case 'api':
      return `API token ${actor.name}`;
    case 'system':
      return `system: ${actor.name}`;
  }
}

/** The user's or token's id, as recorded against what they did; null for anonymous and system. */
export const actorId = (actor: Actor): string | null =>
  actor.kind === 'user' ? actor.userId : actor.kind === 'api' ? actor.tokenId : null;

/**
 * Signed in: a person with a session, whether or not they have given their second factor yet. The
 * web platform keeps someone halfway in on the two-factor pages (docs/adr/0003), so on every other
 * page "signed in" and "fully signed in" are the same person.
 */
export const isSignedIn = (actor: Actor): actor is UserActor => actor.kind === 'user';

/** Fully signed in: password and, where the account has one, second factor given (docs/adr/0003). */
export const isFullySignedIn = (actor: Actor): actor is UserActor => actor.kind === 'user' && actor.fullySignedIn;

/**
 * The roles an actor acts with now: a person's only once fully signed in (nothing is granted between
 * password and second factor), a token's always, none for anonymous. `system` holds no role: it is
 * granted everything by `can` instead.
 */
export function rolesOf(actor: Actor): RoleAssignment[] {
  if (actor.kind === 'user') return actor.fullySignedIn ? actor.roles : [];
  if (actor.kind === 'api') return actor.roles;
  return [];
}

export const hasRole = (actor: Actor, role: Role): boolean => rolesOf(actor).some((r) => r.role === role);

/** A provider admin, or the system: the two that see and may do everything within the provider. */
export const isProviderAdmin = (actor: Actor): boolean => actor.kind === 'system' || hasRole(actor, 'provider_admin');

/** The ids of the scopes of `scopeType` at which the actor holds one of `roles` (e.g. the partners they lead). */
export function scopesHeld(actor: Actor, roles: readonly Role[], scopeType: RoleAssignment['scopeType']): string[] {
  return rolesOf(actor)
    .filter((r) => roles.includes(r.role) && r.scopeType === scopeType && r.scopeId)
    .map((r) => r.scopeId!);
}

/** The delivery partners a lead manages; empty for anyone else. */
export const ledPartners = (actor: Actor): string[] => scopesHeld(actor, ['delivery_partner_lead'], 'delivery_partner');
