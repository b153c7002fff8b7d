import { eq, type Placeholder, type SQL, sql } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { scheduleOfIntake } from '../../../catalogue/catalogue.queries';
import { SCHEDULES } from '../../../catalogue/domain/schedules';
import type { Executor } from '../../../db/client';
import { approvalStatusOf, gatewayStatusOf, intakeOf } from '../../applications/applications.repository';
import { FUNDING_CHOICES, ineligibleForFundingReason } from '../../domain/application';
import { DFE_COURSES } from '../../domain/dfe-courses';
import { FUNDING_STATUS_CODES } from '../../domain/funding-eligibility';
import { applications, cohorts, enrolments, gatewayAssessments, schoolApprovals } from '../../enrolment.schema';

/**
 * Applications in the shape of DfE's Lead Provider API v3 (`npq_application`), so a provider's own
 * tools can read both the same way. Fields DfE does not have (intake, school approval, gateway,
 * training status) are added alongside, never instead. `applicationSchema` describes the shape for the
 * OpenAPI document; `applicationJson` writes it, in SQL (ADR 0041).
 */
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

/** The application's own columns DfE's shape reads, each as `"applications"."column"`. */
const a = applications;

/** Our statuses in DfE's set: an applicant's withdrawal is, to DfE, an application that will not go ahead. */
const dfeStatus = sql`case when ${a.status} = 'withdrawn' then 'rejected' else ${a.status} end`;

/** A list of constant strings as a SQL array literal (the values are this file's own, never input). */
const textArray = (values: readonly string[]) => sql.raw(`array[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]::text[]`);

/**
 * DfE's `ineligible_for_funding_reason` as SQL, derived from the domain's rule (ineligibleForFundingReason)
 * for every funding status code there is; a code from elsewhere naming an establishment is one, as the
 * rule says. The presenter's test holds the two to the same answers.
 */
const ineligibleReason = (() => {
  const codesGiving = (reason: string) => FUNDING_STATUS_CODES.filter((code) => ineligibleForFundingReason(code, false) === reason);
  return sql`case when ${a.eligibleForFunding} then null
    when ${a.fundingStatusCode} = any(${textArray(codesGiving('previously-funded'))}) then 'previously-funded'
    when ${a.fundingStatusCode} = any(${textArray(codesGiving('establishment-ineligible'))}) or ${a.fundingStatusCode} like '%establishment%' then 'establishment-ineligible' end`;
})();

/** An instant as `Date.prototype.toISOString` writes it: UTC, milliseconds, Z. */
const isoInstant = (column: AnyPgColumn) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The schedule of the intake the application is in, when it is one of DfE's (one subquery per row). */
// `offset 0` keeps the inner select a select of its own: pulled up, the intake's schedule, named twice
// by the case, would be looked up twice a row.
const dfeSchedule = sql`(select case when s = any(${textArray(DFE_SCHEDULES)}) then s end from (select ${scheduleOfIntake(intakeOf)} as s offset 0) intake)`;

/**
 * One application in DfE's `npq_application` shape, with ours alongside, as a SQL `json` value over
 * `applications` joined to its school approval, gateway assessment, enrolment and cohort (ADR 0041:
 * PostgreSQL writes the JSON, so a page of 3,000 is never 3,000 rows and objects in the process).
 * Keys in `applicationSchema`'s order.
 */
const applicationJson = sql`json_build_object('id', ${a.id}, 'type', 'npq_application', 'attributes', json_build_object(
  'course_identifier', ${a.courseIdentifier},
  'email', nullif(${a.email}, ''),
  'email_validated', ${a.userId} is not null,
  'employer_name', ${a.employerName},
  'employment_role', ${a.employmentRole},
  'full_name', ${a.fullName},
  'funding_choice', ${a.fundingChoice},
  'headteacher_status', case when ${a.newHeadteacher} then 'yes_in_first_five_years' else 'no' end,
  'ineligible_for_funding_reason', ${ineligibleReason},
  'participant_id', coalesce(${a.participantId}, ${a.userId}, ${a.id}),
  'private_childcare_provider_urn', ${a.privateChildcareProviderUrn},
  'teacher_reference_number', ${a.teacherReferenceNumber},
  'teacher_reference_number_validated', false,
  'school_urn', coalesce(${a.schoolUrn}, ''),
  'school_ukprn', ${a.schoolUkprn},
  'status', ${dfeStatus},
  'reason_for_rejection', case when ${a.status} = 'rejected' then ${a.reasonForRejection} end,
  'works_in_school', coalesce(${a.workSetting} = any(${textArray([...SCHOOL_SETTINGS])}), false),
  'cohort', ${cohorts.startYear}::text,
  'cohort_suffix', coalesce(${cohorts.suffix}, ''),
  'eligible_for_funding', ${a.eligibleForFunding},
  'targeted_delivery_funding_eligibility', false,
  'teacher_catchment', ${a.worksInEngland},
  'teacher_catchment_country', case when ${a.worksInEngland} then 'England' end,
  'teacher_catchment_iso_country_code', case when ${a.worksInEngland} then 'GBR' end,
  'itt_provider', ${a.ittProvider},
  'lead_mentor', ${a.employmentType} = 'lead_mentor_for_accredited_itt_provider',
  'funded_place', ${enrolments.fundedPlace},
  'created_at', ${isoInstant(a.createdAt)},
  'updated_at', ${isoInstant(a.updatedAt)},
  'schedule_identifier', ${dfeSchedule},
  'works_as_senco', null,
  'senco_start_date', null,
  'intake_id', ${intakeOf},
  'funding_status_code', ${a.fundingStatusCode},
  'school_approval', ${approvalStatusOf},
  'gateway', ${gatewayStatusOf},
  'training_status', ${enrolments.trainingStatus},
  'on_waiting_list', coalesce(${enrolments.onWaitingList}, false),
  'withdrawn_by_applicant', ${a.status} = 'withdrawn'
))`;

/**
 * Applications by id in DFE's shape: the JSON text of each, in the order of `ids`. An id not found is
 * left out. One text per application, never one for a whole page: texts of a few kilobytes are short-
 * lived garbage the young generation collects at once, where a page's megabytes would go to V8's
 * large-object space and hold the process's memory up until a full collection (ADR 0041).
 */
export type ApplicationsInDfeShape = (ids: readonly string[]) => Promise<string[]>;

/**
 * `ApplicationsInDfeShape` as a statement prepared on `db` (planned once per connection). Reads by id
 * only: the caller has the ids from a use case that checked who may read them.
 */
export function applicationsInDfeShape(db: Executor): ApplicationsInDfeShape {
  const query = inDfeShapeSelect(db, sql.placeholder('ids')).prepare('applications_in_dfe_shape');
  return async (ids) => (ids.length ? (await query.execute({ ids: [...ids] })).map((r) => r.text) : []);
}

/**
 * `applicationsInDfeShape`'s select, for the applications whose ids `ids` gives as a `uuid[]` (a
 * placeholder when prepared): one row `{ text }` an application, in the order of `ids`.
 */
export function inDfeShapeSelect(db: Executor, ids: SQL | Placeholder) {
  return db
    .select({ text: sql<string>`(${applicationJson})::text` })
    .from(sql`unnest(${ids}::uuid[]) with ordinality as page(id, n)`)
    .innerJoin(applications, sql`${applications.id} = page.id`)
    .leftJoin(schoolApprovals, eq(schoolApprovals.applicationId, applications.id))
    .leftJoin(gatewayAssessments, eq(gatewayAssessments.applicationId, applications.id))
    .leftJoin(enrolments, eq(enrolments.applicationId, applications.id))
    .leftJoin(cohorts, eq(cohorts.id, applications.cohortId))
    .orderBy(sql`page.n`);
}

/** The JSON text of a page of the applications list, `{"data":[…],"meta":{…}}`, from its applications' texts. */
export const applicationsPageText = (data: readonly string[], meta: unknown) => `{"data":[${data.join(',')}],"meta":${JSON.stringify(meta)}}`;

/** Applications written to the socket at a time when a page is streamed: chunks of tens of kilobytes. */
const CHUNK_APPLICATIONS = 32;

/**
 * A page of the applications list as chunks of its JSON text: each batch of ids read and written
 * before the next batch is read (ADR 0038), so a 3,000-row page is never held whole. The chunks joined
 * are `applicationsPageText` of the whole page.
 */
export async function* applicationsPageInChunks(batches: Iterable<readonly string[]>, inDfeShape: ApplicationsInDfeShape, meta: unknown): AsyncIterable<string> {
  yield '{"data":[';
  let first = true;
  for (const ids of batches) {
    const texts = await inDfeShape(ids);
    for (let i = 0; i < texts.length; i += CHUNK_APPLICATIONS) {
      const text = texts.slice(i, i + CHUNK_APPLICATIONS).join(',');
      yield first ? text : `,${text}`;
      first = false;
    }
  }
  yield `],"meta":${JSON.stringify(meta)}}`;
}
