import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../ui/govuk/core';
import { z } from 'zod';
import type { Db } from '../db/client';
import { can } from '../people/domain/policy';
import { pageNumber, paginationFor, requirePermission } from '../platform/admin';
import { formatDateTime } from '../platform/clock';
import { ForbiddenError } from '../platform/errors';
import { Layout } from '../platform/layout';
import { Button, Details, Input, Pagination, Select, Table } from '../ui/govuk';
import { auditRepository } from './audit.repository';

const PER_PAGE = 50;
const dateParam = z.iso.date().optional().catch(undefined);

export async function auditRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get('/admin/audit', { preHandler: requirePermission('audit:read') }, async (req, reply) => {
    if (!can(req.actor, 'audit:read')) throw new ForbiddenError();
    const q = req.query as Record<string, string | undefined>;
    const page = pageNumber(q.page);
    const from = dateParam.parse(q.from || undefined);
    const to = dateParam.parse(q.to || undefined);
    const filter = {
      actor: q.actor?.slice(0, 100) || undefined,
      entityType: q.entity?.slice(0, 50) || undefined,
      entityId: q.entityId?.slice(0, 100) || undefined,
      action: q.action?.slice(0, 50) || undefined,
      from: from ? new Date(`${from}T00:00:00Z`) : undefined,
      to: to ? new Date(new Date(`${to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    };
    const [{ rows, total }, entityTypes] = await Promise.all([auditRepository.page(opts.db, filter, page, PER_PAGE), auditRepository.entityTypes(opts.db)]);
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), '/admin/audit', { actor: q.actor, entity: q.entity, entityId: q.entityId, action: q.action, from: q.from, to: q.to });
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Audit log">
        <h1 class="govuk-heading-xl">Audit log</h1>
        <p class="govuk-body">Every change: who made it, when, and the record before and after.</p>
        <form method="get" action="/admin/audit" class="app-filter">
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-quarter">
              <Input id="actor" name="actor" label={{ text: 'Who' }} value={q.actor} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <Select id="entity" name="entity" label={{ text: 'What' }} items={[{ value: '', text: 'Everything' }, ...entityTypes.map((t) => ({ value: t, text: t.replace(/_/g, ' ') }))]} value={q.entity ?? ''} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <Input id="action" name="action" label={{ text: 'Action' }} hint={{ text: 'For example, user.invited' }} value={q.action} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <Input id="from" name="from" type="date" label={{ text: 'From' }} value={from} />
              <Input id="to" name="to" type="date" label={{ text: 'To' }} value={to} />
            </div>
          </div>
          <Button text="Filter" classes="govuk-button--secondary" />
        </form>
        <p class="govuk-body">{total === 1 ? '1 change' : `${total} changes`}</p>
        <Table
          head={[{ text: 'When' }, { text: 'Who' }, { text: 'Action' }, { text: 'Record' }, { text: 'Before and after' }]}
          rows={rows.map((r) => [
            { text: formatDateTime(r.at) },
            { text: r.actorLabel },
            { text: r.action },
            { text: `${r.entityType} ${r.entityId ?? ''}` },
            { html: r.before || r.after ? '' : '–' },
          ])}
        />
        {rows.map((r, i) =>
          r.before || r.after ? (
            <Details
              summaryText={`Change ${(page - 1) * PER_PAGE + i + 1}: ${r.action}`}
              html={`<pre class="app-code">${escapeHtml(JSON.stringify({ before: r.before, after: r.after }, null, 2))}</pre>`}
            />
          ) : null,
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });
}

