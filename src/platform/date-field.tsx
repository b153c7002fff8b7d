import { DateInput } from '../ui/govuk';
import { DATE_PARTS, datePartsAtFault, dateInputValues } from './date-input';

/**
 * A date a person types, as GOV.UK asks for one: a fieldset of day, month and year fields named
 * `<name>-day`, `<name>-month`, `<name>-year` (ids the same), read back with `parseDateInput`.
 * `values` is what was submitted (or `dateInputFields` of a stored date), so a refused date keeps what
 * was typed; with an error, the fields at fault are marked (all three when the date as a whole is wrong).
 */
export function DateField(p: { name: string; /** The fields' ids, when one page has the same date more than once; the name otherwise. */ id?: string; legend: string; hint?: string | undefined; values?: Record<string, unknown> | undefined; error?: string | undefined; legendClasses?: string }) {
  const typed = dateInputValues(p.values, p.name);
  const faults = p.error ? datePartsAtFault(typed) : [];
  const marked = faults.length ? faults : p.error ? DATE_PARTS : [];
  const item = (part: 'day' | 'month' | 'year') => ({
    name: part,
    value: typed[part],
    classes: part === 'year' ? 'govuk-input--width-4' : 'govuk-input--width-2',
    error: marked.includes(part),
  });
  return (
    <DateInput
      id={p.id ?? p.name}
      namePrefix={p.name}
      fieldset={{ legend: { text: p.legend, classes: p.legendClasses ?? 'govuk-fieldset__legend--s' } }}
      hint={p.hint ? { text: p.hint } : undefined}
      errorMessage={p.error ? { text: p.error } : undefined}
      items={[item('day'), item('month'), item('year')]}
    />
  );
}
