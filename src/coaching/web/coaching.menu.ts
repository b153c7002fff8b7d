import type { MenuEntry } from '../../platform/navigation';
import { allocatesCoaches, coaches, supportsParticipants } from '../domain/coaching.policy';

/** Coaching's entries in the service navigation: a coach's own page; allocating coaches for the admin and partner leads. */
export const coachingMenu: MenuEntry[] = [
  { href: '/coaching', text: 'Coaching', order: 86, show: coaches },
  { href: '/coaching/allocations', text: 'Coaches and tutors', order: 87, show: allocatesCoaches },
  { href: '/messages', text: 'Messages', order: 88, show: supportsParticipants },
];
