import type { MenuEntry } from '../platform/navigation';
import { auditAbilities } from './domain/audit.policy';

/** The audit log's entry in the service navigation. */
export const auditMenu: MenuEntry[] = [{ href: '/admin/audit', text: 'Audit log', order: 130, show: (actor) => auditAbilities(actor).read }];
