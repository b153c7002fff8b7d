/**
 * Two places freed in one intake at once (issue 9, ADR 0027; two participants withdrawn by two requests)
 * go to two people on the waiting list: promoteFromWaitingList counts and picks under the cohort's lock
 * (changeParticipant takes it first, applicationForDecision). Without it each transaction saw one free
 * place and the same longest-waiting person, promoted (and emailed) twice. Run on
 * PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/waiting-list.test.ts
 */
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { deliverEvents, outboxTo, useTestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';
import { enrolments } from './enrolment.schema';

const t = useTestApp();
const f = factoriesFor(t);

describe('two places freed at once', () => {
  it('go to the two people waiting longest, each told once', async () => {
    // A race: three intakes, so that one of them shows it.
    for (let round = 0; round < 3; round++) {
      const intake = await f.anIntake({ capacity: 2, waitingList: true });
      const placed = [await f.aParticipant({ intakeId: intake.id }), await f.aParticipant({ intakeId: intake.id })];
      t.clock.advance(60_000);
      const firstWaiting = await f.aParticipant({ intakeId: intake.id });
      t.clock.advance(60_000);
      const secondWaiting = await f.aParticipant({ intakeId: intake.id });
      expect([firstWaiting.application.onWaitingList, secondWaiting.application.onWaitingList]).toEqual([true, true]);

      await Promise.all(placed.map((p) => t.services.applications.changeParticipant(setUp, p.application.id, 'withdraw', { reason: 'other' })));

      await deliverEvents(t);
      const told = async (email: string) => (await outboxTo(t, email)).filter((m) => m.subject === 'You have a place on your NPQ');
      const waiting = await t.database.db.select({ id: enrolments.applicationId, onWaitingList: enrolments.onWaitingList }).from(enrolments).where(eq(enrolments.intakeId, intake.id));
      // Was on PostgreSQL: the second person stayed waiting while a place is free.
      expect(waiting.filter((a) => a.onWaitingList)).toEqual([]);
      // Was on PostgreSQL: the first person was told twice.
      expect((await told(firstWaiting.email)).length).toBe(1);
      expect((await told(secondWaiting.email)).length).toBe(1);
    }
  });
});
