import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { chosenFilters, EmptyList, FilterSelect } from '../../platform/list-filters';
import { z } from 'zod';
import { DELIVERY_MODE_LABELS, type DeliveryMode } from '../../catalogue/domain/qualification';
import { csvBatches, pageNumber, pagesAfter, paginationFor, requirePermission, sendCsv } from '../../platform/admin';
import { formatDate, formatDateTime } from '../../platform/clock';
import type { Actor } from '../../platform/auth/actor';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import { requireSignIn } from '../../platform/web';
import type { PageContext } from '../../platform/page-context';
import { Button, CharacterCount, Input, Pagination, Radios, Select, SummaryList, Table } from '../../ui/govuk';
import { TEXT_LIMITS } from '../domain/text-limits';
import { escapeHtml, raw } from '../../ui/govuk/core';
import { renderToString } from 'preact-render-to-string';
import type { ApplicationRow, ApplicationSummary, DecidedApplication, InboxFilter, NewestFirstKey } from '../applications.service';
import {
  APPLICATION_STATUSES,
  APPROVAL_STATUSES,
  type ApplicationStatus,
  type ApprovalStatus,
  DEFERRAL_REASON_LABELS,
  DEFERRAL_REASONS,
  FUNDING_CHOICE_LABELS,
  type FundingChoice,
  GATEWAY_LABELS,
  GATEWAY_STATUSES,
  PROVIDER_APPROVAL_LABELS,
  type ParticipantChange,
  rejectionReasonText,
  STATUS_LABELS,
  TRAINING_STATUS_LABELS,
  trainingReasonText,
  WITHDRAWAL_REASON_LABELS,
  WITHDRAWAL_REASONS,
} from '../domain/application';
import { COHORT_FUNDING_LABELS, type CohortFunding } from '../domain/cohort';
import { abilitiesFor, scopeFilter } from '../domain/enrolment.policy';
import { fundingStatusText } from '../domain/funding-eligibility';
import { timeZoneLabel } from '../domain/time-zones';
import { type EnrolmentWebDeps, StatusTag, workplaceText } from './application.routes';
import { ConfirmPage, confirmed } from './confirm-page';
import { StatusHistoryPage } from './status-history-page';
import { Flash } from '../../platform/flash';
import { TRANSFERRED_AWAY } from '../applications/record-dfe-transfer-away';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const PER_PAGE = 50;
/** Past this many, the inbox says "more than" rather than count every match. */
const COUNT_UP_TO = 10_000;
const oneOf = <T extends string>(values: readonly T[], v: string | undefined): T | undefined => values.find((x) => x === v);
/** A code through its label table; a code the table does not know is never shown raw. */
const label = <T extends string>(table: Record<T, string>, code: string | null | undefined): string => (code ? (table[code as T] ?? 'Unknown') : '');
const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'Yes' : 'No');

/** The partners whose applications `actor` reads (enrolment's scopeFilter): a lead's own, the provider's every one. */
function partnersSeenBy<P extends { id: string }>(actor: Actor, partners: P[]): P[] {
  const scope = scopeFilter(actor);
  if (!scope) return [];
  return scope.deliveryPartnerIds ? partners.filter((p) => scope.deliveryPartnerIds!.includes(p.id)) : partners;
}

/** The provider's inbox: every application, filtered and paged, each one decided from its own page. */
export async function inboxRoutes(app: FastifyInstance, opts: EnrolmentWebDeps) {
  const { applications, catalogue } = opts;
  const guard = { preHandler: requirePermission('applications:manage') };
  // Partner leads read their own partners' applications; the service decides which, and refuses others.
  const readers = { preHandler: requireSignIn };

  const any = (text: string) => ({ value: '', text });
  /** The inbox's filters as selects, with what each offers: the page renders these, and a filter is read only as one of them. */
  const filterChoices = (l: Awaited<ReturnType<typeof lookups>>, actor: Actor) =>
    [
      { id: 'status', name: 'status', label: 'Status', items: [any('Any status'), ...APPLICATION_STATUSES.filter((s) => s !== 'draft').map((s) => ({ value: s, text: STATUS_LABELS[s] }))] },
      { id: 'course', name: 'course', label: 'NPQ', items: [any('Any NPQ'), ...l.names.qualifications.map((q) => ({ value: q.identifier, text: q.retired ? `${q.shortName} (retired)` : q.shortName }))] },
      { id: 'cohort', name: 'cohort', label: 'Cohort', items: [any('Any cohort'), ...[...l.cohortRows.values()].map((c) => ({ value: c.id, text: c.identifier }))] },
      { id: 'partner', name: 'partner', label: 'Delivery partner', items: [any('Any partner'), ...partnersSeenBy(actor, l.names.partners).map((p) => ({ value: p.id, text: p.retired ? `${p.name} (no longer a partner)` : p.name }))] },
      { id: 'funding', name: 'funding', label: 'DfE funding', items: [any('Either'), { value: 'eligible', text: 'Eligible' }, { value: 'not_eligible', text: 'Not eligible' }] },
      { id: 'gateway', name: 'gateway', label: 'Gateway', items: [any('Any'), ...GATEWAY_STATUSES.map((g) => ({ value: g, text: GATEWAY_LABELS[g] }))] },
      { id: 'approval', name: 'approval', label: 'School approval', items: [any('Any'), ...APPROVAL_STATUSES.map((a) => ({ value: a, text: PROVIDER_APPROVAL_LABELS[a] }))] },
    ] as const;
  /** The filter a query asks for, each select's value one of `choices` offers, and an error for each that is not. */
  const filterOf = (q: Body, choices: ReturnType<typeof filterChoices>): { filter: InboxFilter; errors: FieldErrors | undefined } => {
    const { values: v, errors } = chosenFilters(q, choices);
    return {
      filter: {
        status: oneOf(APPLICATION_STATUSES, v.status),
        course: v.course,
        cohortId: v.cohort,
        deliveryPartnerId: v.partner,
        funding: v.funding === 'eligible' || v.funding === 'not_eligible' ? v.funding : undefined,
        gateway: oneOf(GATEWAY_STATUSES, v.gateway),
        approval: oneOf(APPROVAL_STATUSES, v.approval),
        query: q.q?.trim().slice(0, 100) || undefined,
      },
      errors,
    };
  };
  const queryOf = (f: InboxFilter) => ({ status: f.status, course: f.course, cohort: f.cohortId, partner: f.deliveryPartnerId, funding: f.funding, gateway: f.gateway, approval: f.approval, q: f.query });

  /**
   * What the inbox names records by: every NPQ and partner there has been (an application keeps its
   * retired NPQ, and its partner whose intakes have all started), not only those on offer today.
   */
  async function lookups() {
    const [courses, names, cohortRows] = await Promise.all([catalogue.list(), catalogue.everyName(), applications.cohortLabels()]);
    return { courses, names, cohortRows, partners: new Map(names.partners.map((p) => [p.id, p.name])), courseNames: new Map(names.qualifications.map((q) => [q.identifier, q.shortName])) };
  }


  /**
   * The table of one inbox page, rendered once per cached page of results: a page read again within
   * the cache's few seconds costs no rendering (the rows object is the cache's own).
   */
  const renderedTables = new WeakMap<ApplicationSummary[], { labels: unknown; html: string }>();
  const tableFor = (rows: ApplicationSummary[], l: Awaited<ReturnType<typeof lookups>>) => {
    const known = renderedTables.get(rows);
    if (known && known.labels === l.cohortRows) return known.html;
    const html = renderToString(
        <Table
            label="Applications"
            classes="govuk-!-font-size-16"
            head={[{ text: 'Applicant' }, { text: 'NPQ' }, { text: 'Cohort' }, { text: 'Status' }, { text: 'School approval' }, { text: 'Gateway' }, { text: 'Funding' }, { text: 'Sent' }]}
            rows={rows.map((r) => [
              { html: `<a class="govuk-link" href="/admin/applications/${r.id}">${escapeHtml(r.fullName)}</a><br><span class="govuk-hint govuk-!-font-size-16">${escapeHtml(r.email)}</span>` },
              { text: l.courseNames.get(r.courseIdentifier) ?? r.courseIdentifier },
              { text: r.cohortId ? (l.cohortRows.get(r.cohortId)?.identifier ?? '') : '' },
              { text: label(STATUS_LABELS, r.status) },
              { text: label(PROVIDER_APPROVAL_LABELS, r.approvalStatus) },
              { text: label(GATEWAY_LABELS, r.gatewayStatus) },
              { text: r.eligibleForFunding ? 'Eligible' : 'Not eligible' },
              { text: r.submittedAt ? formatDate(r.submittedAt) : '' },
            ])}
          />
    );
    renderedTables.set(rows, { labels: l.cohortRows, html });
    return html;
  };

  app.get('/admin/applications', readers, async (req, reply) => {
    const q = req.query as Body;
    const l = await lookups();
    const choices = filterChoices(l, req.actor);
    const { filter, errors } = filterOf(q, choices);
    const [status, course, cohort, partner, funding, gateway, approval] = choices;
    const page = pageNumber(q.page);
    const { rows, total } = await applications.listSummaries(req.actor, filter, page, PER_PAGE, COUNT_UP_TO);
    const more = total > COUNT_UP_TO;
    const tableHtml = tableFor(rows, l);
    const pagination = paginationFor(page, Math.ceil(total / PER_PAGE), '/admin/applications', queryOf(filter));
    const csvQuery = new URLSearchParams(Object.entries(queryOf(filter)).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Applications" errors={errors}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Applications</h1>
        <form method="get" action="/admin/applications" class="app-filter">
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-quarter">
              <Input id="q" name="q" type="search" label={{ text: 'Name, email or TRN' }} value={filter.query} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={status} value={filter.status} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={course} value={filter.course} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={cohort} value={filter.cohortId} errors={errors} />
            </div>
          </div>
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={partner} value={filter.deliveryPartnerId} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={funding} value={filter.funding} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={gateway} value={filter.gateway} errors={errors} />
            </div>
            <div class="govuk-grid-column-one-quarter">
              <FilterSelect choice={approval} value={filter.approval} errors={errors} />
            </div>
          </div>
          <Button text="Filter" classes="govuk-button--secondary" />
        </form>
        <p class="govuk-body">
          {more ? `More than ${COUNT_UP_TO.toLocaleString('en-GB')} applications: filter to narrow them` : total === 1 ? '1 application' : `${total.toLocaleString('en-GB')} applications`} ·{' '}
          <a class="govuk-link" href={`/admin/applications.csv${csvQuery ? `?${csvQuery}` : ''}`}>
            Download as CSV
          </a>
        </p>
        {rows.length ? raw(tableHtml) : <EmptyList things="applications" filtered={page > 1 || Object.values(queryOf(filter)).some(Boolean)} clearHref="/admin/applications" />}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });

  // A download for people (a spreadsheet): headings and values in words, codes through their labels.
  // Machines read the same data, in DfE's shape, from GET /api/v1/applications.
  app.get('/admin/applications.csv', readers, async (req, reply) => {
    const l = await lookups();
    const { filter } = filterOf(req.query as Body, filterChoices(l, req.actor));
    // Walked by key: applications arriving or decided during the download never shift one into the next page.
    const pages = await pagesAfter((after: NewestFirstKey | undefined, perPage) => applications.listAfter(req.actor, filter, after, perPage));
    const rows = csvBatches(
      ['Application id', 'Full name', 'Email', 'TRN', 'NPQ', 'Cohort', 'Status', 'School approval', 'Approved or declined by', 'Gateway', 'Eligible for DfE funding', 'Funding', 'Who pays', 'Funded place', 'School URN', 'Ofsted URN', 'Delivery partner', 'Training status', 'Sent', 'Last changed'],
      pages,
      (r) => [
        r.id,
        r.fullName,
        r.email,
        r.teacherReferenceNumber ?? 'No TRN yet',
        l.courseNames.get(r.courseIdentifier) ?? r.courseIdentifier,
        r.cohortId ? (l.cohortRows.get(r.cohortId)?.identifier ?? '') : '',
        label(STATUS_LABELS, r.status),
        label(PROVIDER_APPROVAL_LABELS, r.approvalStatus),
        r.approverName ? `${r.approverName}${r.approverEmail ? ` (${r.approverEmail})` : ''}` : '',
        label(GATEWAY_LABELS, r.gatewayStatus),
        yesNo(r.eligibleForFunding),
        fundingStatusText(r.fundingStatusCode),
        label(FUNDING_CHOICE_LABELS, r.fundingChoice),
        yesNo(r.fundedPlace),
        r.schoolUrn,
        r.privateChildcareProviderUrn,
        r.deliveryPartnerId ? (l.partners.get(r.deliveryPartnerId) ?? '') : '',
        label(TRAINING_STATUS_LABELS, r.trainingStatus),
        r.submittedAt?.toISOString() ?? '',
        r.updatedAt.toISOString(),
      ],
    );
    return sendCsv(reply, 'applications', rows);
  });

  const detailPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { app: a, cohort, reviewerName, workplace } = await applications.detail(req.actor, req.params.id);
    // The buttons shown are what enrolment's policy allows this person now.
    const may = abilitiesFor(req.actor, a);
    const l = await lookups();
    const course = l.courses.find((c) => c.identifier === a.courseIdentifier);
    const cohortIntakes = cohort ? (course?.intakes ?? []).filter((i) => i.cohortIdentifier === cohort.identifier) : [];
    const current = a.intakeId ? await applications.intakeById(a.intakeId) : undefined;
    const intakeChoices = [...(current && !cohortIntakes.some((i) => i.id === current.id) ? [current] : []), ...cohortIntakes];
    const err = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    const intakeItems = intakeChoices.map((i) => ({ value: i.id, text: `${i.name} (${DELIVERY_MODE_LABELS[i.deliveryMode as DeliveryMode] ?? i.deliveryMode})${i.capacity ? `, ${i.capacity} places` : ''}` }));
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Application: ${a.fullName}`} errors={errors}>
          <Flash ctx={ctx} />
          <span class="govuk-caption-l">{course?.name ?? a.courseIdentifier}</span>
          <h1 class="govuk-heading-xl">
            {a.fullName} <StatusTag status={a.status as ApplicationStatus} />
          </h1>
          <SummaryList
            rows={[
              { key: { text: 'Email' }, value: { text: a.email } },
              { key: { text: 'TRN' }, value: { text: a.teacherReferenceNumber ?? 'No TRN yet: DfE gives one later' } },
              { key: { text: 'Cohort' }, value: { text: cohort ? `${cohort.identifier} (${label(COHORT_FUNDING_LABELS, cohort.funding as CohortFunding)})` : '' } },
              { key: { text: 'Intake' }, value: { text: current ? `${current.name}, starts ${formatDate(current.startDate)}${a.onWaitingList ? ' (waiting list)' : ''}` : a.status === 'accepted' ? 'Not placed in an intake yet' : 'None chosen' } },
              { key: { text: 'Time zone' }, value: { text: a.timeZone ? timeZoneLabel(a.timeZone) : 'Not needed' } },
              { key: { text: 'Job' }, value: { text: a.employmentRole || 'Not given' } },
              { key: { text: 'Where they work' }, value: { text: workplace ? workplaceText(workplace) : 'Not given' } },
              { key: { text: 'DfE funding' }, value: { text: `${a.eligibleForFunding ? 'Eligible' : 'Not eligible'}${a.fundingStatusCode && a.fundingStatusCode !== 'funded' ? `: ${fundingStatusText(a.fundingStatusCode)}` : ''}${a.subjectToReview && a.fundingStatusCode !== 'subject_to_review' ? ', subject to DfE review' : ''}${a.fundingChoice ? `; paid by: ${FUNDING_CHOICE_LABELS[a.fundingChoice as FundingChoice]}` : ''}` } },
              { key: { text: 'School approval' }, value: { text: approvalText(a) } },
              { key: { text: 'Line manager named' }, value: { text: a.lineManagerEmail ? `${a.lineManagerName ?? ''} (${a.lineManagerEmail})` : 'None yet' } },
              ...(a.dfeApplicationId ? [{ key: { text: 'Registered at DfE' }, value: { text: `DfE’s id ${a.dfeApplicationId}; ${a.dfeStatus === TRANSFERRED_AWAY ? 'DfE no longer shows it to us: transferred to another provider, or removed by DfE. Nothing more is declared for it; if they left, withdraw them' : `DfE showed it ${a.dfeStatus ?? 'pending'} when last read (every 5 minutes)`}` } }] : []),
              { key: { text: 'Gateway' }, value: { html: `${escapeHtml(label(GATEWAY_LABELS, a.gatewayStatus))}${a.gatewayStatus !== 'not_required' ? ` · <a class="govuk-link" href="/admin/gateway/${a.id}">answers${reviewerName ? ` (reviewed by ${escapeHtml(reviewerName)})` : ''}</a>` : ''}` } },
              ...(a.gatewayOverrideReason ? [{ key: { text: 'Gateway result against the pass mark' }, value: { text: `Reason given: ${a.gatewayOverrideReason}` } }] : []),
              ...(a.status === 'accepted'
                ? [
                    { key: { text: 'Funded place' }, value: { text: a.fundedPlace === null ? 'Not applicable' : a.fundedPlace ? 'Yes' : 'No' } },
                    {
                      key: { text: 'Training status' },
                      value: {
                        html: `<strong class="govuk-tag">${escapeHtml(label(TRAINING_STATUS_LABELS, a.trainingStatus))}</strong>${a.trainingStatusReason ? ` ${escapeHtml(trainingReasonText(a.trainingStatusReason))}` : ''}${may.viewStatusHistory ? ` · <a class="govuk-link" href="/admin/applications/${a.id}/status-history">Status history</a>` : ''}`,
                      },
                    },
                  ]
                : []),
              ...(a.status === 'rejected' ? [{ key: { text: 'Reason for rejection' }, value: { text: rejectionReasonText(a.reasonForRejection) } }] : []),
              ...(a.status === 'withdrawn' ? [{ key: { text: 'Withdrawn' }, value: { text: `By the applicant${a.decidedAt ? ` on ${formatDate(a.decidedAt)}` : ''}` } }] : []),
              { key: { text: 'Sent' }, value: { text: a.submittedAt ? formatDateTime(a.submittedAt) : '' } },
            ]}
          />
          {may.reopen ? (
            <form id="reopen" method="post" action={`/admin/applications/${a.id}/reopen`} novalidate>
              <Csrf ctx={ctx} />
              <Button text="Reopen: undo the rejection" classes="govuk-button--secondary" preventDoubleClick />
            </form>
          ) : null}
          {may.askSchool ? (
            <>
              <h2 class="govuk-heading-m">{a.approvalStatus === 'pending' ? 'Ask the school again, or someone else' : 'Ask the school to approve'}</h2>
              <p class="govuk-body">
                {a.approvalStatus === 'not_requested' ? 'No one has been asked to approve this application for the school yet (an application registered at DfE comes without it).' : a.approvalStatus === 'pending' ? 'A link is out to the line manager named above; asking again sends a new one, and the old link stops working.' : 'The school’s link expired or was declined.'} The
                line manager is emailed a link to approve or decline; you can accept once they approve.
              </p>
              <form method="post" action={`/admin/applications/${a.id}/ask-school`} novalidate>
                <Csrf ctx={ctx} />
                <Input id="lineManagerName" name="lineManagerName" label={{ text: 'Line manager’s full name' }} autocomplete="off" value={typed?.lineManagerName ?? a.lineManagerName ?? ''} errorMessage={err('lineManagerName')} />
                <Input id="lineManagerEmail" name="lineManagerEmail" type="email" spellcheck={false} label={{ text: 'Line manager’s work email address' }} autocomplete="off" value={typed?.lineManagerEmail ?? a.lineManagerEmail ?? ''} errorMessage={err('lineManagerEmail')} />
                <Button text={a.approvalStatus === 'pending' ? 'Ask again' : 'Ask the school to approve'} classes="govuk-button--secondary" preventDoubleClick />
              </form>
            </>
          ) : null}
          {may.accept || may.reject ? (
            <div class="govuk-grid-row">
              {may.accept ? (
              <div class="govuk-grid-column-one-half">
                <h2 class="govuk-heading-m">Accept</h2>
                <form method="post" action={`/admin/applications/${a.id}/accept`} novalidate>
                  <Csrf ctx={ctx} />
                  {intakeItems.length ? (
                    <Select id="intakeId" name="intakeId" label={{ text: 'Place into intake' }} value={typed?.intakeId ?? a.intakeId ?? ''} errorMessage={err('intakeId')} items={intakeItems} />
                  ) : (
                    <p class="govuk-body" id="intakeId">
                      There is no {course?.shortName ?? a.courseIdentifier} intake in cohort {cohort?.identifier ?? 'of this application'} to place them into. Accept without one and place them later from their page, or first{' '}
                      <a class="govuk-link" href="/admin/catalogue">
                        add an intake in the catalogue
                      </a>
                      .
                    </p>
                  )}
                  {cohort?.funding === 'capped' ? (
                    <Radios
                      idPrefix="fundedPlace"
                      name="fundedPlace"
                      classes="govuk-radios--inline"
                      fieldset={{ legend: { text: 'Funded place?', classes: 'govuk-fieldset__legend--s' } }}
                      hint={{ text: `Cohort ${cohort.identifier} is capped at ${cohort.fundedPlaceLimits[a.courseIdentifier] ?? 0} funded places for this NPQ.${a.eligibleForFunding ? '' : ' This application is not eligible for funding.'}` }}
                      value={typed?.fundedPlace}
                      errorMessage={err('fundedPlace')}
                      items={[
                        { value: 'yes', text: 'Yes' },
                        { value: 'no', text: 'No' },
                      ]}
                    />
                  ) : null}
                  <Button text="Accept application" preventDoubleClick />
                </form>
              </div>
              ) : null}
              {may.reject ? (
              <div class="govuk-grid-column-one-half">
                <h2 class="govuk-heading-m">Reject</h2>
                <form method="post" action={`/admin/applications/${a.id}/reject`} novalidate>
                  <Csrf ctx={ctx} />
                  <CharacterCount id="reason" name="reason" rows={3} maxlength={TEXT_LIMITS.reason} label={{ text: 'Reason, shown to the applicant' }} value={typed?.reason} errorMessage={err('reason')} />
                  <Button text="Reject application" classes="govuk-button--warning" preventDoubleClick />
                </form>
              </div>
              ) : null}
            </div>
          ) : null}
          {may.changeParticipant ? (
            <>
              <h2 class="govuk-heading-m">Change the participant</h2>
              <div class="govuk-grid-row">
                <div class="govuk-grid-column-one-half">
                  {a.trainingStatus === 'active' ? (
                    <form method="post" action={`/admin/applications/${a.id}/participant/defer`} novalidate>
                      <Csrf ctx={ctx} />
                      <Select id="defer-reason" name="reason" label={{ text: 'Defer: reason' }} errorMessage={typed?.change === 'defer' ? err('reason') : undefined} items={[{ value: '', text: 'Choose a reason' }, ...DEFERRAL_REASONS.map((r) => ({ value: r, text: DEFERRAL_REASON_LABELS[r] }))]} />
                      <input type="hidden" name="change" value="defer" />
                      <Button text="Defer" classes="govuk-button--secondary" preventDoubleClick />
                    </form>
                  ) : (
                    <form method="post" action={`/admin/applications/${a.id}/participant/resume`} novalidate>
                      <Csrf ctx={ctx} />
                      <Button text="Resume" classes="govuk-button--secondary" preventDoubleClick />
                    </form>
                  )}
                  <form method="post" action={`/admin/applications/${a.id}/participant/move`} novalidate>
                    <Csrf ctx={ctx} />
                    <Select id="move-intake" name="intakeId" label={{ text: 'Move to intake' }} errorMessage={typed?.change === 'move' ? err('intakeId') : undefined} items={[{ value: '', text: 'Choose an intake' }, ...intakeItems.filter((i) => i.value !== a.intakeId)]} />
                    <input type="hidden" name="change" value="move" />
                    <Button text="Move" classes="govuk-button--secondary" preventDoubleClick />
                  </form>
                </div>
                <div class="govuk-grid-column-one-half">
                  {cohort?.funding === 'capped' ? (
                    <form method="post" action={`/admin/applications/${a.id}/funded-place`} novalidate>
                      <Csrf ctx={ctx} />
                      <Radios
                        idPrefix="changeFundedPlace"
                        name="fundedPlace"
                        classes="govuk-radios--inline"
                        fieldset={{ legend: { text: 'Funded place', classes: 'govuk-fieldset__legend--s' } }}
                        hint={{ text: `Now: ${a.fundedPlace ? 'yes' : 'no'}. Cohort ${cohort.identifier} is capped at ${cohort.fundedPlaceLimits[a.courseIdentifier] ?? 0} funded places for this NPQ. DfE is told; it refuses once declarations are sent.` }}
                        value={typed?.fundedPlace ?? (a.fundedPlace ? 'yes' : 'no')}
                        errorMessage={err('changeFundedPlace')}
                        items={[
                          { value: 'yes', text: 'Yes' },
                          { value: 'no', text: 'No' },
                        ]}
                      />
                      <Button text="Change funded place" classes="govuk-button--secondary" preventDoubleClick />
                    </form>
                  ) : null}
                  <form method="post" action={`/admin/applications/${a.id}/participant/withdraw`} novalidate>
                    <Csrf ctx={ctx} />
                    <Select id="withdraw-reason" name="reason" label={{ text: 'Withdraw: reason' }} errorMessage={typed?.change === 'withdraw' ? err('reason') : undefined} items={[{ value: '', text: 'Choose a reason' }, ...WITHDRAWAL_REASONS.map((r) => ({ value: r, text: WITHDRAWAL_REASON_LABELS[r] }))]} />
                    <input type="hidden" name="change" value="withdraw" />
                    <Button text="Withdraw" classes="govuk-button--warning" preventDoubleClick />
                  </form>
                </div>
              </div>
            </>
          ) : null}
          <p class="govuk-body">
            <a class="govuk-link" href={`/admin/audit?entityId=${a.id}`}>History of this application</a> · <a class="govuk-link" href="/admin/applications">All applications</a>
          </p>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/applications/:id', readers, async (req, reply) => detailPage(req, reply));

  // A participant's training-status history: the service asks enrolment's policy who may read it (ADR 0036).
  app.get<{ Params: { id: string } }>('/admin/applications/:id/status-history', readers, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { app: a, history } = await applications.statusHistory(req.actor, req.params.id);
    const course = (await lookups()).courses.find((c) => c.identifier === a.courseIdentifier);
    return reply.page((ctx: PageContext) => <StatusHistoryPage ctx={ctx} app={a} courseName={course?.name ?? a.courseIdentifier} history={history} />);
  });

  /** Runs a decision; a refusal with a stable code is shown next to the form, the page kept as typed. */
  const decide = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, field: string, run: () => Promise<DecidedApplication>, done: (row: DecidedApplication) => string) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      const row = await run();
      reply.flash(done(row));
      return reply.redirect(`/admin/applications/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return detailPage(req, reply, err.fieldErrors, body);
      if (err instanceof AppError && err.status === 422) return detailPage(req, reply, { [field]: err.message }, body);
      throw err;
    }
  };

  app.post<{ Params: { id: string } }>('/admin/applications/:id/accept', guard, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const fundedPlace = body.fundedPlace === 'yes' ? true : body.fundedPlace === 'no' ? false : undefined;
    return decide(req, reply, body.fundedPlace === undefined ? 'intakeId' : 'fundedPlace', () => applications.accept(req.actor, req.params.id, { fundedPlace, intakeId: body.intakeId || undefined }), (row) =>
      row.unchanged ? `${row.fullName} was already accepted${row.onWaitingList ? ' onto the waiting list' : ''}: nothing changed, and no email was sent again.` : `${row.fullName} is accepted${row.onWaitingList ? ' onto the waiting list' : ''}. We have emailed them.${row.dfeApplicationId ? ' DfE is told in the background, usually within a minute: the DfE page lists the call and DfE’s answer.' : ''}`,
    );
  });

  /**
   * A step that cannot be undone (the applicant is emailed, a participant leaves) asks first: the
   * request is checked, then a page says what will happen; only its Confirm makes the change.
   */
  const confirmFirst = async (
    req: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    field: string,
    check: () => Promise<ApplicationRow>,
    page: (a: ApplicationRow) => { title: string; body: preact.ComponentChildren; warning: string; confirmText: string; fields: Record<string, string | undefined> },
  ) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      const a = await check();
      const p = page(a);
      return reply.page((ctx: PageContext) => (
        <ConfirmPage ctx={ctx} title={p.title} caption={a.fullName} action={req.url} fields={p.fields} confirmText={p.confirmText} cancelHref={`/admin/applications/${a.id}`} warning={p.warning} destructive>
          {p.body}
        </ConfirmPage>
      ));
    } catch (err) {
      if (err instanceof ValidationError) return detailPage(req, reply, err.fieldErrors, body);
      if (err instanceof AppError && err.status === 422) return detailPage(req, reply, { [field]: err.message }, body);
      throw err;
    }
  };

  app.post<{ Params: { id: string } }>('/admin/applications/:id/reject', guard, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    if (!confirmed(body)) {
      return confirmFirst(
        req,
        reply,
        'reason',
        async () => (await applications.checkReject(req.actor, req.params.id, body.reason)).app,
        (a) => ({
          title: 'Reject this application?',
          body: (
            <>
              <p class="govuk-body">We will email {a.fullName} that we cannot offer them a place, with your reason:</p>
              <div class="govuk-inset-text app-prewrap">{(body.reason ?? '').trim()}</div>
            </>
          ),
          warning: 'They are told at once. Reopening the application later does not take the email back.',
          confirmText: 'Yes, reject and email them',
          fields: { reason: body.reason },
        }),
      );
    }
    return decide(req, reply, 'reason', () => applications.reject(req.actor, req.params.id, body.reason), (row) =>
      row.unchanged ? `${row.fullName}’s application was already rejected: nothing changed, and no email was sent again.` : `${row.fullName}’s application is rejected. We have emailed them.`,
    );
  });

  app.post<{ Params: { id: string } }>('/admin/applications/:id/reopen', guard, async (req, reply) =>
    decide(req, reply, 'reopen', () => applications.reopen(req.actor, req.params.id), (row) => `${row.fullName}’s application is pending again.`),
  );

  app.post<{ Params: { id: string } }>('/admin/applications/:id/ask-school', guard, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    return decide(
      req,
      reply,
      'lineManagerEmail',
      () => applications.askSchoolForApproval(req.actor, req.params.id, { lineManagerName: body.lineManagerName ?? '', lineManagerEmail: body.lineManagerEmail ?? '' }),
      (row) => `We have emailed ${row.lineManagerName} (${row.lineManagerEmail}) to approve ${row.fullName}’s application.`,
    );
  });

  app.post<{ Params: { id: string } }>('/admin/applications/:id/funded-place', guard, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const fundedPlace = body.fundedPlace === 'yes' ? true : body.fundedPlace === 'no' ? false : undefined;
    return decide(
      req,
      reply,
      'changeFundedPlace',
      async () => {
        if (fundedPlace === undefined) throw new ValidationError({ changeFundedPlace: 'Say whether they have a funded place' });
        return applications.changeFundedPlace(req.actor, req.params.id, { fundedPlace });
      },
      (row) => `${row.fullName} ${row.fundedPlace ? 'has a funded place' : 'no longer has a funded place'}. DfE is told.`,
    );
  });

  app.post<{ Params: { id: string; change: string } }>('/admin/applications/:id/participant/:change', guard, async (req, reply) => {
    const change = oneOf(['defer', 'resume', 'withdraw', 'move'] as const, req.params.change) as ParticipantChange | undefined;
    if (!change) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    // Withdrawal ends the participant's place and is reported to DfE: it is confirmed first. Deferral
    // and moves can be undone (resume, move back), so they happen at once.
    if (change === 'withdraw' && !confirmed(body)) {
      return confirmFirst(
        req,
        reply,
        'reason',
        async () => (await applications.checkParticipantChange(req.actor, req.params.id, change, { reason: body.reason || undefined })).app,
        (a) => ({
          title: `Withdraw ${a.fullName} from the course?`,
          body: (
            <>
              <p class="govuk-body">Their training status becomes withdrawn, for this reason: {trainingReasonText(body.reason ?? null)}.</p>
              <p class="govuk-body">{a.onWaitingList ? 'They leave the waiting list.' : 'Their place in the intake goes to the next person on its waiting list, if there is one.'}</p>
            </>
          ),
          warning: 'You cannot undo a withdrawal here. DfE does not fund the same NPQ for them again.',
          confirmText: 'Yes, withdraw them',
          fields: { reason: body.reason, change: 'withdraw' },
        }),
      );
    }
    return decide(req, reply, change === 'move' ? 'intakeId' : 'reason', () => applications.changeParticipant(req.actor, req.params.id, change, { reason: body.reason || undefined, intakeId: body.intakeId || undefined }), (row) => `${row.fullName}: ${change === 'move' ? 'moved' : `now ${label(TRAINING_STATUS_LABELS, row.trainingStatus).toLowerCase()}`}.`);
  });

}

/** Who answered for the school, by name and address, as the provider reads it. */
function approvalText(a: ApplicationRow): string {
  const status = PROVIDER_APPROVAL_LABELS[a.approvalStatus as ApprovalStatus] ?? 'Unknown';
  const by = a.approverName ? ` by ${a.approverName}${a.approverEmail ? ` (${a.approverEmail})` : ''}` : '';
  return `${status}${by}${a.approvalComment ? `: “${a.approvalComment}”` : ''}`;
}
