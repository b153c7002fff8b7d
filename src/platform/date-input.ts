import { Temporal } from '@js-temporal/polyfill';
import { formatDate, type PlainDate } from './clock';

/*
 * Dates people type, the GOV.UK way: three fields (day, month, year) named `<name>-day`, `<name>-month`
 * and `<name>-year`, read by one parser whose messages follow the GOV.UK Design System's date input
 * pattern (https://design-system.service.gov.uk/components/date-input/). The page renders them with
 * `DateField` (src/platform/date-field.tsx), which keeps what was typed and marks the fields at fault.
 */

export type DatePart = 'day' | 'month' | 'year';
export const DATE_PARTS: readonly DatePart[] = ['day', 'month', 'year'];

/** What was typed into a date's three fields, as typed (trimmed); '' for a field left empty. */
export type DateInputValues = Record<DatePart, string>;

/** A date's rules: what it is called in messages and where it must fall. */
export interface DateRules {
  /** What the date is, lower case, as GOV.UK's messages name it: "the date it opens". */
  label: string;
  /** Whether it may be left empty (then the result is null). */
  optional?: boolean;
  /** The date must be after this one (or the same, when `orSame`): `text` names it, "the start date" or a date. */
  after?: { date: PlainDate; text?: string; orSame?: boolean } | undefined;
  /** The date must be before this one (or the same, when `orSame`). */
  before?: { date: PlainDate; text?: string; orSame?: boolean } | undefined;
}

export type DateResult = { ok: true; date: PlainDate | null } | { ok: false; message: string; parts: DatePart[] };

const MONTH_NAMES = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The three fields of the date called `name` in a submitted form or query string. */
export function dateInputValues(body: unknown, name: string): DateInputValues {
  const source = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const read = (part: DatePart) => {
    const v = source[`${name}-${part}`];
    return (Array.isArray(v) ? String(v[0] ?? '') : typeof v === 'string' ? v : '').trim().slice(0, 20);
  };
  return { day: read('day'), month: read('month'), year: read('year') };
}

/** The fields of a stored date, to fill a form with it: `{ 'opensOn-day': '18', … }`. */
export function dateInputFields(name: string, date: PlainDate | null | undefined): Record<string, string> {
  if (!date) return {};
  const d = Temporal.PlainDate.from(date);
  return { [`${name}-day`]: String(d.day), [`${name}-month`]: String(d.month), [`${name}-year`]: String(d.year) };
}

/** Whether all three fields were left empty. */
export const dateInputEmpty = (v: DateInputValues): boolean => !v.day && !v.month && !v.year;

const dayNumber = (s: string) => (/^\d{1,2}$/.test(s) ? Number(s) : null);
/** A month as a number, or as a name or its first three letters ("Jan", "june"), as GOV.UK advises accepting. */
function monthNumber(s: string): number | null {
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const word = s.toLowerCase().replace(/\.$/, '');
  const i = word.length >= 3 ? MONTH_NAMES.findIndex((m) => m === word || m.slice(0, 3) === word) : -1;
  return i >= 0 ? i + 1 : null;
}

/**
 * The fields at fault in what was typed: those left empty or not a number (a year must have 4 digits).
 * Empty when each field holds a number: a problem then lies with the date as a whole.
 */
export function datePartsAtFault(v: DateInputValues): DatePart[] {
  if (dateInputEmpty(v)) return [...DATE_PARTS];
  const faults: DatePart[] = [];
  if (dayNumber(v.day) === null) faults.push('day');
  if (monthNumber(v.month) === null) faults.push('month');
  if (!/^\d{4}$/.test(v.year)) faults.push('year');
  return faults;
}

const joinParts = (parts: DatePart[]) => (parts.length === 1 ? parts[0]! : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`);

/**
 * Reads a typed date and checks it against its rules.
 * Returns the date as YYYY-MM-DD (null when optional and empty), or GOV.UK's message and the fields at fault:
 * "Enter the date it opens", "The date it opens must include a month", "Year must include 4 numbers",
 * "The date it opens must be a real date", "The date it closes must be after 18 January 2027".
 */
export function parseDateInput(v: DateInputValues, rules: DateRules): DateResult {
  const { label } = rules;
  if (dateInputEmpty(v)) return rules.optional ? { ok: true, date: null } : { ok: false, message: `Enter ${label}`, parts: [...DATE_PARTS] };
  const missing = DATE_PARTS.filter((p) => !v[p]);
  if (missing.length) return { ok: false, message: `${sentence(label)} must include a ${joinParts(missing)}`, parts: missing };
  if (/^\d{1,3}$/.test(v.year) || /^\d{5,}$/.test(v.year)) return { ok: false, message: 'Year must include 4 numbers', parts: ['year'] };
  const faults = datePartsAtFault(v);
  if (faults.length) return { ok: false, message: `${sentence(label)} must be a real date`, parts: faults };
  let date: PlainDate;
  try {
    date = Temporal.PlainDate.from({ year: Number(v.year), month: monthNumber(v.month)!, day: dayNumber(v.day)! }, { overflow: 'reject' }).toString();
  } catch {
    return { ok: false, message: `${sentence(label)} must be a real date`, parts: [...DATE_PARTS] };
  }
  if (Number(v.year) < 1900) return { ok: false, message: `${sentence(label)} must be a real date`, parts: ['year'] };
  const { after, before } = rules;
  if (after && (after.orSame ? date < after.date : date <= after.date)) {
    return { ok: false, message: `${sentence(label)} must be ${after.orSame ? 'the same as or after' : 'after'} ${after.text ?? formatDate(after.date)}`, parts: [...DATE_PARTS] };
  }
  if (before && (before.orSame ? date > before.date : date >= before.date)) {
    return { ok: false, message: `${sentence(label)} must be ${before.orSame ? 'the same as or before' : 'before'} ${before.text ?? formatDate(before.date)}`, parts: [...DATE_PARTS] };
  }
  return { ok: true, date };
}

/**
 * The id the error summary links to for a date with a problem: its first field at fault
 * (`opensOn-month` when only the month is missing), or its day field when the date as a whole is wrong.
 */
export function dateErrorTarget(name: string, v: DateInputValues): string {
  return `${name}-${datePartsAtFault(v)[0] ?? 'day'}`;
}

/**
 * Reads several dates of one form: each typed date's value (YYYY-MM-DD, or undefined when empty or
 * refused), GOV.UK's message for each refused one, and where the error summary should link for it.
 * The form's other fields are checked as usual, with the dates put in their place.
 */
export function readDateFields<N extends string>(body: unknown, rules: Record<N, DateRules>): { dates: Record<N, PlainDate | undefined>; errors: Record<string, string>; targets: Record<string, string> } {
  const dates = {} as Record<N, PlainDate | undefined>;
  const errors: Record<string, string> = {};
  const targets: Record<string, string> = {};
  for (const name of Object.keys(rules) as N[]) {
    const typed = dateInputValues(body, name);
    const result = parseDateInput(typed, rules[name]);
    dates[name] = result.ok ? (result.date ?? undefined) : undefined;
    if (!result.ok) errors[name] = result.message;
    targets[name] = dateErrorTarget(name, typed);
  }
  return { dates, errors, targets };
}
