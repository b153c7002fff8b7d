import { Select } from '../ui/govuk';
import type { FilterChoice } from './admin';
import type { FieldErrors } from './errors';

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
