import type { Db } from '../db/client';
import type { Clock } from '../platform/clock';

/** What feedback's use cases are built with (src/app.ts gives it). */
export interface FeedbackDeps {
  db: Db;
  clock: Clock;
}
export type FeedbackContext = FeedbackDeps;
