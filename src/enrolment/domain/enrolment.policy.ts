/**
 * Who may do what to which application, in one place: permission (the role), scope (the provider's
 * staff every application, a delivery partner lead their own partners', an applicant their own) and
 * state (the workflows' transition tables) together. Use cases authorise with it; pages render their
 * buttons from `abilitiesFor`; lists narrow with `scopeFilter`. Pure.
 */
import type { Actor } from '../../platform/auth/actor';
import { ledPartners } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { allows, inGroup } from '../../platform/workflow';
// Enrolment's permissions are declared once, before any rule here asks for one.
import './enrolment.permissions';
import { isOwnAddress } from './application';
import { APPLICATION_WORKFLOW, APPROVAL_WORKFLOW, GATEWAY_WORKFLOW, TRAINING_WORKFLOW } from './workflows';

/** What the policy reads of an application: its statuses and whose it is. */
export interface ApplicationFacts {
  status: string;
  approvalStatus: string;
  gatewayStatus: string;
  trainingStatus: string | null;
  reasonForRejection: string | null;
  deliveryPartnerId: string | null;
  userId: string | null;
  email: string;
}

export interface EnrolmentAbilities {
  /** Read it: the provider's staff, a partner lead within their partners, the applicant their own. */
  view: boolean;
  // The provider:
  accept: boolean;
  reject: boolean;
  /** Undo a rejection; not one made because another of the person's applications was accepted. */
  reopen: boolean;
  defer: boolean;
  resume: boolean;
  withdrawParticipant: boolean;
  moveParticipant: boolean;
  /** Any of the four changes to the participant. */
  changeParticipant: boolean;
  /**
   * Read the participant's training-status history on this enrolment (ADR 0036): staff within scope
   * (the provider's, a partner lead their own partners' participants), once accepted.
   */
  viewStatusHistory: boolean;
  reviewGateway: boolean;
  /** Ask the school to approve, or ask again or someone else: until the school approves (an application registered at DfE comes with no approval under way). */
  askSchool: boolean;
  // The applicant, on their own application:
  withdraw: boolean;
  askApproval: boolean;
  answerGateway: boolean;
}

/** Whether `actor` decides applications and changes participants (the provider: `applications:manage`). */
export const mayDecide = (actor: Actor): boolean => can(actor, 'applications:manage');

/** Whether `actor` reviews gateway assessments (`gateway:review`). */
export const mayReviewGateways = (actor: Actor): boolean => can(actor, 'gateway:review');

/**
 * Which applications `actor` may read, as a filter for lists: `{}` every one (the provider's staff),
 * `{ deliveryPartnerIds }` a partner lead's own partners; `null` none (the caller refuses, 403).
 */
export function scopeFilter(actor: Actor): { deliveryPartnerIds?: string[] } | null {
  if (mayDecide(actor)) return {};
  const partners = ledPartners(actor);
  return partners.length ? { deliveryPartnerIds: partners } : null;
}

/** Whether the application is the actor's own (their account, or an address that is theirs). */
export const isOwn = (actor: Actor, app: Pick<ApplicationFacts, 'userId' | 'email'>): boolean =>
  actor.kind === 'user' && actor.fullySignedIn && (actor.userId === app.userId || (app.userId === null && isOwnAddress(actor.email, app.email)));

/** Whether `actor` may read this application at all (see scopeFilter). */
export function mayView(actor: Actor, app: Pick<ApplicationFacts, 'deliveryPartnerId' | 'userId' | 'email'>): boolean {
  if (isOwn(actor, app)) return true;
  const scope = scopeFilter(actor);
  if (!scope) return false;
  return !scope.deliveryPartnerIds || scope.deliveryPartnerIds.includes(app.deliveryPartnerId ?? '');
}

/** Whether `actor` reads the application as staff within their scope (not as its applicant): see scopeFilter. */
function staffMayRead(actor: Actor, app: Pick<ApplicationFacts, 'deliveryPartnerId'>): boolean {
  const scope = scopeFilter(actor);
  return scope !== null && (!scope.deliveryPartnerIds || scope.deliveryPartnerIds.includes(app.deliveryPartnerId ?? ''));
}

/** Everything `actor` may do to `app` now. */
export function abilitiesFor(actor: Actor, app: ApplicationFacts): EnrolmentAbilities {
  const decides = mayDecide(actor);
  const own = actor.kind === 'user' && actor.fullySignedIn && actor.userId === app.userId;
  const participant = decides && app.status === 'accepted';
  const change = (event: keyof typeof TRAINING_WORKFLOW.events) => participant && allows(TRAINING_WORKFLOW, event, app.trainingStatus);
  const abilities = {
    view: mayView(actor, app),
    // Offered only when acceptance can go ahead: the school has approved and the gateway, if any, is passed
    // (decideAcceptance refuses otherwise), so no button leads to a refusal (ADR 0028).
    accept: decides && allows(APPLICATION_WORKFLOW, 'accept', app.status) && app.approvalStatus === 'approved' && inGroup(GATEWAY_WORKFLOW, 'CLEARED', app.gatewayStatus),
    reject: decides && allows(APPLICATION_WORKFLOW, 'reject', app.status),
    reopen: decides && allows(APPLICATION_WORKFLOW, 'reopen', app.status) && app.reasonForRejection !== 'other_application_in_this_cohort_accepted',
    defer: change('defer'),
    resume: change('resume'),
    withdrawParticipant: change('withdraw'),
    moveParticipant: change('move'),
    askSchool: decides && allows(APPLICATION_WORKFLOW, 'askApproval', app.status) && allows(APPROVAL_WORKFLOW, 'request', app.approvalStatus),
    reviewGateway: mayReviewGateways(actor) && allows(APPLICATION_WORKFLOW, 'reviewGateway', app.status) && allows(GATEWAY_WORKFLOW, 'pass', app.gatewayStatus),
    withdraw: own && allows(APPLICATION_WORKFLOW, 'withdraw', app.status),
    askApproval: own && allows(APPLICATION_WORKFLOW, 'askApproval', app.status) && allows(APPROVAL_WORKFLOW, 'request', app.approvalStatus),
    answerGateway: own && allows(APPLICATION_WORKFLOW, 'answerGateway', app.status) && allows(GATEWAY_WORKFLOW, 'submit', app.gatewayStatus),
    viewStatusHistory: app.status === 'accepted' && staffMayRead(actor, app),
  };
  return { ...abilities, changeParticipant: abilities.defer || abilities.resume || abilities.withdrawParticipant || abilities.moveParticipant };
}
