import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { coachingBookings, coachingSlots } from '../coaching/coaching.schema';
import { desc } from 'drizzle-orm';
import { diagnosticInstruments, diagnosticRounds } from '../diagnostic/diagnostic.schema';
import { placesByEnrolment } from '../enrolment/enrolment.queries';
import { factoriesFor } from '../testing/factories';
import { useTestApp } from '../testing/test-app';
import { engagementOfPlaces } from './engagement.compute';

/**
 * The one place engagement is computed, on a real database: an NPQH place with coaching held and a
 * 360° round sent, weighed by what the catalogue says NPQH's coaching (3 hours) and diagnostic
 * (32 hours) are worth (seed 001).
 */
const t = useTestApp();
const f = factoriesFor(t);
let enrolmentId: string;

beforeAll(async () => {
  // An NPQH intake starting 1 February 2027; the clock is moved on to 1 August 2027 below.
  const intake = await f.anIntake({ course: 'npq-headship' });
  const a = await f.anAcceptedApplication({ course: 'npq-headship', intakeId: intake.id });
  enrolmentId = a.application.id;
  const coach = await f.aStaffMember({ role: 'coach', name: 'Cora Coach' });
  const [slot] = await t.database.db.insert(coachingSlots).values({ coachUserId: coach.userId, startsAt: new Date('2026-10-01T15:00:00Z'), minutes: 60, mode: 'online', joinUrl: 'https://meet.example/c' }).returning();
  await t.database.db.insert(coachingBookings).values({ slotId: slot!.id, enrolmentId, coachUserId: coach.userId, status: 'held', heldMinutes: 55, bookedAt: new Date('2026-09-20T10:00:00Z'), calendarUid: randomUUID() });
  const [instrument] = await t.database.db.select({ version: diagnosticInstruments.version }).from(diagnosticInstruments).orderBy(desc(diagnosticInstruments.version)).limit(1);
  await t.database.db.insert(diagnosticRounds).values({ applicationId: enrolmentId, kind: 'start', instrumentVersion: instrument!.version, opensOn: '2027-02-01', closesOn: '2027-03-01', selfSubmitted: true });
  t.clock.set('2027-08-01T09:00:00Z');
});

describe('engagementOfPlaces', () => {
  it('counts coaching held and the diagnostic round sent, against what is expected by today', async () => {
    const places = await placesByEnrolment(t.database.db, [enrolmentId]);
    const [{ engagement }] = (await engagementOfPlaces(t.database.db, t.clock.now(), places)) as [Awaited<ReturnType<typeof engagementOfPlaces>>[number]];
    const coaching = engagement.components.find((c) => c.component === 'coaching');
    // 180 minutes spread over NPQH's shortest duration from 1 February; half a year in, part of it is expected.
    expect(coaching?.evidencedMinutes).toBe(55);
    expect(coaching?.expectedMinutes).toBeGreaterThan(0);
    expect(coaching?.expectedMinutes).toBeLessThan(180);
    // Half of 32 hours for the start round, closed and sent.
    expect(engagement.components.find((c) => c.component === 'diagnostic')).toEqual({ component: 'diagnostic', expectedMinutes: 960, evidencedMinutes: 960 });
    expect(engagement.thresholdPercent).toBe(90);
  });
});
