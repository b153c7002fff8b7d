import type { MenuEntry } from '../../platform/navigation';
import { deliversProgrammes } from '../domain/learning.policy';

/** Programme delivery's entry in the service navigation: for the admin, partner leads and facilitators. */
export const learningMenu: MenuEntry[] = [{ href: '/delivery', text: 'Delivery', order: 85, show: deliversProgrammes }];
