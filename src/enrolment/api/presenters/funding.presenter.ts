import { z } from 'zod';
import { FUNDING_STATUS_CODES } from '../../domain/funding-eligibility';
import type { FundingAnswer } from '../../funding.service';

/** DfE's funding answer as the API sends it: the rules' code, whether it is funded, and what it means. */
export const fundingAnswerSchema = z
  .object({
    funded: z.boolean(),
    status_code: z.enum(FUNDING_STATUS_CODES),
    subject_to_review: z.boolean(),
    message: z.string().meta({ description: 'What the result means, in plain English, and what to do instead' }),
  })
  .meta({ id: 'FundingEligibility' });

/** The funding rules' answer, which is already in the API's shape: the schema above documents it. */
export const presentFundingAnswer = (a: FundingAnswer): z.infer<typeof fundingAnswerSchema> => a;
