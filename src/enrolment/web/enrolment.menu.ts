import { ledPartners } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import type { MenuEntry } from '../../platform/navigation';
import '../domain/enrolment.permissions';

/** Enrolment's entries in the service navigation (its policy, when written, decides `show`). */
export const enrolmentMenu: MenuEntry[] = [
  { href: '/admin/applications', text: 'Applications', order: 60, show: (actor) => can(actor, 'applications:manage') || ledPartners(actor).length > 0 },
  { href: '/admin/gateway', text: 'Gateway', order: 70, show: (actor) => can(actor, 'gateway:review') },
  { href: '/admin/interest', text: 'Interest', order: 80, show: (actor) => can(actor, 'applications:manage') },
  { href: '/admin/cohorts', text: 'Cohorts', order: 110, show: (actor) => can(actor, 'cohorts:manage') },
  { href: '/admin/reference', text: 'Reference data', order: 120, show: (actor) => can(actor, 'reference:manage') },
];
