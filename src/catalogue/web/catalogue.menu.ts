import type { MenuEntry } from '../../platform/navigation';
import { catalogueAbilities } from '../domain/catalogue.policy';

/** The catalogue's entries in the service navigation: browsing for everyone, managing for its admins. */
export const catalogueMenu: MenuEntry[] = [
  { href: '/qualifications', text: 'Qualifications', order: 10, show: () => true },
  { href: '/qualifications/compare', text: 'Compare', order: 20, show: () => true },
  { href: '/admin/catalogue', text: 'Catalogue', order: 50, show: (actor) => catalogueAbilities(actor).manage },
];
