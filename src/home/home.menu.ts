import { isSignedIn } from '../platform/auth/actor';
import type { MenuEntry } from '../platform/navigation';

/** The home page's entry in the service navigation, for anyone signed in. */
export const homeMenu: MenuEntry[] = [{ href: '/home', text: 'Your account', order: 30, show: isSignedIn }];
