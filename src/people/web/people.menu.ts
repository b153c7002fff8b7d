import { isSignedIn } from '../../platform/auth/actor';
import type { MenuEntry } from '../../platform/navigation';
import { peopleAbilities } from '../domain/people.policy';

/** People's entries in the service navigation: the users list for those who manage people, and signing in. */
export const peopleMenu: MenuEntry[] = [
  { href: '/admin/users', text: 'Users', order: 40, show: (actor) => peopleAbilities(actor).manageUsers },
  { href: '/sign-in', text: 'Sign in', order: 140, show: (actor) => !isSignedIn(actor) },
];
