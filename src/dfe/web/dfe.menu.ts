import { isProviderAdmin } from '../../platform/auth/actor';
import type { MenuEntry } from '../../platform/navigation';
import { declarationScope, financeAbilities } from '../domain/dfe.policy';

/**
 * The DfE pages' entries in the service navigation (issue 13 item 7): declarations for whoever reads
 * some (the admin, finance, a delivery partner's lead for their own), finance for the admin and finance.
 * The API's calls and the reconciliation are reached from these pages. Not the provider admin's: their
 * bar is full (two rows at 1280px), and their home lists every DfE page among their tools.
 */
export const dfeMenu: MenuEntry[] = [
  { href: '/admin/dfe/declarations', text: 'DfE declarations', order: 100, show: (actor) => declarationScope(actor) !== null && !isProviderAdmin(actor) },
  { href: '/admin/dfe/finance', text: 'Finance', order: 105, show: (actor) => financeAbilities(actor).read && !isProviderAdmin(actor) },
];
