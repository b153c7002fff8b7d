/**
 * The last place of an intake (issue 9, ADR 0027): moves take the lock acceptances take (the cohort's row,
 * applicationForDecision), so two moves at once, or a move beside an acceptance, never both take the one
 * free place of an intake with no waiting list. Run on
 * PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/intake-capacity.test.ts
 */
import { describe, expect, it } from 'vitest';
import { and, count, eq } from 'drizzle-orm';
import { useTestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';
import { enrolments } from './enrolment.schema';
import { anEnteredApplication } from './applications/an-entered-application';

const t = useTestApp();
const f = factoriesFor(t);

describe('the last place of an intake', () => {
  it('goes to one of two participants moved into it at once', async () => {
    // A race: three rounds, so that one of them shows it.
    for (let round = 0; round < 3; round++) {
      const full = await f.anIntake({ capacity: 1, waitingList: false });
      const from = await f.anIntake();
      const movers = [await f.aParticipant({ intakeId: from.id }), await f.aParticipant({ intakeId: from.id })];

      const results = await Promise.allSettled(movers.map((p) => t.services.applications.changeParticipant(setUp, p.application.id, 'move', { intakeId: full.id })));

      const [placed] = await t.database.db
        .select({ n: count() })
        .from(enrolments)
        .where(and(eq(enrolments.intakeId, full.id), eq(enrolments.onWaitingList, false)));
      // Was on PostgreSQL: 2 placed in an intake of capacity 1, both moves answered as done.
      expect(placed!.n, results.map((r) => r.status).join(',')).toBe(1);
    }
  });

  it('goes to one of a participant moved into it and an application accepted into it at once', async () => {
    const placedIn = async (intakeId: string) =>
      (await t.database.db.select({ n: count() }).from(enrolments).where(and(eq(enrolments.intakeId, intakeId), eq(enrolments.onWaitingList, false))))[0]!.n;
    for (let round = 0; round < 3; round++) {
      const full = await f.anIntake({ capacity: 1, waitingList: false });
      const from = await f.anIntake();
      const mover = await f.aParticipant({ intakeId: from.id });
      const { application: entered } = await t.services.applications.create(
        setUp,
        anEnteredApplication({ email: `last.place.${round}@school.test`, teacher_reference_number: `55${round}0001`, course_identifier: 'npq-senior-leadership', intake_id: from.id }),
      );

      const results = await Promise.allSettled([t.services.applications.changeParticipant(setUp, mover.application.id, 'move', { intakeId: full.id }), t.services.applications.accept(setUp, entered.id, { intakeId: full.id })]);

      expect(await placedIn(full.id), results.map((r) => (r.status === 'fulfilled' ? r.status : (r.reason as Error).message)).join(',')).toBe(1);
    }
  });
});
