import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { operation, serveOperations } from '../../api/operation';
import { uploadRoute } from '../../platform/admin';
import { ValidationError } from '../../platform/errors';
import { requireInput } from '../../platform/boundary';
import type { CohortsService } from '../cohorts.service';
import { COHORT_FUNDING, cohortInputSchema } from '../domain/cohort';
import { REFERENCE_LISTS, type ReferenceList } from '../domain/reference-data';
import { type FundingService, fundingQuestionSchema } from '../funding.service';
import type { ReferenceService } from '../reference.service';
import { cohortSchema, presentCohort } from './presenters/cohort.presenter';
import { fundingAnswerSchema, presentFundingAnswer } from './presenters/funding.presenter';
import { importSchema, presentImport } from './presenters/reference-import.presenter';

const cohortBody = z.object({
  start_year: z.number().int(),
  suffix: z.string(),
  funding: z.enum(COHORT_FUNDING),
  funded_place_limits: z.record(z.string(), z.number().int()).optional(),
});

const CSV_LIMIT = 150 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'application/octet-stream'] as const;

const listQuery = z.object({
  skip_invalid: z.enum(['true', 'false'], { error: 'Use true or false' }).optional().describe('true: replace the list with the valid rows even if some rows are not valid (they are reported); otherwise any invalid row stops the upload with 422 invalid_rows'),
});

/** The CSV file sent as the request body; an empty or missing one is refused. */
const csvBody = (body: unknown): Buffer => {
  if (Buffer.isBuffer(body) && body.length > 0) return body;
  throw new ValidationError({ file: 'Send the CSV file as the request body, with Content-Type: text/csv' });
};

/** Cohorts, DfE funding eligibility and reference data (docs/adr/0032). */
export async function enrolmentApi(app: FastifyInstance, opts: { cohorts: CohortsService; funding: FundingService; reference: ReferenceService }) {
  const { cohorts, funding, reference } = opts;
  // CSV arrives as the raw body: GIAS extracts run to tens of megabytes.
  // Only the import routes take a file's size (their uploadRoute): elsewhere the platform's form limit holds.
  app.addContentTypeParser([...CSV_TYPES], { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  const upload = uploadRoute('reference:manage', CSV_LIMIT, 'api');
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/cohorts',
      scope: 'cohorts:read',
      tag: 'Cohorts',
      summary: 'List cohorts with their DfE funding',
      response: z.object({ data: z.array(cohortSchema) }),
      handle: ({ actor }) => cohorts.list(actor),
      present: (rows) => ({ data: rows.map(presentCohort) }),
    }),
    operation({
      method: 'post',
      path: '/api/v1/cohorts',
      scope: 'cohorts:write',
      tag: 'Cohorts',
      summary: 'Create a cohort (409 cohort_exists if it does)',
      body: cohortBody,
      response: z.object({ data: cohortSchema }),
      alsoAnswers: [201],
      status: () => 201,
      handle: ({ actor, body }) =>
        cohorts.create(actor, requireInput(cohortInputSchema, { startYear: body.start_year, suffix: body.suffix, funding: body.funding, fundedPlaceLimits: body.funded_place_limits ?? {} })),
      present: (row) => ({ data: presentCohort(row) }),
    }),
    operation({
      method: 'post',
      path: '/api/v1/funding-eligibility',
      scope: 'funding:read',
      tag: 'Funding',
      summary: "Check DfE funding eligibility with DfE's rules",
      description: 'Rules applied in DfE order: cohort, England, previously funded, EHCO, then by work setting. With teacher_reference_number, the provider’s own accepted, funded applications for the same NPQ make the answer previously_funded.',
      body: fundingQuestionSchema,
      response: fundingAnswerSchema,
      // The provider's review: a signed-in provider (never an anonymous visitor) may ask about a TRN it holds.
      handle: async ({ body }) => funding.check(body, { previouslyFunded: await funding.previouslyFunded({ trn: body.teacher_reference_number }, body.course_identifier) }),
      present: presentFundingAnswer,
    }),
    operation({
      method: 'post',
      path: '/api/v1/reference/schools',
      scope: 'reference:write',
      tag: 'Reference data',
      summary: 'Import a GIAS extract (text/csv body), upserting by URN',
      rawBody: { mediaTypes: CSV_TYPES, description: 'A GIAS establishment extract, as CSV' },
      response: importSchema,
      routeOptions: upload,
      handle: async ({ actor, req }) => (await reference.beginSchoolImport(actor, 'api upload', csvBody(req.body))).run(),
      present: presentImport,
    }),
    operation({
      method: 'put',
      path: '/api/v1/reference/lists/{list}',
      scope: 'reference:write',
      tag: 'Reference data',
      summary: 'Replace a yearly eligibility list (text/csv body)',
      description:
        'The whole list is replaced by the valid rows of the file, in one transaction. If any row is not valid, nothing changes: the answer is 422 with code invalid_rows and details { rejected, rejections: [{ row, reason }] } (row is the line of the file, the first 100 kept). Send skip_invalid=true to replace the list with the valid rows and report the others in rejections. A file with no valid rows is refused with 422 validation_failed.',
      params: z.object({ list: z.enum(Object.keys(REFERENCE_LISTS) as [ReferenceList, ...ReferenceList[]]) }),
      query: listQuery,
      rawBody: { mediaTypes: CSV_TYPES, description: 'The list, as CSV' },
      response: importSchema,
      routeOptions: upload,
      handle: ({ actor, params, query, req }) => reference.replaceList(actor, params.list, 'api upload', csvBody(req.body), { skipInvalid: query.skip_invalid === 'true' }),
      present: presentImport,
    }),
  ]);
}
