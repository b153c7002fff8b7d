import { Select } from '../../ui/govuk';

/**
 * The choice of who leads a session or a group: the partner's facilitators and leads, or nobody yet.
 * Sends `facilitatorUserId` (empty for nobody), as savePlanEntry and saveGroup read it.
 */
export function FacilitatorSelect(p: { label: string; value: string | undefined; error: string | undefined; people: readonly { id: string; name: string }[] }) {
  return (
    <Select
      id="facilitatorUserId"
      name="facilitatorUserId"
      label={{ text: p.label, classes: 'govuk-label--s' }}
      value={p.value ?? ''}
      errorMessage={p.error ? { text: p.error } : undefined}
      items={[{ value: '', text: 'Not chosen yet' }, ...p.people.map((f) => ({ value: f.id, text: f.name }))]}
    />
  );
}
