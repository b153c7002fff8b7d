import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { dateTimeFilterSchema, pageMeta, pageMetaSchema, pageNumberSchema } from '../../api/domain/paging';
import { parseSort } from '../../api/domain/sort';
import { JsonText, operation, serveOperations } from '../../api/operation';
import type { Executor } from '../../db/client';
import { NotFoundError } from '../../platform/errors';
import { type ApplicationsOrder, type ApplicationsService, applicationInputSchema } from '../applications.service';
import { applicationSchema, applicationsInDfeShape, applicationsPageInChunks, applicationsPageText, DFE_SCHEDULES } from './presenters/application.presenter';

/**
 * A comma-separated filter value as its items, trimmed and lower-cased. A value that cannot match is
 * refused, never dropped: dropping it would widen the filter to every record.
 */
const commaList = (name: string, max: number, valid: (item: string) => boolean = () => true, each = '') =>
  z
    .string()
    .max(max)
    .transform((v, ctx) => {
      const items = v
        .split(',')
        .map((s) => s.trim().toLowerCase())
        .filter(Boolean);
      if (items.length === 0 || !items.every(valid)) ctx.addIssue({ code: 'custom', message: `Give ${name} as values separated by commas${each}` });
      return items;
    })
    .optional();

/** DfE's fields for `sort` on applications, and our columns for them. */
const SORT_FIELDS = { created_at: 'createdAt', updated_at: 'updatedAt' } as const;
type SortField = keyof typeof SORT_FIELDS;
/** DfE's default order: oldest first, so records that arrive while a client pages land on its last page. */
const OLDEST_FIRST = [{ field: 'created_at', descending: false }] as const;
/** DfE's largest page (docs/dfe-api.md §5.3); larger sizes are capped, as DfE caps them. */
const MAX_PER_PAGE = 3000;
/**
 * Pages longer than this are streamed: read, presented and written a batch at a time, so a 3,000-row
 * page never sits whole in memory as rows, objects and text at once (ADR 0038).
 */
const STREAMED_OVER = 500;

const listQuery = z.object({
  'filter[cohort]': commaList('filter[cohort]', 200).describe('Comma-separated start years (2026) or cohort identifiers (2026a)'),
  'filter[updated_since]': dateTimeFilterSchema().optional().describe('Only applications changed at or after this time (ISO 8601)'),
  'filter[participant_id]': commaList('filter[participant_id]', 4000, (p) => z.guid().safeParse(p).success, ', each a UUID').describe('Comma-separated participant ids'),
  'filter[status]': z.enum(['pending', 'accepted', 'rejected', 'withdrawn']).optional().describe('DfE’s statuses; rejected includes applications their applicants withdrew, withdrawn only those'),
  'filter[course_identifier]': z.string().max(80).optional(),
  sort: z
    .string()
    .max(200)
    .optional()
    .describe(
      'Comma-separated created_at or updated_at, each with - in front for newest first; the id breaks ties. Oldest first (created_at) unless given: keep that order to page while applications arrive, since new ones then come last. Anything else is refused with 422 invalid_sort.',
    ),
  'page[page]': pageNumberSchema(MAX_PER_PAGE),
  'page[per_page]': z.coerce
    .number()
    .int()
    .min(1)
    .default(100)
    .transform((n) => Math.min(n, MAX_PER_PAGE))
    .describe('Results per page: 100 unless given, at most 3,000'),
});
const listResponse = z.object({ data: z.array(applicationSchema), meta: pageMetaSchema });
const oneResponse = z.object({ data: applicationSchema });
const acceptBody = z
  .object({
    data: z.object({
      type: z.string().optional(),
      attributes: z
        .object({
          funded_place: z.boolean().optional(),
          schedule_identifier: z.enum(DFE_SCHEDULES).nullable().optional().meta({ description: 'Optional: the intake decides the schedule; one that does not fit the course and the intake is refused (422, the field named in details.fields)' }),
          intake_id: z.uuid().optional().meta({ description: 'Place into this intake instead of the one chosen' }),
        })
        .default({}),
    }),
  })
  .meta({ id: 'ApplicationAccept' });
const rejectBody = z.object({ data: z.object({ type: z.string().optional(), attributes: z.object({ reason_for_rejection: z.string().max(1000).optional() }).default({}) }).optional() }).meta({ id: 'ApplicationReject' });
/** The accept body's field each refusal of an acceptance is about, as DfE titles the error (docs/dfe-api.md, "Accept"). */
const ACCEPT_REFUSAL_FIELDS = {
  funded_place_required: 'funded_place',
  funded_place_not_eligible: 'funded_place',
  funded_place_limit_reached: 'funded_place',
  funded_place_unfunded_cohort: 'funded_place',
  schedule_not_valid_for_course: 'schedule_identifier',
  schedule_not_the_intakes: 'schedule_identifier',
} as const;
const idParam = z.object({ id: z.uuid({ error: 'The id must be a UUID' }) });

/**
 * Applications in the shape of DfE's Lead Provider API v3 (docs/adr/0032, 0033): listed in DfE's
 * order and paged so a client sees each record once while new ones arrive, created idempotently,
 * accepted and rejected with DfE's request bodies.
 */
export async function applicationsApi(app: FastifyInstance, opts: { applications: ApplicationsService; db: Executor }) {
  const { applications } = opts;
  const inDfeShape = applicationsInDfeShape(opts.db);
  /**
   * Each kept page's JSON, as the bytes sent, beside the page: `listIds` answers a kept page as the
   * same ids array (with the same count) until a change drops it, and the bytes go with it (ADR 0041).
   */
  const pageBytes = new WeakMap<readonly string[], Promise<Buffer>>();
  const pageOf = (ids: readonly string[], meta: unknown) => {
    let bytes = pageBytes.get(ids);
    if (!bytes) {
      bytes = inDfeShape(ids).then((data) => Buffer.from(applicationsPageText(data, meta)));
      pageBytes.set(ids, bytes);
      bytes.catch(() => pageBytes.delete(ids));
    }
    return bytes;
  };
  /** One application, read after the use case that answered it, as `{"data":{…}}`. */
  const oneOf = async (id: string) => {
    const [text] = await inDfeShape([id]);
    if (!text) throw new NotFoundError();
    return new JsonText(`{"data":${text}}`);
  };
  const asIs = (text: JsonText) => text;

  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/applications',
      scope: 'applications:read',
      tag: 'Applications',
      summary: 'List applications (DfE v3 npq_application shape), filtered, sorted and paged',
      description:
        'Oldest first unless sort says otherwise, so a client paging through while applications arrive sees each exactly once, the new ones on its last pages. Page until a page has fewer than per_page applications.',
      query: listQuery,
      response: listResponse,
      handle: async ({ actor, query: q }) => {
        const order: ApplicationsOrder = parseSort<SortField>(q.sort, Object.keys(SORT_FIELDS) as SortField[], OLDEST_FIRST).map((k) => ({ field: SORT_FIELDS[k.field], descending: k.descending }));
        const page = q['page[page]'];
        const perPage = q['page[per_page]'];
        const filter = {
          // As DfE's status shows them: "rejected" covers the applicant's own withdrawals too.
          ...(q['filter[status]'] === 'rejected' ? { statuses: ['rejected', 'withdrawn'] as const } : { status: q['filter[status]'] }),
          course: q['filter[course_identifier]'],
          cohortIdentifiers: q['filter[cohort]'],
          participantIds: q['filter[participant_id]'],
          updatedSince: q['filter[updated_since]'] ? new Date(q['filter[updated_since]']) : undefined,
        };
        if (perPage > STREAMED_OVER) {
          const { batches, total } = await applications.listIdsInBatches(actor, filter, page, perPage, order);
          return { text: undefined, batches, meta: pageMeta(total, page, perPage) };
        }
        const { ids, total } = await applications.listIds(actor, filter, page, perPage, order);
        const meta = pageMeta(total, page, perPage);
        return { text: new JsonText(await pageOf(ids, meta)), batches: undefined, meta };
      },
      present: ({ text }) => text ?? new JsonText(''),
      stream: ({ batches, meta }) => batches && applicationsPageInChunks(batches, inDfeShape, meta),
    }),
    operation({
      method: 'post',
      path: '/api/v1/applications',
      scope: 'applications:write',
      tag: 'Applications',
      summary: 'Create an application (201); the same email, NPQ and cohort again returns the first (200)',
      body: applicationInputSchema,
      response: oneResponse,
      alsoAnswers: [201],
      handle: async ({ actor, body }) => {
        const { created, application } = await applications.create(actor, body);
        return { created, text: await oneOf(application.id) };
      },
      status: ({ created }) => (created ? 201 : 200),
      present: ({ text }) => text,
    }),
    operation({
      method: 'get',
      path: '/api/v1/applications/{id}',
      scope: 'applications:read',
      tag: 'Applications',
      summary: 'One application',
      params: idParam,
      response: oneResponse,
      handle: async ({ actor, params }) => oneOf((await applications.detail(actor, params.id)).app.id),
      present: asIs,
    }),
    operation({
      method: 'post',
      path: '/api/v1/applications/{id}/accept',
      scope: 'applications:write',
      tag: 'Applications',
      summary: 'Accept an application into an intake',
      description:
        'In a capped cohort funded_place is required, refused beyond the limit (funded_place_limit_reached) or when not eligible. Accepting rejects the person’s other pending applications in the cohort. Repeating the same acceptance returns it unchanged. A refusal about one field is 422 with its own code and the field in details.fields.',
      params: idParam,
      body: acceptBody,
      response: oneResponse,
      refusalFields: ACCEPT_REFUSAL_FIELDS,
      handle: async ({ actor, params, body }) => {
        const attrs = body.data.attributes;
        // The schedule asked for goes to the use case, which refuses one that does not fit (schedule_not_…).
        const terms = { fundedPlace: attrs.funded_place, intakeId: attrs.intake_id, scheduleIdentifier: attrs.schedule_identifier };
        return oneOf((await applications.accept(actor, params.id, terms)).id);
      },
      present: asIs,
    }),
    operation({
      method: 'post',
      path: '/api/v1/applications/{id}/reject',
      scope: 'applications:write',
      tag: 'Applications',
      summary: 'Reject an application; repeating it returns it unchanged',
      params: idParam,
      body: rejectBody,
      response: oneResponse,
      handle: async ({ actor, params, body }) => oneOf((await applications.reject(actor, params.id, body.data?.attributes.reason_for_rejection ?? 'rejected_by_provider')).id),
      present: asIs,
    }),
  ]);
}
