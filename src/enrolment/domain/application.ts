/**
 * The rules of an application once it is submitted: who may decide it and when, the funded-place and
 * intake-capacity limits at acceptance, and the participant's training status afterwards. Pure: the
 * service reads the counts and passes them in.
 */

import { addDaysTo } from '../../platform/clock';
import { allows as allowsIn } from '../../platform/workflow';
import { APPLICATION_WORKFLOW, type ApplicationStatus, type ApprovalStatus, type GatewayStatus, TRAINING_WORKFLOW, type TrainingStatus } from './workflows';

export {
  APPLICATION_STATUSES,
  APPLICATION_WORKFLOW,
  APPROVAL_STATUSES,
  APPROVAL_WORKFLOW,
  type ApplicationStatus,
  type ApprovalStatus,
  GATEWAY_STATUSES,
  GATEWAY_WORKFLOW,
  type GatewayStatus,
  TRAINING_STATUSES,
  TRAINING_WORKFLOW,
  type TrainingStatus,
} from './workflows';

/** What may happen to an application, and from which statuses (APPLICATION_WORKFLOW's table). */
export const APPLICATION_EVENTS = APPLICATION_WORKFLOW.events;
export type ApplicationEvent = keyof typeof APPLICATION_EVENTS;

/** Whether `event` may happen to an application in `status`. */
export const allows = (event: ApplicationEvent, status: string): boolean => allowsIn(APPLICATION_WORKFLOW, event, status);

/** DfE's reasons for a rejection; a provider's own reason is free text, shown as written. */
export const REJECTION_REASONS = ['rejected_by_provider', 'other_application_in_this_cohort_accepted', 'registration_expired'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];
export const REJECTION_REASON_LABELS: Record<RejectionReason, string> = {
  rejected_by_provider: 'Rejected by the provider',
  other_application_in_this_cohort_accepted: 'Another of their applications in this cohort was accepted',
  registration_expired: 'Their registration with DfE expired',
};
/** A stored reason for people: DfE's codes through their labels, a provider's own words as written. */
export const rejectionReasonText = (reason: string | null): string => (reason ? (REJECTION_REASON_LABELS[reason as RejectionReason] ?? reason) : '');

/** Who pays when DfE does not: DfE's value set. */
export const FUNDING_CHOICES = ['school', 'trust', 'self', 'another', 'employer'] as const;
export type FundingChoice = (typeof FUNDING_CHOICES)[number];
export const FUNDING_CHOICE_LABELS: Record<FundingChoice, string> = {
  school: 'My school',
  trust: 'My academy trust',
  self: 'I will pay myself',
  another: 'Another way',
  employer: 'My employer (not a school or trust)',
};

export const STATUS_LABELS: Record<ApplicationStatus, string> = { draft: 'Not sent yet', pending: 'Pending', accepted: 'Accepted', rejected: 'Rejected', withdrawn: 'Withdrawn' };
export const APPROVAL_LABELS: Record<ApprovalStatus, string> = {
  not_requested: 'Not requested',
  pending: 'Waiting for your school',
  approved: 'Approved by your school',
  declined: 'Declined by your school',
  expired: 'Request expired',
};
/** The same statuses as the provider and its staff read them (the applicant's table speaks to them as "your school"). */
export const PROVIDER_APPROVAL_LABELS: Record<ApprovalStatus, string> = {
  not_requested: 'Not requested',
  pending: 'Waiting for the school',
  approved: 'Approved',
  declined: 'Declined',
  expired: 'Link expired',
};
export const GATEWAY_LABELS: Record<GatewayStatus, string> = {
  not_required: 'Not needed',
  awaiting_submission: 'To do',
  submitted: 'Being reviewed',
  passed: 'Passed',
  failed: 'Not passed',
};

/**
 * Whether an intake takes applications on `today` (a UK calendar date, yyyy-mm-dd): it has a cohort,
 * is not retired, and its deadline has not passed.
 */
export const openForApplications = (i: { applicationDeadline: string; cohortIdentifier: string | null; retiredAt?: Date | null }, today: string): boolean =>
  !i.retiredAt && i.cohortIdentifier !== null && i.applicationDeadline >= today;

/** How long a line manager's link lasts, and when they are reminded (calendar days after the request). */
export const APPROVAL_VALID_DAYS = 14;
export const APPROVAL_REMINDER_DAYS = [4, 10] as const;

/**
 * Whether a reminder is due now: the next one in the schedule has come and not been sent. Days are
 * calendar days in the UK, at the time of day the request was made (a clock change between does not
 * move the reminder by an hour).
 */
export function approvalReminderDue(requestedAt: Date, remindersSent: number, now: Date): boolean {
  const dueAfterDays = APPROVAL_REMINDER_DAYS[remindersSent];
  return dueAfterDays !== undefined && now.getTime() >= addDaysTo(requestedAt, dueAfterDays).getTime();
}
/** When a line manager's link stops working: APPROVAL_VALID_DAYS calendar days after it was sent, same UK time. */
export const approvalExpiry = (requestedAt: Date): Date => addDaysTo(requestedAt, APPROVAL_VALID_DAYS);

export interface AcceptanceFacts {
  status: ApplicationStatus;
  approvalStatus: ApprovalStatus;
  gatewayStatus: GatewayStatus;
  cohortFunding: 'none' | 'capped' | 'full';
  eligibleForFunding: boolean;
  /** What the provider asked for; only capped cohorts take it. */
  requestedFundedPlace: boolean | undefined;
  fundedPlacesTaken: number;
  fundedPlaceLimit: number;
  intake: { capacity: number | null; placed: number; waitingList: boolean } | null;
}

export type AcceptanceDecision = { ok: true; fundedPlace: boolean | null; onWaitingList: boolean } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): AcceptanceDecision => ({ ok: false, code, message });

/** Why a funded place cannot be given in a capped cohort, or null when it can: it needs an application eligible for funding, and a place within the cohort's limit for the NPQ (DfE: docs/dfe-api.md §1.1). */
function fundedPlaceRefusal(f: { eligibleForFunding: boolean; fundedPlacesTaken: number; fundedPlaceLimit: number }): { ok: false; code: string; message: string } | null {
  if (!f.eligibleForFunding) return { ok: false, code: 'funded_place_not_eligible', message: 'A funded place needs an application that is eligible for funding' };
  if (f.fundedPlacesTaken >= f.fundedPlaceLimit) return { ok: false, code: 'funded_place_limit_reached', message: `All ${f.fundedPlaceLimit} funded places for this NPQ in the cohort are taken` };
  return null;
}

/**
 * Whether the provider may change an accepted participant's funded place to `requested` (issue 13
 * item 2; DfE's change-funded-place, docs/dfe-api.md §1.1): only once accepted, only in a capped
 * cohort (elsewhere DfE takes no funded place), not to what it already is, and a funded place only as
 * acceptance gives one (eligible, within the limit). Refusals carry a stable code. DfE also refuses
 * once declarations are submitted: the sync keeps that refusal in DfE's words.
 */
export function decideFundedPlaceChange(f: { status: ApplicationStatus; cohortFunding: 'none' | 'capped' | 'full'; eligibleForFunding: boolean; current: boolean | null; requested: boolean; fundedPlacesTaken: number; fundedPlaceLimit: number }): { ok: true } | { ok: false; code: string; message: string } {
  if (f.status !== 'accepted') return { ok: false, code: 'application_not_accepted', message: 'Accept the application before changing its funded place' };
  if (f.cohortFunding !== 'capped') return { ok: false, code: 'funded_place_not_capped', message: 'Only a cohort with capped funding has funded places to change' };
  if (f.current === f.requested) return { ok: false, code: 'funded_place_unchanged', message: f.requested ? 'This participant already has a funded place' : 'This participant already has no funded place' };
  return (f.requested ? fundedPlaceRefusal(f) : null) ?? { ok: true };
}

/** Whether the provider may accept now, and on what terms; refusals carry a stable code. */
export function decideAcceptance(f: AcceptanceFacts): AcceptanceDecision {
  if (f.status === 'draft') return refuse('application_not_submitted', 'The applicant has not sent this application yet');
  if (f.status === 'rejected') return refuse('application_rejected', 'This application has been rejected and cannot be accepted');
  if (f.status === 'withdrawn') return refuse('application_withdrawn', 'The applicant withdrew this application: it cannot be accepted');
  if (f.status === 'accepted') return refuse('application_already_accepted', 'This application has already been accepted');
  if (f.approvalStatus !== 'approved') return refuse('awaiting_school_approval', 'The applicant’s school has not approved this application');
  if (f.gatewayStatus === 'awaiting_submission' || f.gatewayStatus === 'submitted') return refuse('gateway_not_finished', 'The gateway assessment has not been passed yet');
  if (f.gatewayStatus === 'failed') return refuse('gateway_failed', 'The applicant did not pass the gateway assessment');

  let fundedPlace: boolean | null = null;
  // DfE refuses a funded place in an unfunded cohort rather than ignore it (dfe-api.md, "Accept").
  if (f.cohortFunding === 'none' && f.requestedFundedPlace === true) return refuse('funded_place_unfunded_cohort', 'DfE does not fund this cohort: a funded place cannot be given');
  if (f.cohortFunding === 'capped') {
    if (f.requestedFundedPlace === undefined) return refuse('funded_place_required', 'Say whether this participant has a funded place: the cohort’s funding is capped');
    const refused = f.requestedFundedPlace ? fundedPlaceRefusal(f) : null;
    if (refused) return refused;
    fundedPlace = f.requestedFundedPlace;
  }

  let onWaitingList = false;
  if (f.intake && f.intake.capacity !== null && f.intake.placed >= f.intake.capacity) {
    if (!f.intake.waitingList) return refuse('intake_full', `The intake is full (${f.intake.capacity} places) and has no waiting list`);
    onWaitingList = true;
  }
  return { ok: true, fundedPlace, onWaitingList };
}

/**
 * Whether the schedule a provider names at acceptance (DfE's `schedule_identifier`, optional) fits the
 * application: it must be one of the course's schedules (`courseSchedules`, by the NPQ's kind) and the
 * schedule of the intake the participant is placed into, which decides it here. A schedule that does
 * not fit is refused, never replaced by another (dfe-api.md, "Accept": a wrong identifier never falls
 * back to the default). Codes: `schedule_not_valid_for_course`, `schedule_not_the_intakes`.
 */
export function decideSchedule(requested: string | null | undefined, courseSchedules: readonly string[], intakeSchedule: string | null): { ok: true } | { ok: false; code: string; message: string } {
  if (requested === undefined || requested === null) return { ok: true };
  if (!courseSchedules.includes(requested)) return { ok: false, code: 'schedule_not_valid_for_course', message: `The selected schedule is not valid for the course: use one of ${courseSchedules.join(', ')}` };
  if (requested !== intakeSchedule)
    return { ok: false, code: 'schedule_not_the_intakes', message: intakeSchedule ? `The intake follows ${intakeSchedule}: place the participant into an intake that follows ${requested} (intake_id) instead` : 'The intake has no schedule yet: place the participant into an intake that has one' };
  return { ok: true };
}

// ── Participants ──

export const TRAINING_STATUS_LABELS: Record<TrainingStatus, string> = { active: 'Active', deferred: 'Deferred', withdrawn: 'Withdrawn' };

/** DfE's deferral reasons, exactly as its OpenAPI document lists them (ParticipantDeferRequest; checked by application.test.ts). */
export const DEFERRAL_REASONS = ['bereavement', 'long-term-sickness', 'parental-leave', 'career-break', 'other'] as const;
export type DeferralReason = (typeof DEFERRAL_REASONS)[number];
export const DEFERRAL_REASON_LABELS: Record<DeferralReason, string> = {
  bereavement: 'Bereavement',
  'long-term-sickness': 'Long-term sickness',
  'parental-leave': 'Parental leave',
  'career-break': 'Career break',
  other: 'Another reason',
};
/** DfE's withdrawal reasons, exactly as its OpenAPI document lists them (ParticipantWithdrawRequest; checked by application.test.ts). */
export const WITHDRAWAL_REASONS = [
  'insufficient-capacity-to-undertake-programme',
  'personal-reason-health-or-pregnancy-related',
  'personal-reason-moving-school',
  'personal-reason-other',
  'insufficient-capacity',
  'change-in-developmental-or-personal-priorities',
  'change-in-school-circumstances',
  'change-in-school-leadership',
  'quality-of-programme-structure-not-suitable.',
  'quality-of-programme-content-not-suitable',
  'quality-of-programme-facilitation-not-effective',
  'quality-of-programme-accessibility',
  'quality-of-programme-other',
  'programme-not-appropriate-for-role-and-cpd-needs',
  'started-in-error',
  'expected-commitment-unclear',
  'assessment-requirements-not-met',
  'change-in-career',
  'disengaged-and-unresponsive',
  'non-payment-of-invoice',
  'other',
] as const;
export type WithdrawalReason = (typeof WITHDRAWAL_REASONS)[number];
/** DfE's withdrawal reason codes as people read them (the codes go to DfE as they are, trailing full stop included). */
export const WITHDRAWAL_REASON_LABELS: Record<WithdrawalReason, string> = {
  'insufficient-capacity-to-undertake-programme': 'Not enough capacity to take part',
  'personal-reason-health-or-pregnancy-related': 'Personal reason: health or pregnancy',
  'personal-reason-moving-school': 'Personal reason: moving school',
  'personal-reason-other': 'Personal reason: other',
  'insufficient-capacity': 'Not enough capacity',
  'change-in-developmental-or-personal-priorities': 'Change in development or personal priorities',
  'change-in-school-circumstances': 'Change in school circumstances',
  'change-in-school-leadership': 'Change in school leadership',
  'quality-of-programme-structure-not-suitable.': 'Programme structure not suitable',
  'quality-of-programme-content-not-suitable': 'Programme content not suitable',
  'quality-of-programme-facilitation-not-effective': 'Programme facilitation not effective',
  'quality-of-programme-accessibility': 'Programme not accessible',
  'quality-of-programme-other': 'Another concern about the programme',
  'programme-not-appropriate-for-role-and-cpd-needs': 'Programme not right for their role or development needs',
  'started-in-error': 'Started in error',
  'expected-commitment-unclear': 'The commitment expected was not clear',
  'assessment-requirements-not-met': 'Assessment requirements not met',
  'change-in-career': 'Change in career',
  'disengaged-and-unresponsive': 'Disengaged and not responding',
  'non-payment-of-invoice': 'Invoice not paid',
  other: 'Another reason',
};
/** A deferral or withdrawal reason code for people. */
export const trainingReasonText = (reason: string | null): string =>
  reason ? (WITHDRAWAL_REASON_LABELS[reason as WithdrawalReason] ?? DEFERRAL_REASON_LABELS[reason as DeferralReason] ?? reason) : '';

export type ParticipantChange = 'defer' | 'resume' | 'withdraw' | 'move';

/**
 * Which training statuses each change starts from and leads to (TRAINING_WORKFLOW's table; `move`
 * keeps the status), and the DfE reason codes it needs.
 */
export const PARTICIPANT_CHANGES: Record<ParticipantChange, { from: readonly TrainingStatus[]; to: TrainingStatus | 'same'; reasons: readonly string[] | null }> = {
  defer: { from: TRAINING_WORKFLOW.events.defer.from, to: TRAINING_WORKFLOW.events.defer.to, reasons: DEFERRAL_REASONS },
  resume: { from: TRAINING_WORKFLOW.events.resume.from, to: TRAINING_WORKFLOW.events.resume.to, reasons: null },
  withdraw: { from: TRAINING_WORKFLOW.events.withdraw.from, to: TRAINING_WORKFLOW.events.withdraw.to, reasons: WITHDRAWAL_REASONS },
  move: { from: TRAINING_WORKFLOW.events.move.from, to: 'same', reasons: null },
};

export function decideParticipantChange(change: ParticipantChange, current: TrainingStatus | null, reason: string | undefined): { ok: true; to: TrainingStatus } | { ok: false; code: string; message: string } {
  const rule = PARTICIPANT_CHANGES[change];
  if (!current) return { ok: false, code: 'not_a_participant', message: 'Only an accepted application has a participant to change' };
  if (!rule.from.includes(current)) return { ok: false, code: `cannot_${change}`, message: `A ${current} participant cannot be ${change === 'move' ? 'moved' : `${change}ed`.replace('withdrawed', 'withdrawn')}` };
  if (rule.reasons && !(reason && rule.reasons.includes(reason))) return { ok: false, code: 'reason_required', message: 'Select a reason' };
  return { ok: true, to: rule.to === 'same' ? current : rule.to };
}

/** What DfE's API calls the funding reason, where it has one. */
export function ineligibleForFundingReason(statusCode: string | null, eligible: boolean): 'previously-funded' | 'establishment-ineligible' | null {
  if (eligible || !statusCode) return null;
  if (statusCode === 'previously_funded') return 'previously-funded';
  if (statusCode.includes('establishment') || statusCode === 'early_years_invalid_npq' || statusCode === 'not_entitled_childminder') return 'establishment-ineligible';
  return null;
}

// ── Who approves ──
/**
 * The mailbox an address delivers to, for telling whether two addresses are the same person's: case
 * and spaces do not matter, and neither does a `+tag` (most mail services deliver `ada+x@` to `ada@`).
 */
export function mailboxOf(email: string): string {
  const compact = email.replace(/\s+/g, '').toLowerCase();
  const at = compact.lastIndexOf('@');
  if (at < 1) return compact;
  return `${compact.slice(0, at).replace(/\+.*$/, '')}${compact.slice(at)}`;
}

/** Whether the line manager named is the applicant themself: an applicant never approves their own application. */
export const isOwnAddress = (applicantEmail: string, lineManagerEmail: string): boolean => mailboxOf(applicantEmail) === mailboxOf(lineManagerEmail);

export const OWN_ADDRESS_MESSAGE = 'Enter your line manager’s email address, not your own: someone else at your school must approve your application';
