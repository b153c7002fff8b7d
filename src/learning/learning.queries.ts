import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { groupMembers, intakeGroups } from './learning.schema';

/**
 * What other capabilities may read of learning (docs/adr/0029): plain query functions over its
 * tables. Each takes the database or a transaction and only reads.
 */

/** A participant's place in a group: the group's intake (to check it is the place's own intake), name and facilitator. */
export interface GroupPlace {
  enrolmentId: string;
  intakeId: string;
  groupName: string;
  facilitatorUserId: string | null;
}

/** The groups these places are in (enrolment id → its group). A place is in at most one group of an intake; callers check the intake is the place's. */
export async function groupsOfPlaces(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, GroupPlace>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .select({ enrolmentId: groupMembers.enrolmentId, intakeId: intakeGroups.intakeId, groupName: intakeGroups.name, facilitatorUserId: intakeGroups.facilitatorUserId })
    .from(groupMembers)
    .innerJoin(intakeGroups, eq(intakeGroups.id, groupMembers.groupId))
    .where(inArray(groupMembers.enrolmentId, [...new Set(enrolmentIds)]));
  return new Map(rows.map((r) => [r.enrolmentId, r]));
}

/** The places in the groups this person facilitates (of any intake: callers check each is the place's own intake). */
export async function placesInGroupsLedBy(db: Executor, facilitatorUserId: string): Promise<GroupPlace[]> {
  return db
    .select({ enrolmentId: groupMembers.enrolmentId, intakeId: intakeGroups.intakeId, groupName: intakeGroups.name, facilitatorUserId: intakeGroups.facilitatorUserId })
    .from(groupMembers)
    .innerJoin(intakeGroups, eq(intakeGroups.id, groupMembers.groupId))
    .where(and(isNotNull(intakeGroups.facilitatorUserId), eq(intakeGroups.facilitatorUserId, facilitatorUserId)));
}
