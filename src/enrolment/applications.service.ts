/**
 * Enrolment's use cases assembled into one object, so routes, the API and tests reach them through one
 * dependency. Each use case lives in its own file, named as a verb, in a folder per concept:
 * `applications/`, `school-approval/`, `gateway/`, `participants/`.
 */
import { openIntakesOf } from '../catalogue/catalogue.queries';
import type { Actor } from '../platform/auth/actor';
import { ukDate } from '../platform/clock';
import { requireApplicant } from './authorise';
import { acceptApplication } from './applications/accept-application';
import { checkDraftFunding, intakeModeFor } from './applications/check-draft-funding';
import { createApplicationFromApi } from './applications/create-application-from-api';
import { changeFundedPlace } from './applications/change-funded-place';
import { recordDfeApplication } from './applications/record-dfe-application';
import { recordDfeParticipantIdChange } from './applications/record-dfe-participant-id-change';
import { recordDfeTransfersAway } from './applications/record-dfe-transfer-away';
import { listApplications } from './applications/list-applications';
import { followIntakeChange } from './applications/follow-intake-change';
import { findMyApplication, findMyDraft, listMyApplications } from './applications/my-applications';
import { reopenApplication } from './applications/reopen-application';
import { checkRejection, rejectApplication } from './applications/reject-application';
import { discardDraft, saveAnswers } from './applications/save-answers';
import { showApplication } from './applications/show-application';
import { startDraft } from './applications/start-draft';
import { submitApplication } from './applications/submit-application';
import { withdrawApplication } from './applications/withdraw-application';
import { workplaceOf } from './applications/workplace-of';
import type { ApplicationRow } from './applications/applications.repository';
import { type ApplicationsDeps, createEnrolmentContext } from './enrolment-context';
import { findForReview, gatewayQueue, reviewGateway } from './gateway/review-gateway';
import { allGatewayConfigs } from './gateway/gateway.repository';
import { saveGatewayAnswers } from './gateway/save-gateway-answers';
import { removeGatewayConfig, saveGatewayConfig } from './gateway/save-gateway-config';
import { changeParticipant, checkParticipantChange } from './participants/change-participant';
import { showStatusHistory } from './participants/show-status-history';
import { askApprovalAgain, askSchoolForApproval } from './school-approval/ask-approval-again';
import { decideSchoolApproval, findApprovalByToken, isApplicant } from './school-approval/decide-school-approval';
import { remindAndExpireApprovals } from './school-approval/remind-and-expire-approvals';
import { approvalsAwaitingAddress } from './school-approval/school-approvals.repository';

export { type ApplicationInput, applicationInputSchema, lineManagerErrors } from './applications/application-input';
export type { ApplicationRow, ApplicationSummary, ApplicationsOrder, DecidedApplication, InboxFilter, NewestFirstKey } from './applications/applications.repository';
export type { CohortLabel } from './applications/list-applications';
export type { ApplicationsDeps } from './enrolment-context';
export type { DfeApplicationRecord, DfeApplicationRecorded } from './applications/record-dfe-application';
export type { GatewayConfig } from './gateway/gateway.repository';

/** Every enrolment use case, bound to one context (`deps`); see each file for its rules and refusals. */
export function createApplicationsService(deps: ApplicationsDeps) {
  const ctx = createEnrolmentContext(deps);
  const inbox = listApplications(ctx);
  return {
    gatewayConfig: ctx.gatewayConfig,
    /** Intakes an applicant may choose now: not retired, deadline not passed, with a cohort. */
    openIntakes: (course: string) => openIntakesOf(ctx.db, course, ukDate(ctx.now())),
    intakeById: ctx.intakeById,

    // ── DfE's Lead Provider API (issue 13) ──
    changeFundedPlace: changeFundedPlace(ctx),
    recordDfeApplication: recordDfeApplication(ctx),
    recordDfeParticipantIdChange: recordDfeParticipantIdChange(ctx),
    recordDfeTransfersAway: recordDfeTransfersAway(ctx),

    // ── The applicant ──
    draft: findMyDraft(ctx),
    startDraft: startDraft(ctx),
    saveAnswers: saveAnswers(ctx),
    discardDraft: discardDraft(ctx),
    fundingFor: checkDraftFunding(ctx),
    intakeModeFor: intakeModeFor(ctx),
    submit: submitApplication(ctx),
    myApplications: listMyApplications(ctx),
    mine: findMyApplication(ctx),
    withdrawMine: withdrawApplication(ctx),

    // ── The school's approval, through the emailed link ──
    /** Live applications waiting for the signed-in person's answer as line manager, by their email address. */
    approvalsAwaiting: async (actor: Actor): Promise<ApplicationRow[]> => approvalsAwaitingAddress(ctx.db, requireApplicant(actor).email),
    askApprovalAgain: askApprovalAgain(ctx),
    askSchoolForApproval: askSchoolForApproval(ctx),
    approvalByToken: findApprovalByToken(ctx),
    workplaceOf: (app: ApplicationRow) => workplaceOf(ctx, app),
    isApplicant,
    decideApproval: decideSchoolApproval(ctx),
    remindAndExpireApprovals: remindAndExpireApprovals(ctx),

    // ── The gateway assessment ──
    saveGatewayConfig: saveGatewayConfig(ctx),
    removeGatewayConfig: removeGatewayConfig(ctx),
    listGatewayConfigs: () => allGatewayConfigs(ctx.db),
    saveGatewayAnswers: saveGatewayAnswers(ctx),
    gatewayQueue: gatewayQueue(ctx),
    forReview: findForReview(ctx),
    reviewGateway: reviewGateway(ctx),

    // ── The provider's inbox and decisions ──
    list: inbox.list,
    listAfter: inbox.listAfter,
    listSummaries: inbox.listSummaries,
    listIds: inbox.listIds,
    listIdsInBatches: inbox.listIdsInBatches,
    detail: showApplication(ctx),
    accept: acceptApplication(ctx),
    checkReject: checkRejection(ctx),
    reject: rejectApplication(ctx),
    reopen: reopenApplication(ctx),

    // ── Participants ──
    checkParticipantChange: checkParticipantChange(ctx),
    changeParticipant: changeParticipant(ctx),
    statusHistory: showStatusHistory(ctx),

    // ── API and direct entry ──
    create: createApplicationFromApi(ctx),
    cohortLabels: inbox.cohortLabels,

    // ── Changes elsewhere that the API shows on applications ──
    intakeChanged: followIntakeChange(ctx),
  };
}
export type ApplicationsService = ReturnType<typeof createApplicationsService>;
