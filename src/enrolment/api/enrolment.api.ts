import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { uploadRoute } from '../../platform/admin';
import { ValidationError } from '../../platform/errors';
import { fieldErrors } from '../../platform/forms';
import type { CohortRow, CohortsService } from '../cohorts.service';
import { COHORT_FUNDING, cohortInputSchema } from '../domain/cohort';
import { FUNDING_STATUS_CODES } from '../domain/funding-eligibility';
import { isReferenceList, REFERENCE_LISTS } from '../domain/reference-data';
import { type FundingService, fundingQuestionSchema } from '../funding.service';
import type { ImportRow, ReferenceService } from '../reference.service';

const cohortSchema = z
  .object({
    id: z.string(),
    identifier: z.string().meta({ description: 'Start year and suffix, like 2025a' }),
    start_year: z.number().int(),
    suffix: z.string(),
    funding: z.enum(COHORT_FUNDING),
    funded_place_limits: z.record(z.string(), z.number().int()),
  })
  .meta({ id: 'Cohort' });
const presentCohort = (c: CohortRow): z.infer<typeof cohortSchema> => ({
  id: c.id,
  identifier: c.identifier,
  start_year: c.startYear,
  suffix: c.suffix,
  funding: c.funding as (typeof COHORT_FUNDING)[number],
  funded_place_limits: c.fundedPlaceLimits,
});
const cohortBody = z.object({
  start_year: z.number().int(),
  suffix: z.string(),
  funding: z.enum(COHORT_FUNDING),
  funded_place_limits: z.record(z.string(), z.number().int()).optional(),
});

const fundingAnswerSchema = z
  .object({
    funded: z.boolean(),
    status_code: z.enum(FUNDING_STATUS_CODES),
    subject_to_review: z.boolean(),
    message: z.string().meta({ description: 'What the result means, in plain English, and what to do instead' }),
  })
  .meta({ id: 'FundingEligibility' });

const importSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    status: z.enum(['running', 'finished', 'failed']),
    rows: z.number().int(),
    added: z.number().int(),
    updated: z.number().int(),
    removed: z.number().int(),
    rejected: z.number().int(),
    rejections: z.array(z.object({ row: z.number().int(), reason: z.string() })).meta({ description: 'The first 100 rejected rows and why' }),
    error: z.string().nullable(),
  })
  .meta({ id: 'ReferenceImport' });
const presentImport = (i: ImportRow): z.infer<typeof importSchema> => ({
  id: i.id,
  kind: i.kind,
  status: i.status as 'running' | 'finished' | 'failed',
  rows: i.processedRows,
  added: i.added,
  updated: i.updated,
  removed: i.removed,
  rejected: i.rejected,
  rejections: i.rejections,
  error: i.error,
});

const CSV_LIMIT = 150 * 1024 * 1024;

const listQuery = z.object({
  skip_invalid: z.enum(['true', 'false'], { error: 'Use true or false' }).optional().describe('true: replace the list with the valid rows even if some rows are not valid (they are reported); otherwise any invalid row stops the upload with 422 invalid_rows'),
});

export async function enrolmentApi(app: FastifyInstance, opts: { cohorts: CohortsService; funding: FundingService; reference: ReferenceService }) {
  const { cohorts, funding, reference } = opts;
  // CSV arrives as the raw body: GIAS extracts run to tens of megabytes.
  // Only the import routes take a file's size (their uploadRoute): elsewhere the platform's form limit holds.
  app.addContentTypeParser(['text/csv', 'application/csv', 'application/octet-stream'], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const upload = uploadRoute('reference:manage', CSV_LIMIT, 'api');
  const reg = app.apiRegistry;
  reg.add({ method: 'get', path: '/api/v1/cohorts', scope: 'cohorts:read', tag: 'Cohorts', summary: 'List cohorts with their DfE funding', response: z.object({ data: z.array(cohortSchema) }) });
  reg.add({ method: 'post', path: '/api/v1/cohorts', scope: 'cohorts:write', tag: 'Cohorts', summary: 'Create a cohort (409 cohort_exists if it does)', body: cohortBody, response: z.object({ data: cohortSchema }) });
  reg.add({
    method: 'post',
    path: '/api/v1/funding-eligibility',
    scope: 'funding:read',
    tag: 'Funding',
    summary: "Check DfE funding eligibility with DfE's rules",
    description: 'Rules applied in DfE order: cohort, England, previously funded, EHCO, then by work setting. With teacher_reference_number, the provider’s own accepted, funded applications for the same NPQ make the answer previously_funded.',
    body: fundingQuestionSchema,
    response: fundingAnswerSchema,
  });
  reg.add({ method: 'post', path: '/api/v1/reference/schools', scope: 'reference:write', tag: 'Reference data', summary: 'Import a GIAS extract (text/csv body), upserting by URN', response: importSchema });
  reg.add({
    method: 'put',
    path: '/api/v1/reference/lists/{list}',
    scope: 'reference:write',
    tag: 'Reference data',
    summary: 'Replace a yearly eligibility list (text/csv body)',
    description:
      'The whole list is replaced by the valid rows of the file, in one transaction. If any row is not valid, nothing changes: the answer is 422 with code invalid_rows and details { rejected, rejections: [{ row, reason }] } (row is the line of the file, the first 100 kept). Send skip_invalid=true to replace the list with the valid rows and report the others in rejections. A file with no valid rows is refused with 422 validation_failed.',
    pathParams: z.object({ list: z.enum(Object.keys(REFERENCE_LISTS) as [string, ...string[]]) }),
    query: listQuery,
    response: importSchema,
  });

  app.get('/v1/cohorts', async (req) => ({ data: (await cohorts.list(req.actor)).map(presentCohort) }));

  app.post('/v1/cohorts', async (req, reply) => {
    const body = cohortBody.safeParse(req.body ?? {});
    if (!body.success) throw new ValidationError(fieldErrors(body.error));
    const input = cohortInputSchema.safeParse({ startYear: body.data.start_year, suffix: body.data.suffix, funding: body.data.funding, fundedPlaceLimits: body.data.funded_place_limits ?? {} });
    if (!input.success) throw new ValidationError(fieldErrors(input.error));
    return reply.code(201).send({ data: presentCohort(await cohorts.create(req.actor, input.data)) });
  });

  // The provider's review: a signed-in provider (never an anonymous visitor) may ask about a TRN it holds.
  app.post('/v1/funding-eligibility', async (req) => {
    const parsed = fundingQuestionSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
    const q = parsed.data;
    return funding.check(q, { previouslyFunded: await funding.previouslyFunded({ trn: q.teacher_reference_number }, q.course_identifier) });
  });

  const csvBody = (body: unknown): Buffer => {
    if (Buffer.isBuffer(body) && body.length > 0) return body;
    throw new ValidationError({ file: 'Send the CSV file as the request body, with Content-Type: text/csv' });
  };

  app.post('/v1/reference/schools', upload, async (req) => {
    const { run } = await reference.beginSchoolImport(req.actor, 'api upload', csvBody(req.body));
    return presentImport(await run());
  });

  app.put<{ Params: { list: string } }>('/v1/reference/lists/:list', upload, async (req, reply) => {
    if (!isReferenceList(req.params.list)) return reply.callNotFound();
    const query = listQuery.safeParse(req.query ?? {});
    if (!query.success) throw new ValidationError(fieldErrors(query.error));
    return presentImport(await reference.replaceList(req.actor, req.params.list, 'api upload', csvBody(req.body), { skipInvalid: query.data.skip_invalid === 'true' }));
  });
}
