import type { Clock } from './clock';
import type { Notifier } from './notifier';

/**
 * The version of the data behind kept pages (PersonalPages) that move with time as well as with
 * changes: it moves on every message heard on `channels` (from any process: docs/adr/0031) and at
 * the start of each whole minute of `clock`. Sessions start, modules are released and days begin on
 * whole minutes in every zone, so a page kept within one minute shows what a fresh one would.
 * Read it before reading the data (a change heard meanwhile leaves the page behind at once).
 */
export function minuteVersion(notifier: Pick<Notifier, 'subscribe'>, channels: readonly string[], clock: Clock): () => string {
  let changes = 0;
  for (const channel of channels) notifier.subscribe(channel, () => void changes++);
  return () => `${changes} ${Math.floor(clock.now().getTime() / 60_000)}`;
}

/** Pages kept per person (docs/adr/0050): the notifier their changes are told on, the clock, and whether to keep them at all (KEPT_PAGES). */
export interface KeptPages {
  notifier: Pick<Notifier, 'subscribe'>;
  clock: Clock;
  on: boolean;
}
