/**
 * A list page's filters offered as selects (FilterChoice): reading them from the query string
 * (chosenFilters), rendering them (FilterSelect), and what the page shows when nothing matches
 * (EmptyList). Every list page with selects uses these: the inbox, expressions of interest, users,
 * the audit log and the public qualifications.
 */
import { Button, Select } from '../ui/govuk';
import type { FieldErrors } from './errors';

/**
 * A filter of a list page offered as a select: the select's `id` (where its error links to), the query
 * parameter `name` it sends, its `label`, and the `items` it offers (the "any" item's value is '').
 */
export interface FilterChoice {
  id: string;
  name: string;
  label: string;
  items: readonly { value: string; text: string }[];
}

/**
 * The value of each filter in `query` that its select offers (undefined when not chosen or not
 * offered), and an error by select id for each value it does not offer: a link from an old bookmark,
 * a retired NPQ, a value typed into the address. Such a filter is left out, so the list shows what
 * the select shows ("Any …"), and the page says so next to the select, never in silence.
 */
export function chosenFilters<N extends string>(query: Record<string, string | undefined>, choices: readonly (FilterChoice & { name: N })[]): { values: Partial<Record<N, string>>; errors: FieldErrors | undefined } {
  const values: Partial<Record<N, string>> = {};
  const errors: FieldErrors = {};
  for (const choice of choices) {
    const asked = query[choice.name];
    if (!asked) continue;
    if (choice.items.some((item) => item.value === asked)) values[choice.name] = asked;
    else {
      // Cut on whole characters: a cut through a character of two UTF-16 units shows as "�".
      const characters = [...asked];
      const shown = characters.length > 40 ? `${characters.slice(0, 40).join('')}…` : asked;
      errors[choice.id] = `${choice.label}: “${shown}” is not one of the choices, so the results are not filtered by it. Choose one from the list`;
    }
  }
  return { values, errors: Object.keys(errors).length ? errors : undefined };
}

/**
 * A list page's filter as a GOV.UK select: `choice`'s items with `value` selected, and the error
 * `chosenFilters` gave its id, if any, shown next to it.
 */
export function FilterSelect({ choice, value, errors }: { choice: FilterChoice; value: string | undefined; errors: FieldErrors | undefined }) {
  const error = errors?.[choice.id];
  return <Select id={choice.id} name={choice.name} label={{ text: choice.label }} value={value ?? ''} items={[...choice.items]} errorMessage={error ? { text: error } : undefined} />;
}

/**
 * What a list page shows in place of its table when nothing is in it: that nothing matches the
 * filters, with a link that clears them (`clearHref`, the page without its query), or that there is
 * nothing yet. `things` is the plural noun ("applications").
 */
export function EmptyList({ things, filtered, clearHref }: { things: string; filtered: boolean; clearHref: string }) {
  return filtered ? (
    <p class="govuk-body">
      No {things} match these filters. <a class="govuk-link" href={clearHref}>Clear the filters</a>
    </p>
  ) : (
    <p class="govuk-body">No {things} yet.</p>
  );
}

/**
 * A filter form's buttons: Show, a link that clears the filters when any is chosen, and (when the list
 * has one) the link to download the filtered list as CSV. Every staff list ends its filters so.
 */
export function FilterButtons({ clearHref, filtered, csvHref }: { clearHref: string; filtered: boolean; csvHref?: string | undefined }) {
  return (
    <div class="govuk-button-group">
      <Button text="Show" classes="govuk-button--secondary" />
      {filtered ? (
        <a class="govuk-link" href={clearHref}>
          Clear the filters
        </a>
      ) : null}
      {csvHref ? (
        <a class="govuk-link" href={csvHref}>
          Download these as CSV
        </a>
      ) : null}
    </div>
  );
}

/** A count with its noun, for a sentence: "1 declaration", "2,000 declarations" (the plural by adding "s" unless `plural` is given). */
export const howMany = (n: number, noun: string, plural = `${noun}s`): string => `${n.toLocaleString('en-GB')} ${n === 1 ? noun : plural}`;
