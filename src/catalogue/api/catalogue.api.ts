import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageMeta, pageMetaSchema, pageNumberSchema } from '../../api/domain/paging';
import { operation, serveOperations } from '../../api/operation';
import type { CatalogueService } from '../catalogue.service';
import { AUDIENCES, KINDS } from '../domain/qualification';
import { presentQualification, presentQualificationSummary, qualificationSchema, qualificationSummarySchema } from './qualification.presenter';

const listQuery = z.object({
  'filter[kind]': z.enum(KINDS).optional().describe('Only this kind of NPQ'),
  'filter[audience]': z.enum(AUDIENCES).optional().describe('Only NPQs for these people'),
  'page[page]': pageNumberSchema(100),
  'page[per_page]': z.coerce.number().int().min(1).max(100).default(50).describe('Results per page, up to 100'),
});

const listResponse = z.object({
  data: z.array(qualificationSummarySchema),
  meta: pageMetaSchema,
});

/** The NPQ catalogue's operations (docs/adr/0032): what is on offer, for a provider's own website. */
export async function catalogueApi(app: FastifyInstance, opts: { catalogue: CatalogueService }) {
  const { catalogue } = opts;
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/qualifications',
      scope: 'qualifications:read',
      tag: 'Qualifications',
      summary: 'List the NPQs on offer',
      description: 'Retired qualifications are left out. Results are in catalogue order.',
      query: listQuery,
      response: listResponse,
      handle: async ({ query }) => ({ all: await catalogue.list({ kind: query['filter[kind]'], audience: query['filter[audience]'] }), page: query['page[page]'], perPage: query['page[per_page]'] }),
      present: ({ all, page, perPage }) => ({
        data: all.slice((page - 1) * perPage, page * perPage).map(presentQualificationSummary),
        meta: pageMeta(all.length, page, perPage),
      }),
    }),
    operation({
      method: 'get',
      path: '/api/v1/qualifications/{identifier}',
      scope: 'qualifications:read',
      tag: 'Qualifications',
      summary: 'One NPQ with its programme components and open intakes',
      params: z.object({ identifier: z.string().describe('DfE course identifier') }),
      response: qualificationSchema,
      handle: ({ params }) => catalogue.get(params.identifier),
      present: presentQualification,
    }),
  ]);
}
