import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { operation, serveOperations } from '../../api/operation';
import type { DiagnosticService } from '../diagnostic.service';
import { cohortSchema, presentDiagnosticCohort, presentDiagnosticReport, reportSchema } from './diagnostic.presenter';

/** The 360° diagnostic's operations (docs/adr/0032): a cohort's view and a participant's closed-round report. */
export async function diagnosticApi(app: FastifyInstance, opts: { diagnostic: DiagnosticService }) {
  const { diagnostic } = opts;
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/diagnostic/cohorts/{cohort}',
      scope: 'diagnostic:read',
      tag: '360° diagnostic',
      summary: 'A cohort’s 360° response rates and anonymised distributions per behaviour',
      params: z.object({ cohort: z.string() }),
      response: cohortSchema,
      handle: async ({ actor, params }) => ({ cohort: params.cohort, view: await diagnostic.cohortView(actor, params.cohort) }),
      present: ({ cohort, view }) => presentDiagnosticCohort(cohort, view),
    }),
    operation({
      method: 'get',
      path: '/api/v1/diagnostic/rounds/{id}/report',
      scope: 'diagnostic:read',
      tag: '360° diagnostic',
      summary: 'A participant’s report once the round has closed (409 report_not_ready before)',
      params: z.object({ id: z.uuid() }),
      response: reportSchema,
      handle: ({ actor, params }) => diagnostic.reportForProvider(actor, params.id),
      present: presentDiagnosticReport,
    }),
  ]);
}
