import { and, asc, eq, inArray } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { placesInIntake } from '../../enrolment/enrolment.queries';
import { facilitatorsOf, namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { commit, intakeFor, type LearningContext } from '../learning.context';
import { groupMembers, intakeGroups } from '../learning.schema';

/** The longest group name, in characters. */
export const GROUP_NAME_MAX = 100;

/** One group of an intake as its pages show it. */
export interface Group {
  id: string;
  name: string;
  facilitatorUserId: string | null;
  facilitatorName: string | null;
}

/** An intake's groups, by name, with their facilitators' names. */
export async function groupsOfIntake(ctx: LearningContext, intakeId: string, deliveryPartnerId: string): Promise<Group[]> {
  const [rows, people] = await Promise.all([ctx.db.select().from(intakeGroups).where(eq(intakeGroups.intakeId, intakeId)).orderBy(asc(intakeGroups.name)), facilitatorsOf(ctx.db, deliveryPartnerId)]);
  const name = new Map(people.map((p) => [p.id, p.name]));
  return rows.map((g) => ({ id: g.id, name: g.name, facilitatorUserId: g.facilitatorUserId, facilitatorName: g.facilitatorUserId ? (name.get(g.facilitatorUserId) ?? null) : null }));
}

/** Which group each participant is in, among these groups (an intake's): enrolment id → group id. */
export async function membershipIn(ctx: LearningContext, groupIds: readonly string[]): Promise<Map<string, string>> {
  if (!groupIds.length) return new Map();
  const rows = await ctx.db.select().from(groupMembers).where(inArray(groupMembers.groupId, [...groupIds]));
  return new Map(rows.map((r) => [r.enrolmentId, r.groupId]));
}

/** The group a participant is in within their intake, if any. */
export async function groupOfPlace(ctx: LearningContext, enrolmentId: string, intakeId: string): Promise<Group | undefined> {
  const [group] = await ctx.db
    .select({ id: intakeGroups.id, name: intakeGroups.name, facilitatorUserId: intakeGroups.facilitatorUserId })
    .from(groupMembers)
    .innerJoin(intakeGroups, eq(intakeGroups.id, groupMembers.groupId))
    .where(and(eq(groupMembers.enrolmentId, enrolmentId), eq(intakeGroups.intakeId, intakeId)));
  if (!group) return undefined;
  // Only the group's own facilitator is looked up: one account, not the partner's every facilitator.
  const names = await namesOfAccounts(ctx.db, group.facilitatorUserId ? [group.facilitatorUserId] : []);
  return { ...group, facilitatorName: group.facilitatorUserId ? (names.get(group.facilitatorUserId) ?? null) : null };
}

/**
 * An intake's groups (issue 10 item 2) for those who may see the intake (NotFoundError else): its
 * groups with their facilitators, the participants placed in it with the group each is in, the people
 * who may lead a group (the partner's facilitators and leads), and what the actor may do.
 */
export async function intakeGroupsOf(ctx: LearningContext, actor: Actor, intakeId: string) {
  const { intake, may } = await intakeFor(ctx, actor, intakeId);
  const [groups, participants, facilitators] = await Promise.all([groupsOfIntake(ctx, intake.id, intake.deliveryPartnerId), placesInIntake(ctx.db, intake.id), facilitatorsOf(ctx.db, intake.deliveryPartnerId)]);
  const members = await membershipIn(ctx, groups.map((g) => g.id));
  return { intake, may, groups, participants, members, facilitators };
}

/**
 * Adds a group to an intake (`groupId` null) or renames it and changes its facilitator, for the admin
 * and the partner's lead (ForbiddenError for who may only see it; NotFoundError for a group not of
 * this intake). ValidationError on `name` (empty, too long, or another group's) and `facilitatorUserId`
 * (not one of the partner's facilitators or leads). Returns the group's id.
 */
export async function saveGroup(ctx: LearningContext, actor: Actor, intakeId: string, groupId: string | null, input: { name: string; facilitatorUserId: string }): Promise<string> {
  const { intake, may, groups, facilitators } = await intakeGroupsOf(ctx, actor, intakeId);
  if (!may.plan) throw new ForbiddenError();
  const before = groupId ? groups.find((g) => g.id === groupId) : undefined;
  if (groupId && !before) throw new NotFoundError('group');
  const name = input.name.replace(/\s+/g, ' ').trim();
  const errors: Record<string, string> = {};
  if (!hasVisibleText(name)) errors.name = 'Enter the group’s name, like Group A — Birmingham';
  else if (characterCount(name) > GROUP_NAME_MAX) errors.name = `The name must be ${GROUP_NAME_MAX} characters or fewer: it is ${characterCount(name)}`;
  else if (groups.some((g) => g.id !== groupId && g.name.toLowerCase() === name.toLowerCase())) errors.name = `This intake already has a group called ${name}`;
  const facilitatorUserId = input.facilitatorUserId || null;
  if (facilitatorUserId && !facilitators.some((f) => f.id === facilitatorUserId)) errors.facilitatorUserId = 'Select one of the delivery partner’s facilitators';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  return commit(ctx, async (tx) => {
    if (before) {
      await tx.update(intakeGroups).set({ name, facilitatorUserId }).where(eq(intakeGroups.id, before.id));
      await audit(tx, ctx.clock, actor, { action: 'group.changed', entityType: 'intake', entityId: intake.id, before: { groupId: before.id, name: before.name, facilitatorUserId: before.facilitatorUserId }, after: { groupId: before.id, name, facilitatorUserId } });
      return before.id;
    }
    const [row] = await tx.insert(intakeGroups).values({ intakeId: intake.id, name, facilitatorUserId, createdAt: ctx.clock.now() }).returning({ id: intakeGroups.id });
    await audit(tx, ctx.clock, actor, { action: 'group.added', entityType: 'intake', entityId: intake.id, after: { groupId: row!.id, name, facilitatorUserId } });
    return row!.id;
  });
}

/**
 * Removes a group (the undo of adding one): its participants are in no group after. Same permission;
 * NotFoundError for a group not of this intake. Discussion posts made in it are kept, read by staff.
 */
export async function removeGroup(ctx: LearningContext, actor: Actor, intakeId: string, groupId: string): Promise<void> {
  const { intake, may, groups } = await intakeGroupsOf(ctx, actor, intakeId);
  if (!may.plan) throw new ForbiddenError();
  const group = groups.find((g) => g.id === groupId);
  if (!group) throw new NotFoundError('group');
  await commit(ctx, async (tx) => {
    await tx.delete(intakeGroups).where(eq(intakeGroups.id, group.id));
    await audit(tx, ctx.clock, actor, { action: 'group.removed', entityType: 'intake', entityId: intake.id, before: { groupId: group.id, name: group.name, facilitatorUserId: group.facilitatorUserId } });
  });
}

/**
 * Puts participants of an intake into its groups (`assignments`: enrolment id → group id, or '' for
 * none); participants left out keep their group. Same permission. ValidationError (`group-<enrolment
 * id>`) for a group that is not one of this intake's; participants not placed in the intake are
 * ignored (withdrawn since the page was read). Returns how many moved.
 */
export async function assignGroups(ctx: LearningContext, actor: Actor, intakeId: string, assignments: Record<string, string>): Promise<number> {
  const { intake, may, groups, participants, members } = await intakeGroupsOf(ctx, actor, intakeId);
  if (!may.plan) throw new ForbiddenError();
  const placed = new Set(participants.map((p) => p.enrolmentId));
  const ids = new Set(groups.map((g) => g.id));
  const errors: Record<string, string> = {};
  const moves: { enrolmentId: string; to: string | null; from: string | null }[] = [];
  for (const [enrolmentId, groupId] of Object.entries(assignments)) {
    if (!placed.has(enrolmentId)) continue;
    if (groupId && !ids.has(groupId)) {
      errors[`group-${enrolmentId}`] = 'Select one of this intake’s groups';
      continue;
    }
    const from = members.get(enrolmentId) ?? null;
    const to = groupId || null;
    if (from !== to) moves.push({ enrolmentId, to, from });
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  if (!moves.length) return 0;
  await commit(ctx, async (tx) => {
    for (const m of moves) {
      if (m.to) await tx.insert(groupMembers).values({ enrolmentId: m.enrolmentId, groupId: m.to }).onConflictDoUpdate({ target: groupMembers.enrolmentId, set: { groupId: m.to } });
      else await tx.delete(groupMembers).where(eq(groupMembers.enrolmentId, m.enrolmentId));
    }
    await audit(tx, ctx.clock, actor, { action: 'group.members_changed', entityType: 'intake', entityId: intake.id, before: Object.fromEntries(moves.map((m) => [m.enrolmentId, m.from])), after: Object.fromEntries(moves.map((m) => [m.enrolmentId, m.to])) });
  });
  return moves.length;
}
