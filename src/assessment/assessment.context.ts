import type { Db } from '../db/client';
import type { Clock } from '../platform/clock';
import { AppError } from '../platform/errors';
import type { FileStore } from '../platform/file-store';

/** What assessment's use cases are built with (src/app.ts gives it). */
export interface AssessmentDeps {
  db: Db;
  clock: Clock;
  /** Where evidence files are kept (project log attachments, board minutes). */
  files: FileStore;
  /** The site's address, for the links emailed to hosts and boards. */
  baseUrl: string;
  providerName: string;
  /** Where a pass's master's credits count (issue 12 item 6; seed 001: the University of Chester's MA). */
  university: { name: string; award: string };
}
export type AssessmentContext = AssessmentDeps;

/** A refusal a participant can act on, said in their words (422, code stable for the API). */
export const refuse = (code: string, message: string, status = 422) => new AppError(code, message, status);
