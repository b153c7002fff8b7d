import type { MenuEntry } from '../../platform/navigation';
import { can } from '../../platform/auth/permissions';
import { deliversProgrammes } from '../domain/learning.policy';

/** Programme delivery's entries in the service navigation: programmes for the admin; delivery for the admin, partner leads and facilitators. */
export const learningMenu: MenuEntry[] = [
  { href: '/admin/programmes', text: 'Programmes', order: 84, show: (actor) => can(actor, 'learning:manage') },
  { href: '/delivery', text: 'Delivery', order: 85, show: deliversProgrammes },
];
