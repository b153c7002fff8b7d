import { describe, expect, it } from 'vitest';
import type { Actor } from '../../platform/auth/actor';
import type { RoleAssignment } from '../../people/domain/roles';
import { type ApplicationFacts, abilitiesFor, scopeFilter } from './enrolment.policy';

const person = (userId: string, roles: RoleAssignment[] = [], fullySignedIn = true): Actor => ({ kind: 'user', userId, sessionId: 's', name: userId, email: `${userId}@school.test`, roles, fullySignedIn });
const admin = person('admin', [{ role: 'provider_admin', scopeType: 'provider', scopeId: null }]);
const lead = person('lead', [{ role: 'delivery_partner_lead', scopeType: 'delivery_partner', scopeId: 'north' }]);
const assessor = person('assessor', [{ role: 'assessor', scopeType: 'provider', scopeId: null }]);
const applicant = person('ada');
const stranger = person('bob');

const application = (facts: Partial<ApplicationFacts> = {}): ApplicationFacts => ({
  status: 'pending',
  approvalStatus: 'pending',
  gatewayStatus: 'not_required',
  trainingStatus: null,
  reasonForRejection: null,
  deliveryPartnerId: 'north',
  userId: 'ada',
  email: 'ada@school.test',
  ...facts,
});

const granted = (actor: Actor, facts: Partial<ApplicationFacts> = {}) =>
  Object.entries(abilitiesFor(actor, application(facts)))
    .filter(([, yes]) => yes)
    .map(([ability]) => ability)
    .sort();

describe('enrolment’s policy', () => {
  it('lets the provider decide a pending application, and the applicant withdraw it and ask their school again', () => {
    // Accepting waits for the school's approval and a passed gateway: the button never leads to a refusal.
    // Until the school approves, the provider may ask it (again, or someone else).
    expect(granted(admin)).toEqual(['askSchool', 'reject', 'view']);
    expect(granted(admin, { approvalStatus: 'not_requested' })).toEqual(['askSchool', 'reject', 'view']);
    expect(granted(admin, { approvalStatus: 'approved' })).toEqual(['accept', 'reject', 'view']);
    expect(granted(admin, { approvalStatus: 'approved', gatewayStatus: 'submitted' })).toEqual(['reject', 'reviewGateway', 'view']);
    expect(granted(admin, { approvalStatus: 'approved', gatewayStatus: 'passed' })).toEqual(['accept', 'reject', 'view']);
    expect(granted(applicant)).toEqual(['askApproval', 'view', 'withdraw']);
    expect(granted(stranger)).toEqual([]);
    expect(granted(lead)).toEqual(['view']);
    expect(granted(lead, { deliveryPartnerId: 'south' })).toEqual([]);
  });

  it('follows the state: nothing to decide once decided, a rejection undone unless another was accepted', () => {
    expect(granted(admin, { status: 'rejected', reasonForRejection: 'No places' })).toEqual(['reopen', 'view']);
    expect(granted(admin, { status: 'rejected', reasonForRejection: 'other_application_in_this_cohort_accepted' })).toEqual(['view']);
    expect(granted(applicant, { status: 'withdrawn' })).toEqual(['view']);
    expect(granted(applicant, { approvalStatus: 'approved' })).toEqual(['view', 'withdraw']);
  });

  it('changes a participant as the training-status table allows', () => {
    expect(granted(admin, { status: 'accepted', trainingStatus: 'active' })).toEqual(['changeParticipant', 'defer', 'moveParticipant', 'view', 'viewStatusHistory', 'withdrawParticipant']);
    expect(granted(admin, { status: 'accepted', trainingStatus: 'deferred' })).toEqual(['changeParticipant', 'moveParticipant', 'resume', 'view', 'viewStatusHistory', 'withdrawParticipant']);
    expect(granted(admin, { status: 'accepted', trainingStatus: 'withdrawn' })).toEqual(['view', 'viewStatusHistory']);
  });

  it('shows a participant’s status history to staff within scope: a delivery partner lead only their own partners’ participants', () => {
    const participant = { status: 'accepted', trainingStatus: 'deferred' } as const;
    expect(granted(lead, participant)).toEqual(['view', 'viewStatusHistory']);
    expect(granted(lead, { ...participant, deliveryPartnerId: 'south' })).toEqual([]);
    expect(granted(lead, { ...participant, deliveryPartnerId: null })).toEqual([]);
    // The staff page: not the participant's own (their status is on their own application page), nor an assessor's.
    expect(granted(applicant, participant)).toEqual(['view']);
    expect(granted(assessor, participant)).toEqual([]);
    // Before acceptance there is no enrolment, so no history.
    expect(granted(admin, { status: 'pending' })).not.toContain('viewStatusHistory');
  });

  it('gives the gateway to its reviewer once sent, and to the applicant while it waits for answers', () => {
    expect(granted(admin, { gatewayStatus: 'submitted' })).toContain('reviewGateway');
    expect(granted(admin, { gatewayStatus: 'submitted', status: 'withdrawn' })).not.toContain('reviewGateway');
    // Not an assessor: gateway answers name the applicant, and assessors mark blind (issue 12).
    expect(granted(assessor, { gatewayStatus: 'submitted' })).toEqual([]);
    expect(granted(applicant, { gatewayStatus: 'awaiting_submission' })).toEqual(['answerGateway', 'askApproval', 'view', 'withdraw']);
  });

  it('asks for the second factor before anything', () => {
    expect(granted(person('ada', [], false))).toEqual([]);
  });

  it('narrows lists to what the reader may see', () => {
    expect(scopeFilter(admin)).toEqual({});
    expect(scopeFilter(lead)).toEqual({ deliveryPartnerIds: ['north'] });
    expect(scopeFilter(applicant)).toBeNull();
  });
});
