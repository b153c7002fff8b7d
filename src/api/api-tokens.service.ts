import { and, desc, eq, isNull } from 'drizzle-orm';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import { apiTokens } from './api.schema';
import type { Actor } from '../platform/auth/actor';
import type { Role } from '../platform/auth/roles';
import { apiTokenAbilities } from './domain/api-tokens.policy';
import type { Clock } from '../platform/clock';
import { randomToken, sha256 } from '../platform/crypto';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors';
import { API_SCOPES, type ApiScope, isApiScope } from './domain/scopes';

/** Tokens are shown once when created; only their SHA-256 is kept. */
export function createApiTokenService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  const authorise = (actor: Actor) => {
    if (!apiTokenAbilities(actor).manage) throw new ForbiddenError();
  };
  const lastUsedWrites = new Map<string, number>();

  return {
    /**
     * Makes a token with the scopes given (every scope when none are given: for the bootstrap token and
     * tests). Raises ValidationError { scopes } for an empty or unknown scope list.
     */
    async create(
      actor: Actor,
      name: string,
      role: Role = 'provider_admin',
      fixedSecret?: string,
      scopes: readonly string[] = API_SCOPES,
    ): Promise<{ id: string; token: string }> {
      authorise(actor);
      const chosen = [...new Set(scopes)];
      if (chosen.length === 0) throw new ValidationError({ scopes: 'Select what the token may do' });
      if (!chosen.every(isApiScope)) throw new ValidationError({ scopes: 'Select only the listed permissions' });
      const ordered: ApiScope[] = API_SCOPES.filter((s) => chosen.includes(s));
      const token = fixedSecret ?? `npq_${randomToken()}`;
      const id = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiTokens)
          .values({ name, role, scopes: ordered, tokenHash: sha256(token), createdByUserId: actor.kind === 'user' ? actor.userId : null, createdAt: clock.now() })
          .returning({ id: apiTokens.id });
        await audit(tx, clock, actor, { action: 'api_token.created', entityType: 'api_token', entityId: row!.id, after: { name, role, scopes: ordered } });
        return row!.id;
      });
      return { id, token };
    },

    async list(actor: Actor) {
      authorise(actor);
      return db
        .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, scopes: apiTokens.scopes, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt, revokedAt: apiTokens.revokedAt })
        .from(apiTokens)
        .orderBy(desc(apiTokens.createdAt));
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      authorise(actor);
      await db.transaction(async (tx) => {
        const [row] = await tx.update(apiTokens).set({ revokedAt: clock.now() }).where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt))).returning();
        if (!row) throw new NotFoundError('API token');
        await audit(tx, clock, actor, { action: 'api_token.revoked', entityType: 'api_token', entityId: id, before: { name: row.name, scopes: row.scopes } });
      });
    },

    async actorFor(token: string): Promise<Actor | undefined> {
      const [row] = await db.select().from(apiTokens).where(eq(apiTokens.tokenHash, sha256(token))).limit(1);
      if (!row || row.revokedAt) return undefined;
      // Recording every use would write on every request; once a minute is enough to show a token is alive.
      const now = clock.now().getTime();
      if (now - (lastUsedWrites.get(row.id) ?? 0) > 60_000) {
        lastUsedWrites.set(row.id, now);
        await db.update(apiTokens).set({ lastUsedAt: clock.now() }).where(eq(apiTokens.id, row.id));
      }
      return { kind: 'api', tokenId: row.id, name: row.name, roles: [{ role: row.role as Role, scopeType: 'provider', scopeId: null }], scopes: row.scopes };
    },

    async exists(): Promise<boolean> {
      const rows = await db.select({ id: apiTokens.id }).from(apiTokens).limit(1);
      return rows.length > 0;
    },
  };
}
export type ApiTokenService = ReturnType<typeof createApiTokenService>;
