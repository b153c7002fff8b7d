import { describe, expect, it } from 'vitest';
import { componentInputSchema, formatDuration, formatRange, qualificationInputSchema } from './qualification';

const valid = {
  identifier: 'npq-headship',
  shortName: 'NPQH',
  name: 'NPQ for Headship',
  kind: 'leadership',
  durationMonthsMin: '12',
  durationMonthsMax: '18',
  weeklyStudyHoursMin: '',
  weeklyStudyHoursMax: '',
  personalTutor: 'yes',
  learningThemes: 'culture\n\nteaching\n',
  deliveryModes: 'distance',
};

describe('qualification input', () => {
  it('reads a form as the admin filled it in', () => {
    const q = qualificationInputSchema.parse(valid);
    expect(q.durationMonthsMax).toBe(18);
    expect(q.weeklyStudyHoursMin).toBeNull();
    expect(q.personalTutor).toBe(true);
    expect(q.coaching).toBe(false);
    expect(q.learningThemes).toEqual(['culture', 'teaching']);
    expect(q.deliveryModes).toEqual(['distance']);
  });

  it('explains what is wrong with each field', () => {
    const messages = (input: object) =>
      Object.fromEntries((qualificationInputSchema.safeParse(input).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
    const fields = messages({ ...valid, identifier: 'NPQ H', kind: 'x' });
    expect(fields.identifier).toMatch(/lower-case/);
    expect(fields.kind).toBe('Select the kind of NPQ');
    // Checks across fields follow once each field is right on its own.
    expect(messages({ ...valid, durationMonthsMax: '6' }).durationMonthsMax).toMatch(/same as or more/);
  });
});

describe('component input', () => {
  it('reads events with their agendas from blocks of lines', () => {
    const c = componentInputSchema.parse({
      kind: 'events',
      title: 'Events',
      guidedLearningHours: '40',
      items: 'Event 1: Induction\nOutcomes\nSupport\n\nEvent 2: Strategy\nVision',
    });
    expect(c.items).toEqual([
      { title: 'Event 1: Induction', points: ['Outcomes', 'Support'] },
      { title: 'Event 2: Strategy', points: ['Vision'] },
    ]);
  });
  it('accepts quarter hours only', () => {
    expect(componentInputSchema.safeParse({ kind: 'coaching', title: 'C', guidedLearningHours: '1.25', items: '' }).success).toBe(true);
    expect(componentInputSchema.safeParse({ kind: 'coaching', title: 'C', guidedLearningHours: '1.3', items: '' }).success).toBe(false);
  });
});

it('formats durations and ranges for people', () => {
  expect(formatDuration(12, 15)).toBe('12–15 months');
  expect(formatDuration(18, 18)).toBe('18 months');
  expect(formatRange(1, 2, 'hours')).toBe('1 to 2 hours');
  expect(formatRange(null, null, 'hours')).toBeNull();
});

it('tells a missing number from one that is not a number', () => {
  const issues = (input: object) => Object.fromEntries((qualificationInputSchema.safeParse(input).error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
  expect(issues({ ...valid, durationMonthsMax: 'six' }).durationMonthsMax).toBe('Longest duration in months must be a number');
  expect(issues({ ...valid, durationMonthsMax: '' }).durationMonthsMax).toBe('Enter longest duration in months');
  expect(issues({ ...valid, durationMonthsMax: '12.5' }).durationMonthsMax).toBe('Longest duration in months must be a whole number');
  expect(issues({ ...valid, faceToFaceDays: '' }).faceToFaceDays).toBeUndefined();
});
