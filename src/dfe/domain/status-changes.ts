import type { TrainingStatus } from '../../enrolment/domain/application';

/** A change of a participant's training status that DfE is told of (docs/dfe-api.md §1.2). */
export type StatusChangeKind = 'defer' | 'resume' | 'withdraw';

/**
 * Each change as DfE's participant actions take it (docs/dfe-api.md §1.2, and the request bodies of
 * DfE's OpenAPI document): the status it leads to, the body's `type`, whether DfE requires a reason,
 * and DfE's refusal that means the participant already has that status — an earlier send whose answer
 * was lost, counted as applied.
 */
export const STATUS_CHANGES: Record<StatusChangeKind, { to: TrainingStatus; type: string; takesReason: boolean; already: string }> = {
  defer: { to: 'deferred', type: 'participant-defer', takesReason: true, already: 'The participant is already deferred' },
  resume: { to: 'active', type: 'participant-resume', takesReason: false, already: 'The participant is already active' },
  withdraw: { to: 'withdrawn', type: 'participant-withdraw', takesReason: true, already: 'The participant is already withdrawn' },
};

/** Every kind of status change, as `dfe_changes.kind` holds it. */
export const STATUS_KINDS = Object.keys(STATUS_CHANGES) as StatusChangeKind[];

/** The platform's events that are status changes DfE is told of. */
export const STATUS_CHANGE_EVENTS = ['participant.deferred', 'participant.resumed', 'participant.withdrawn'] as const;

/**
 * Which change DfE is told of for one row of the platform's status history: a move to deferred or
 * withdrawn is that; a move back to active from either is a resume; the first status (the acceptance,
 * from none) and anything else is not a participant action at DfE (null).
 */
export function statusChangeKindOf(from: string | null, to: string): StatusChangeKind | null {
  if (from === to) return null;
  if (to === 'deferred') return 'defer';
  if (to === 'withdrawn') return 'withdraw';
  if (to === 'active' && (from === 'deferred' || from === 'withdrawn')) return 'resume';
  return null;
}

/**
 * The body of the PUT that makes a change at DfE: `{data: {type, attributes: {course_identifier, reason?}}}`.
 * The reason is one of DfE's codes (the platform keeps the same lists); a resume takes none.
 */
export function statusChangeBody(kind: StatusChangeKind, courseIdentifier: string, reason: string | null): { data: { type: string; attributes: Record<string, string> } } {
  const change = STATUS_CHANGES[kind];
  const attributes: Record<string, string> = { course_identifier: courseIdentifier };
  if (change.takesReason && reason) attributes.reason = reason;
  return { data: { type: change.type, attributes } };
}

/**
 * The training status DfE shows for one application in a participant's record (its `npq_enrolments`,
 * docs/dfe-api.md §1.2); undefined when the record has no enrolment for that application.
 */
export function dfeTrainingStatusOf(participant: unknown, dfeApplicationId: string): string | undefined {
  const enrolments = (participant as { data?: { attributes?: { npq_enrolments?: { npq_application_id?: string; training_status?: string }[] } } } | null)?.data?.attributes?.npq_enrolments;
  return enrolments?.find((e) => e.npq_application_id === dfeApplicationId)?.training_status;
}

/**
 * A participant's status history in the order the changes were made: by time, and where times tie
 * (two changes in one millisecond, or clocks of two processes a little apart) by the chain each
 * change makes — a change starts from the status the one before it left. Rows are `{from, to, at}`
 * with anything else carried through.
 */
export function inMadeOrder<T extends { fromStatus: string | null; toStatus: string; changedAt: Date }>(history: readonly T[]): T[] {
  const left = [...history].sort((a, b) => a.changedAt.getTime() - b.changedAt.getTime());
  const ordered: T[] = [];
  let status: string | null = null;
  while (left.length) {
    const first = left[0]!.changedAt.getTime();
    // Among the earliest (ties), the one that starts where the last left off.
    const tied = left.filter((h) => h.changedAt.getTime() === first);
    const next = tied.find((h) => h.fromStatus === status) ?? tied[0]!;
    left.splice(left.indexOf(next), 1);
    ordered.push(next);
    status = next.toStatus;
  }
  return ordered;
}
