import type { MenuEntry } from '../../platform/navigation';
import { readsEngagement } from '../domain/engagement.policy';

/** Engagement's entry in the service navigation: the list, for those who support participants. */
export const engagementMenu: MenuEntry[] = [{ href: '/engagement', text: 'Engagement', order: 89, show: readsEngagement }];
