import { z } from 'zod';
import { wholeNumber } from '../../platform/forms';
import { whenMissing } from '../../platform/zod-messages';

export const COHORT_FUNDING = ['none', 'capped', 'full'] as const;
export type CohortFunding = (typeof COHORT_FUNDING)[number];
export const COHORT_FUNDING_LABELS: Record<CohortFunding, string> = {
  none: 'Not funded by DfE',
  capped: 'Funded, up to a number of places per NPQ',
  full: 'Funded',
};

/** A cohort is named by its start year and a suffix: "2025a". */
export const cohortIdentifier = (startYear: number, suffix: string) => `${startYear}${suffix}`;

export const cohortInputSchema = z.object({
  startYear: wholeNumber('Start year', { min: 2021, max: 2100 }),
  suffix: z
    .string({ error: whenMissing('Enter a suffix, like a') })
    .trim()
    .toLowerCase()
    .regex(/^[a-z]{1,3}$/, 'Use one to three letters for the suffix, like a'),
  funding: z.enum(COHORT_FUNDING, { error: 'Select how DfE funds this cohort' }),
  fundedPlaceLimits: z.record(z.string().regex(/^npq-[a-z-]+$/), z.number().int().min(0).max(100_000)).default({}),
});
export type CohortInput = z.infer<typeof cohortInputSchema>;
