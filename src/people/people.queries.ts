import { and, asc, eq, inArray, isNull, max, or, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { roleAssignments, sessions, users } from './people.schema';

/**
 * What other capabilities may read of people (docs/adr/0029): plain query functions over its tables.
 * Each takes the database or a transaction and only reads.
 */

/** The account holding this email address (give it lower-case), if any. */
export async function accountByEmail(db: Executor, email: string): Promise<{ id: string; email: string } | undefined> {
  const [holder] = await db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${email}`);
  return holder;
}

/** A person's name by account id, if the account exists. */
export async function nameOfAccount(db: Executor, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name;
}

/**
 * The people who may lead a delivery partner's sessions and groups: its facilitators and leads, on
 * accounts not deactivated, by name (each once).
 */
export async function facilitatorsOf(db: Executor, deliveryPartnerId: string): Promise<{ id: string; name: string; email: string }[]> {
  return db
    .selectDistinct({ id: users.id, name: users.name, email: users.email })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(inArray(roleAssignments.role, ['facilitator', 'delivery_partner_lead']), eq(roleAssignments.scopeType, 'delivery_partner'), eq(roleAssignments.scopeId, deliveryPartnerId), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id));
}

/** People's names by account id (those that exist). */
export async function namesOfAccounts(db: Executor, userIds: readonly string[]): Promise<Map<string, string>> {
  if (!userIds.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name }).from(users).where(inArray(users.id, [...new Set(userIds)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** A coach or personal tutor as allocation lists them: where their coach role is held (null: across the provider). */
export interface CoachAccount {
  id: string;
  name: string;
  email: string;
  deliveryPartnerId: string | null;
}

/**
 * The people who may coach or tutor participants (role `coach`, accounts not deactivated), by name:
 * those held across the provider, and those held within these delivery partners ('all': every
 * partner's). One row per role held, so a coach of two partners appears once for each.
 */
export async function coachesOf(db: Executor, partnerIds: readonly string[] | 'all'): Promise<CoachAccount[]> {
  const where = partnerIds === 'all' ? undefined : or(eq(roleAssignments.scopeType, 'provider'), partnerIds.length ? and(eq(roleAssignments.scopeType, 'delivery_partner'), inArray(roleAssignments.scopeId, [...partnerIds])) : undefined);
  return db
    .selectDistinct({ id: users.id, name: users.name, email: users.email, deliveryPartnerId: sql<string | null>`case when ${roleAssignments.scopeType} = 'delivery_partner' then ${roleAssignments.scopeId} end` })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.role, 'coach'), isNull(users.deactivatedAt), where))
    .orderBy(asc(users.name), asc(users.id));
}

/** People's names and email addresses by account id (those that exist). */
export async function contactsOfAccounts(db: Executor, userIds: readonly string[]): Promise<Map<string, { name: string; email: string }>> {
  if (!userIds.length) return new Map();
  const rows = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, [...new Set(userIds)]));
  return new Map(rows.map((r) => [r.id, { name: r.name, email: r.email }]));
}

/** Which of these accounts hold the coach role (anywhere) on an account not deactivated: who may still act as a coach or personal tutor. */
export async function stillCoaches(db: Executor, userIds: readonly string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const rows = await db
    .selectDistinct({ id: users.id })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.role, 'coach'), inArray(users.id, [...new Set(userIds)]), isNull(users.deactivatedAt)));
  return new Set(rows.map((r) => r.id));
}

/**
 * When each of these accounts was last seen using the platform fully signed in (its sessions' latest
 * use, to within the five minutes a session's last use is kept to), by account id; accounts never
 * signed in are left out. Early warning's "no sign-in for weeks" (issue 11 item 4).
 */
export async function lastSeenOfAccounts(db: Executor, userIds: readonly string[]): Promise<Map<string, Date>> {
  if (!userIds.length) return new Map();
  const rows = await db
    .select({ userId: sessions.userId, lastSeenAt: max(sessions.lastSeenAt) })
    .from(sessions)
    .where(and(inArray(sessions.userId, [...new Set(userIds)]), eq(sessions.secondFactorDone, true)))
    .groupBy(sessions.userId);
  return new Map(rows.filter((r) => r.lastSeenAt !== null).map((r) => [r.userId, r.lastSeenAt!]));
}

/** A role held within a delivery partner, by an account not deactivated. */
export interface PartnerRoleHolder {
  userId: string;
  name: string;
  email: string;
  role: 'delivery_partner_lead' | 'facilitator';
  deliveryPartnerId: string;
}

/** Everyone who leads or facilitates for a delivery partner, one row per role and partner held (accounts not deactivated). */
export async function partnerLeadsAndFacilitators(db: Executor): Promise<PartnerRoleHolder[]> {
  const rows = await db
    .select({ userId: users.id, name: users.name, email: users.email, role: roleAssignments.role, deliveryPartnerId: roleAssignments.scopeId })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(inArray(roleAssignments.role, ['facilitator', 'delivery_partner_lead']), eq(roleAssignments.scopeType, 'delivery_partner'), isNull(users.deactivatedAt)))
    .orderBy(asc(users.id));
  return rows.flatMap((r) => (r.deliveryPartnerId ? [{ ...r, role: r.role as PartnerRoleHolder['role'], deliveryPartnerId: r.deliveryPartnerId }] : []));
}

/**
 * Everyone who may mark written accounts in this role (`assessor`, or `moderator`; accounts not
 * deactivated), by name, each with the delivery partners they hold any role within: no one marks a
 * script from their own partner (issue 12 items 4 and 5). Provider admins are left out: they see
 * every participant's name, so cannot mark blind.
 */
export async function markersWithPartners(db: Executor, role: 'assessor' | 'moderator'): Promise<{ userId: string; name: string; email: string; partnerIds: string[] }[]> {
  const assessors = await db
    .selectDistinct({ userId: users.id, name: users.name, email: users.email })
    .from(roleAssignments)
    .innerJoin(users, eq(users.id, roleAssignments.userId))
    .where(and(eq(roleAssignments.role, role), isNull(users.deactivatedAt)))
    .orderBy(asc(users.name), asc(users.id));
  if (!assessors.length) return [];
  // A provider admin sees every name, so cannot mark blind: not offered, whatever else they hold.
  const admins = new Set(
    (
      await db
        .selectDistinct({ userId: roleAssignments.userId })
        .from(roleAssignments)
        .where(and(inArray(roleAssignments.userId, assessors.map((a) => a.userId)), eq(roleAssignments.role, 'provider_admin')))
    ).map((r) => r.userId),
  );
  const held = await db
    .selectDistinct({ userId: roleAssignments.userId, partnerId: roleAssignments.scopeId })
    .from(roleAssignments)
    .where(and(inArray(roleAssignments.userId, assessors.map((a) => a.userId)), eq(roleAssignments.scopeType, 'delivery_partner')));
  return assessors.filter((a) => !admins.has(a.userId)).map((a) => ({ ...a, partnerIds: held.filter((h) => h.userId === a.userId && h.partnerId).map((h) => h.partnerId!) }));
}
