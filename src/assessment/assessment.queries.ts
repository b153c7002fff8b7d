import { and, desc, inArray, lte } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { participantOutcomes } from './assessment.schema';

/*
 * What other capabilities may read of assessment (docs/adr/0029): plain query functions over its
 * tables. Each takes the database or a transaction and only reads.
 */

/**
 * The latest outcome out by `now` (released: issue 12 item 6) of each of these places, by enrolment id
 * (the application's), when it is a pass or a fail: a voided latest outcome, or none, leaves the place
 * out. `completionDate` is a UK date. What DfE's `completed` declaration and `has_passed` follow.
 */
export async function latestOutcomesOf(db: Executor, now: Date, enrolmentIds: readonly string[]): Promise<Map<string, { state: 'passed' | 'failed'; completionDate: string }>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db
    .selectDistinctOn([participantOutcomes.enrolmentId], { enrolmentId: participantOutcomes.enrolmentId, state: participantOutcomes.state, completionDate: participantOutcomes.completionDate })
    .from(participantOutcomes)
    .where(and(inArray(participantOutcomes.enrolmentId, [...enrolmentIds]), lte(participantOutcomes.outAt, now)))
    .orderBy(participantOutcomes.enrolmentId, desc(participantOutcomes.seq));
  const out = new Map<string, { state: 'passed' | 'failed'; completionDate: string }>();
  for (const r of rows) if (r.state === 'passed' || r.state === 'failed') out.set(r.enrolmentId, { state: r.state, completionDate: r.completionDate });
  return out;
}
