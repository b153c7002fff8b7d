import { z } from 'zod';
import { SCHEDULES } from '../../../catalogue/domain/schedules';
import type { ApplicationRow, CohortLabel } from '../../applications.service';
import { FUNDING_CHOICES, ineligibleForFundingReason } from '../../domain/application';

/**
 * Applications in the shape of DfE's Lead Provider API v3 (`npq_application`), so a provider's own
 * tools can read both the same way. Fields DfE does not have (intake, school approval, gateway,
 * training status) are added alongside, never instead.
 */
const DFE_COURSES = [
  'npq-senior-leadership',
  'npq-headship',
  'npq-executive-leadership',
  'npq-early-years-leadership',
  'npq-leading-teaching',
  'npq-leading-behaviour-culture',
  'npq-leading-teaching-development',
  'npq-leading-literacy',
  'npq-leading-primary-mathematics',
  'npq-additional-support-offer',
  'npq-early-headship-coaching-offer',
  'npq-senco',
] as const;
export const DFE_SCHEDULES = ['npq-aso-march', 'npq-aso-june', 'npq-aso-november', 'npq-aso-december', ...SCHEDULES] as const;
const SCHOOL_SETTINGS = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);

export const applicationSchema = z
  .object({
    id: z.uuid(),
    type: z.literal('npq_application'),
    attributes: z.object({
      course_identifier: z.enum(DFE_COURSES),
      email: z.string().nullable(),
      email_validated: z.boolean(),
      employer_name: z.string().nullable(),
      employment_role: z.string().nullable(),
      full_name: z.string(),
      funding_choice: z.enum(FUNDING_CHOICES).nullable(),
      headteacher_status: z.enum(['no', 'yes_in_first_five_years']),
      ineligible_for_funding_reason: z.enum(['previously-funded', 'establishment-ineligible']).nullable(),
      participant_id: z.uuid(),
      private_childcare_provider_urn: z.string().nullable(),
      teacher_reference_number: z.string().nullable(),
      teacher_reference_number_validated: z.boolean(),
      school_urn: z.string(),
      school_ukprn: z.string().nullable(),
      status: z.enum(['pending', 'accepted', 'rejected']),
      reason_for_rejection: z.string().nullable(),
      works_in_school: z.boolean(),
      cohort: z.string().nullable(),
      cohort_suffix: z.string(),
      eligible_for_funding: z.boolean(),
      targeted_delivery_funding_eligibility: z.boolean(),
      teacher_catchment: z.boolean().nullable(),
      teacher_catchment_country: z.string().nullable(),
      teacher_catchment_iso_country_code: z.string().nullable(),
      itt_provider: z.string().nullable(),
      lead_mentor: z.boolean().nullable(),
      funded_place: z.boolean().nullable(),
      created_at: z.string(),
      updated_at: z.string(),
      schedule_identifier: z.enum(DFE_SCHEDULES).nullable(),
      works_as_senco: z.boolean().nullable(),
      senco_start_date: z.string().nullable(),
      // Ours, beyond DfE's shape:
      intake_id: z.string().nullable().meta({ description: 'The intake the applicant chose, or was placed into' }),
      funding_status_code: z.string().nullable().meta({ description: 'The reason code from DfE’s funding rules' }),
      school_approval: z.enum(['not_requested', 'pending', 'approved', 'declined', 'expired']),
      gateway: z.enum(['not_required', 'awaiting_submission', 'submitted', 'passed', 'failed']),
      training_status: z.enum(['active', 'deferred', 'withdrawn']).nullable(),
      on_waiting_list: z.boolean(),
      withdrawn_by_applicant: z.boolean().meta({ description: 'True when the applicant took the application back. DfE’s statuses have no “withdrawn”, so status is then rejected, with no reason_for_rejection' }),
    }),
  })
  .meta({ id: 'NpqApplication' });
type Presented = z.infer<typeof applicationSchema>;

/**
 * An application in DfE's `npq_application` shape, with ours alongside: `cohort` is the label of its
 * cohort (undefined when it has none), `schedule` its intake's DfE schedule identifier (null when none
 * or not one of DfE's, which the API then shows as null).
 */
export function presentApplication(a: ApplicationRow, cohort: CohortLabel | undefined, schedule: string | null): Presented {
  return {
    id: a.id,
    type: 'npq_application',
    attributes: {
      course_identifier: a.courseIdentifier as Presented['attributes']['course_identifier'],
      email: a.email || null,
      email_validated: a.userId !== null,
      employer_name: a.employerName,
      employment_role: a.employmentRole,
      full_name: a.fullName,
      funding_choice: a.fundingChoice as Presented['attributes']['funding_choice'],
      headteacher_status: a.newHeadteacher ? 'yes_in_first_five_years' : 'no',
      ineligible_for_funding_reason: ineligibleForFundingReason(a.fundingStatusCode, a.eligibleForFunding),
      participant_id: a.participantId ?? a.userId ?? a.id,
      private_childcare_provider_urn: a.privateChildcareProviderUrn,
      teacher_reference_number: a.teacherReferenceNumber,
      teacher_reference_number_validated: false,
      school_urn: a.schoolUrn ?? '',
      school_ukprn: a.schoolUkprn,
      status: dfeStatus(a.status),
      reason_for_rejection: a.status === 'rejected' ? a.reasonForRejection : null,
      works_in_school: SCHOOL_SETTINGS.has(a.workSetting ?? ''),
      cohort: cohort ? String(cohort.startYear) : null,
      cohort_suffix: cohort?.suffix ?? '',
      eligible_for_funding: a.eligibleForFunding,
      targeted_delivery_funding_eligibility: false,
      teacher_catchment: a.worksInEngland,
      teacher_catchment_country: a.worksInEngland ? 'England' : null,
      teacher_catchment_iso_country_code: a.worksInEngland ? 'GBR' : null,
      itt_provider: a.ittProvider,
      lead_mentor: a.employmentType === null ? null : a.employmentType === 'lead_mentor_for_accredited_itt_provider',
      funded_place: a.fundedPlace,
      created_at: a.createdAt.toISOString(),
      updated_at: a.updatedAt.toISOString(),
      schedule_identifier: (DFE_SCHEDULES as readonly string[]).includes(schedule ?? '') ? (schedule as Presented['attributes']['schedule_identifier']) : null,
      works_as_senco: null,
      senco_start_date: null,
      intake_id: a.intakeId,
      funding_status_code: a.fundingStatusCode,
      school_approval: a.approvalStatus as Presented['attributes']['school_approval'],
      gateway: a.gatewayStatus as Presented['attributes']['gateway'],
      training_status: a.trainingStatus as Presented['attributes']['training_status'],
      on_waiting_list: a.onWaitingList,
      withdrawn_by_applicant: a.status === 'withdrawn',
    },
  };
}

/** Our statuses in DfE's set: an applicant's withdrawal is, to DfE, an application that will not go ahead. */
const dfeStatus = (status: string): Presented['attributes']['status'] => (status === 'withdrawn' ? 'rejected' : (status as Presented['attributes']['status']));

/** An application with what its presentation needs from other records: its cohort's label and its intake's schedule. */
export interface ApplicationView {
  row: ApplicationRow;
  cohort: CohortLabel | undefined;
  schedule: string | null;
}

/** `presentApplication` for a view loaded with its cohort and schedule. */
export const presentApplicationView = (v: ApplicationView): Presented => presentApplication(v.row, v.cohort, v.schedule);

/**
 * A page of the applications list, `{"data":[…],"meta":{…}}`, as chunks of its JSON text: one chunk per
 * batch of views, written before the next batch is read (ADR 0038). The text is what
 * `JSON.stringify({ data: views.map(presentApplicationView), meta })` makes of the whole page.
 */
export async function* applicationsPageInChunks(batches: AsyncIterable<ApplicationView[]>, meta: unknown): AsyncIterable<string> {
  yield '{"data":[';
  let first = true;
  for await (const views of batches) {
    if (views.length === 0) continue;
    const text = views.map((v) => JSON.stringify(presentApplicationView(v))).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield `],"meta":${JSON.stringify(meta)}}`;
}
