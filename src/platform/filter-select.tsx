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
