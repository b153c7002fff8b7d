import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { fieldErrors, text } from './forms';
import { labelOf, whenMissing } from './zod-messages';

/** zod's own English: none of it may reach a person or an API client. */
const ZOD_DEFAULTS = /expected|Invalid input|Too big|Too small|Invalid (string|option|email|UUID)|received/;

const schema = z.object({
  lineManagerName: z.string().trim().min(1).max(200),
  line_manager_email: z.email(),
  cohort: z.enum(['2026a', '2027a']),
  hours: z.number().int().min(1).max(500),
  courses: z.array(z.string()).min(1).max(3),
  id: z.uuid(),
  urn: z.string().regex(/^\d{6}$/),
  agreed: z.literal('yes'),
  either: z.union([z.string(), z.number()]),
  strict: z.strictObject({ a: z.string() }),
  name: z.string({ error: whenMissing('Enter their name') }).trim().min(1, 'Enter their name').max(200),
  comment: text('Your comment', { max: 2000, optional: true }),
});

const wrong: Record<string, unknown>[] = [
  {},
  { lineManagerName: 'x'.repeat(10_000), line_manager_email: 'no', cohort: 'x', hours: 1e9, courses: ['a', 'b', 'c', 'd'], id: 'not-a-uuid', urn: 'abc', agreed: 'no', either: {}, strict: { a: 'x', b: 1 }, name: 'x'.repeat(10_000), comment: 'x'.repeat(2001) },
  { lineManagerName: ['a', 'b'], line_manager_email: { a: 1 }, cohort: ['2026a'], hours: 'six', courses: 'a', id: 5, urn: null, agreed: true, either: null, strict: 'x', name: { a: 1 }, comment: ['a'] },
  { lineManagerName: '', hours: 0, courses: [], name: '   ' },
];

describe('messages when a value is refused', () => {
  it.each(wrong.map((w, i) => [i, w] as const))('never use zod’s own words (case %i)', (_i, values) => {
    const result = schema.safeParse(values);
    expect(result.success).toBe(false);
    if (result.success) return;
    const messages = Object.values(fieldErrors(result.error));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).not.toMatch(ZOD_DEFAULTS);
  });

  it('says a too-long value is too long, naming the field, and a missing one "Enter …"', () => {
    const tooLong = schema.safeParse(wrong[1]);
    const errors = fieldErrors(tooLong.error!);
    expect(errors.lineManagerName).toBe('Line manager name must be 200 characters or fewer');
    expect(errors.name).toBe('Name must be 200 characters or fewer');
    expect(errors.comment).toBe('Your comment must be 2,000 characters or fewer');
    expect(errors.hours).toBe('Hours must be 500 or less');
    const missing = fieldErrors(schema.safeParse({}).error!);
    expect(missing.name).toBe('Enter their name');
    expect(missing.lineManagerName).toBe('Enter line manager name');
    expect(missing.cohort).toBe('Select cohort');
  });

  it('counts a line break as one character, as the page does, and refuses NUL', () => {
    const comment = text('Your comment', { max: 10 });
    expect(comment.parse('  a\r\nb\r\nc  ')).toBe('a\nb\nc');
    expect(comment.safeParse('12345\r\n1234').success).toBe(true);
    expect(comment.safeParse('a\u0000b').error?.issues[0]?.message).toBe('Your comment contains a character that is not allowed');
    expect(comment.safeParse('').error?.issues[0]?.message).toBe('Enter your comment');
  });

  it('names a field from its key', () => {
    expect(labelOf(['line_manager_name'])).toBe('Line manager name');
    expect(labelOf(['answers', 0, 'approverName'])).toBe('Approver name');
    expect(labelOf([])).toBe('The answer');
  });
});
