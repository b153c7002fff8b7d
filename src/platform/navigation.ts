import type { ServiceNavigationItem } from '../ui/govuk';
import type { Actor } from './auth/actor';

/**
 * One entry of the service navigation, contributed by the capability whose pages it leads to.
 * `order` places it among everyone's entries (lower first), so the bar reads the same whichever
 * capability loaded first; `show` says whom it is for (from the capability's policy).
 */
export interface MenuEntry {
  href: string;
  text: string;
  order: number;
  show: (actor: Actor) => boolean;
}

const ENTRIES = new Map<string, MenuEntry>();

/** Adds a capability's entries to the service navigation; contributing the same address again replaces it. */
export function contributeMenu(entries: readonly MenuEntry[]): void {
  for (const entry of entries) ENTRIES.set(entry.href, entry);
}

/** The service navigation a person sees: what their roles let them reach, nothing more. */
export function navigationFor(actor: Actor, path: string): ServiceNavigationItem[] {
  return [...ENTRIES.values()]
    .sort((a, b) => a.order - b.order)
    .filter((i) => i.show(actor))
    .map((i) => ({
      href: i.href,
      text: i.text,
      active: i.href === path || (i.href !== '/qualifications' && path.startsWith(`${i.href}/`)) || (i.href === '/qualifications' && path.startsWith('/qualifications/') && !path.startsWith('/qualifications/compare')),
    }));
}
