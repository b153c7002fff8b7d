import type { RoleAssignment } from './roles';

/** Who is asking: every use case takes one first and checks it before doing anything. */
export type Actor =
  | { kind: 'anonymous' }
  | {
      kind: 'user';
      userId: string;
      sessionId: string;
      name: string;
      email: string;
      roles: RoleAssignment[];
      /** False between password and second factor: only the two-factor pages are open then. */
      fullySignedIn: boolean;
    }
  /** scopes: what the token may do (src/api/domain/scopes.ts), checked per operation before any handler runs. */
  | { kind: 'api'; tokenId: string; name: string; roles: RoleAssignment[]; scopes: readonly string[] }
  | { kind: 'system'; name: string };

export const anonymous: Actor = { kind: 'anonymous' };
export const system = (name: string): Actor => ({ kind: 'system', name });

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

export const actorId = (actor: Actor): string | null =>
  actor.kind === 'user' ? actor.userId : actor.kind === 'api' ? actor.tokenId : null;
