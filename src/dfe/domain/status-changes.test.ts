import { describe, expect, it } from 'vitest';
import { dfeTrainingStatusOf, inMadeOrder, STATUS_CHANGES, statusChangeBody, statusChangeKindOf } from './status-changes';

describe('status changes as DfE takes them', () => {
  it('names the course and, for a deferral or withdrawal, DfE’s reason', () => {
    expect(statusChangeBody('defer', 'npq-headship', 'parental-leave')).toEqual({ data: { type: 'participant-defer', attributes: { course_identifier: 'npq-headship', reason: 'parental-leave' } } });
    expect(statusChangeBody('withdraw', 'npq-senco', 'personal-reason-other')).toEqual({ data: { type: 'participant-withdraw', attributes: { course_identifier: 'npq-senco', reason: 'personal-reason-other' } } });
  });

  it('sends no reason with a resume, even when the platform kept one', () => {
    expect(statusChangeBody('resume', 'npq-headship', 'other')).toEqual({ data: { type: 'participant-resume', attributes: { course_identifier: 'npq-headship' } } });
  });

  it('leads each change to the status DfE then shows', () => {
    expect(Object.fromEntries(Object.entries(STATUS_CHANGES).map(([k, v]) => [k, v.to]))).toEqual({ defer: 'deferred', resume: 'active', withdraw: 'withdrawn' });
  });

  it('reads the status of one application from a participant holding two', () => {
    const record = { data: { attributes: { npq_enrolments: [ { npq_application_id: 'a1', training_status: 'withdrawn' }, { npq_application_id: 'a2', training_status: 'deferred' } ] } } };
    expect(dfeTrainingStatusOf(record, 'a2')).toBe('deferred');
    expect(dfeTrainingStatusOf(record, 'a3')).toBeUndefined();
    expect(dfeTrainingStatusOf(null, 'a1')).toBeUndefined();
  });

  it('tells DfE of a move to deferred or withdrawn, and of a move back to active, but not of the acceptance', () => {
    expect(statusChangeKindOf(null, 'active')).toBeNull();
    expect(statusChangeKindOf('active', 'deferred')).toBe('defer');
    expect(statusChangeKindOf('deferred', 'withdrawn')).toBe('withdraw');
    expect(statusChangeKindOf('withdrawn', 'active')).toBe('resume');
    expect(statusChangeKindOf('deferred', 'active')).toBe('resume');
    expect(statusChangeKindOf('active', 'active')).toBeNull();
  });
});

describe('the order the changes were made in', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 1, 9, 0, 0, ms));
  it('follows time, and where two changes share an instant, the chain from one status to the next', () => {
    const history = [
      { id: 'resume', fromStatus: 'deferred', toStatus: 'active', changedAt: at(5) },
      { id: 'accept', fromStatus: null, toStatus: 'active', changedAt: at(0) },
      { id: 'defer', fromStatus: 'active', toStatus: 'deferred', changedAt: at(5) },
      { id: 'withdraw', fromStatus: 'active', toStatus: 'withdrawn', changedAt: at(9) },
    ];
    expect(inMadeOrder(history).map((h) => h.id)).toEqual(['accept', 'defer', 'resume', 'withdraw']);
    expect(inMadeOrder([...history].reverse()).map((h) => h.id)).toEqual(['accept', 'defer', 'resume', 'withdraw']);
  });
});
