import { and, asc, count, eq, exists, gt, ilike, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { accountTokens, recoveryCodes, roleAssignments, sessions, signInThrottles, users } from './people.schema';
import type { Role, RoleAssignment } from './domain/roles';
import { delaySeconds, type ThrottlePolicy } from './domain/throttle';

export type UserRow = typeof users.$inferSelect;

export interface UserFilter {
  query?: string | undefined;
  role?: Role | undefined;
  /** Only people with a role inside one of these delivery partners. */
  partnerIds?: string[] | undefined;
  status?: 'active' | 'invited' | 'deactivated' | undefined;
}

const toAssignment = (r: { role: string; scopeType: string; scopeId: string | null }): RoleAssignment =>
  ({ role: r.role, scopeType: r.scopeType, scopeId: r.scopeId }) as RoleAssignment;

/**
 * The roles of the `users` row in the surrounding query, as a JSON array. Written with the table named in
 * full because Drizzle renders a column inside a select list unqualified ("id"), which inside this
 * subquery would mean the role's own id and match nothing: the users list once showed no roles at all.
 */
const rolesOfUserJson = sql<{ role: string; scopeType: string; scopeId: string | null }[]>`coalesce((
  select json_agg(json_build_object('role', ra.role, 'scopeType', ra.scope_type, 'scopeId', ra.scope_id) order by ra.created_at, ra.id)
  from role_assignments ra where ra.user_id = "users"."id"), '[]'::json)`;

/** The row being updated in an upsert's DO UPDATE, named in full so it cannot be read as the proposed one. */
const current = (column: 'failures' | 'window_started_at' | 'locked_until') => sql.raw(`"sign_in_throttles"."${column}"`);

/** Where a walk through the users list (name, then id) has got to: the last account read. */
export type UserListKey = { name: string; id: string };

/** What the users list and its export show of an account. */
const userListColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  invited: sql<boolean>`${users.passwordHash} is null`,
  deactivatedAt: users.deactivatedAt,
  twoFactor: sql<boolean>`${users.totpEnabledAt} is not null`,
  roles: rolesOfUserJson,
};

/** The users list's filter as one condition (undefined: everyone). */
function usersWhere(db: Executor, filter: UserFilter): SQL | undefined {
  const where: SQL[] = [];
  if (filter.query) {
    const q = `%${filter.query.replace(/[%_\\]/g, '\\$&')}%`;
    where.push(or(ilike(users.name, q), ilike(users.email, q))!);
  }
  if (filter.role || filter.partnerIds) {
    const conditions: SQL[] = [eq(roleAssignments.userId, users.id)];
    if (filter.role) conditions.push(eq(roleAssignments.role, filter.role));
    if (filter.partnerIds) {
      conditions.push(eq(roleAssignments.scopeType, 'delivery_partner'));
      conditions.push(filter.partnerIds.length ? inArray(roleAssignments.scopeId, filter.partnerIds) : sql`false`);
    }
    where.push(exists(db.select({ one: sql`1` }).from(roleAssignments).where(and(...conditions))));
  }
  if (filter.partnerIds) {
    // …and no role outside those partners: a lead never sees a provider-wide account.
    where.push(
      sql`not exists (select 1 from ${roleAssignments} ra where ra.user_id = ${users.id} and (ra.scope_type <> 'delivery_partner' or ra.scope_id is null or not (ra.scope_id = any(${sql.param(filter.partnerIds)}::uuid[]))))`,
    );
  }
  if (filter.status === 'deactivated') where.push(sql`${users.deactivatedAt} is not null`);
  if (filter.status === 'active') where.push(sql`${users.deactivatedAt} is null and ${users.passwordHash} is not null`);
  if (filter.status === 'invited') where.push(sql`${users.deactivatedAt} is null and ${users.passwordHash} is null`);
  return where.length ? and(...where) : undefined;
}

export const peopleRepository = {
  async findUserByEmail(db: Executor, email: string): Promise<UserRow | undefined> {
    const [row] = await db
      .select()
      .from(users)
      .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
      .limit(1);
    return row;
  },

  async findUser(db: Executor, id: string): Promise<UserRow | undefined> {
    const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
    return row;
  },

  async rolesOf(db: Executor, userId: string) {
    const rows = await db
      .select({ id: roleAssignments.id, role: roleAssignments.role, scopeType: roleAssignments.scopeType, scopeId: roleAssignments.scopeId })
      .from(roleAssignments)
      .where(eq(roleAssignments.userId, userId))
      .orderBy(asc(roleAssignments.createdAt));
    return rows.map((r) => ({ id: r.id, ...toAssignment(r) }));
  },

  /** One query for a signed-in request: the live session, its user and the user's roles. */
  async sessionWithUser(db: Executor, tokenHash: string, now: Date) {
    const rows = await db
      .select({
        sessionId: sessions.id,
        secondFactorDone: sessions.secondFactorDone,
        lastSeenAt: sessions.lastSeenAt,
        userId: users.id,
        name: users.name,
        email: users.email,
        deactivatedAt: users.deactivatedAt,
        roles: rolesOfUserJson,
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(and(eq(sessions.tokenHash, tokenHash), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
      .limit(1);
    const row = rows[0];
    if (!row || row.deactivatedAt) return undefined;
    return { ...row, roles: row.roles.map(toAssignment) };
  },

  async listUsers(db: Executor, filter: UserFilter, page: number, perPage: number) {
    const condition = usersWhere(db, filter);
    const [rows, [total]] = await Promise.all([
      db.select(userListColumns).from(users).where(condition).orderBy(asc(users.name), asc(users.id)).limit(perPage).offset((page - 1) * perPage),
      db.select({ n: count() }).from(users).where(condition),
    ]);
    return { rows: rows.map((r) => ({ ...r, roles: r.roles.map(toAssignment) })), total: total?.n ?? 0 };
  },

  /**
   * Up to `perPage` users matching `filter` after `after` in `listUsers`' order (name, then id), from
   * the first when `after` is undefined, and the key to go on from (undefined once a page comes back
   * short). By key, not offset, so an export walked page by page lists each account at most once
   * while accounts are added or change (docs/adr/0044).
   */
  async usersAfter(db: Executor, filter: UserFilter, after: UserListKey | undefined, perPage: number) {
    const condition = usersWhere(db, filter);
    const rows = await db
      .select(userListColumns)
      .from(users)
      .where(after ? and(condition, sql`(${users.name}, ${users.id}) > (${after.name}, ${after.id}::uuid)`) : condition)
      .orderBy(asc(users.name), asc(users.id))
      .limit(perPage);
    const last = rows.at(-1);
    return { rows: rows.map((r) => ({ ...r, roles: r.roles.map(toAssignment) })), next: rows.length === perPage && last ? { name: last.name, id: last.id } : undefined };
  },

  async findAccountToken(db: Executor, tokenHash: string, purpose: string) {
    const [row] = await db
      .select()
      .from(accountTokens)
      .where(and(eq(accountTokens.tokenHash, tokenHash), eq(accountTokens.purpose, purpose)))
      .limit(1);
    return row;
  },

  async unusedRecoveryCodes(db: Executor, userId: string) {
    return db.select().from(recoveryCodes).where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  },

  async sessionsOf(db: Executor, userId: string, now: Date) {
    return db
      .select()
      .from(sessions)
      .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
      .orderBy(asc(sessions.createdAt));
  },

  async throttleRows(db: Executor, emailKey: string, sources: string[]) {
    return db.select().from(signInThrottles).where(and(eq(signInThrottles.emailKey, emailKey), inArray(signInThrottles.source, sources)));
  },

  /**
   * Counts one failure against a counter before the password or code is checked (a success gives it
   * back), and sets the wait the policy asks for, in one statement: attempts at the same moment from
   * several processes each see their own count. Returns undefined when the counter is waiting: the
   * attempt must not be checked at all.
   */
  async chargeFailure(db: Executor, emailKey: string, source: string, policy: ThrottlePolicy, now: Date) {
    const delays = delaySeconds(policy);
    const last = delays.length - 1;
    const cutoff = new Date(now.getTime() - policy.forgetAfterHours * 3_600_000);
    const failures = sql`(case when ${current('window_started_at')} <= ${cutoff}::timestamptz then 1 else ${current('failures')} + 1 end)`;
    const wait = sql`(${sql.param(delays)}::int[])[least(${failures}, ${last}) + 1]`;
    const [row] = await db
      .insert(signInThrottles)
      .values({ emailKey, source, failures: 1, windowStartedAt: now, lockedUntil: delays[1]! > 0 ? new Date(now.getTime() + delays[1]! * 1000) : null })
      .onConflictDoUpdate({
        target: [signInThrottles.emailKey, signInThrottles.source],
        set: {
          failures,
          windowStartedAt: sql`(case when ${current('window_started_at')} <= ${cutoff}::timestamptz then ${now}::timestamptz else ${current('window_started_at')} end)`,
          lockedUntil: sql`(case when ${wait} > 0 then ${now}::timestamptz + make_interval(secs => ${wait}) end)`,
        },
        setWhere: sql`${current('locked_until')} is null or ${current('locked_until')} <= ${now}::timestamptz`,
      })
      .returning({ failures: signInThrottles.failures, lockedUntil: signInThrottles.lockedUntil });
    return row;
  },

  /** Gives back a failure counted before a check that succeeded; a wait it started ends with it. */
  async refundFailure(db: Executor, emailKey: string, source: string, policy: ThrottlePolicy) {
    await db
      .update(signInThrottles)
      .set({
        failures: sql`greatest(${signInThrottles.failures} - 1, 0)`,
        lockedUntil: sql`case when ${signInThrottles.failures} - 1 < ${policy.freeFailures} then null else ${signInThrottles.lockedUntil} end`,
      })
      .where(and(eq(signInThrottles.emailKey, emailKey), eq(signInThrottles.source, source)));
  },

  /** A source signed in: its counter starts again, and it is trusted from now on (docs/adr/0019). */
  async recordSuccess(db: Executor, emailKey: string, sources: string[], now: Date) {
    const fresh = { failures: 0, windowStartedAt: now, lockedUntil: null, lastSucceededAt: now };
    await db
      .insert(signInThrottles)
      .values(sources.map((source) => ({ emailKey, source, ...fresh })))
      .onConflictDoUpdate({ target: [signInThrottles.emailKey, signInThrottles.source], set: fresh });
  },

  /** Ends the waits of these counters (or every counter of the address but `except`), keeping what they trust. */
  async clearFailures(db: Executor, emailKey: string, which: { only: string } | { except: string }) {
    await db
      .update(signInThrottles)
      .set({ failures: 0, lockedUntil: null })
      .where(and(eq(signInThrottles.emailKey, emailKey), 'only' in which ? eq(signInThrottles.source, which.only) : sql`${signInThrottles.source} <> ${which.except}`));
  },
};
