import { describe, expect, it } from 'vitest';
import { type Activity, atRisk, canVoid, DEFAULT_DECLARATION_RULES, declarationsDue, milestoneOf, milestoneStanding, type PlaceEvidence, voidedBlocks } from './declarations';

const at = (iso: string) => new Date(iso);
const activities = (n: number, from = '2025-03-03'): Activity[] =>
  Array.from({ length: n }, (_, i) => {
    const d = new Date(`${from}T10:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 7 * i);
    return { at: d, summary: `Session ${i + 1}` };
  });
const place = (over: Partial<PlaceEvidence> = {}): PlaceEvidence => ({ courseIdentifier: 'npq-headship', cohort: '2025a', schedule: 'npq-leadership-spring', trainingStatus: 'active', withdrawnAt: null, activities: [], outcome: null, ...over });
const rules = { retained1Activities: 3, retained2Activities: 5 };
const now = at('2026-11-30T12:00:00Z');

describe('declarations due from evidence (issue 13 item 3)', () => {
  it('proposes nothing without evidence, and started on the first piece, dated by it', () => {
    expect(declarationsDue(place(), rules, now)).toEqual([]);
    const due = declarationsDue(place({ activities: activities(1) }), rules, now);
    expect(due).toEqual([{ type: 'started', date: at('2025-03-03T10:00:00Z'), summary: 'Session 1 (the first evidence of taking part)', hasPassed: null }]);
  });

  it('proposes each retention once the provider’s count of evidence is held, dated by the piece that made the count', () => {
    const due = declarationsDue(place({ activities: activities(5).reverse() }), rules, now);
    expect(due.map((d) => [d.type, d.date.toISOString().slice(0, 10)])).toEqual([
      ['started', '2025-03-03'],
      ['retained-1', '2025-03-17'],
      ['retained-2', '2025-03-31'],
    ]);
    expect(declarationsDue(place({ activities: activities(4) }), rules, now).map((d) => d.type)).toEqual(['started', 'retained-1']);
  });

  it('follows the schedule’s types: a specialist NPQ has no retained-2, and its completed follows retained-1', () => {
    const due = declarationsDue(place({ courseIdentifier: 'npq-leading-literacy', schedule: 'npq-specialist-spring', activities: activities(5), outcome: { state: 'passed', completionDate: '2026-06-30' } }), rules, now);
    expect(due.map((d) => d.type)).toEqual(['started', 'retained-1', 'completed']);
    expect(due.at(-1)).toMatchObject({ hasPassed: true, date: at('2026-06-30T12:00:00Z') });
  });

  it('proposes completed from a failed outcome with has_passed false, and never out of order', () => {
    const failed = declarationsDue(place({ activities: activities(5), outcome: { state: 'failed', completionDate: '2026-06-30' } }), rules, now);
    expect(failed.at(-1)).toMatchObject({ type: 'completed', hasPassed: false });
    // An outcome without retention evidence waits for it: DfE reads declarations in order.
    expect(declarationsDue(place({ activities: activities(1), outcome: { state: 'passed', completionDate: '2026-06-30' } }), rules, now).map((d) => d.type)).toEqual(['started']);
  });

  it('dates evidence before the schedule starts at its start (DfE refuses earlier), and never after now', () => {
    const early = declarationsDue(place({ activities: [{ at: at('2025-01-10T09:00:00Z'), summary: 'Induction' }] }), rules, now);
    expect(early[0]!.date).toEqual(at('2025-02-01T00:00:00Z'));
    expect(declarationsDue(place({ activities: activities(1, '2027-01-04') }), rules, now)).toEqual([]);
    expect(declarationsDue(place({ activities: activities(5), outcome: { state: 'passed', completionDate: '2026-12-25' } }), rules, now).map((d) => d.type)).not.toContain('completed');
  });

  it('proposes nothing whose date, moved to the schedule’s start, would fall after a withdrawal or in the future (the break-it review)', () => {
    const autumn = { cohort: '2026b', schedule: 'npq-leadership-autumn', activities: [{ at: at('2026-07-20T10:00:00Z'), summary: 'Induction' }] };
    expect(declarationsDue(place({ ...autumn, trainingStatus: 'withdrawn', withdrawnAt: at('2026-07-25T10:00:00Z') }), rules, at('2026-12-01T10:00:00Z'))).toEqual([]);
    expect(declarationsDue(place(autumn), rules, at('2026-07-25T10:00:00Z'))).toEqual([]);
    expect(declarationsDue(place(autumn), rules, at('2026-08-02T10:00:00Z')).map((d) => d.date)).toEqual([at('2026-08-01T00:00:00Z')]);
  });

  it('proposes nothing while deferred, and after a withdrawal counts only the evidence before it', () => {
    expect(declarationsDue(place({ trainingStatus: 'deferred', activities: activities(5) }), rules, now)).toEqual([]);
    const withdrawn = declarationsDue(place({ trainingStatus: 'withdrawn', withdrawnAt: at('2025-03-17T10:00:00Z'), activities: activities(5) }), rules, now);
    expect(withdrawn.map((d) => d.type)).toEqual(['started']);
  });

  it('proposes nothing without a schedule, and uses the default rules when the provider set none', () => {
    expect(declarationsDue(place({ schedule: null, activities: activities(5) }), rules, now)).toEqual([]);
    expect(declarationsDue(place({ activities: activities(6) }), DEFAULT_DECLARATION_RULES, now).map((d) => d.type)).toEqual(['started', 'retained-1']);
  });
});

describe('milestones (docs/dfe-api.md §2.3)', () => {
  it('gives DfE’s published dates per cohort, season and course group, and none where DfE published none', () => {
    expect(milestoneOf('npq-headship', '2025a', 'npq-leadership-spring', 'started')).toEqual({ milestoneDate: '2025-05-30', paymentDate: '2025-06-25' });
    expect(milestoneOf('npq-headship', '2025a', 'npq-leadership-spring', 'completed')?.milestoneDate).toBe('2027-02-25');
    expect(milestoneOf('npq-leading-literacy', '2025a', 'npq-specialist-spring', 'completed')?.milestoneDate).toBe('2026-08-21');
    expect(milestoneOf('npq-headship', '2024a', 'npq-leadership-autumn', 'retained-2')?.milestoneDate).toBe('2026-01-24');
    expect(milestoneOf('npq-headship', '2026b', 'npq-leadership-autumn', 'started')).toBeNull();
  });

  it('counts an unsent declaration at risk from 14 days before its milestone, and after it', () => {
    const milestone = { milestoneDate: '2026-12-14', paymentDate: '2027-01-25' };
    expect(atRisk(milestone, '2026-11-29')).toBe(false);
    expect(atRisk(milestone, '2026-11-30')).toBe(true);
    expect(atRisk(milestone, '2027-01-01')).toBe(true);
    expect(atRisk(null, '2027-01-01')).toBe(false);
  });

  it('tells a milestone near from one missed: the milestone day itself is still near, the day after missed', () => {
    const milestone = { milestoneDate: '2025-05-30', paymentDate: '2025-06-25' };
    expect(milestoneStanding(milestone, '2025-05-01')).toBe('ahead');
    expect(milestoneStanding(milestone, '2025-05-16')).toBe('near');
    expect(milestoneStanding(milestone, '2025-05-30')).toBe('near');
    expect(milestoneStanding(milestone, '2025-05-31')).toBe('missed');
    // The demo's today: 18 months on, missed, not "at risk".
    expect(milestoneStanding(milestone, '2026-12-03')).toBe('missed');
    expect(milestoneStanding(null, '2026-12-03')).toBe('none');
  });
});

describe('a voided declaration and the evidence', () => {
  const voided = [{ declarationType: 'started', declarationDate: at('2025-03-03T10:00:00Z') }];
  it('is not proposed again from the same evidence (same type and date)', () => {
    expect(voidedBlocks(voided, { type: 'started', date: at('2025-03-03T10:00:00Z') })).toBe(true);
  });
  it('is proposed again when the evidence changes its date, and blocks no other type', () => {
    expect(voidedBlocks(voided, { type: 'started', date: at('2025-03-10T10:00:00Z') })).toBe(false);
    expect(voidedBlocks(voided, { type: 'retained-1', date: at('2025-03-03T10:00:00Z') })).toBe(false);
    expect(voidedBlocks([], { type: 'started', date: at('2025-03-03T10:00:00Z') })).toBe(false);
  });
});

describe('voiding (docs/dfe-api.md §2.7)', () => {
  it('is open for a sent declaration DfE can void or claw back, once', () => {
    const sent = { state: 'sent' as const, voidRequestedAt: null };
    for (const s of ['submitted', 'eligible', 'payable', 'ineligible', 'paid']) expect(canVoid({ ...sent, dfeState: s })).toBe(true);
    for (const s of ['voided', 'awaiting-clawback', 'clawed-back', null]) expect(canVoid({ ...sent, dfeState: s })).toBe(false);
    expect(canVoid({ ...sent, dfeState: 'eligible', voidRequestedAt: new Date() })).toBe(false);
    expect(canVoid({ state: 'proposed', dfeState: null, voidRequestedAt: null })).toBe(false);
  });
});
