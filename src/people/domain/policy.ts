/**
 * @deprecated Permissions and the actor's roles live in src/platform/auth/, each capability's rules in
 * its own `domain/<capability>.policy.ts`. This re-export serves enrolment until the model branch
 * gives it its own policy (delete it then, with the import of enrolment's permissions below).
 */
import '../../enrolment/domain/enrolment.permissions';

export { hasRole, isProviderAdmin, ledPartners } from '../../platform/auth/actor';
export { can, type Permission } from '../../platform/auth/permissions';
