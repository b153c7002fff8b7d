import { describe, expect, it } from 'vitest';
import { AT_RISK_SCORE, acknowledgementOf, newSince, type RiskFacts, riskOf, riskSignalsOf } from './early-warning';

const TODAY = '2026-11-25';
const onTrack: RiskFacts = {
  missedSessions: [],
  overdueWork: [],
  lastSeenOn: '2026-11-24',
  startDate: '2026-09-01',
  coachingEntitledMinutes: 180,
  coachAllocated: true,
  coachingBooked: 1,
  engagement: { percent: 95, thresholdPercent: 90, below: false },
};

describe('early warning signals (issue 11 item 4)', () => {
  it('finds nothing in a participant on track', () => {
    expect(riskSignalsOf(onTrack, TODAY)).toEqual([]);
    expect(riskOf([], undefined)).toEqual({ signals: [], score: 0, atRisk: false, followedUp: false });
  });

  it('weighs each signal, caps the counted ones, and gives its reason, strongest first', () => {
    const signals = riskSignalsOf({ ...onTrack, missedSessions: ['e1', 'e2', 'b1', 'b2'], overdueWork: ['c1m1', 'e2-pre-work'], lastSeenOn: '2026-10-01', coachingBooked: 0, engagement: { percent: 62, thresholdPercent: 90, below: true } }, TODAY);
    expect(signals.map((s) => [s.signal, s.weight, s.amount, s.reason])).toEqual([
      ['missed_sessions', 6, 4, 'Missed 4 sessions without catching up'],
      ['no_sign_in', 5, 2, 'Not signed in for 7 weeks'],
      ['behind_hours', 3, 3, 'Engagement 62%, below the 90% expected'],
      ['overdue_work', 2, 2, '2 pieces of pre-work or modules overdue'],
      ['coaching_not_booked', 2, 1, 'No coaching booked 12 weeks into the programme'],
    ]);
    expect(riskOf(signals, undefined)).toMatchObject({ score: 18, atRisk: true, followedUp: false });
  });

  it('flags at the score, not below it: one missed session alone is not enough', () => {
    const one = riskSignalsOf({ ...onTrack, missedSessions: ['e1'] }, TODAY);
    expect(riskOf(one, undefined).atRisk).toBe(false);
    const twoAndQuiet = riskSignalsOf({ ...onTrack, missedSessions: ['e1'], lastSeenOn: '2026-11-01' }, TODAY);
    expect(riskOf(twoAndQuiet, undefined)).toMatchObject({ score: AT_RISK_SCORE, atRisk: true });
  });

  it('counts weeks without signing in from the start for someone who never signed in, and not before the start', () => {
    expect(riskSignalsOf({ ...onTrack, lastSeenOn: null, startDate: '2026-10-20' }, TODAY)[0]).toMatchObject({ signal: 'no_sign_in', reason: 'Not signed in since the programme started 5 weeks ago', weight: 3 });
    expect(riskSignalsOf({ ...onTrack, lastSeenOn: null, startDate: '2027-01-10', coachingBooked: 0 }, TODAY)).toEqual([]);
    // Coaching is expected booked only after six weeks.
    expect(riskSignalsOf({ ...onTrack, startDate: '2026-10-20', coachingBooked: 0 }, TODAY)).toEqual([]);
    expect(riskSignalsOf({ ...onTrack, coachingEntitledMinutes: 0, coachingBooked: 0 }, TODAY)).toEqual([]);
    // Nor without a coach to book with: that is for the provider to put right.
    expect(riskSignalsOf({ ...onTrack, coachAllocated: false, coachingBooked: 0 }, TODAY)).toEqual([]);
  });

  it('weighs falling behind by how far: 89% of 90% is one, 59% is four', () => {
    const behind = (percent: number) => riskSignalsOf({ ...onTrack, engagement: { percent, thresholdPercent: 90, below: percent < 90 } }, TODAY)[0]?.weight;
    expect([behind(89), behind(80), behind(79), behind(59), behind(0)]).toEqual([1, 1, 2, 4, 4]);
  });

  it('a follow-up clears the flag until a signal is new or grows, then it is back', () => {
    const facts = { ...onTrack, missedSessions: ['e1', 'b1'], lastSeenOn: '2026-11-01' };
    const signals = riskSignalsOf(facts, TODAY);
    const acknowledged = acknowledgementOf(signals);
    expect(riskOf(signals, acknowledged)).toMatchObject({ atRisk: false, followedUp: true, score: 7 });
    // The same a week on: still the same stretch without signing in.
    expect(riskOf(riskSignalsOf(facts, '2026-12-02'), acknowledged).atRisk).toBe(false);
    // Another missed session is new.
    const more = riskSignalsOf({ ...facts, missedSessions: ['e1', 'b1', 'b2'] }, TODAY);
    expect(newSince(more, acknowledged).map((s) => s.signal)).toEqual(['missed_sessions']);
    expect(riskOf(more, acknowledged).atRisk).toBe(true);
    // A signal of a kind the follow-up did not see is new too.
    expect(riskOf(riskSignalsOf({ ...facts, overdueWork: ['c1m1'] }, TODAY), acknowledged).atRisk).toBe(true);
  });

  it('counts as new another session missed in place of one excused since, and a new silence after a sign-in', () => {
    const facts = { ...onTrack, missedSessions: ['e1', 'b2'], lastSeenOn: '2026-11-01' };
    const acknowledged = acknowledgementOf(riskSignalsOf(facts, TODAY));
    // e1 excused since, b1 missed instead: still two, but not the two seen.
    expect(riskOf(riskSignalsOf({ ...facts, missedSessions: ['b2', 'b1'] }, TODAY), acknowledged).atRisk).toBe(true);
    // Signed in on 26 November, then silent again for three weeks: a new silence.
    expect(riskOf(riskSignalsOf({ ...facts, lastSeenOn: '2026-11-26' }, '2026-12-18'), acknowledged).atRisk).toBe(true);
  });

  it('flags nobody not in training, though their signals are still shown', () => {
    const signals = riskSignalsOf({ ...onTrack, missedSessions: ['e1', 'e2', 'b1'] }, TODAY);
    expect(riskOf(signals, undefined, false)).toMatchObject({ atRisk: false, followedUp: false, score: 6 });
  });
});
