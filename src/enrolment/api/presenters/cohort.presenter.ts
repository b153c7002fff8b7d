import { z } from 'zod';
import type { CohortRow } from '../../cohorts.service';
import { COHORT_FUNDING } from '../../domain/cohort';

/** A cohort as the API shows it: its DfE identifier, funding and funded-place limits per NPQ. */
export const cohortSchema = z
  .object({
    id: z.string(),
    identifier: z.string().meta({ description: 'Start year and suffix, like 2025a' }),
    start_year: z.number().int(),
    suffix: z.string(),
    funding: z.enum(COHORT_FUNDING),
    funded_place_limits: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'Cohort' });
/** A cohort row in the API's shape. */
export const presentCohort = (c: CohortRow): z.infer<typeof cohortSchema> => ({
  id: c.id,
  identifier: c.identifier,
  start_year: c.startYear,
  suffix: c.suffix,
  funding: c.funding as (typeof COHORT_FUNDING)[number],
  funded_place_limits: c.fundedPlaceLimits,
});
