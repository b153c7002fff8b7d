import type { Services } from '../app';
import type { Db } from '../db/client';
import { accountByEmail } from '../people/people.queries';
import type { Actor } from '../platform/auth/actor';
import { system } from '../platform/auth/actor';
import { addDays, type Clock, fixedClock, instantIn, ukDate } from '../platform/clock';

const PARTICIPANT = 'participant@demo.npq.test';
const COACH = 'coach@demo.npq.test';

/**
 * The coaching demo (issue 11 item 7): the demo coach, Cora, coaches and tutors the demo participant
 * on their NPQH place. Their first session, three weeks ago, was held (55 minutes) with notes and
 * agreed actions; the second, a week ago, waits for Cora to record it; Cora offers an online hour
 * every week from the day after tomorrow at 16:00 UK time for eight weeks, and 45 minutes in person on
 * four weeks from the day after. Pat wrote to Cora as their tutor four days ago, and Cora answered.
 * The past is written through the same use cases with the clock set back, so it is what the pages
 * would have made. Dates are relative to `clock`. Does nothing once Pat has a coach, or without Pat's
 * NPQH place or Cora's account.
 */
export async function loadCoachingDemo(db: Db, services: Services, clock: Clock): Promise<void> {
  const [pat, cora] = await Promise.all([accountByEmail(db, PARTICIPANT), accountByEmail(db, COACH)]);
  const place = pat ? (await services.applications.list(system('demo'), { query: PARTICIPANT }, 1)).rows.find((r) => r.courseIdentifier === 'npq-headship' && r.status === 'accepted') : undefined;
  if (!pat || !cora || !place) return;
  const admin = system('demo');
  const list = await services.coaching.allocationsList(admin, { q: PARTICIPANT }, { limit: 5, offset: 0 });
  if (list.rows.some((r) => r.coachUserId)) return;
  await services.coaching.saveAllocations(admin, [
    { enrolmentId: place.id, kind: 'coach', coachUserId: cora.id },
    { enrolmentId: place.id, kind: 'tutor', coachUserId: cora.id },
  ]);
  const asCora: Actor = { kind: 'user', userId: cora.id, sessionId: 'demo', name: 'Cora Coach', email: COACH, roles: [{ role: 'coach', scopeType: 'provider', scopeId: null }], fullySignedIn: true };
  const asPat: Actor = { kind: 'user', userId: pat.id, sessionId: 'demo', name: 'Pat Participant', email: PARTICIPANT, roles: [], fullySignedIn: true };
  const today = ukDate(clock.now());

  // Three weeks ago: the first session, published, booked, held and recorded.
  const firstDay = addDays(today, -21);
  const past = fixedClock(instantIn(addDays(firstDay, -7), '09:00', 'Europe/London')!);
  const then = services.coaching.atTime(past);
  await then.publishSlots(asCora, { date: firstDay, time: '16:00', minutes: '60', weeks: '3', mode: 'online', joinUrl: 'https://meet.example.com/cora-coach', location: '' });
  const [first, , third] = (await then.mySlots(asCora)).slots;
  if (!first || !third) return;
  const held = await then.bookSlot(asPat, place.id, first.id);
  past.set(new Date(first.startsAt.getTime() + 70 * 60_000));
  await then.recordSession(asCora, held, {
    outcome: 'held',
    heldMinutes: '55',
    privateNotes: 'Pat is anxious about leading the staff meeting on the curriculum change. Come back to delegation.',
    agreedActions: 'Pat: draft the staff meeting agenda for the curriculum change and share it with the deputy.\nPat: read “Leading change” in the handbook before the next session.',
  });
  // A week ago: the second, booked and held but not yet recorded (Cora's "To record").
  await then.bookSlot(asPat, place.id, third.id);

  // Messages (issue 11 item 2): four days ago Pat asked their tutor about the staff meeting; Cora answered the next morning, which Pat has not read yet.
  past.set(instantIn(addDays(today, -4), '19:12', 'Europe/London')!);
  const question = await then.sendMessage(asPat, place.id, 'participant', 'Hello Cora,\n\nI have drafted the agenda for the staff meeting on the curriculum change. Could you look at whether the timings are realistic before I share it with the deputy?\n\nPat');
  past.set(instantIn(addDays(today, -3), '08:40', 'Europe/London')!);
  await then.sendMessage(asCora, place.id, 'support', 'Thanks Pat. Twenty minutes for questions is tight for a change this size: try thirty, and cut the update on the budget, which can go by email. Bring the final version to our next session.', undefined, question);

  // From now on: free times, an online hour weekly and 45 minutes in person.
  await services.coaching.publishSlots(asCora, { date: addDays(today, 2), time: '16:00', minutes: '60', weeks: '8', mode: 'online', joinUrl: 'https://meet.example.com/cora-coach', location: '' });
  await services.coaching.publishSlots(asCora, { date: addDays(today, 3), time: '10:00', minutes: '45', weeks: '4', mode: 'in_person', joinUrl: '', location: 'Birmingham Regional Training Centre, Room 4' });
}
