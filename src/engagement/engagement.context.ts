import type { Db } from '../db/client';
import type { Clock } from '../platform/clock';
import type { Notifier } from '../platform/notifier';

/** What engagement's use cases are built with (src/app.ts gives it). */
export interface EngagementDeps {
  db: Db;
  clock: Clock;
  /** Tells every process when the nightly run has written everyone's figures (ENGAGEMENT_CHANNEL). */
  notifier?: Pick<Notifier, 'publish'> | undefined;
}
export type EngagementContext = EngagementDeps;

/**
 * The channel the nightly run tells on: the lists kept per person are dropped (docs/adr/0050). One
 * participant's figures computed afresh are not told: a kept list is at most a minute behind them.
 */
export const ENGAGEMENT_CHANNEL = 'engagement';
/** What the kept lists show changes with: everyone's figures, places (names, status) and the catalogue (NPQs, intakes, partners). */
export const ENGAGEMENT_PAGE_CHANNELS = [ENGAGEMENT_CHANNEL, 'applications', 'catalogue'] as const;
