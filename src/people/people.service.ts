import { verify } from '@node-rs/argon2';
import { bindUseCases } from '../platform/use-cases';
import { acceptInvitation, invitationFor } from './accounts/accept-invitation';
import { changePassword } from './accounts/change-password';
import { completeSecondFactor } from './accounts/complete-second-factor';
import { requestApplicantAccount } from './accounts/request-applicant-account';
import { passwordResetValid, requestPasswordReset, resetPassword } from './accounts/reset-password';
import { beginTwoFactorSetup, confirmTwoFactorSetup } from './accounts/set-up-two-factor';
import { signIn } from './accounts/sign-in';
import { type PeopleDeps, peopleContext } from './people.context';
import { actorForSession, hasTwoFactor } from './sessions/actor-for-session';
import { revokeSession, sessionsOf } from './sessions/revoke-session';
import { signOut } from './sessions/sign-out';
import { assignRole, removeRole } from './staff/assign-role';
import { createUserDirectly } from './staff/create-user-directly';
import { setDeactivated } from './staff/deactivate-account';
import { inviteStaffMember } from './staff/invite-staff-member';
import { countUsers, listUsers, listUsersAfter, userDetails } from './staff/list-users';
import { resendInvitation } from './staff/resend-invitation';

import { decoyHash } from './accounts/credentials';

export { hashPassword } from './accounts/credentials';
export { SecondFactorLockedError } from './accounts/complete-second-factor';
export type { SignInResult } from './accounts/sign-in';
export type { PeopleDeps } from './people.context';
export type { UserListKey } from './people.repository';

/**
 * People's use cases, one file each (accounts/, sessions/, staff/), bound to one context so the
 * routes keep one object to call: every use case of one service shares its deps and its session
 * cache (a change to someone's roles or sessions drops their cached session at once).
 */
export function createPeopleService(deps: PeopleDeps) {
  const ctx = peopleContext(deps, verify);
  // Hashed now, not at the first sign-in for an unknown address, whose answer would then take longer.
  void decoyHash();
  return bindUseCases(ctx, {
    signIn,
    completeSecondFactor,
    beginTwoFactorSetup,
    confirmTwoFactorSetup,
    signOut,
    sessionsOf,
    revokeSession,
    inviteStaff: inviteStaffMember,
    resendInvitation,
    requestApplicantAccount,
    invitationFor,
    acceptInvitation,
    requestPasswordReset,
    passwordResetValid,
    resetPassword,
    changePassword,
    listUsers,
    listUsersAfter,
    userDetails,
    assignRole,
    removeRole,
    setDeactivated,
    actorForSession,
    createUserDirectly,
    hasTwoFactor,
    countUsers,
  });
}

export type PeopleService = ReturnType<typeof createPeopleService>;
