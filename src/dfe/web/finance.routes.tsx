import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/client';
import { pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { type Clock, formatDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { Flash } from '../../platform/flash';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { chosenFilters, EmptyList, type FilterChoice, FilterButtons, FilterSelect } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { BackLink, Button, Input, Pagination, Select, SummaryList, Table } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import { DECLARATION_TYPES, type DeclarationType } from '../domain/dfe-reference-data';
import { financeAbilities } from '../domain/dfe.policy';
import { type CohortBasis, type Contract, DIFFERENCE_CAUSES, formatPounds, LINE_NOTES, type LineNote, monthlyServiceFeePence, shortId } from '../domain/finance';
import { exportName, sendXlsx, statementLineRows, statementName } from '../finance/finance-export';
import { CONTRACT_COURSES, type ContractInput, contractCohorts, forecast, listContracts, listStatements, npqNames, saveContract, statementReckoning } from '../finance/finance.service';

const BASE = '/admin/dfe/finance';
const PER_PAGE = 12;
const TYPE_NAMES: Record<DeclarationType, string> = { started: 'Started', 'retained-1': 'Retained 1', 'retained-2': 'Retained 2', completed: 'Completed' };
/** DfE's states as the counts name them (docs/dfe-api.md §2.5). */
const STATE_NAMES: Record<string, string> = { submitted: 'Submitted', eligible: 'Eligible', payable: 'Payable', paid: 'Paid', ineligible: 'Ineligible', voided: 'Voided', 'awaiting-clawback': 'Awaiting clawback', 'clawed-back': 'Clawed back', unknown: 'Not yet read' };
/** Which statements: up to the one open now (the default), or DfE's later ones too. */
const WHEN: FilterChoice = { id: 'when', name: 'when', label: 'Statements', items: [{ value: '', text: 'Up to the one open now' }, { value: 'all', text: 'Later ones too' }] };
const money = (pence: number | null) => (pence === null ? 'No contract' : formatPounds(pence));
const poundsOf = (pence: number) => (pence / 100).toFixed(2);
/** A statement's cohort as the pages show it: the identifier with its suffix, said as taken where assumed, its candidates where not told. */
const cohortLabel = (r: { cohort: string | null; cohortBasis: CohortBasis; cohortCandidates: string[]; statement: { cohort: string } }) =>
  r.cohort ? `${r.cohort}${r.cohortBasis === 'assumed' ? ' (taken to be)' : ''}` : `${r.cohortCandidates.join(' or ') || r.statement.cohort}${r.cohortBasis === 'no_contract' ? ' (no contract)' : ' (not known)'}`;
/** A line's note, with the statement it points to. */
const lineNote = (note: LineNote | null, on: { month: string; year: string; paymentDate: string } | undefined) => (note ? `${LINE_NOTES[note]}${note === 'voided_after_payment' && on ? ` (${on.month} ${on.year})` : ''}` : '');
const monthName = (yyyyMm: string) => new Date(`${yyyyMm}-01T12:00:00Z`).toLocaleDateString('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/**
 * The finance pages (issue 13 items 5 and 7): DfE's statements per cohort and period, each with what
 * the platform expects against what DfE holds and every difference's cause; a statement's lines as CSV
 * and Excel; the forecast of output payments to come; the contracts they are priced by, which the admin
 * sets (audited by the use case) and finance reads. The admin and finance only; 403 for everyone else.
 */
export async function financeRoutes(app: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const deps = { db: opts.db, clock: opts.clock };
  const reads = requireAbility((actor) => financeAbilities(actor).read);
  const manages = requireAbility((actor) => financeAbilities(actor).manageContracts);

  app.get<{ Querystring: Record<string, unknown> }>(BASE, { preHandler: reads }, async (req, reply) => {
    const page = pageNumber(req.query?.page);
    const asked = one(req.query?.cohort).slice(0, 20);
    const all = await listStatements(deps, req.actor, {}, 1, 0);
    const cohortChoice: FilterChoice = { id: 'cohort', name: 'cohort', label: 'Cohort (DfE’s start year)', items: [{ value: '', text: 'Every cohort' }, ...all.cohorts.map((c) => ({ value: c, text: c }))] };
    const chosen = chosenFilters({ cohort: asked || undefined, when: one(req.query?.when).slice(0, 20) || undefined }, [cohortChoice, WHEN]);
    const { cohort, when } = chosen.values;
    const { rows, total } = await listStatements(deps, req.actor, { cohort, future: when === 'all' }, page, PER_PAGE);
    const contracts = await listContracts(deps, req.actor);
    const groups = await forecast(deps, req.actor);
    const names = await npqNames(deps, req.actor);
    const npq = (id: string) => names.get(id) ?? id;
    const toCome = groups.filter((g) => !g.missed);
    const missed = groups.filter((g) => g.missed);
    const assumed = rows.filter((r) => r.cohortBasis === 'assumed');
    const ambiguous = rows.filter((r) => r.cohortBasis === 'ambiguous');
    const manage = financeAbilities(req.actor).manageContracts;
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), BASE, { cohort, when });
    const forecastTotal = toCome.reduce((n, g) => n + g.pence, 0);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Finance: DfE’s statements" errors={chosen.errors}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Finance: DfE’s statements</h1>
        <p class="govuk-body">DfE pays the provider an output payment for each declaration it holds eligible, on the statement whose cut-off follows it, and a monthly service fee. DfE’s API gives no amounts: the platform prices each statement from the contracts below, and compares what it sent with what DfE shows on the statement.</p>
        <p class="govuk-body">
          <a class="govuk-link" href="/admin/dfe/declarations">
            Declarations to DfE
          </a>
          {' · '}
          <a class="govuk-link" href="/admin/dfe/reconciliation">
            Reconciliation with DfE
          </a>
        </p>
        <h2 class="govuk-heading-l">Statements</h2>
        <search>
          <form method="get" action={BASE} class="app-filters">
            <FilterSelect choice={cohortChoice} value={cohort} errors={chosen.errors} />
            <FilterSelect choice={WHEN} value={when} errors={chosen.errors} />
            <FilterButtons clearHref={BASE} filtered={Boolean(cohort || when)} />
          </form>
        </search>
        <p class="govuk-body" role="status">{`${total.toLocaleString('en-GB')} ${total === 1 ? 'statement' : 'statements'}`}</p>
        {assumed.length ? (
          <p class="govuk-body">{`DfE names a statement’s cohort by its start year only, and lists two statements a month for some years, alike but for DfE’s id. Where none of the platform’s declarations is on either yet and the provider has a contract for only one of the year’s cohorts, the platform takes the first by DfE’s id to be that cohort’s, and reckons its service fee there (“taken to be”): the month’s total is the same either way. Once a declaration lands on one, the platform knows which is which.`}</p>
        ) : null}
        {ambiguous.length ? (
          <p class="govuk-body">{`Which cohort ${ambiguous.length === 1 ? 'one statement is' : `${ambiguous.length} statements are`} for cannot be told (“not known”): the provider has contracts for more than one of the year’s cohorts and none of the platform’s declarations is on them yet, so their service fee is not reckoned. Find each by its DfE id in DfE’s portal to see its cohort; it is known here once a declaration lands on it.`}</p>
        ) : null}
        {rows.length ? (
          <Table
            caption="DfE’s statements, latest payment first"
            captionClasses="govuk-visually-hidden"
            classes="govuk-!-font-size-16"
            head={[{ text: 'Statement' }, { text: 'Cohort' }, { text: 'Payment' }, { text: 'Declarations', format: 'numeric' }, { text: 'Platform expects', format: 'numeric' }, { text: 'DfE holds', format: 'numeric' }, { text: 'Differences', format: 'numeric' }]}
            rows={rows.map((r) => [
              { html: `<a class="govuk-link" href="${BASE}/statements/${encodeURIComponent(r.statement.id)}">${escapeHtml(statementName(r.statement))}<span class="govuk-visually-hidden">, ${escapeHtml(cohortLabel(r))}, DfE id ${escapeHtml(shortId(r.statement.id))}</span></a><br><span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-0">DfE id ${escapeHtml(shortId(r.statement.id))}</span>` },
              { text: cohortLabel(r) },
              { text: r.statement.paid ? `Paid ${formatDate(r.statement.paymentDate)}` : `To be paid ${formatDate(r.statement.paymentDate)}` },
              { text: r.declarations, format: 'numeric' },
              { text: formatPounds(r.expectedPence), format: 'numeric' },
              { text: formatPounds(r.dfePence), format: 'numeric' },
              { text: r.differences, format: 'numeric' },
            ])}
          />
        ) : (
          <EmptyList things="statements pulled from DfE" filtered={Boolean(cohort || when)} clearHref={BASE} />
        )}
        {pagination ? <Pagination {...pagination} /> : null}

        <h2 class="govuk-heading-l">Forecast of output payments to come</h2>
        <p class="govuk-body">For each participant in training, the declarations of their schedule DfE does not have yet, priced at their contract’s output payment, by the month of the milestone each must be sent by: only milestones still to come. DfE has published no milestones for some cohorts: those are by cohort.</p>
        {toCome.length ? (
          <Table
            caption="Output payments to come"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Milestone' }, { text: 'Declarations', format: 'numeric' }, { text: 'Output payments', format: 'numeric' }, { text: 'Not priced (no contract)', format: 'numeric' }]}
            rows={[
              ...toCome.map((g) => [{ text: g.milestoneMonth ? monthName(g.milestoneMonth) : `Cohort ${g.cohort}: no milestones published` }, { text: g.declarations, format: 'numeric' }, { text: formatPounds(g.pence), format: 'numeric' }, { text: g.withoutContract, format: 'numeric' }]),
              [{ text: 'Total' }, { text: toCome.reduce((n, g) => n + g.declarations, 0), format: 'numeric' }, { text: formatPounds(forecastTotal), format: 'numeric' }, { text: toCome.reduce((n, g) => n + g.withoutContract, 0), format: 'numeric' }],
            ]}
          />
        ) : (
          <p class="govuk-body">No declarations are still to come.</p>
        )}
        {missed.length ? (
          <p class="govuk-body" id="missed-milestones">{`Missed milestones, left out of the forecast above: ${missed.reduce((n, g) => n + g.declarations, 0).toLocaleString('en-GB')} declarations whose milestone passed unsent (${missed.map((g) => monthName(g.milestoneMonth!)).join(', ')}), worth ${formatPounds(missed.reduce((n, g) => n + g.pence, 0))} at their contracts’ output payments. DfE’s API checks no milestone dates, so one sent now goes on the next open statement, not its milestone’s; count on it only if DfE agrees to pay it.`}</p>
        ) : null}

        <h2 class="govuk-heading-l">Contracts with DfE</h2>
        <p class="govuk-body">The price per participant, recruitment target and shares of each cohort and NPQ, from the provider’s contract with DfE.</p>
        {contracts.length ? (
          <Table
            caption="Contracts with DfE"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Cohort' }, { text: 'NPQ' }, { text: 'Per participant', format: 'numeric' }, { text: 'Recruitment target', format: 'numeric' }, { text: 'Output payment', format: 'numeric' }, { text: 'Service fee', format: 'numeric' }, { text: 'Monthly service fee', format: 'numeric' }, ...(manage ? [{ html: '<span class="govuk-visually-hidden">Change</span>' }] : [])]}
            rows={contracts.map((c) => [
              { text: c.cohort },
              { text: npq(c.courseIdentifier) },
              { text: formatPounds(c.perParticipantPence), format: 'numeric' },
              { text: c.recruitmentTarget, format: 'numeric' },
              { text: `${c.outputPaymentPercent}%`, format: 'numeric' },
              { text: `${c.serviceFeePercent}%`, format: 'numeric' },
              { text: `${formatPounds(monthlyServiceFeePence(c))} × ${c.serviceFeeInstalments}`, format: 'numeric' },
              ...(manage ? [{ html: `<a class="govuk-link" href="${BASE}/contracts?cohort=${encodeURIComponent(c.cohort)}&amp;course=${encodeURIComponent(c.courseIdentifier)}">Change<span class="govuk-visually-hidden"> the contract for ${escapeHtml(c.cohort)} ${escapeHtml(npq(c.courseIdentifier))}</span></a>` }] : []),
            ])}
          />
        ) : (
          <p class="govuk-body">No contracts yet: nothing can be priced until one is set.</p>
        )}
        {manage ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`${BASE}/contracts`}>
              Set a contract
            </a>
          </p>
        ) : null}
      </Layout>
    ), chosen.errors ? 422 : 200);
  });

  // ——— One statement, and its lines as CSV and Excel ———

  app.get<{ Params: { id: string } }>(`${BASE}/statements/:id`, { preHandler: reads }, async (req, reply) => {
    const r = await statementReckoning(deps, req.actor, req.params.id);
    const names = await npqNames(deps, req.actor);
    const npq = (id: string) => names.get(id) ?? id;
    const s = r.statement;
    const other = (id: string | null) => (id ? r.statements.get(id) : undefined);
    const href = `${BASE}/statements/${encodeURIComponent(s.id)}`;
    const states = [...new Set(Object.values(r.counts).flatMap((byState) => Object.keys(byState)))].sort();
    const title = `DfE’s ${statementName(s)} statement for ${cohortLabel(r)}`;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={title} beforeContent={<BackLink href={BASE} text="Back to the statements" />}>
        <h1 class="govuk-heading-xl">{title}</h1>
        <SummaryList
          rows={[
            { key: { text: 'Cohort' }, value: { text: cohortLabel(r) } },
            { key: { text: 'DfE’s statement id' }, value: { text: s.id } },
            { key: { text: 'Cut-off' }, value: { text: `${formatDate(s.cutOffDate)}: declarations sent by then are paid on it` } },
            { key: { text: 'Payment' }, value: { text: s.paid ? `Paid on ${formatDate(s.paymentDate)}` : `To be paid on ${formatDate(s.paymentDate)}` } },
            { key: { text: 'Service fee' }, value: { text: `${formatPounds(r.serviceFeePence)} (instalment ${r.instalment})` } },
            { key: { text: 'The platform expects' }, value: { text: formatPounds(r.expectedPence) } },
            { key: { text: 'DfE holds' }, value: { text: `${formatPounds(r.dfePence)}: the declarations on it in the states DfE reports, priced by the contracts` } },
            { key: { text: 'Difference' }, value: { text: formatPounds(r.expectedPence - r.dfePence) } },
          ]}
        />
        <p class="govuk-body">
          <a class="govuk-link" href={`${href}/lines.csv`}>
            Download the lines as CSV
          </a>
          {' · '}
          <a class="govuk-link" href={`${href}/lines.xlsx`}>
            Download the lines as Excel
          </a>
        </p>
        <h2 class="govuk-heading-l">Declarations DfE has on it</h2>
        {states.length ? (
          <Table
            caption="Declarations by type and DfE’s state"
            captionClasses="govuk-visually-hidden"
            firstCellIsHeader
            head={[{ text: 'Declaration' }, ...states.map((st) => ({ text: STATE_NAMES[st] ?? st, format: 'numeric' }))]}
            rows={DECLARATION_TYPES.filter((t) => r.counts[t]).map((t) => [{ text: TYPE_NAMES[t] }, ...states.map((st) => ({ text: r.counts[t]?.[st] ?? 0, format: 'numeric' }))])}
          />
        ) : (
          <p class="govuk-body">DfE has none of the platform’s declarations on it.</p>
        )}
        {r.notes.length ? (
          <>
            <h2 class="govuk-heading-m">Notes</h2>
            {r.notes.map((n) => (
              <p class="govuk-body">{n}.</p>
            ))}
          </>
        ) : null}
        <h2 class="govuk-heading-l">{`Differences (${r.differences.length.toLocaleString('en-GB')})`}</h2>
        {r.differences.length ? (
          <Table
            caption="Where the platform and DfE differ"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'Declaration' }, { text: 'Platform expects', format: 'numeric' }, { text: 'DfE holds', format: 'numeric' }, { text: 'Cause' }]}
            rows={r.differences.map((l) => {
              const on = other(l.otherStatementId);
              return [
                { text: l.declaration.fullName },
                { text: `${TYPE_NAMES[l.declaration.declarationType]}${l.kind === 'clawback' ? ' (clawback)' : ''}, ${npq(l.declaration.courseIdentifier)}` },
                { text: money(l.expectedPence), format: 'numeric' },
                { text: money(l.dfePence), format: 'numeric' },
                { text: `${l.cause ? DIFFERENCE_CAUSES[l.cause] : 'The amounts differ'}${on ? `: ${statementName(on)}` : ''}` },
              ];
            })}
          />
        ) : (
          <p class="govuk-body">None: the platform and DfE agree on this statement.</p>
        )}
        <h2 class="govuk-heading-l">Every line</h2>
        {r.lines.length ? (
          <Table
            caption="The statement’s lines"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'Declaration' }, { text: 'DfE’s state' }, { text: 'Platform expects', format: 'numeric' }, { text: 'DfE holds', format: 'numeric' }]}
            rows={r.lines.map((l) => {
              const note = lineNote(l.note, other(l.otherStatementId));
              return [{ text: l.declaration.fullName }, { text: `${TYPE_NAMES[l.declaration.declarationType]}${l.kind === 'clawback' ? ' (clawback)' : ''}, ${npq(l.declaration.courseIdentifier)}` }, { text: l.note === 'voided_before_payment' ? note : `${STATE_NAMES[l.declaration.dfeState ?? ''] ?? 'Not sent'}${note ? ` (${note.charAt(0).toLowerCase()}${note.slice(1)})` : ''}` }, { text: money(l.expectedPence), format: 'numeric' }, { text: money(l.dfePence), format: 'numeric' }];
            })}
          />
        ) : (
          <p class="govuk-body">No declarations on it or expected on it.</p>
        )}
      </Layout>
    ));
  });

  const exported = async (req: FastifyRequest<{ Params: { id: string } }>) => {
    const r = await statementReckoning(deps, req.actor, req.params.id);
    return { r, rows: statementLineRows(r, r.statements, await npqNames(deps, req.actor)) };
  };
  app.get<{ Params: { id: string } }>(`${BASE}/statements/:id/lines.csv`, { preHandler: reads }, async (req, reply) => {
    const { r, rows } = await exported(req);
    return sendCsv(reply, exportName(r), rows);
  });
  app.get<{ Params: { id: string } }>(`${BASE}/statements/:id/lines.xlsx`, { preHandler: reads }, async (req, reply) => {
    const { r, rows } = await exported(req);
    return sendXlsx(reply, exportName(r), `${statementName(r.statement)} statement`, rows);
  });

  // ——— Contracts: the admin sets them ———

  const contractPage = async (req: FastifyRequest, reply: FastifyReply, values: ContractInput, errors?: FieldErrors) => {
    const cohorts = await contractCohorts(deps, req.actor);
    const names = await npqNames(deps, req.actor);
    const err = (field: keyof ContractInput) => (errors?.[field] ? { text: errors[field]! } : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Set a contract with DfE" errors={errors} beforeContent={<BackLink href={BASE} text="Back to finance" />}>
          <h1 class="govuk-heading-l">Set a contract with DfE</h1>
          <p class="govuk-body">The terms of the provider’s contract for one cohort and NPQ. Setting a cohort and NPQ that has a contract replaces it. Statements and the forecast are priced from these at once.</p>
          <form method="post" action={`${BASE}/contracts`} novalidate>
            <Csrf ctx={ctx} />
            <Select id="cohort" name="cohort" label={{ text: 'Cohort', classes: 'govuk-label--s' }} value={values.cohort} items={[{ value: '', text: 'Choose a cohort' }, ...cohorts.map((c) => ({ value: c, text: c }))]} errorMessage={err('cohort')} />
            <Select id="courseIdentifier" name="courseIdentifier" label={{ text: 'NPQ', classes: 'govuk-label--s' }} value={values.courseIdentifier} items={[{ value: '', text: 'Choose an NPQ' }, ...CONTRACT_COURSES.map((c) => ({ value: c, text: names.get(c) ?? c }))]} errorMessage={err('courseIdentifier')} />
            <Input id="perParticipant" name="perParticipant" inputmode="decimal" classes="govuk-input--width-10" prefix={{ text: '£' }} label={{ text: 'Price per participant', classes: 'govuk-label--s' }} hint={{ text: 'In pounds and pence, for example 2,500.00' }} value={values.perParticipant} errorMessage={err('perParticipant')} />
            <Input id="recruitmentTarget" name="recruitmentTarget" inputmode="numeric" classes="govuk-input--width-5" label={{ text: 'Recruitment target', classes: 'govuk-label--s' }} hint={{ text: 'Participants the contract funds' }} value={values.recruitmentTarget} errorMessage={err('recruitmentTarget')} />
            <Input id="outputPaymentPercent" name="outputPaymentPercent" inputmode="numeric" classes="govuk-input--width-3" suffix={{ text: '%' }} label={{ text: 'Output payment share', classes: 'govuk-label--s' }} hint={{ text: 'Of the price, paid across the declarations: 60 in DfE’s contracts' }} value={values.outputPaymentPercent} errorMessage={err('outputPaymentPercent')} />
            <Input id="serviceFeePercent" name="serviceFeePercent" inputmode="numeric" classes="govuk-input--width-3" suffix={{ text: '%' }} label={{ text: 'Service fee share', classes: 'govuk-label--s' }} hint={{ text: 'Of the price times the target, paid monthly: 40 in DfE’s contracts' }} value={values.serviceFeePercent} errorMessage={err('serviceFeePercent')} />
            <Input id="serviceFeeInstalments" name="serviceFeeInstalments" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Service fee instalments', classes: 'govuk-label--s' }} hint={{ text: 'How many monthly statements the service fee is paid on' }} value={values.serviceFeeInstalments} errorMessage={err('serviceFeeInstalments')} />
            <Button text="Save the contract" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };
  const typed = (c: Contract): ContractInput => ({ cohort: c.cohort, courseIdentifier: c.courseIdentifier, perParticipant: poundsOf(c.perParticipantPence), recruitmentTarget: String(c.recruitmentTarget), outputPaymentPercent: String(c.outputPaymentPercent), serviceFeePercent: String(c.serviceFeePercent), serviceFeeInstalments: String(c.serviceFeeInstalments) });
  app.get<{ Querystring: Record<string, unknown> }>(`${BASE}/contracts`, { preHandler: manages }, async (req, reply) => {
    const cohort = one(req.query?.cohort);
    const course = one(req.query?.course);
    const held = (await listContracts(deps, req.actor)).find((c) => c.cohort === cohort && c.courseIdentifier === course);
    return contractPage(req, reply, held ? typed(held) : { cohort, courseIdentifier: course, perParticipant: '', recruitmentTarget: '', outputPaymentPercent: '60', serviceFeePercent: '40', serviceFeeInstalments: '' });
  });
  app.post<{ Body: Record<string, unknown> }>(`${BASE}/contracts`, { preHandler: manages }, async (req, reply) => {
    const field = (name: keyof ContractInput) => one(req.body?.[name]).slice(0, 40);
    const values: ContractInput = { cohort: field('cohort'), courseIdentifier: field('courseIdentifier'), perParticipant: field('perParticipant'), recruitmentTarget: field('recruitmentTarget'), outputPaymentPercent: field('outputPaymentPercent'), serviceFeePercent: field('serviceFeePercent'), serviceFeeInstalments: field('serviceFeeInstalments') };
    try {
      const saved = await saveContract(deps, req.actor, values, await contractCohorts(deps, req.actor));
      const names = await npqNames(deps, req.actor);
      reply.flash(`The contract for ${saved.cohort} ${names.get(saved.courseIdentifier) ?? saved.courseIdentifier} is saved: ${formatPounds(saved.perParticipantPence)} per participant.`);
    } catch (err) {
      if (err instanceof ValidationError) return contractPage(req, reply, values, err.fieldErrors);
      throw err;
    }
    return reply.redirect(BASE, 303);
  });
}

