import { randomInt } from 'node:crypto';

/**
 * A script as allocation weighs it: the delivery partners that trained the participant, everyone who
 * taught or coached them (session and group facilitators of their intakes, coaches and personal tutors
 * ever allocated to the place), and the participant's own account.
 */
export interface ScriptTies {
  submissionId: string;
  /** The delivery partners that trained the participant: their intake's, and any intake's they moved from. */
  deliveryPartnerIds: ReadonlySet<string>;
  taughtBy: ReadonlySet<string>;
  /** The participant's own account: someone who also holds the assessor role never marks their own script. */
  writtenBy: string | null;
}

/** An assessor as allocation weighs them: the delivery partners they hold any role within, and how many scripts they hold unmarked now. */
export interface AssessorLoad {
  userId: string;
  name: string;
  partnerIds: ReadonlySet<string>;
  load: number;
}

export type Conflict = 'own_script' | 'own_partner' | 'taught';

/** What each conflict means, for the admin who chose the assessor. */
export const CONFLICT_TEXT: Record<Conflict, string> = {
  own_script: 'wrote this script',
  own_partner: 'works for the delivery partner that trained this participant',
  taught: 'taught or coached this participant',
};

/**
 * Why `assessor` may not mark `script`, or null when they may (issue 12 item 4: "never a script from
 * their own delivery partner or a participant they taught or coached").
 */
export function conflictOf(assessor: Pick<AssessorLoad, 'userId' | 'partnerIds'>, script: ScriptTies): Conflict | null {
  if (script.writtenBy === assessor.userId) return 'own_script';
  if (script.taughtBy.has(assessor.userId)) return 'taught';
  for (const partner of script.deliveryPartnerIds) if (assessor.partnerIds.has(partner)) return 'own_partner';
  return null;
}

/**
 * Shares scripts among assessors evenly (issue 12 item 4: "by hand or evenly"), never to an assessor
 * with a conflict: the scripts with fewest assessors free to mark them go first, each to the free
 * assessor holding fewest scripts (counting what they hold already; ties by name, then id, so the
 * same inputs give the same allocation). Scripts no one is free to mark are returned unallocated.
 * Pure: the caller reads the ties and loads, and writes what comes back.
 */
export function allocateEvenly(scripts: readonly ScriptTies[], assessors: readonly AssessorLoad[]): { allocations: { submissionId: string; assessorUserId: string }[]; unallocated: string[] } {
  const loads = new Map(assessors.map((a) => [a.userId, a.load]));
  const ordered = [...assessors].sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.userId.localeCompare(b.userId));
  const freeFor = scripts.map((s) => ({ s, free: ordered.filter((a) => !conflictOf(a, s)) }));
  freeFor.sort((a, b) => a.free.length - b.free.length || a.s.submissionId.localeCompare(b.s.submissionId));
  const allocations: { submissionId: string; assessorUserId: string }[] = [];
  const unallocated: string[] = [];
  for (const { s, free } of freeFor) {
    let best: AssessorLoad | undefined;
    for (const a of free) if (!best || loads.get(a.userId)! < loads.get(best.userId)!) best = a;
    if (!best) {
      unallocated.push(s.submissionId);
      continue;
    }
    loads.set(best.userId, loads.get(best.userId)! + 1);
    allocations.push({ submissionId: s.submissionId, assessorUserId: best.userId });
  }
  return { allocations, unallocated };
}

// No 0/O or 1/I/L: a number read aloud or copied by hand stays the same.
const CANDIDATE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

/**
 * A candidate number for a script (issue 12 item 4: "only a candidate number"): "C-" and six
 * characters drawn at random, so nothing about the participant — not their name, place, or when
 * they sent it — can be read from it. About 887 million numbers: the caller retries on the rare clash.
 */
export function newCandidateNumber(draw: (max: number) => number = randomInt): string {
  let s = 'C-';
  for (let i = 0; i < 6; i++) s += CANDIDATE_ALPHABET[draw(CANDIDATE_ALPHABET.length)];
  return s;
}

/** Whether text is a candidate number's shape, for a route's parameter. */
export const isCandidateNumber = (s: string): boolean => /^C-[2-9A-HJKMNP-Z]{6}$/.test(s);
