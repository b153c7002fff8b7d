import { inArray } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { diagnosticRounds } from './diagnostic.schema';

/**
 * What other capabilities may read of the 360° diagnostic (docs/adr/0029): plain query functions over
 * its tables. Each takes the database or a transaction and only reads. Nothing here reaches raters or
 * their answers.
 */

/** A participant's start or end round as engagement reads it: when it closes (UK day) and whether they sent their own ratings. */
export interface RoundTaken {
  kind: string;
  closesOn: string;
  selfSubmitted: boolean;
}

/** The diagnostic rounds of these places, by enrolment (application) id. */
export async function roundsOfPlaces(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, RoundTaken[]>> {
  const out = new Map<string, RoundTaken[]>();
  if (!enrolmentIds.length) return out;
  const rows = await db
    .select({ enrolmentId: diagnosticRounds.applicationId, kind: diagnosticRounds.kind, closesOn: diagnosticRounds.closesOn, closedEarlyOn: diagnosticRounds.closedEarlyOn, selfSubmitted: diagnosticRounds.selfSubmitted })
    .from(diagnosticRounds)
    .where(inArray(diagnosticRounds.applicationId, [...enrolmentIds]));
  for (const r of rows) out.set(r.enrolmentId, [...(out.get(r.enrolmentId) ?? []), { kind: r.kind, closesOn: r.closedEarlyOn ?? r.closesOn, selfSubmitted: r.selfSubmitted }]);
  return out;
}
