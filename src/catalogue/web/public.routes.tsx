import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../platform/errors';
import { asArray } from '../../platform/forms';
import type { CatalogueService } from '../catalogue.service';
import { KINDS } from '../domain/qualification';
import { ComparePage, CoursePage, QualificationsPage } from './public-pages';

const COMPARISON_TABLE = ['npq-middle-leadership', 'npq-senior-leadership', 'npq-headship', 'npq-executive-leadership'];

const listQuery = z.object({
  kind: z.enum(KINDS).optional().catch(undefined),
  for: z.string().max(50).optional().catch(undefined),
});

export async function publicCatalogueRoutes(app: FastifyInstance, opts: { catalogue: CatalogueService }) {
  const { catalogue } = opts;

  app.get('/qualifications', async (req, reply) => {
    const q = listQuery.parse(req.query ?? {});
    const audience = q.for || undefined;
    const entries = await catalogue.list({ kind: q.kind, audience });
    return reply.publicPage(await catalogue.version(), (ctx) => <QualificationsPage ctx={ctx} entries={entries} kind={q.kind} audience={audience} />);
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
