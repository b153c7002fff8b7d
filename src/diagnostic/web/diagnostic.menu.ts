import type { MenuEntry } from '../../platform/navigation';
import { diagnosticAbilities } from '../domain/diagnostic.policy';

/** The 360°'s entries in the service navigation: running it, or (for partners' staff) their cohorts' view. */
export const diagnosticMenu: MenuEntry[] = [
  { href: '/admin/diagnostic', text: '360°', order: 90, show: (actor) => diagnosticAbilities(actor).manage },
  {
    href: '/admin/diagnostic/cohorts',
    text: '360° cohorts',
    order: 100,
    // Those who run the 360° reach the cohorts from its own page.
    show: (actor) => !diagnosticAbilities(actor).manage && diagnosticAbilities(actor).viewCohorts,
  },
];
