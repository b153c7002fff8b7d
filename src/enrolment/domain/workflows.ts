/**
 * Enrolment's workflows, each one transition table (ADR 0027): the application (DfE's status plus
 * draft and withdrawn), the school's approval, the gateway assessment and the participant's training
 * status. The services' guards, the conditional SQL updates, the CHECK constraints on the status
 * columns, the pages' buttons and the diagrams in docs/workflows/ all come from these tables.
 */
import { type Workflow, workflow } from '../../platform/workflow';

/**
 * `withdrawn` is the applicant's own taking back of a pending application: not the provider's
 * rejection. DfE's API has no such status, so the API shows it as `rejected` with
 * `withdrawn_by_applicant` beside it (ADR 0021).
 */
export const APPLICATION_STATUSES = ['draft', 'pending', 'accepted', 'rejected', 'withdrawn'] as const;
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * What may happen to an application, and from which statuses. Everything but `reopen` needs a live
 * (pending) application, so every form on a withdrawn, rejected or accepted one is closed. Events
 * with `to: null` happen beside the status (the school's approval, the gateway) and leave it as it is.
 */
export const APPLICATION_WORKFLOW = workflow({
  name: 'application',
  description: 'One application for one NPQ, from the first saved answer (`draft`) to the provider’s decision. DfE’s statuses are pending, accepted and rejected; the API shows `withdrawn` as rejected (ADR 0021).',
  states: APPLICATION_STATUSES,
  initial: ['draft', 'pending'],
  events: {
    submit: { from: ['draft'], to: 'pending' },
    accept: { from: ['pending'], to: 'accepted' },
    reject: { from: ['pending'], to: 'rejected' },
    withdraw: { from: ['pending'], to: 'withdrawn' },
    reopen: { from: ['rejected'], to: 'pending' },
    askApproval: { from: ['pending'], to: null },
    decideApproval: { from: ['pending'], to: null },
    answerGateway: { from: ['pending'], to: null },
    reviewGateway: { from: ['pending'], to: null },
  },
  groups: {
    /** Sent and not yet decided: the provider, the school and the gateway act on these. */
    LIVE: ['pending'],
    /** Decided one way or the other, by the provider or by the applicant withdrawing. */
    DECIDED: ['accepted', 'rejected', 'withdrawn'],
    /** Everything the provider and DfE see: all but drafts. */
    SENT: ['pending', 'accepted', 'rejected', 'withdrawn'],
    /** One of these per person, NPQ and cohort (the unique index `applications_one_live_key`). */
    HELD: ['pending', 'accepted'],
  },
});

export const APPROVAL_STATUSES = ['not_requested', 'pending', 'approved', 'declined', 'expired'] as const;
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[number];

/**
 * The school's approval through the line manager's emailed link. The applicant may ask again (a fresh
 * link) until it is approved; the sweep expires a link nobody answered (APPROVAL_VALID_DAYS).
 */
export const APPROVAL_WORKFLOW = workflow({
  name: 'school-approval',
  description: 'The school’s approval of an application, answered by the line manager through an emailed link (ADR 0011).',
  states: APPROVAL_STATUSES,
  initial: ['not_requested'],
  events: {
    request: { from: ['not_requested', 'pending', 'declined', 'expired'], to: 'pending' },
    recordApproval: { from: ['not_requested'], to: 'approved' },
    approve: { from: ['pending'], to: 'approved' },
    decline: { from: ['pending'], to: 'declined' },
    expire: { from: ['pending'], to: 'expired' },
    remind: { from: ['pending'], to: null },
  },
  groups: {
    /** Waiting for the line manager. */
    OPEN: ['pending'],
    /** The applicant may send the request (again). */
    ASKABLE: ['not_requested', 'pending', 'declined', 'expired'],
  },
});

export const GATEWAY_STATUSES = ['not_required', 'awaiting_submission', 'submitted', 'passed', 'failed'] as const;
export type GatewayStatus = (typeof GATEWAY_STATUSES)[number];

/** The gateway assessment of an NPQ that has one: the applicant answers, a reviewer scores it (ADR 0011). */
export const GATEWAY_WORKFLOW = workflow({
  name: 'gateway',
  description: 'The gateway assessment, for NPQs that have one: set when the application is sent, answered by the applicant, reviewed against the pass mark.',
  states: GATEWAY_STATUSES,
  initial: ['not_required', 'awaiting_submission'],
  events: {
    saveAnswers: { from: ['awaiting_submission'], to: null },
    submit: { from: ['awaiting_submission'], to: 'submitted' },
    pass: { from: ['submitted'], to: 'passed' },
    fail: { from: ['submitted'], to: 'failed' },
  },
  groups: {
    /** Not finished: an application cannot be accepted yet. */
    UNFINISHED: ['awaiting_submission', 'submitted'],
    /** Reviewed. */
    REVIEWED: ['passed', 'failed'],
    /** Lets the application through to a decision: no gateway, or a gateway passed. */
    CLEARED: ['not_required', 'passed'],
  },
});

export const TRAINING_STATUSES = ['active', 'deferred', 'withdrawn'] as const;
export type TrainingStatus = (typeof TRAINING_STATUSES)[number];

/** The participant's training status once accepted: DfE's active, deferred and withdrawn. */
export const TRAINING_WORKFLOW = workflow({
  name: 'training-status',
  description: 'A participant’s training status, DfE’s `training_status`, from acceptance on. Deferral and withdrawal carry DfE’s reason codes.',
  states: TRAINING_STATUSES,
  initial: ['active'],
  events: {
    defer: { from: ['active'], to: 'deferred' },
    resume: { from: ['deferred'], to: 'active' },
    withdraw: { from: ['active', 'deferred'], to: 'withdrawn' },
    move: { from: ['active', 'deferred'], to: null },
  },
  groups: {
    /** Holding a place in their intake (unless on its waiting list). */
    PLACED: ['active', 'deferred'],
  },
});

/** Every enrolment workflow, for the diagrams. */
export const ENROLMENT_WORKFLOWS: readonly Workflow<string>[] = [APPLICATION_WORKFLOW, APPROVAL_WORKFLOW, GATEWAY_WORKFLOW, TRAINING_WORKFLOW];
