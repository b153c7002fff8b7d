import type { FastifyInstance } from 'fastify';
import { chosenFilters } from '../../platform/list-filters';
import { NotFoundError } from '../../platform/errors';
import { asArray } from '../../platform/forms';
import type { CatalogueService } from '../catalogue.service';
import { KINDS } from '../domain/qualification';
import { ComparePage, CoursePage, QUALIFICATION_FILTERS, QualificationsPage } from './public-pages';

const COMPARISON_TABLE = ['npq-middle-leadership', 'npq-senior-leadership', 'npq-headship', 'npq-executive-leadership'];

export async function publicCatalogueRoutes(app: FastifyInstance, opts: { catalogue: CatalogueService }) {
  const { catalogue } = opts;

  app.get('/qualifications', async (req, reply) => {
    const { values, errors } = chosenFilters(req.query as Record<string, string | undefined>, QUALIFICATION_FILTERS);
    const kind = KINDS.find((k) => k === values.kind);
    const audience = values.for;
    const entries = await catalogue.list({ kind, audience });
    return reply.publicPage(await catalogue.version(), (ctx) => <QualificationsPage ctx={ctx} entries={entries} kind={kind} audience={audience} errors={errors} />);
  });

  app.get('/qualifications/compare', { config: { repeatable: ['npq'] } }, async (req, reply) => {
    const all = await catalogue.list();
    const wanted = asArray((req.query as Record<string, unknown>)?.npq);
    const picked = all.filter((q) => wanted.includes(q.identifier));
    const table = COMPARISON_TABLE.map((id) => all.find((q) => q.identifier === id)).filter((q) => q !== undefined);
    let error: string | undefined;
    if (wanted.length > 0 && (picked.length < 2 || picked.length > 4)) {
      error = picked.length > 4 ? 'Choose no more than 4 NPQs to compare' : 'Choose at least 2 NPQs to compare';
    }
    return reply.publicPage(await catalogue.version(), (ctx) => <ComparePage ctx={ctx} table={table} all={all} picked={picked} error={error} />, error ? 400 : 200);
  });

  app.get<{ Params: { identifier: string } }>('/qualifications/:identifier', async (req, reply) => {
    if (!/^[a-z0-9-]{1,80}$/.test(req.params.identifier)) throw new NotFoundError('qualification');
    const q = await catalogue.get(req.params.identifier);
    return reply.publicPage(await catalogue.version(), (ctx) => <CoursePage ctx={ctx} q={q} />);
  });
}
