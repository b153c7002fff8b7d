import type { Db } from '../db/client';
import type { Clock } from '../platform/clock';

/** What engagement's use cases are built with (src/app.ts gives it). */
export interface EngagementDeps {
  db: Db;
  clock: Clock;
}
export type EngagementContext = EngagementDeps;
