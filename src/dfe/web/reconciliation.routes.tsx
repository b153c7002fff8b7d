import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { csvBatches, pageNumber, pagesAfter, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { type Clock, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { Flash } from '../../platform/flash';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, type FilterChoice, FilterButtons, FilterSelect, chosenFilters, howMany } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { Button, Input, Pagination, SummaryList } from '../../ui/govuk';
import { DIFFERENCE_KIND_NAMES, DIFFERENCE_KINDS, type DifferenceKind, fixLinkOf, type Holds } from '../domain/reconciliation';
import { dfeAbilities } from '../domain/dfe.policy';
import { askReconciliation, type DifferenceFilter, type DifferenceKey, type DifferenceRow, differencesAfter, listDifferences, reconciliationRuns } from '../reconciliation/reconciliation.service';

const BASE = '/admin/dfe/reconciliation';
const PER_PAGE = 25;

/** What each side's fields are, in the admin's words. */
const FIELD_NAMES: Record<string, string> = { status: 'Application', trainingStatus: 'Training status', schedule: 'Schedule', cohort: 'Cohort', fundedPlace: 'Funded place', participantId: 'Participant id', declaration: 'Declaration', state: 'State', by: 'Made by', course: 'NPQ' };

/** What one side holds, in words: "Training status: deferred; Schedule: npq-leadership-autumn", or that it holds nothing. */
const holdsText = (holds: Holds, nothing: string) =>
  holds
    ? Object.entries(holds)
        .map(([k, v]) => `${FIELD_NAMES[k] ?? k}: ${v === null ? 'none' : String(v)}`)
        .join('; ')
    : nothing;

const kindChoice: FilterChoice = { id: 'kind', name: 'kind', label: 'Kind', items: [{ value: '', text: 'Any kind' }, ...DIFFERENCE_KINDS.map((k) => ({ value: k, text: DIFFERENCE_KIND_NAMES[k] }))] };
/** The one-word name of a kind, for a card's heading. */
const KIND_WORDS: Record<DifferenceKind, string> = { participant: 'participant', status: 'training status', schedule: 'schedule', funded_place: 'funded place', declaration: 'declaration' };

/** The list's filter as the page's query gives it (a kind it does not offer is an error beside the select). */
function filterOf(query: Record<string, unknown>) {
  const flat = Object.fromEntries(Object.entries(query ?? {}).map(([k, v]) => [k, one(v)])) as Record<string, string>;
  const chosen = chosenFilters(flat, [kindChoice]);
  const search = one(query?.q).trim().slice(0, 200);
  const show: DifferenceFilter['show'] = flat.show === 'on-its-way' ? 'on-its-way' : 'differences';
  const filter: DifferenceFilter = { kind: (chosen.values.kind || undefined) as DifferenceKind | undefined, search, show };
  const keep = { show: show === 'on-its-way' ? show : undefined, kind: filter.kind, q: search || undefined };
  return { filter, errors: chosen.errors, keep };
}
const withQuery = (path: string, keep: Record<string, string | undefined>) => {
  const q = new URLSearchParams(Object.entries(keep).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return q ? `${path}?${q}` : path;
};

/** One difference as a card: whom, what each side holds, DfE's id, the action and the link to where it is fixed. */
function DifferenceCard({ d }: { d: DifferenceRow }) {
  const fix = fixLinkOf(d);
  return (
    <div class="app-card">
      <h3 class="govuk-heading-s">{`${d.name}: ${KIND_WORDS[d.kind]}`}</h3>
      <SummaryList
        classes="govuk-summary-list--no-border"
        rows={[
          { key: { text: 'The platform holds' }, value: { text: holdsText(d.platform, 'Nothing: the platform does not have them') } },
          { key: { text: 'DfE holds' }, value: { text: holdsText(d.dfe, 'Nothing: DfE does not list it to you') } },
          d.dfeId ? { key: { text: 'DfE’s id' }, value: { text: d.dfeId } } : null,
          d.dfeParticipantId ? { key: { text: 'DfE participant id' }, value: { text: d.dfeParticipantId } } : null,
          { key: { text: d.onItsWay ? 'On its way' : 'To fix it' }, value: { text: d.action } },
        ]}
      />
      <p class="govuk-body">
        <a class="govuk-link" href={fix.href}>
          {fix.text}
          <span class="govuk-visually-hidden">{`: ${d.name}`}</span>
        </a>
      </p>
    </div>
  );
}

/**
 * Reconciliation with DfE (issue 13 item 6), the provider's admin's: the last comparison (when, and how
 * many differences and changes on their way of each kind), its differences filtered by kind, searched by
 * name or id and paged, each with the action that fixes it and a link to where; the changes on their way
 * apart; "Compare with DfE now" (a job); and the list as CSV. Everyone else: 403.
 */
export async function reconciliationRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const deps = { db: opts.db, clock: opts.clock };
  const admin = { preHandler: requireAbility((actor) => dfeAbilities(actor).reconcile) };

  app.get<{ Querystring: Record<string, unknown> }>(BASE, admin, async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply) => {
    const { filter, errors, keep } = filterOf(req.query);
    const page = pageNumber(req.query?.page);
    const [{ finished, latest }, { rows, total }] = await Promise.all([reconciliationRuns(deps, req.actor), listDifferences(deps, req.actor, filter, page, PER_PAGE)]);
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), BASE, keep);
    const filtered = Boolean(filter.kind || filter.search);
    const counts = finished?.counts;
    const sum = (of: Record<DifferenceKind, number> | undefined) => (of ? Object.values(of).reduce((a, b) => a + b, 0) : 0);
    const showHref = (show: DifferenceFilter['show']) => withQuery(BASE, { ...keep, show: show === 'on-its-way' ? show : undefined });
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Reconciliation with DfE" errors={errors}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Reconciliation with DfE</h1>
        <p class="govuk-body">Every night the platform reads everything DfE holds for you — applications, participants and declarations — and compares it with its own records: participants, training statuses, schedules, funded places and declarations. Each difference says what each side holds and the action that fixes it. A change the platform is still sending to DfE is not a difference: it is listed as on its way.</p>
        <div class="govuk-button-group">
          <form method="post" action={`${BASE}/run`} novalidate>
            <Csrf ctx={ctx} />
            <Button text="Compare with DfE now" classes="govuk-button--secondary" preventDoubleClick />
          </form>
          {dfeAbilities(req.actor).read ? (
            <a class="govuk-link" href="/admin/dfe">
              DfE’s API: calls and changes
            </a>
          ) : (
            <a class="govuk-link" href="/admin/dfe/finance">
              Finance: DfE’s statements
            </a>
          )}
        </div>
        <h2 class="govuk-heading-m">Last comparison</h2>
        {latest ? <p class="govuk-body">{latest.error ? `The comparison begun ${formatDateTime(latest.startedAt)} did not finish. ${latest.error}` : `A comparison began ${formatDateTime(latest.startedAt)} and is running. Its differences show here when it finishes.`}</p> : null}
        {finished && counts ? (
          <>
            <p class="govuk-body">{`Compared ${formatDateTime(finished.finishedAt!)}.`}</p>
            <ul class="govuk-list govuk-list--bullet">
              <li>{`The platform: ${howMany(counts.compared.platformApplications, 'application')} linked to DfE, and ${howMany(counts.compared.platformDeclarations, 'declaration')} it has made or means to make.`}</li>
              <li>{`DfE: ${howMany(counts.compared.applications, 'application')}, ${howMany(counts.compared.participants, 'participant')} and ${howMany(counts.compared.declarations, 'declaration')} listed to you (a declaration still to be sent is not at DfE yet).`}</li>
            </ul>
            <table class="govuk-table">
              <caption class="govuk-table__caption govuk-table__caption--s">Differences found, by kind</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <th scope="col" class="govuk-table__header">
                    Kind
                  </th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                    Differences
                  </th>
                  <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                    On their way to DfE
                  </th>
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {DIFFERENCE_KINDS.map((k) => (
                  <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">
                      <a class="govuk-link" href={withQuery(BASE, { kind: k })}>
                        {DIFFERENCE_KIND_NAMES[k]}
                      </a>
                    </th>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{counts.differences[k].toLocaleString('en-GB')}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{counts.onItsWay[k].toLocaleString('en-GB')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : (
          <p class="govuk-body">The platform has not been compared with DfE yet.</p>
        )}
        <nav class="app-sub-navigation" aria-label="Differences or changes on their way">
          <ul class="govuk-list">
            {(['differences', 'on-its-way'] as const).map((s) => {
              const label = `${s === 'differences' ? 'Differences' : 'On their way to DfE'} (${sum(s === 'differences' ? counts?.differences : counts?.onItsWay).toLocaleString('en-GB')})`;
              return (
                <li>
                  {s === filter.show ? (
                    <strong aria-current="page">{label}</strong>
                  ) : (
                    <a class="govuk-link" href={showHref(s)}>
                      {label}
                    </a>
                  )}
                </li>
              );
            })}
          </ul>
        </nav>
        <h2 class="govuk-heading-l">{filter.show === 'on-its-way' ? 'On their way to DfE' : 'Differences'}</h2>
        <search>
          <form method="get" action={BASE} class="app-filters">
            {filter.show === 'on-its-way' ? <input type="hidden" name="show" value="on-its-way" /> : null}
            <Input id="q" name="q" type="search" label={{ text: 'Name or id contains', classes: 'govuk-label--s' }} hint={{ text: 'A participant’s name, or a DfE or platform id' }} value={filter.search ?? ''} />
            <FilterSelect choice={kindChoice} value={filter.kind} errors={errors} />
            <FilterButtons clearHref={showHref(filter.show)} filtered={filtered} csvHref={withQuery(`${BASE}.csv`, keep)} />
          </form>
        </search>
        <p class="govuk-body" role="status">{`${total.toLocaleString('en-GB')} ${filter.show === 'on-its-way' ? (total === 1 ? 'change on its way' : 'changes on their way') : total === 1 ? 'difference' : 'differences'}`}</p>
        {rows.length ? (
          rows.map((d) => <DifferenceCard d={d} />)
        ) : finished && !filtered ? (
          <p class="govuk-body">{filter.show === 'on-its-way' ? 'No change was on its way to DfE at the last comparison.' : 'No differences: at the last comparison the platform and DfE agreed.'}</p>
        ) : (
          <EmptyList things={filter.show === 'on-its-way' ? 'changes on their way' : 'differences'} filtered={filtered} clearHref={showHref(filter.show)} />
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });

  app.post(`${BASE}/run`, admin, async (req, reply) => {
    await askReconciliation(deps, req.actor);
    reply.flash('The platform is being compared with DfE now. The differences show here when it finishes, within a few minutes.');
    return reply.redirect(BASE, 303);
  });

  app.get<{ Querystring: Record<string, unknown> }>(`${BASE}.csv`, admin, async (req, reply) => {
    const { filter } = filterOf(req.query);
    // Walked by key (docs/adr/0044): a long list is never held whole.
    const pages = await pagesAfter((after: DifferenceKey | undefined, perPage) => differencesAfter(deps, req.actor, filter, after, perPage));
    const rows = csvBatches(['Kind', 'Name', 'Platform application id', 'DfE id', 'DfE participant id', 'The platform holds', 'DfE holds', 'On its way', 'Action', 'Where'], pages, (d: DifferenceRow) => [
      DIFFERENCE_KIND_NAMES[d.kind],
      d.name,
      d.applicationId,
      d.dfeId,
      d.dfeParticipantId,
      holdsText(d.platform, 'Nothing'),
      holdsText(d.dfe, 'Nothing'),
      d.onItsWay ? 'Yes' : 'No',
      d.action,
      fixLinkOf(d).href,
    ]);
    return sendCsv(reply, `dfe-reconciliation${filter.show === 'on-its-way' ? '-on-its-way' : ''}`, rows);
  });
}
