import { expect, it } from 'vitest';
import { schedulesFor } from './schedules';

it('offers each kind of NPQ only its own DfE schedules', () => {
  expect(schedulesFor('leadership')).toEqual(['npq-leadership-autumn', 'npq-leadership-spring']);
  expect(schedulesFor('specialist')).toEqual(['npq-specialist-autumn', 'npq-specialist-spring']);
  expect(schedulesFor('early_years')).toEqual(['npq-specialist-autumn', 'npq-specialist-spring']);
  expect(schedulesFor('coaching')).toHaveLength(4);
});
