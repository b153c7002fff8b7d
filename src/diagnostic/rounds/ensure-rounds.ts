import { inArray } from 'drizzle-orm';
import { participantsInTraining } from '../../enrolment/enrolment.queries';
import { type DiagnosticContext, instrument, settings } from '../diagnostic.context';
import { diagnosticRounds, diagnosticWindows } from '../diagnostic.schema';

/**
 * Makes the rounds that participants' cohort dates call for (never twice), for one user or one
 * cohort; each keeps the instrument version current when it was made, and takes the anonymity
 * settings of the day (which follow the provider's changes until the round opens). Participants not
 * in training (withdrawn) get none.
 */
export async function ensureRounds(ctx: DiagnosticContext, which: { userId: string } | { cohortId: string }): Promise<void> {
  const participants = await participantsInTraining(ctx.db, which);
  if (!participants.length) return;
  const windows = await ctx.db
    .select()
    .from(diagnosticWindows)
    .where(inArray(diagnosticWindows.cohortId, [...new Set(participants.map((p) => p.cohortId))]));
  const due = participants.flatMap((p) => windows.filter((w) => w.cohortId === p.cohortId).map((window) => ({ enrolmentId: p.enrolmentId, window })));
  if (!due.length) return;
  const [{ version }, s] = await Promise.all([instrument(ctx), settings(ctx)]);
  // A thousand rows a statement: a cohort's rounds at once would pass the 65,535 parameters a statement takes.
  for (let i = 0; i < due.length; i += ROWS_PER_INSERT) await insertRounds(due.slice(i, i + ROWS_PER_INSERT));
  async function insertRounds(batch: typeof due) {
    await ctx.db
    .insert(diagnosticRounds)
    .values(
      batch.map((m) => ({
        applicationId: m.enrolmentId,
        kind: m.window.kind,
        instrumentVersion: version,
        opensOn: m.window.opensOn,
        closesOn: m.window.closesOn,
        anonymityThreshold: s.threshold,
        namedGroups: s.namedGroups,
        createdAt: ctx.clock.now(),
      })),
    )
    .onConflictDoNothing();
  }
}

const ROWS_PER_INSERT = 1_000;
