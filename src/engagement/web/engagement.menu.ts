import { isProviderAdmin } from '../../platform/auth/actor';
import type { MenuEntry } from '../../platform/navigation';
import { readsEngagement } from '../domain/engagement.policy';

/**
 * Engagement's entry in the service navigation, for those who support participants. The provider
 * admin reaches it from "Delivery" instead: their bar already holds every capability's pages, and one
 * more entry took it to a third row at 1280 px (e2e/header-and-navigation.spec.ts).
 */
export const engagementMenu: MenuEntry[] = [{ href: '/engagement', text: 'Engagement', order: 89, show: (actor) => readsEngagement(actor) && !isProviderAdmin(actor) }];
