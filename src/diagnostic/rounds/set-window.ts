import { and, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { cohortByIdentifier, cohortIdentifiers, enrolmentIdsInCohortQuery } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { isPlainDate } from '../../platform/clock';
import { ForbiddenError, ValidationError } from '../../platform/errors';
import { type DiagnosticContext, roundDatesChanged } from '../diagnostic.context';
import { diagnosticRounds, diagnosticWindows } from '../diagnostic.schema';
import { diagnosticAbilities } from '../domain/diagnostic.policy';
import { authoriseManager } from '../setup/save-settings';
import { ROUND_KINDS } from './round-state';

/** Every cohort's round dates, by cohort identifier then kind; for those who may see cohorts (ForbiddenError else). */
export async function windows(ctx: DiagnosticContext, actor: Actor) {
  if (!diagnosticAbilities(actor).viewCohorts) throw new ForbiddenError();
  const [rows, names] = await Promise.all([ctx.db.select().from(diagnosticWindows), cohortIdentifiers(ctx.db)]);
  return rows
    .map((window) => ({ window, cohort: names.get(window.cohortId)! }))
    .filter((w) => w.cohort !== undefined)
    .sort((a, b) => (a.cohort === b.cohort ? (a.window.kind < b.window.kind ? -1 : 1) : a.cohort < b.cohort ? -1 : 1));
}

/**
 * Sets when a cohort's round opens and closes (ValidationError per field). A later closing date extends
 * every round of the cohort not yet closed; a round already closed stays closed, as its report may have been read.
 */
export async function setWindow(ctx: DiagnosticContext, actor: Actor, input: { cohort: string; kind: string; opensOn: string; closesOn: string }): Promise<void> {
  authoriseManager(actor);
  const errors: Record<string, string> = {};
  const kind = ROUND_KINDS.find((k) => k === input.kind);
  if (!kind) errors.kind = 'Select start or end';
  if (!isPlainDate(input.opensOn)) errors.opensOn = 'Enter the date it opens';
  if (!isPlainDate(input.closesOn)) errors.closesOn = 'Enter the date it closes';
  else if (input.closesOn < input.opensOn) errors.closesOn = 'The date it closes must be the same as or after the date it opens';
  const cohort = await cohortByIdentifier(ctx.db, input.cohort);
  if (!cohort) errors.cohort = 'Select a cohort';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(diagnosticWindows)
      .values({ cohortId: cohort!.id, kind: kind!, opensOn: input.opensOn, closesOn: input.closesOn })
      .onConflictDoUpdate({ target: [diagnosticWindows.cohortId, diagnosticWindows.kind], set: { opensOn: input.opensOn, closesOn: input.closesOn } });
    await tx
      .update(diagnosticRounds)
      .set({ closesOn: input.closesOn })
      .where(
        and(
          eq(diagnosticRounds.kind, kind!),
          gte(diagnosticRounds.closesOn, ctx.today()),
          isNull(diagnosticRounds.closedEarlyOn),
          sql`${diagnosticRounds.closesOn} < ${input.closesOn}`,
          // A subquery, not a list: a cohort can hold more ids than a statement takes parameters.
          inArray(diagnosticRounds.applicationId, enrolmentIdsInCohortQuery(tx, cohort!.id)),
        ),
      );
    await audit(tx, ctx.clock, actor, { action: 'diagnostic.window_set', entityType: 'cohort', entityId: cohort!.id, after: input });
  });
  await roundDatesChanged(ctx);
}
