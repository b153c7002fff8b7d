import { and, eq, isNull } from 'drizzle-orm';
import { latestOutcomesOf } from '../../assessment/assessment.queries';
import type { Db } from '../../db/client';
import { placesAtDfe } from '../../enrolment/enrolment.queries';
import { type Clock, ukDate } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeDeclarations } from '../dfe.schema';
import { hasOutcomes } from '../domain/dfe-reference-data';

/** DfE's body for an outcome (POST /participants/npq/{id}/outcomes; docs/dfe-api.md §3, DfE's document's ParticipantOutcomeRequest). */
export const outcomeBody = (courseIdentifier: string, state: 'passed' | 'failed', completionDate: string) => ({ data: { type: 'npq-outcome-confirmation', attributes: { course_identifier: courseIdentifier, state, completion_date: completionDate } } });

/** What a run of sending outcomes did: outcomes DfE now has, those it refused (DfE's words kept on the declaration), and completed declarations whose outcome the platform voided, for the admin to void. */
export interface OutcomeRun {
  sent: number;
  refused: number;
  voidedHere: number;
}

/**
 * Tells DfE of outcomes that changed after the `completed` declaration carried the first (issue 13
 * item 2: "send outcomes from assessment"; docs/dfe-api.md §3): a review of marking that turned a fail
 * into a pass, or the other way. For each sent, unvoided `completed` declaration on an NPQ with
 * outcomes whose released outcome (its state or its completion date) differs from what DfE was last
 * told — the outcome last sent or refused, else the `has_passed` the declaration carried on its date —
 * DfE is sent the outcome with its completion date (one refused is not sent again until it changes); DfE answers a repeat with the record it has (same state and date, or a pass
 * after a pass), so a send whose answer was lost is safe to send again. On DfE's 200 the declaration
 * keeps the new `has_passed`. An outcome voided in the platform is not sent (DfE takes no voided
 * outcome: the declaration must be voided) — the declaration is noted for the admin to void. DfE's
 * refusal is kept on the declaration in its words. No answer: left for the next run.
 */
export async function sendChangedOutcomes(deps: { db: Db; clock: Clock; client: DfeClient }): Promise<OutcomeRun> {
  const { db, clock, client } = deps;
  const run: OutcomeRun = { sent: 0, refused: 0, voidedHere: 0 };
  const completed = await db
    .select()
    .from(dfeDeclarations)
    .where(and(eq(dfeDeclarations.declarationType, 'completed'), eq(dfeDeclarations.state, 'sent'), isNull(dfeDeclarations.voidedAt), isNull(dfeDeclarations.voidRequestedAt)));
  if (!completed.length) return run;
  const ids = completed.map((d) => d.applicationId);
  const [outcomes, places] = await Promise.all([latestOutcomesOf(db, clock.now(), ids), placesAtDfe(db, { enrolmentIds: ids })]);
  const placeOf = new Map(places.map((p) => [p.enrolmentId, p]));
  for (const d of completed) {
    const place = placeOf.get(d.applicationId);
    if (!place || !hasOutcomes(place.courseIdentifier)) continue;
    const outcome = outcomes.get(d.applicationId);
    if (!outcome) {
      const note = 'The outcome this declaration carried was voided in the platform: DfE takes no voided outcome, so void this declaration (DfE then voids its outcome: docs/dfe-api.md §2.7).';
      if ((d.answer as { note?: string } | null)?.note !== note) {
        await db.update(dfeDeclarations).set({ answer: { note }, updatedAt: clock.now() }).where(eq(dfeDeclarations.id, d.id));
        run.voidedHere++;
      }
      continue;
    }
    // What DfE was last told: the outcome last sent (or refused), else what the declaration carried, dated by it.
    const told = (d.answer as { outcome?: { state: string; completionDate: string } } | null)?.outcome ?? { state: d.hasPassed ? 'passed' : 'failed', completionDate: ukDate(d.declarationDate) };
    if (told.state === outcome.state && told.completionDate === outcome.completionDate) continue;
    const sent = { state: outcome.state, completionDate: outcome.completionDate };
    const answer = await client.send('POST', `/api/v3/participants/npq/${encodeURIComponent(place.dfeParticipantId)}/outcomes`, outcomeBody(place.courseIdentifier, outcome.state, outcome.completionDate), 'send an outcome');
    if (answer.status === 200) {
      await db.update(dfeDeclarations).set({ hasPassed: outcome.state === 'passed', answer: { note: `DfE has the outcome: ${outcome.state} on ${outcome.completionDate}.`, outcome: sent }, updatedAt: clock.now() }).where(eq(dfeDeclarations.id, d.id));
      run.sent++;
    } else if (answer.status === 422 || answer.status === 404) {
      // Kept with what was refused, so the same is not sent again every run; a changed outcome is.
      await db.update(dfeDeclarations).set({ answer: { ...(answer.body as object), outcome: sent }, updatedAt: clock.now() }).where(eq(dfeDeclarations.id, d.id));
      run.refused++;
    }
  }
  return run;
}

