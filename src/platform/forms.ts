import { hasVisibleText } from './text';
import { z } from 'zod';
import { parseInput } from './boundary';
import type { FieldErrors } from './errors';
// Every schema's messages, where it gives none of its own, are people's words, not zod's.
import './zod-messages';

export type FormValues = Record<string, string | string[] | undefined>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues };

/** Validates a submitted form with zod; on failure keeps what was typed so the page can show it again. */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.infer<S>> {
  const values = (body && typeof body === 'object' ? body : {}) as FormValues;
  // The API reads its JSON bodies through the same function (src/platform/boundary.ts).
  const parsed = parseInput(schema, values);
  return parsed.ok ? parsed : { ...parsed, values };
}

/** A zod error as one message per field; defined with the parsing layer it belongs to. */
export { fieldErrors } from './boundary';

/**
 * A free-text form field: trimmed, line breaks counted as one character (as govuk-frontend's
 * character count counts them; the platform's form parser already turns CRLF into LF), no NUL, and
 * at most `max` characters, checked before anything is stored. A CharacterCount for the field takes
 * the same `max` as its `maxlength`. Blank is "Enter …" (`missing`) unless optional, when it is "".
 */
export function text(label: string, opts: { max: number; optional?: boolean; missing?: string }) {
  const missing = opts.missing ?? `Enter ${label.toLowerCase()}`;
  const base = z
    .string({ error: (iss) => (iss.input === undefined || iss.input === null ? missing : `${label} must be text`) })
    .overwrite((v) => v.replace(/\r\n?/g, '\n').trim())
    .refine((v) => !v.includes('\0'), `${label} contains a character that is not allowed`)
    // Only zero-width or direction characters: it looks typed, and says nothing.
    .refine((v) => v === '' || hasVisibleText(v), missing)
    .max(opts.max, `${label} must be ${opts.max.toLocaleString('en-GB')} characters or fewer`);
  return opts.optional ? base.default('') : base.min(1, missing);
}

/** Empty form fields arrive as "": treat them as absent. */
export const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

/** One field of a posted form as text: the first value when it was sent twice (a forged or doubled form), '' when absent or not text. */
export const one = (v: unknown): string => (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '');

export const asArray = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null || v === '' ? [] : [String(v)]);

/**
 * A whole number typed into a form: blank is "missing" (or null when optional), anything else must be a
 * number, each with its own message, so "six" is told it is not a number rather than that it is missing.
 */
export function wholeNumber(label: string, opts: { min: number; max: number; optional: true }): z.ZodType<number | null>;
export function wholeNumber(label: string, opts: { min: number; max: number; optional?: false }): z.ZodType<number>;
export function wholeNumber(label: string, opts: { min: number; max: number; optional?: boolean }): z.ZodType<number | null> {
  const number = z
    .number({ error: (iss) => (iss.input === undefined ? `Enter ${label.toLowerCase()}` : `${label} must be a number`) })
    .int(`${label} must be a whole number`)
    .min(opts.min, `${label} must be ${opts.min} or more`)
    .max(opts.max, `${label} must be ${opts.max.toLocaleString('en-GB')} or less`);
  return z.preprocess(
    (v) => {
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) return opts.optional ? null : undefined;
      if (typeof v === 'string') return /^-?\d+(\.\d+)?$/.test(v.trim().replace(/,/g, '')) ? Number(v.trim().replace(/,/g, '')) : v;
      return v;
    },
    opts.optional ? number.nullable() : number,
  );
}
