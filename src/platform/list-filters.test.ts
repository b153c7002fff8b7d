import { describe, expect, it } from 'vitest';
import { chosenFilters } from './list-filters';

describe('chosenFilters', () => {
  const choices = [
    { id: 'status-filter', name: 'status', label: 'Status', items: [{ value: '', text: 'Any' }, { value: 'open', text: 'Open' }] },
    { id: 'kind', name: 'kind', label: 'Kind', items: [{ value: '', text: 'Any' }, { value: 'a', text: 'A' }] },
  ] as const;

  it('takes the values the selects offer and leaves out those not asked for', () => {
    expect(chosenFilters({ status: 'open', kind: '', other: 'x' }, choices)).toEqual({ values: { status: 'open' }, errors: undefined });
    expect(chosenFilters({}, choices)).toEqual({ values: {}, errors: undefined });
  });

  it('gives an error by select id for each value not offered, and leaves that filter out', () => {
    const { values, errors } = chosenFilters({ status: 'closed', kind: 'a' }, choices);
    expect(values).toEqual({ kind: 'a' });
    expect(errors).toEqual({ 'status-filter': 'Status: “closed” is not one of the choices, so the results are not filtered by it. Choose one from the list' });
  });

  it('cuts a long value to 40 characters in the message', () => {
    const { errors } = chosenFilters({ status: 'y'.repeat(500) }, choices);
    expect(errors?.['status-filter']).toContain(`“${'y'.repeat(40)}…”`);
  });
});

