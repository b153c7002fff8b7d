import type { FastifyInstance } from 'fastify';
import type { Db } from '../../db/client';
import type { Clock } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { Flash } from '../../platform/flash';
import { pageNumber, paginationFor, requireAbility } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, type FilterChoice, FilterButtons, FilterSelect, chosenFilters } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { Button, Details, Input, Pagination, SummaryList } from '../../ui/govuk';
import { whyOf } from '../client/dfe-client';
import { askFullPull, CALL_OUTCOMES, type CallOutcome, dfeCalls, dismissDfeChange } from '../dfe-calls';
import { dfeAbilities } from '../domain/dfe.policy';


/** How the admin reads each change DfE is to be told of. */
const CHANGE_NAMES: Record<string, string> = { accept: 'Accepted', reject: 'Rejected', defer: 'Deferred', resume: 'Resumed', withdraw: 'Withdrawn', change_funded_place: 'Funded place changed', change_schedule: 'Schedule changed' };

/** The header cells of a table of changes, the last one the action's (named for screen readers only). */
const HeaderCells = ({ names }: { names: string[] }) => (
  <>
    {names.map((name) => (
      <th scope="col" class="govuk-table__header">
        {name}
      </th>
    ))}
    <th scope="col" class="govuk-table__header">
      <span class="govuk-visually-hidden">Action</span>
    </th>
  </>
);

interface ChangeShown {
  id: string;
  kind: string;
  applicationId: string;
  dfeApplicationId: string;
}

/** A change's application: DfE's id for it, linking to the platform's page. */
const ApplicationCell = ({ change }: { change: ChangeShown }) => (
  <td class="govuk-table__cell">
    <a class="govuk-link" href={`/admin/applications/${change.applicationId}`}>
      {`DfE ${change.dfeApplicationId}`}
    </a>
  </td>
);

/** The form that dismisses a refused change, or restores a dismissed one (POST, with the CSRF token). */
const ChangeAction = ({ ctx, change, action }: { ctx: PageContext; change: ChangeShown; action: 'dismiss' | 'restore' }) => {
  const text = action === 'dismiss' ? 'Dismiss' : 'Restore';
  return (
    <form method="post" action={`/admin/dfe/changes/${change.id}/${action}`} novalidate>
      <Csrf ctx={ctx} />
      <Button text={text} classes="govuk-button--secondary govuk-!-margin-bottom-0" preventDoubleClick attributes={{ 'aria-label': `${text}: ${CHANGE_NAMES[change.kind] ?? change.kind}, DfE ${change.dfeApplicationId}` }} />
    </form>
  );
};

const PER_PAGE = 50;
const PULL_NAMES: Record<string, string> = { applications: 'Applications registered at DfE', participants: 'Participants (DfE’s id changes)', reconcile: 'Reconciliation with DfE (everything, nightly)', declarations: 'Declarations (DfE’s states)', statements: 'Statements' };

/** DfE's answer as a tag: green for 2xx, orange for a refusal, red for a failure or none (only digits and fixed words: no escaping needed). */
const statusTag = (status: number | null) => {
  const [text, colour] = status === null ? ['No answer', 'red'] : [String(status), status < 300 ? 'green' : status < 500 ? 'orange' : 'red'];
  return `<strong class="govuk-tag govuk-tag--${colour}">${text}</strong>`;
};
const shown = (body: unknown) => {
  const text = body === null || body === undefined ? '(none)' : JSON.stringify(body, null, 2);
  return text.length > 6000 ? `${text.slice(0, 6000)}\n… (${(text.length - 6000).toLocaleString('en-GB')} more characters)` : text;
};

/** Why a record read from DfE was not taken in, and what to do. */
const SKIP_REASONS: Record<string, string> = {
  unknown_cohort: 'Its cohort is not in the platform: add the cohort, then read everything again',
  accepted_elsewhere: 'DfE shows it accepted, but the platform never had it (moved from another provider): read before transfers were taken in — the next full pull takes it in',
  person_conflict: 'The platform holds this person under another DfE participant id: check for a duplicate identity with DfE',
  id_change_conflict: 'DfE merged two participant ids into one that another person in the platform holds: the two are one person at DfE — check with DfE',
};

/**
 * DfE's Lead Provider API as the provider's admin follows it (issue 13 items 2 and 4): where each pull
 * from DfE stands, and every call the platform made, searchable by path and filtered by outcome, with
 * what was sent and what DfE answered (never the token).
 */
export async function dfeRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  app.get<{ Querystring: Record<string, unknown> }>('/admin/dfe', { preHandler: requireAbility((actor) => dfeAbilities(actor).read) }, async (req, reply) => {
    const query = Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, one(v)])) as Record<string, string>;
    const outcomeChoice: FilterChoice = { id: 'outcome', name: 'outcome', label: 'Outcome', items: Object.entries(CALL_OUTCOMES).map(([value, text]) => ({ value: value === 'all' ? '' : value, text })) };
    const chosen = chosenFilters(query, [outcomeChoice]);
    const search = one(req.query?.q).trim().slice(0, 200);
    const outcome = (chosen.values.outcome || 'all') as CallOutcome;
    const page = pageNumber(req.query?.page);
    const { rows, total, pulls, unsettled, skipped, dismissed } = await dfeCalls(opts.db, req.actor, { search, outcome }, page, PER_PAGE);
    const filtered = Boolean(search || chosen.values.outcome);
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), '/admin/dfe', { q: search || undefined, outcome: chosen.values.outcome || undefined });
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="DfE’s API" errors={chosen.errors}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">DfE’s API</h1>
        <p class="govuk-body">What the platform reads from and sends to DfE’s Lead Provider API. Every call is kept for a year.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/admin/dfe/reconciliation">
            Reconciliation: where the platform and DfE differ
          </a>
        </p>
        <h2 class="govuk-heading-m">Pulls from DfE</h2>
        {pulls.length ? (
          <SummaryList
            rows={pulls.map((p) => ({
              key: { text: PULL_NAMES[p.name] ?? p.name },
              value: { text: `${p.runStartedAt ? `Reading page ${p.nextPage} of a run started ${formatDateTime(p.runStartedAt)}.` : 'Up to date.'} ${p.lastCompletedAt ? `Last read to the end ${formatDateTime(p.lastCompletedAt)}.` : 'Not yet read to the end.'}` },
            }))}
          />
        ) : (
          <p class="govuk-body">Nothing has been pulled from DfE yet.</p>
        )}
        <form method="post" action="/admin/dfe/full-pull" novalidate>
          <Csrf ctx={ctx} />
          <Button text="Read everything from DfE on the next pull" classes="govuk-button--secondary" preventDoubleClick />
        </form>
        <h2 class="govuk-heading-m">Records not taken in</h2>
        {skipped.length ? (
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">Applications read from DfE that the platform could not take in</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header">
                  DfE application
                </th>
                <th scope="col" class="govuk-table__header">
                  Person and NPQ
                </th>
                <th scope="col" class="govuk-table__header">
                  Why
                </th>
                <th scope="col" class="govuk-table__header">
                  Last read
                </th>
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {skipped.map((r) => {
                const a = ((r.record as { attributes?: Record<string, unknown> }).attributes ?? {}) as Record<string, unknown>;
                return (
                  <tr class="govuk-table__row">
                    <td class="govuk-table__cell">{r.dfeApplicationId}</td>
                    <td class="govuk-table__cell">{`${String(a.full_name ?? '')}, ${String(a.course_identifier ?? '')}, cohort ${String(a.cohort ?? '')}${String(a.cohort_suffix ?? '')}`}</td>
                    <td class="govuk-table__cell">{SKIP_REASONS[r.reason] ?? r.reason}</td>
                    <td class="govuk-table__cell">{formatDateTime(r.seenAt)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p class="govuk-body">Every application read from DfE is in the platform.</p>
        )}
        <h2 class="govuk-heading-m">Changes DfE does not have</h2>
        {unsettled.length ? (
          <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">Decisions and changes of training status waiting to reach DfE, or refused by DfE</caption>
            <thead class="govuk-table__head">
              <tr class="govuk-table__row">
                <HeaderCells names={['Application', 'Change', 'State', 'Made', 'Why']} />
              </tr>
            </thead>
            <tbody class="govuk-table__body">
              {unsettled.map((c) => (
                <tr class="govuk-table__row">
                  <ApplicationCell change={c} />
                  <td class="govuk-table__cell">{CHANGE_NAMES[c.kind] ?? c.kind}</td>
                  <td class="govuk-table__cell">{c.state === 'refused' ? ((c.answer as { note?: unknown } | null)?.note ? 'Not sent' : 'Refused by DfE') : c.attempts ? `Waiting (sent ${c.attempts === 1 ? 'once' : `${c.attempts} times`})` : 'Waiting'}</td>
                  <td class="govuk-table__cell">{formatDateTime(c.createdAt)}</td>
                  <td class="govuk-table__cell">{whyOf(c.answer)}</td>
                  <td class="govuk-table__cell">{c.state === 'refused' ? <ChangeAction ctx={ctx} change={c} action="dismiss" /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p class="govuk-body">DfE has every decision and change of status sent to it.</p>
        )}
        {dismissed.length ? (
          <Details summaryText={`Dismissed refusals (${dismissed.length})`}>
            <table class="govuk-table">
              <caption class="govuk-table__caption govuk-visually-hidden">Changes DfE refused, or the platform did not send, that an admin dismissed</caption>
              <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                  <HeaderCells names={['Application', 'Change', 'Dismissed', 'Why it was refused']} />
                </tr>
              </thead>
              <tbody class="govuk-table__body">
                {dismissed.map((c) => (
                  <tr class="govuk-table__row">
                    <ApplicationCell change={c} />
                    <td class="govuk-table__cell">{CHANGE_NAMES[c.kind] ?? c.kind}</td>
                    <td class="govuk-table__cell">{c.dismissedAt ? formatDateTime(c.dismissedAt) : ''}</td>
                    <td class="govuk-table__cell">{whyOf(c.answer)}</td>
                    <td class="govuk-table__cell">
                      <ChangeAction ctx={ctx} change={c} action="restore" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Details>
        ) : null}
        <h2 class="govuk-heading-m">Calls</h2>
        <search>
          <form method="get" action="/admin/dfe" class="app-filters">
            <Input id="q" name="q" type="search" label={{ text: 'Path contains', classes: 'govuk-label--s' }} hint={{ text: 'For example npq-applications, or a participant’s id' }} value={search} />
            <FilterSelect choice={outcomeChoice} value={chosen.values.outcome} errors={chosen.errors} />
            <FilterButtons clearHref="/admin/dfe" filtered={filtered} />
          </form>
        </search>
        <p class="govuk-body" role="status">{`${total.toLocaleString('en-GB')} ${total === 1 ? 'call' : 'calls'}`}</p>
        {rows.length ? (
          rows.map((c) => (
            <div class="app-card">
              <h3 class="govuk-heading-s">{`${c.method} ${c.path}`}</h3>
              <SummaryList
                classes="govuk-summary-list--no-border"
                rows={[
                  { key: { text: 'When' }, value: { text: formatDateTime(c.at) } },
                  { key: { text: 'Answer' }, value: { html: statusTag(c.status) } },
                  { key: { text: 'Took' }, value: { text: `${c.durationMs.toLocaleString('en-GB')} ms` } },
                  { key: { text: 'For' }, value: { text: c.purpose } },
                  c.error ? { key: { text: 'Note' }, value: { text: c.error } } : null,
                ]}
              />
              <Details summaryText="What was sent and answered">
                <p class="govuk-body-s govuk-!-font-weight-bold">Sent</p>
                <pre class="app-code">{shown(c.requestBody)}</pre>
                <p class="govuk-body-s govuk-!-font-weight-bold">Answered</p>
                <pre class="app-code">{shown(c.responseBody)}</pre>
              </Details>
            </div>
          ))
        ) : (
          <EmptyList things="calls" filtered={filtered} clearHref="/admin/dfe" />
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });

  // Dismiss a refusal the admin has dealt with, or restore one dismissed by mistake (dismissDfeChange: audited).
  for (const action of ['dismiss', 'restore'] as const) {
    app.post<{ Params: { id: string } }>(`/admin/dfe/changes/:id/${action}`, { preHandler: requireAbility((actor) => dfeAbilities(actor).read) }, async (req, reply) => {
      await dismissDfeChange(opts.db, opts.clock, req.actor, req.params.id, action);
      reply.flash(action === 'dismiss' ? 'Refusal dismissed. It is listed under “Dismissed refusals”, where you can restore it.' : 'Refusal restored to the changes DfE does not have.');
      return reply.redirect('/admin/dfe', 303);
    });
  }

  app.post('/admin/dfe/full-pull', { preHandler: requireAbility((actor) => dfeAbilities(actor).read) }, async (req, reply) => {
    await askFullPull(opts.db, opts.clock, req.actor);
    reply.flash('The next pull from DfE reads everything again. It runs within 5 minutes.');
    return reply.redirect('/admin/dfe', 303);
  });
}
