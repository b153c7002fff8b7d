import { definePermissions, type PermissionsOf } from '../../platform/auth/permissions';

/** Which roles grant each of this capability's permissions (the rule; scope and state are the policy's). */
export const ENROLMENT_PERMISSIONS = definePermissions({
  'applications:manage': ['provider_admin'],
  // Not the assessor: gateway answers name the applicant, and assessors mark blind (issue 12).
  'gateway:review': ['provider_admin'],
  'cohorts:manage': ['provider_admin'],
  'reference:manage': ['provider_admin'],
});
declare module '../../platform/auth/permissions' {
  interface PermissionRegistry extends PermissionsOf<typeof ENROLMENT_PERMISSIONS> {}
}
