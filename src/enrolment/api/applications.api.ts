import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { SCHEDULES } from '../../catalogue/domain/schedules';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { fieldErrors } from '../../platform/forms';
import { type ApplicationRow, type ApplicationsService, applicationInputSchema, type CohortLabel } from '../applications.service';
import { FUNDING_CHOICES, ineligibleForFundingReason } from '../domain/application';

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
const DFE_SCHEDULES = ['npq-aso-march', 'npq-aso-june', 'npq-aso-november', 'npq-aso-december', ...SCHEDULES] as const;
const SCHOOL_SETTINGS = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);

const applicationSchema = z
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

const listQuery = z.object({
  'filter[cohort]': z.string().max(200).optional().describe('Comma-separated start years (2026) or cohort identifiers (2026a)'),
  'filter[updated_since]': z.iso.datetime({ offset: true }).optional().describe('Only applications changed at or after this time (ISO 8601)'),
  'filter[participant_id]': z.string().max(4000).optional().describe('Comma-separated participant ids'),
  'filter[status]': z.enum(['pending', 'accepted', 'rejected', 'withdrawn']).optional().describe('DfE’s statuses; rejected includes applications their applicants withdrew, withdrawn only those'),
  'filter[course_identifier]': z.string().max(80).optional(),
  'page[page]': z.coerce.number().int().min(1).default(1).describe('Page number, from 1'),
  'page[per_page]': z.coerce.number().int().min(1).default(100).transform((n) => Math.min(n, 3000)).describe('Results per page: 100 unless given, at most 3,000'),
});
const listResponse = z.object({
  data: z.array(applicationSchema),
  meta: z.object({ total: z.number().int(), page: z.number().int(), per_page: z.number().int(), total_pages: z.number().int() }),
});
const acceptBody = z
  .object({
    data: z.object({
      type: z.string().optional(),
      attributes: z
        .object({
          funded_place: z.boolean().optional(),
          schedule_identifier: z.enum(DFE_SCHEDULES).nullable().optional().meta({ description: 'Optional: the intake decides the schedule; one that does not fit the course and the intake is refused (422)' }),
          intake_id: z.uuid().optional().meta({ description: 'Place into this intake instead of the one chosen' }),
        })
        .default({}),
    }),
  })
  .meta({ id: 'ApplicationAccept' });
const rejectBody = z.object({ data: z.object({ type: z.string().optional(), attributes: z.object({ reason_for_rejection: z.string().max(1000).optional() }).default({}) }).optional() }).meta({ id: 'ApplicationReject' });
const idParam = z.object({ id: z.uuid({ error: 'The id must be a UUID' }) });
const uuid = z.uuid();

export async function applicationsApi(app: FastifyInstance, opts: { applications: ApplicationsService }) {
  const { applications } = opts;
  const reg = app.apiRegistry;
  reg.add({ method: 'get', path: '/api/v1/applications', scope: 'applications:read', tag: 'Applications', summary: 'List applications (DfE v3 npq_application shape), filtered and paged', query: listQuery, response: listResponse });
  reg.add({ method: 'post', path: '/api/v1/applications', scope: 'applications:write', tag: 'Applications', summary: 'Create an application (201); the same email, NPQ and cohort again returns the first (200)', body: applicationInputSchema, response: z.object({ data: applicationSchema }) });
  reg.add({ method: 'get', path: '/api/v1/applications/{id}', scope: 'applications:read', tag: 'Applications', summary: 'One application', pathParams: idParam, response: z.object({ data: applicationSchema }) });
  reg.add({
    method: 'post',
    path: '/api/v1/applications/{id}/accept',
    scope: 'applications:write',
    tag: 'Applications',
    summary: 'Accept an application into an intake',
    description: 'In a capped cohort funded_place is required, refused beyond the limit (funded_place_limit_reached) or when not eligible. Accepting rejects the person’s other pending applications in the cohort. Repeating the same acceptance returns it unchanged.',
    pathParams: idParam,
    body: acceptBody,
    response: z.object({ data: applicationSchema }),
  });
  reg.add({ method: 'post', path: '/api/v1/applications/{id}/reject', scope: 'applications:write', tag: 'Applications', summary: 'Reject an application; repeating it returns it unchanged', pathParams: idParam, body: rejectBody, response: z.object({ data: applicationSchema }) });

  const withSchedule = async (rows: ApplicationRow[]) => {
    const cohorts = await applications.cohortLabels();
    const schedules = await applications.schedulesOf(rows.map((r) => r.intakeId).filter((i): i is string => Boolean(i)));
    return rows.map((r) => presentApplication(r, r.cohortId ? cohorts.get(r.cohortId) : undefined, r.intakeId ? (schedules.get(r.intakeId) ?? null) : null));
  };
  const one = async (row: ApplicationRow) => ({ data: (await withSchedule([row]))[0]! });
  const checkId = (id: string) => {
    if (!uuid.safeParse(id).success) throw new NotFoundError('application');
  };

  app.get('/v1/applications', async (req) => {
    const parsed = listQuery.safeParse(req.query ?? {});
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error), 'The query parameters are not valid');
    const q = parsed.data;
    // A filter value that cannot match is refused, never dropped: dropping it would widen the filter to every record.
    const list = (name: string, v: string | undefined, valid: (item: string) => boolean = () => true) => {
      if (v === undefined) return undefined;
      const items = v.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      if (items.length === 0 || !items.every(valid)) throw new ValidationError({ [name]: `Give ${name} as values separated by commas${name.endsWith('id]') ? ', each a UUID' : ''}` }, 'The query parameters are not valid');
      return items;
    };
    const participants = list('filter[participant_id]', q['filter[participant_id]'], (p) => z.guid().safeParse(p).success);
    const page = q['page[page]'];
    const perPage = q['page[per_page]'];
    const { rows, total } = await applications.list(
      req.actor,
      {
        // As DfE's status shows them: "rejected" covers the applicant's own withdrawals too.
        ...(q['filter[status]'] === 'rejected' ? { statuses: ['rejected', 'withdrawn'] as const } : { status: q['filter[status]'] }),
        course: q['filter[course_identifier]'],
        cohortIdentifiers: list('filter[cohort]', q['filter[cohort]']),
        participantIds: participants,
        updatedSince: q['filter[updated_since]'] ? new Date(q['filter[updated_since]']) : undefined,
      },
      page,
      perPage,
    );
    return { data: await withSchedule(rows), meta: { total, page, per_page: perPage, total_pages: Math.max(1, Math.ceil(total / perPage)) } };
  });

  app.post('/v1/applications', async (req, reply) => {
    const { created, application } = await applications.create(req.actor, req.body ?? {});
    return reply.code(created ? 201 : 200).send(await one(application));
  });

  app.get<{ Params: { id: string } }>('/v1/applications/:id', async (req) => {
    checkId(req.params.id);
    return one((await applications.detail(req.actor, req.params.id)).app);
  });

  app.post<{ Params: { id: string } }>('/v1/applications/:id/accept', async (req) => {
    checkId(req.params.id);
    const body = acceptBody.safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError(fieldErrors(body.error));
    const attrs = body.data.data.attributes;
    return one(await applications.accept(req.actor, req.params.id, { fundedPlace: attrs.funded_place, intakeId: attrs.intake_id, scheduleIdentifier: attrs.schedule_identifier }));
  });

  app.post<{ Params: { id: string } }>('/v1/applications/:id/reject', async (req) => {
    checkId(req.params.id);
    const body = rejectBody.safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError(fieldErrors(body.error));
    return one(await applications.reject(req.actor, req.params.id, body.data.data?.attributes.reason_for_rejection ?? 'rejected_by_provider'));
  });
}
