import type { FastifyInstance } from 'fastify';
import { chosenFilters, EmptyList, FilterSelect } from '../platform/list-filters';
import { escapeHtml } from '../ui/govuk/core';
import type { Db } from '../db/client';
import { pageNumber, paginationFor, requireAbility } from '../platform/admin';
import { auditAbilities } from './domain/audit.policy';
import { endOfDay, formatDateTime, startOfDay } from '../platform/clock';
import { DateField } from '../platform/date-field';
import { dateErrorTarget, dateInputValues, parseDateInput } from '../platform/date-input';
import type { FieldErrors } from '../platform/errors';
import { Layout } from '../platform/layout';
import { Button, Details, Input, Pagination, Table } from '../ui/govuk';
import { auditRepository } from './audit.repository';

const PER_PAGE = 50;
const DATE_FIELDS = ['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year'] as const;

/**
 * The filter's days, typed as GOV.UK date fields: UK calendar days, so "from 15 June" starts at
 * midnight UK time (23:00 UTC the day before in summer) and "to 15 June" ends at the next UK midnight.
 */
function dayRange(q: Record<string, string | undefined>) {
  const errors: FieldErrors = {};
  const targets: Record<string, string> = {};
  const fromTyped = dateInputValues(q, 'from');
  const toTyped = dateInputValues(q, 'to');
  const from = parseDateInput(fromTyped, { label: 'the start date', optional: true });
  if (!from.ok) {
    errors.from = from.message;
    targets.from = dateErrorTarget('from', fromTyped);
  }
  const to = parseDateInput(toTyped, { label: 'the end date', optional: true, after: from.ok && from.date ? { date: from.date, orSame: true } : undefined });
  if (!to.ok) {
    errors.to = to.message;
    targets.to = dateErrorTarget('to', toTyped);
  }
  return {
    from: from.ok && from.date ? startOfDay(from.date) : undefined,
    to: to.ok && to.date ? endOfDay(to.date) : undefined,
    errors: Object.keys(errors).length ? errors : undefined,
    targets,
  };
}

export async function auditRoutes(app: FastifyInstance, opts: { db: Db }) {
  app.get('/admin/audit', { preHandler: requireAbility((actor) => auditAbilities(actor).read) }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const page = pageNumber(q.page);
    const days = dayRange(q);
    const entityTypes = await auditRepository.entityTypes(opts.db);
    const entityChoice = { id: 'entity', name: 'entity', label: 'What', items: [{ value: '', text: 'Everything' }, ...entityTypes.map((t) => ({ value: t, text: t.replace(/_/g, ' ') }))] } as const;
    const chosen = chosenFilters(q, [entityChoice]);
    const filter = {
      actor: q.actor?.slice(0, 100) || undefined,
      entityType: chosen.values.entity,
      entityId: q.entityId?.slice(0, 100) || undefined,
      action: q.action?.slice(0, 50) || undefined,
      from: days.from,
      to: days.to,
    };
    const { rows, total } = await auditRepository.page(opts.db, filter, page, PER_PAGE);
    const errors = days.errors || chosen.errors ? { ...chosen.errors, ...days.errors } : undefined;
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), '/admin/audit', { actor: q.actor, entity: chosen.values.entity, entityId: q.entityId, action: q.action, ...Object.fromEntries(DATE_FIELDS.map((f) => [f, q[f]])) });
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Audit log" errors={errors} errorTargets={days.targets}>
        <h1 class="govuk-heading-xl">Audit log</h1>
        <p class="govuk-body">Every change: who made it, when, and the record before and after.</p>
        <form method="get" action="/admin/audit" class="app-filter">
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-quarter">
              <Input id="actor" name="actor" label={{ text: 'Who' }} value={q.actor} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={entityChoice} value={chosen.values.entity} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <Input id="action" name="action" label={{ text: 'Action' }} hint={{ text: 'For example, user.invited' }} value={q.action} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <DateField name="from" legend="From" hint="For example, 15 6 2026" values={q} error={days.errors?.from} />
              <DateField name="to" legend="To" values={q} error={days.errors?.to} />
            </div>
          </div>
          <Button text="Filter" classes="govuk-button--secondary" />
        </form>
        <p class="govuk-body">{total === 1 ? '1 change' : `${total} changes`}</p>
        {rows.length ? (
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
        ) : (
          <EmptyList things="changes" filtered={page > 1 || Object.values(filter).some(Boolean)} clearHref="/admin/audit" />
        )}
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

