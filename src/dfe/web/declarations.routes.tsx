import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { type CsvCell, pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { type Clock, formatDate, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import type { FieldErrors } from '../../platform/errors';
import { ValidationError } from '../../platform/errors';
import { Flash } from '../../platform/flash';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, type FilterChoice, FilterButtons, FilterSelect, chosenFilters } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { BackLink, Button, CharacterCount, Checkboxes, Input, Pagination, Radios, SummaryList, TEXTAREA_MAXLENGTH, WarningText } from '../../ui/govuk';
import { whyOf } from '../client/dfe-client';
import { approveDeclarations, askReadBack, currentDeclarationSettings, DECLARATION_TABS, type DeclarationRow, type DeclarationTab, declarationById, dismissDeclaration, listDeclarations, proposeAgain, REASON_MAX, requestVoid, saveDeclarationSettings, weighEvidenceNow } from '../declarations/declarations.service';
import { MISSED_MILESTONE_MEANS, voidEffect } from '../domain/declarations';
import { DECLARATION_TYPES, type DeclarationType } from '../domain/dfe-reference-data';
import { declarationScope, managesDeclarations } from '../domain/dfe.policy';

const BASE = '/admin/dfe/declarations';
const PER_PAGE = 25;

/** DfE's states in the admin's words (docs/dfe-api.md §2.5). */
const DFE_STATES: Record<string, string> = {
  submitted: 'Submitted: DfE will not pay it (the place is not funded)',
  eligible: 'Eligible for payment',
  payable: 'Payable',
  paid: 'Paid',
  ineligible: 'Ineligible: a duplicate of another declaration for this person',
  voided: 'Voided',
  'awaiting-clawback': 'Awaiting clawback',
  'clawed-back': 'Clawed back',
};
const TYPE_NAMES: Record<DeclarationType, string> = { started: 'Started', 'retained-1': 'Retained 1', 'retained-2': 'Retained 2', completed: 'Completed' };

/** The page's query string, from one place for tabs, filters, paging, the CSV link and the approve form: empty values left out; "" or "?…". */
export const queryString = (params: Record<string, string | undefined>): string => {
  const qs = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => Boolean(e[1]))).toString();
  return qs ? `?${qs}` : '';
};

/** Where a declaration stands, in words and a tag colour (GOV.UK tag classes; fixed words only). */
export function standing(r: DeclarationRow): { text: string; colour: string } {
  if (r.voidedAt) return { text: DFE_STATES[r.dfeState ?? ''] ?? 'Voided', colour: 'grey' };
  if (r.voidRequestedAt) return { text: 'Void being sent', colour: 'yellow' };
  if (r.state === 'proposed') return r.milestoneStanding === 'missed' ? { text: 'Due, milestone missed', colour: 'red' } : r.milestoneStanding === 'near' ? { text: 'Due, at risk', colour: 'red' } : { text: 'Due', colour: 'blue' };
  if (r.state === 'approved') return { text: 'Being sent', colour: 'yellow' };
  if (r.state === 'refused') return { text: 'Refused by DfE', colour: 'red' };
  if (r.state === 'dismissed') return { text: 'Dismissed', colour: 'grey' };
  return { text: DFE_STATES[r.dfeState ?? ''] ?? 'Sent', colour: r.dfeState === 'paid' ? 'green' : 'turquoise' };
}

/** DfE's statement for it, in words; dates by `date` (the page's long dates, the CSV's ISO ones). */
const statementText = (r: DeclarationRow, date: (d: string) => string = formatDate): string | null => {
  if (r.clawbackStatement) return `Clawed back on DfE’s ${r.clawbackStatement.month} ${r.clawbackStatement.year} statement (paid ${date(r.clawbackStatement.paymentDate)})`;
  if (r.statement) return `On DfE’s ${r.statement.month} ${r.statement.year} statement, ${r.statement.paid ? 'paid' : 'to be paid'} on ${date(r.statement.paymentDate)}`;
  if (r.state === 'sent' && ['eligible', 'payable', 'paid'].includes(r.dfeState ?? '')) return 'On a statement DfE has not been read for yet';
  return null;
};

/**
 * The milestone line, for a declaration not yet at DfE only: once sent (or voided, or dismissed) DfE's
 * state and statement say when it is paid, and the milestone says nothing more.
 */
export function milestoneText(r: DeclarationRow): string | null {
  if (r.voidedAt || !['proposed', 'approved', 'refused'].includes(r.state)) return null;
  if (!r.milestone) return 'DfE has published no milestone for this cohort: the statement it lands on says when it is paid';
  if (r.milestoneStanding === 'missed') return `Milestone missed: it was ${formatDate(r.milestone.milestoneDate)}, for payment on ${formatDate(r.milestone.paymentDate)}. ${MISSED_MILESTONE_MEANS}`;
  return `Send by ${formatDate(r.milestone.milestoneDate)} to be paid on ${formatDate(r.milestone.paymentDate)}`;
}

/** One declaration's facts, as every list and page shows them. */
function DeclarationFacts({ r }: { r: DeclarationRow }) {
  const s = standing(r);
  const why = whyOf(r.answer);
  const statement = statementText(r);
  const milestone = milestoneText(r);
  return (
    <SummaryList
      classes="govuk-summary-list--no-border"
      rows={[
        { key: { text: 'NPQ and cohort' }, value: { text: `${r.courseName}, cohort ${r.cohort}` } },
        { key: { text: 'Date' }, value: { text: formatDateTime(r.declarationDate) } },
        { key: { text: 'Evidence' }, value: { text: r.declarationType === 'completed' && r.hasPassed !== null ? `${r.evidence} (has passed: ${r.hasPassed ? 'yes' : 'no'})` : r.evidence } },
        milestone ? { key: { text: 'Milestone' }, value: { text: milestone } } : null,
        { key: { text: 'State' }, value: { html: `<strong class="govuk-tag govuk-tag--${s.colour}">${s.text}</strong>` } },
        statement ? { key: { text: 'Statement' }, value: { text: statement } } : null,
        why ? { key: { text: r.state === 'refused' ? 'Why' : 'Note' }, value: { text: why } } : null,
        r.dfeDeclarationId ? { key: { text: 'DfE’s id' }, value: { text: r.dfeDeclarationId } } : null,
      ]}
    />
  );
}

const typeChoice: FilterChoice = { id: 'type', name: 'type', label: 'Declaration', items: [{ value: '', text: 'Any declaration' }, ...DECLARATION_TYPES.map((t) => ({ value: t, text: TYPE_NAMES[t] }))] };
// Own keys only: `toString` or `__proto__` are no tab (an `in` test would take them from the prototype).
const tabOf = (v: unknown): DeclarationTab => (Object.hasOwn(DECLARATION_TABS, one(v)) ? (one(v) as DeclarationTab) : 'due');

/**
 * Declarations to DfE (issue 13 items 3 and 7): what the evidence has made due, what is at risk of
 * missing its milestone, being sent, sent (with DfE's state and statement), refused in DfE's words,
 * voided and dismissed; searched by name, filtered by type, paged. The admin approves (several at
 * once), dismisses and restores, voids, sets the rules and weighs the evidence now; a delivery partner's
 * lead reads their own partner's only. Every action is audited by its use case.
 */
export async function declarationRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const deps = { db: opts.db, clock: opts.clock };
  const reads = requireAbility((actor) => declarationScope(actor) !== null);
  const manages = requireAbility(managesDeclarations);

  const listPage = async (req: FastifyRequest<{ Querystring: Record<string, unknown> }>, reply: FastifyReply, errors?: FieldErrors, chosenIds: string[] = []) => {
    const query = Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, one(v)])) as Record<string, string>;
    const tab = tabOf(query.tab);
    const chosen = chosenFilters(query, [typeChoice]);
    const search = one(req.query?.q).trim().slice(0, 200);
    const page = pageNumber(req.query?.page);
    const type = (chosen.values.type || undefined) as DeclarationType | undefined;
    const { rows, total, counts } = await listDeclarations(deps, req.actor, { tab, search, type }, page, PER_PAGE);
    const manage = managesDeclarations(req.actor);
    const settings = await currentDeclarationSettings(deps, req.actor);
    const filtered = Boolean(search || type);
    const keep = { tab: tab === 'due' ? undefined : tab, q: search || undefined, type: type || undefined };
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), BASE, keep);
    const href = (t: DeclarationTab) => `${BASE}${queryString({ ...keep, tab: t === 'due' ? undefined : t })}`;
    const approvable = manage && (tab === 'due' || tab === 'refused' || tab === 'at-risk') && rows.some((r) => r.actions.includes('approve'));
    const cards = (ctx: PageContext) => rows.map((r) => (
      <div class="app-card">
        <h3 class="govuk-heading-s">{`${r.fullName}: ${TYPE_NAMES[r.declarationType]}`}</h3>
        <DeclarationFacts r={r} />
        {approvable && r.actions.includes('approve') ? <Checkboxes idPrefix={`ids-${r.id}`} name="ids" classes="govuk-checkboxes--small" values={chosenIds} items={[{ value: r.id, text: `Approve ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration` }]} /> : null}
        <p class="govuk-body">
          {r.actions.includes('dismiss') ? (
            <a class="govuk-link" href={`${BASE}/${r.id}/dismiss`}>
              Dismiss<span class="govuk-visually-hidden">{` ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration`}</span>
            </a>
          ) : null}
          {r.actions.includes('void') ? (
            <a class="govuk-link" href={`${BASE}/${r.id}/void`}>
              Void<span class="govuk-visually-hidden">{` ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration`}</span>
            </a>
          ) : null}
        </p>
        {manage && r.voidedAt ? (
          <form method="post" action={`${BASE}/${r.id}/propose-again`} novalidate>
            <Csrf ctx={ctx} />
            <Button text={`Propose ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration again`} classes="govuk-button--secondary" preventDoubleClick />
          </form>
        ) : null}
        {r.actions.includes('restore') ? (
          <form method="post" action={`${BASE}/${r.id}/restore`} novalidate>
            <Csrf ctx={ctx} />
            <Button text={`Restore ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration`} classes="govuk-button--secondary" preventDoubleClick />
          </form>
        ) : null}
      </div>
    ));
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Declarations to DfE" errors={errors ?? chosen.errors} errorTargets={{ ids: 'ids' }}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">Declarations to DfE</h1>
          <p class="govuk-body">
            {`DfE pays for a participant’s place when it is told they started, were retained and completed. The platform proposes each declaration when the participant’s evidence meets the rule for it: started on the first session attended or module completed; retained 1 after ${settings.retained1Activities} and retained 2 after ${settings.retained2Activities} sessions attended or modules completed; completed on the released result of assessment. ${settings.sendAutomatically ? 'Due declarations are sent without approval.' : 'Each is sent to DfE once approved.'}`}
          </p>
          {manage ? (
            <div class="govuk-button-group">
              <form method="post" action={`${BASE}/weigh`} novalidate>
                <Csrf ctx={ctx} />
                <Button text="Check everyone’s evidence now" classes="govuk-button--secondary" preventDoubleClick />
              </form>
              <form method="post" action={`${BASE}/read-back`} novalidate>
                <Csrf ctx={ctx} />
                <Button text="Read DfE’s states and statements now" classes="govuk-button--secondary" preventDoubleClick />
              </form>
              <a class="govuk-button govuk-button--secondary" data-module="govuk-button" href={`${BASE}/rules`}>
                Change the rules
              </a>
              <a class="govuk-link" href="/admin/dfe/finance">
                Finance: DfE’s statements
              </a>
            </div>
          ) : null}
          {/* GOV.UK tabs' markup for links to the other lists (no tabs script: each is a page of its own). */}
          <nav class="govuk-tabs" aria-label="Declarations by where they stand">
            <ul class="govuk-tabs__list">
              {(Object.keys(DECLARATION_TABS) as DeclarationTab[]).map((t) => (
                <li class={`govuk-tabs__list-item${t === tab ? ' govuk-tabs__list-item--selected' : ''}`}>
                  <a class="govuk-tabs__tab" href={href(t)} {...(t === tab ? { 'aria-current': 'page' as const } : {})}>{`${DECLARATION_TABS[t]} (${(counts[t] ?? 0).toLocaleString('en-GB')})`}</a>
                </li>
              ))}
            </ul>
          </nav>
          <h2 class="govuk-heading-l">{DECLARATION_TABS[tab]}</h2>
          <search>
            <form method="get" action={BASE} class="app-filters">
              {tab === 'due' ? null : <input type="hidden" name="tab" value={tab} />}
              <Input id="q" name="q" type="search" label={{ text: 'Participant’s name contains', classes: 'govuk-label--s' }} value={search} />
              <FilterSelect choice={typeChoice} value={chosen.values.type} errors={chosen.errors} />
              <FilterButtons clearHref={`${BASE}${queryString({ tab: keep.tab })}`} filtered={filtered} />
            </form>
          </search>
          <p class="govuk-body" role="status">{`${total.toLocaleString('en-GB')} ${total === 1 ? 'declaration' : 'declarations'}`}</p>
          {total ? (
            <p class="govuk-body">
              <a class="govuk-link" href={`${BASE}.csv${queryString({ ...keep, tab })}`} download>
                Download these declarations (CSV)
              </a>
            </p>
          ) : null}
          {rows.length ? (
            approvable ? (
              <form method="post" action={`${BASE}/approve${queryString(keep)}`} novalidate>
                <Csrf ctx={ctx} />
                {errors?.ids ? (
                  <div class="govuk-form-group govuk-form-group--error">
                    <p class="govuk-error-message" id="ids">
                      <span class="govuk-visually-hidden">Error:</span> {errors.ids}
                    </p>
                  </div>
                ) : null}
                {cards(ctx)}
                <Button text="Approve the selected declarations and send them to DfE" preventDoubleClick />
              </form>
            ) : (
              cards(ctx)
            )
          ) : (
            <EmptyList things="declarations" filtered={filtered} clearHref={href(tab)} />
          )}
          {pagination ? <Pagination {...pagination} /> : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Querystring: Record<string, unknown> }>(BASE, { preHandler: reads }, (req, reply) => listPage(req, reply));

  // The list as the page filters it, every page, for a spreadsheet.
  app.get<{ Querystring: Record<string, unknown> }>(`${BASE}.csv`, { preHandler: reads }, async (req, reply) => {
    const tab = tabOf(req.query?.tab);
    const type = one(req.query?.type);
    const filter = { tab, search: one(req.query?.q).trim().slice(0, 200), type: (DECLARATION_TYPES as readonly string[]).includes(type) ? (type as DeclarationType) : undefined };
    // Dates as a spreadsheet reads them: ISO 8601 instants and ISO dates, every column alike.
    const rows: CsvCell[][] = [['Participant', 'NPQ', 'NPQ identifier', 'Cohort', 'Declaration', 'Date', 'Evidence', 'Has passed', 'Where it stands', 'DfE state', 'DfE id', 'Statement', 'Milestone', 'Why or note']];
    // By id, not by page: the list changes while it is read (sends and pulls move its order), and none may be read twice or missed.
    for (let afterId = ''; ; ) {
      const { rows: found } = await listDeclarations(deps, req.actor, { ...filter, afterId }, 1, 1_000);
      for (const r of found) rows.push([r.fullName, r.courseName, r.courseIdentifier, r.cohort, TYPE_NAMES[r.declarationType], r.declarationDate.toISOString(), r.evidence, r.hasPassed === null ? '' : r.hasPassed ? 'yes' : 'no', standing(r).text, r.dfeState, r.dfeDeclarationId, statementText(r, (d) => d), r.milestone?.milestoneDate, whyOf(r.answer)]);
      if (found.length < 1_000) break;
      afterId = found.at(-1)!.id;
    }
    return sendCsv(reply, `dfe-declarations-${tab}`, rows);
  });

  app.post<{ Querystring: Record<string, unknown>; Body: Record<string, unknown> }>(`${BASE}/approve`, { preHandler: manages, config: { repeatable: ['ids'] } }, async (req, reply) => {
    const raw = req.body?.ids;
    const ids = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map(String).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    try {
      const n = await approveDeclarations(deps, req.actor, ids);
      reply.flash(`${n} ${n === 1 ? 'declaration is' : 'declarations are'} approved and being sent to DfE. DfE’s answer shows here within a few minutes.`);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors, ids);
      throw err;
    }
    return reply.redirect(`${BASE}${queryString(Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, one(v)])))}`, 303);
  });

  app.post(`${BASE}/weigh`, { preHandler: manages }, async (req, reply) => {
    const run = await weighEvidenceNow(deps, req.actor);
    reply.flash(`Everyone’s evidence is checked: ${run.proposed} ${run.proposed === 1 ? 'declaration is' : 'declarations are'} newly due${run.approved.length ? ' and being sent, as the rules say' : ''}, ${run.withdrawn} no longer supported by the evidence.`);
    return reply.redirect(BASE, 303);
  });

  app.post(`${BASE}/read-back`, { preHandler: manages }, async (req, reply) => {
    await askReadBack(deps, req.actor);
    reply.flash('DfE’s states and statements are being read now. They show here within a minute.');
    return reply.redirect(`${BASE}?tab=sent`, 303);
  });

  // ——— One declaration: dismiss, restore, void ———

  const onePage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, action: 'dismiss' | 'void', errors?: FieldErrors, reason = '') => {
    const r = await declarationById(deps, req.actor, req.params.id);
    const title = action === 'dismiss' ? `Dismiss ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration` : `Void ${r.fullName}’s ${TYPE_NAMES[r.declarationType].toLowerCase()} declaration`;
    // A void done or on its way (or one DfE's state does not allow): its state, and no button to press again.
    const voidClosed = action === 'void' && !r.actions.includes('void');
    const closed = r.voidedAt
      ? { said: 'This declaration is voided at DfE: there is nothing more to do here.', tab: 'voided' as DeclarationTab }
      : r.voidRequestedAt
        ? { said: 'A void of this declaration is on its way to DfE: it moves to Voided once DfE has it.', tab: 'sending' as DeclarationTab }
        : { said: 'This declaration cannot be voided now: it is not at DfE, or DfE’s state does not allow a void.', tab: 'sent' as DeclarationTab };
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={title} errors={errors} beforeContent={<BackLink href={BASE} text="Back to declarations" />}>
          <h1 class="govuk-heading-l">{title}</h1>
          <DeclarationFacts r={r} />
          {errors?.id ? (
            <p class="govuk-error-message" id="id">
              <span class="govuk-visually-hidden">Error:</span> {errors.id}
            </p>
          ) : null}
          {voidClosed ? (
            <>
              <p class="govuk-body">{closed.said}</p>
              <p class="govuk-body">
                <a class="govuk-link" href={`${BASE}${queryString({ tab: closed.tab })}`}>
                  Back to declarations
                </a>
              </p>
            </>
          ) : (
            <>
              <form method="post" action={`${BASE}/${r.id}/${action}`} novalidate>
                <Csrf ctx={ctx} />
                {action === 'dismiss' ? (
                  <>
                    <p class="govuk-body">A dismissed declaration is not sent to DfE, and the evidence does not propose it again. You can restore it later.</p>
                    <CharacterCount id="reason" name="reason" rows={3} maxlength={REASON_MAX} label={{ text: 'Why is it not to be made?', classes: 'govuk-label--s' }} hint={{ text: 'For example: agreed with DfE by email, or the evidence was recorded by mistake' }} value={reason} errorMessage={errors?.reason ? { text: errors.reason } : undefined} />
                    <Button text="Dismiss it" preventDoubleClick />
                  </>
                ) : (
                  <>
                    <WarningText text={`${voidEffect(r.dfeState)} This cannot be undone.`} />
                    <h2 class="govuk-heading-m">What happens next</h2>
                    <p class="govuk-body">The void is sent to DfE, and the declaration moves to Voided once DfE has it. The platform does not propose it again from the same evidence (the same declaration on the same date). It is proposed again only when the evidence changes its date, or when you choose “Propose it again” on the Voided list, to approve and send as a new declaration.</p>
                    <Button text="Void it at DfE" classes="govuk-button--warning" preventDoubleClick />
                  </>
                )}
              </form>
              <p class="govuk-body">
                <a class="govuk-link" href={BASE}>
                  Cancel
                </a>
              </p>
            </>
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>(`${BASE}/:id/dismiss`, { preHandler: manages }, (req, reply) => onePage(req, reply, 'dismiss'));
  app.post<{ Params: { id: string }; Body: Record<string, unknown> }>(`${BASE}/:id/dismiss`, { preHandler: manages }, async (req, reply) => {
    // Kept as typed (up to the textarea's own limit) to show again beside the error.
    const reason = one(req.body?.reason).slice(0, TEXTAREA_MAXLENGTH);
    try {
      await dismissDeclaration(deps, req.actor, req.params.id, reason);
    } catch (err) {
      if (err instanceof ValidationError) return onePage(req, reply, 'dismiss', err.fieldErrors, reason);
      throw err;
    }
    reply.flash('The declaration is dismissed: it will not be sent. Restore it from the Dismissed list.');
    return reply.redirect(BASE, 303);
  });
  /** A one-button action on a declaration from its list: done, told so on the due list; refused, told why on the list it came from. */
  const listAction = (path: string, act: (id: string, actor: FastifyRequest['actor']) => Promise<unknown>, done: string, from: DeclarationTab) =>
    app.post<{ Params: { id: string } }>(`${BASE}/:id/${path}`, { preHandler: manages }, async (req, reply) => {
      try {
        await act(req.params.id, req.actor);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        reply.flash(Object.values(err.fieldErrors)[0] ?? 'That could not be done now', 'important');
        return reply.redirect(`${BASE}${queryString({ tab: from })}`, 303);
      }
      reply.flash(done);
      return reply.redirect(BASE, 303);
    });
  listAction('restore', (id, actor) => dismissDeclaration(deps, actor, id, null), 'The declaration is restored: it is due for approval again.', 'dismissed');
  // Audited by proposeAgain: the evidence alone does not propose again what was voided from it.
  listAction('propose-again', (id, actor) => proposeAgain(deps, actor, id), 'The declaration is proposed again: it is due for approval.', 'voided');
  app.get<{ Params: { id: string } }>(`${BASE}/:id/void`, { preHandler: manages }, (req, reply) => onePage(req, reply, 'void'));
  app.post<{ Params: { id: string } }>(`${BASE}/:id/void`, { preHandler: manages }, async (req, reply) => {
    try {
      await requestVoid(deps, req.actor, req.params.id);
    } catch (err) {
      if (err instanceof ValidationError) return onePage(req, reply, 'void', err.fieldErrors);
      throw err;
    }
    reply.flash('The void is being sent to DfE. The declaration moves to Voided once DfE has it.');
    return reply.redirect(`${BASE}?tab=sending`, 303);
  });

  // ——— The provider's rules ———

  const rulesPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors, values?: Record<string, string>) => {
    const now = await currentDeclarationSettings(deps, req.actor);
    const v = values ?? { retained1Activities: String(now.retained1Activities), retained2Activities: String(now.retained2Activities), sendAutomatically: now.sendAutomatically ? 'yes' : 'no' };
    const err = (field: string) => (errors?.[field] ? { text: errors[field]! } : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Rules for declarations" errors={errors} errorTargets={{ sendAutomatically: 'sendAutomatically' }} beforeContent={<BackLink href={BASE} text="Back to declarations" />}>
          <h1 class="govuk-heading-l">Rules for declarations</h1>
          <p class="govuk-body">Started is due on a participant’s first session attended or module completed, and completed on their released result. Retention is due after as many sessions attended or modules completed as you set here.</p>
          <form method="post" action={`${BASE}/rules`} novalidate>
            <Csrf ctx={ctx} />
            <Input id="retained1Activities" name="retained1Activities" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Retained 1: sessions attended or modules completed', classes: 'govuk-label--s' }} value={v.retained1Activities} errorMessage={err('retained1Activities')} />
            <Input id="retained2Activities" name="retained2Activities" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Retained 2 (leadership NPQs): sessions attended or modules completed', classes: 'govuk-label--s' }} value={v.retained2Activities} errorMessage={err('retained2Activities')} />
            <Radios
              idPrefix="sendAutomatically"
              name="sendAutomatically"
              fieldset={{ legend: { text: 'Send due declarations without approval?', classes: 'govuk-fieldset__legend--s' } }}
              value={v.sendAutomatically}
              errorMessage={err('sendAutomatically')}
              items={[
                { value: 'no', text: 'No, an admin approves each' },
                { value: 'yes', text: 'Yes, send them as soon as the evidence is there' },
              ]}
            />
            <Button text="Save the rules" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };
  app.get(`${BASE}/rules`, { preHandler: manages }, (req, reply) => rulesPage(req, reply));
  app.post<{ Body: Record<string, unknown> }>(`${BASE}/rules`, { preHandler: manages }, async (req, reply) => {
    const values = { retained1Activities: one(req.body?.retained1Activities).slice(0, 20), retained2Activities: one(req.body?.retained2Activities).slice(0, 20), sendAutomatically: one(req.body?.sendAutomatically).slice(0, 5) };
    try {
      await saveDeclarationSettings(deps, req.actor, values);
    } catch (err) {
      if (err instanceof ValidationError) return rulesPage(req, reply, err.fieldErrors, values);
      throw err;
    }
    reply.flash('The rules are saved. Declarations not yet approved follow them from the next check of the evidence.');
    return reply.redirect(BASE, 303);
  });
}
