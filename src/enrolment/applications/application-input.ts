/** An application's facts as the API, the direct-entry form and a sent draft give them: DfE's names, checked once here. */
import { z } from 'zod';
import { whenMissing } from '../../platform/zod-messages';
import { FUNDING_CHOICES, isOwnAddress, OWN_ADDRESS_MESSAGE } from '../domain/application';
import type { ApplicationAnswers } from '../domain/application-journey';
import { EMPLOYMENT_TYPES, KINDS_OF_NURSERY, WORK_SETTINGS } from '../domain/funding-eligibility';
import { toQuestion } from '../domain/funding-journey';
import { TEXT_LIMITS, tooLong } from '../domain/text-limits';
import { ofstedUrnField } from '../funding.service';

/**
 * What is wrong with a line manager as the applicant named them (`whose` 'your', the default) or as
 * the provider names them for the applicant ('the'): each field's message, empty when right. `own` are
 * the applicant's addresses: an applicant never approves their own application.
 */
export function lineManagerErrors(input: { lineManagerName?: string | undefined; lineManagerEmail?: string | undefined }, own: readonly string[], whose: 'your' | 'the' = 'your'): Record<string, string> {
  const name = (input.lineManagerName ?? '').trim();
  const email = (input.lineManagerEmail ?? '').trim().toLowerCase();
  const errors: Record<string, string> = {};
  if (!name) errors.lineManagerName = `Enter ${whose} line manager’s name`;
  else if (name.length > TEXT_LIMITS.name) errors.lineManagerName = tooLong(`${whose === 'your' ? 'Your' : 'The'} line manager’s name`, TEXT_LIMITS.name);
  if (!email) errors.lineManagerEmail = `Enter ${whose} line manager’s email address`;
  else if (email.length > TEXT_LIMITS.email) errors.lineManagerEmail = tooLong('Their email address', TEXT_LIMITS.email);
  else if (!z.email().safeParse(email).success) errors.lineManagerEmail = 'Enter an email address in the correct format, like head@school.org.uk';
  else if (own.some((mine) => mine && isOwnAddress(mine, email))) errors.lineManagerEmail = OWN_ADDRESS_MESSAGE;
  return errors;
}

const limited = (max: number, what: string) => z.string().trim().max(max, tooLong(what, max));

/** An application as the API and the direct-entry form take it: the journey's fields, DfE's names. */
export const applicationInputSchema = z
  .object({
    full_name: limited(TEXT_LIMITS.name, 'The full name').min(1, 'Enter the applicant’s full name'),
    email: z.string({ error: whenMissing('Enter the applicant’s email address') }).trim().toLowerCase().max(TEXT_LIMITS.email, tooLong('The email address', TEXT_LIMITS.email)).email('Enter an email address in the correct format'),
    teacher_reference_number: z
      .string()
      .trim()
      .regex(/^\d{7}$/, 'A teacher reference number is 7 digits')
      .nullish()
      .meta({ description: 'Null or absent for someone without a TRN yet: DfE gives them one later' }),
    course_identifier: z.string({ error: whenMissing('Enter the NPQ') }).trim().min(1).max(80),
    intake_id: z.uuid({ error: 'Enter the intake’s id' }),
    works_in_england: z.boolean({ error: 'Say whether the applicant works in England' }),
    work_setting: z.enum(WORK_SETTINGS),
    school_urn: z.string().trim().regex(/^\d{6}$/, 'A school URN is 6 digits').optional(),
    kind_of_nursery: z.enum(KINDS_OF_NURSERY).optional(),
    private_childcare_provider_urn: ofstedUrnField().optional(),
    employment_type: z.enum(EMPLOYMENT_TYPES).optional(),
    itt_provider: limited(TEXT_LIMITS.ittProvider, 'The ITT provider’s name').optional(),
    new_headteacher: z.boolean().default(false),
    referred_by_return_to_teaching_adviser: z.boolean().default(false),
    employment_role: limited(TEXT_LIMITS.role, 'The job title').min(1, 'Enter the applicant’s role'),
    employer_name: limited(TEXT_LIMITS.employer, 'The employer’s name').optional(),
    line_manager_name: limited(TEXT_LIMITS.name, 'The line manager’s name').min(1, 'Enter the line manager’s name'),
    line_manager_email: z.string().trim().toLowerCase().max(TEXT_LIMITS.email, tooLong('The line manager’s email address', TEXT_LIMITS.email)).email('Enter the line manager’s email address'),
    time_zone: z.string().trim().max(60).optional().meta({ description: 'IANA name, for distance learning; UK time when absent' }),
    funding_choice: z.enum(FUNDING_CHOICES).optional(),
    school_approved: z.boolean().default(false).meta({ description: 'True when the school’s approval was obtained outside this service: no email is sent' }),
  })
  // An applicant never approves their own application.
  .refine((i) => !isOwnAddress(i.email, i.line_manager_email), { path: ['line_manager_email'], message: 'The line manager’s email address must not be the applicant’s own' })
  .meta({ id: 'ApplicationInput' });
export type ApplicationInput = z.infer<typeof applicationInputSchema>;

/** The answers a draft holds, as the application the API would take (`email` is the account's). */
export function inputFromAnswers(a: ApplicationAnswers, account: { email: string }): unknown {
  // The funding questions are asked as in the checker, so they map to the API the same way.
  const { cohort: _unused, ...question } = toQuestion(a);
  return {
    ...question,
    teacher_reference_number: a.noTrn ? null : a.trn,
    full_name: a.fullName,
    email: account.email,
    intake_id: a.intakeId,
    employment_role: a.employmentRole,
    employer_name: a.employerName || undefined,
    line_manager_name: a.lineManagerName,
    line_manager_email: a.lineManagerEmail,
    time_zone: a.timeZone,
    funding_choice: a.fundingChoice,
  };
}
