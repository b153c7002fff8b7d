import type { FastifyInstance } from 'fastify';
import type { Db } from '../db/client';
import { pageNumber, paginationFor, requirePermission } from '../platform/admin';
import { formatDateTime } from '../platform/clock';
import { Layout } from '../platform/layout';
import { Pagination, SummaryList, Tag } from '../ui/govuk';
import { outboxRepository } from './outbox';

/** In the embedded default no mail server is needed: admins read what would have been sent here. */
export async function outboxRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get('/admin/outbox', { preHandler: requirePermission('outbox:read') }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const page = pageNumber(q.page);
    const { rows, total } = await outboxRepository.page(opts.db, page, 20, q.to || undefined);
    const pagination = paginationFor(page, Math.ceil(total / 20), '/admin/outbox', { to: q.to });
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Email">
        <h1 class="govuk-heading-xl">Email</h1>
        <p class="govuk-body">Every email the platform has written, newest first, and whether it has been delivered.</p>
        {rows.length === 0 ? <p class="govuk-body">No email yet.</p> : null}
        {rows.map((m) => (
          <div class="app-card">
            <h2 class="govuk-heading-s">{m.subject}</h2>
            <SummaryList
              classes="govuk-summary-list--no-border"
              rows={[
                { key: { text: 'To' }, value: { text: m.to } },
                { key: { text: 'Written' }, value: { text: formatDateTime(m.createdAt) } },
                {
                  key: { text: 'Status' },
                  value: { html: m.sentAt ? '<strong class="govuk-tag govuk-tag--green">Sent</strong>' : m.lastError ? '<strong class="govuk-tag govuk-tag--red">Failing</strong>' : '<strong class="govuk-tag govuk-tag--grey">Waiting</strong>' },
                },
              ]}
            />
            <pre class="app-code" style={undefined}>
              {m.body}
            </pre>
          </div>
        ))}
        {pagination ? <Pagination {...pagination} /> : null}
        {total > 0 ? <Tag text={`${total} in all`} classes="govuk-tag--grey" /> : null}
      </Layout>
    ));
  });
}
