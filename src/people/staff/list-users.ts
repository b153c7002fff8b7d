import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import { userScopeFilter } from '../domain/people.policy';
import type { PeopleContext } from '../people.context';
import { peopleRepository, type UserFilter, type UserListKey } from '../people.repository';
import { users } from '../people.schema';
import { authoriseUserManagement, loadManageable } from './load-manageable';

/** A page of the users the actor may manage (people policy's scope: a lead sees only their partners' people). */
export async function listUsers(ctx: PeopleContext, actor: Actor, filter: Omit<UserFilter, 'partnerIds'>, page: number, perPage = 25) {
  authoriseUserManagement(actor);
  const scope = userScopeFilter(actor);
  return peopleRepository.listUsers(ctx.db, 'all' in scope ? filter : { ...filter, partnerIds: scope.partnerIds }, page, perPage);
}

/**
 * Up to `perPage` of the users the actor may manage after `after` (the `next` of the page before;
 * undefined for the first), in the list's order, and the key to go on from: the users export, walked
 * by key so each account is listed once while others are added (docs/adr/0044). Refused as `listUsers` is.
 */
export async function listUsersAfter(ctx: PeopleContext, actor: Actor, filter: Omit<UserFilter, 'partnerIds'>, after: UserListKey | undefined, perPage: number) {
  authoriseUserManagement(actor);
  const scope = userScopeFilter(actor);
  return peopleRepository.usersAfter(ctx.db, 'all' in scope ? filter : { ...filter, partnerIds: scope.partnerIds }, after, perPage);
}

/** One account for its page: details, roles, live sessions, and what the actor may do to it (`may`). */
export async function userDetails(ctx: PeopleContext, actor: Actor, userId: string) {
  authoriseUserManagement(actor);
  const { user, roles, may } = await loadManageable(ctx, actor, userId);
  const activeSessions = await peopleRepository.sessionsOf(ctx.db, userId, ctx.now());
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    invited: !user.passwordHash,
    deactivatedAt: user.deactivatedAt,
    twoFactor: Boolean(user.totpEnabledAt),
    roles,
    sessions: activeSessions.map((s) => ({ id: s.id, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, userAgent: s.userAgent })),
    may,
  };
}

/** How many accounts there are (any state): for bootstrapping the first admin. */
export async function countUsers(ctx: PeopleContext): Promise<number> {
  const [row] = await ctx.db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row?.n ?? 0;
}
