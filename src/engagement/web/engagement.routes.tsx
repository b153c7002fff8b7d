import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { csvBatches, pagesAfter, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { hoursAndMinutes } from '../../platform/text';
import { requireSignIn } from '../../platform/web';
import { PersonalPages } from '../../platform/personal-pages';
import { type KeptPages, minuteVersion } from '../../platform/kept-version';
import { ENGAGEMENT_PAGE_CHANNELS } from '../engagement.context';
import { escapeHtml } from '../../ui/govuk/core';
import { Button, Input, InsetText, Pagination, Radios, Select, SummaryList, Table, Textarea, WarningText } from '../../ui/govuk';
import { AT_RISK_SCORE, FOLLOW_UP_KIND_LABELS, FOLLOW_UP_KINDS, FOLLOW_UP_NOTE_MAX, type Risk, type RiskSignal, signalsFingerprint } from '../domain/early-warning';
import { type FollowUp, UNDO_FOLLOW_UP_WITHIN_MINUTES } from '../early-warning/follow-ups';
import { ENGAGEMENT_COMPONENT_LABELS, type Engagement } from '../domain/engagement';
import { readsEngagement } from '../domain/engagement.policy';
import type { EngagementService } from '../engagement.service';
import { ENGAGEMENT_BANDS, ENGAGEMENT_SORTS, type EngagementFilter, type EngagementRow, type EngagementSort } from '../lists/engagement-lists';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const BASE = '/engagement';
const idOr = (v: string) => (uuid.safeParse(v).success ? v : undefined);

/** The filter and sort a list's address asks for; anything that is not one of ours is left out, never an error. */
function filterOf(q: Body): EngagementFilter & { sort: EngagementSort; page: number } {
  const sort = one(q.sort) as EngagementSort;
  const page = Number.parseInt(one(q.page) || '1', 10);
  return {
    course: /^[a-z0-9-]{1,80}$/.test(one(q.course)) ? one(q.course) : undefined,
    cohort: idOr(one(q.cohort)),
    intake: idOr(one(q.intake)),
    partner: idOr(one(q.partner)),
    group: one(q.group) === 'none' ? 'none' : idOr(one(q.group)),
    facilitator: idOr(one(q.facilitator)),
    below: one(q.below) === 'yes' || undefined,
    atRisk: one(q.risk) === 'yes' || undefined,
    q: one(q.q).trim().slice(0, 100) || undefined,
    sort: ENGAGEMENT_SORTS.includes(sort) ? sort : 'name',
    page: Number.isFinite(page) && page > 0 ? page : 1,
  };
}
const queryOf = (f: ReturnType<typeof filterOf>): Record<string, string | undefined> => ({ course: f.course, cohort: f.cohort, intake: f.intake, partner: f.partner, group: f.group, facilitator: f.facilitator, below: f.below ? 'yes' : undefined, risk: f.atRisk ? 'yes' : undefined, q: f.q, sort: f.sort === 'name' ? undefined : f.sort });
const search = (query: Record<string, string | undefined>) => new URLSearchParams(Object.entries(query).filter((e): e is [string, string] => Boolean(e[1]))).toString();

/** "83%" or "Nothing expected yet". */
export const percentText = (percent: number | null) => (percent === null ? 'Nothing expected yet' : `${percent}%`);

/** Each component's minutes expected by now and evidenced, as a table the participant and staff both read. */
function ComponentsTable({ e, caption }: { e: Engagement; caption: string }) {
  return (
    <Table
      caption={caption}
      captionClasses="govuk-table__caption--m"
      head={[{ text: 'Part of the programme' }, { text: 'Expected by now', format: 'numeric' }, { text: 'Evidenced', format: 'numeric' }]}
      rows={[
        ...e.components.map((c) => [{ text: ENGAGEMENT_COMPONENT_LABELS[c.component] }, { text: hoursAndMinutes(c.expectedMinutes), format: 'numeric' as const }, { text: `${hoursAndMinutes(c.evidencedMinutes)}${c.evidencedMinutes < c.expectedMinutes ? ` (${hoursAndMinutes(c.expectedMinutes - c.evidencedMinutes)} behind)` : ''}`, format: 'numeric' as const }]),
        [{ text: 'Counted towards engagement' }, { text: hoursAndMinutes(e.expectedMinutes), format: 'numeric' as const }, { text: hoursAndMinutes(e.countedMinutes), format: 'numeric' as const }],
      ]}
    />
  );
}

/** What the figure means, in words: on track, below the threshold, or nothing expected yet. */
function Verdict({ e, who, messages }: { e: Engagement; who: 'you' | 'they'; messages?: string }) {
  if (e.percent === null) return <InsetText text={`Nothing is expected yet: engagement is measured from the first session, module or coaching due. ${who === 'you' ? 'Your NPQ expects' : 'Their NPQ expects'} at least ${e.thresholdPercent}%.`} />;
  if (e.below) {
    const behind = e.components.filter((c) => c.evidencedMinutes < c.expectedMinutes).map((c) => ENGAGEMENT_COMPONENT_LABELS[c.component].toLowerCase());
    return (
      <>
        <WarningText text={`${e.percent}% engaged: below the ${e.thresholdPercent}% ${who === 'you' ? 'your' : 'their'} NPQ expects of participants to pass. Behind on ${behind.join(', ')}.`} />
        {messages ? (
          <p class="govuk-body">
            Catch up on these, or <a class="govuk-link" href={messages}>talk to your personal tutor or facilitator</a>.
          </p>
        ) : null}
      </>
    );
  }
  return <InsetText text={`${e.percent}% engaged: on track (${who === 'you' ? 'your' : 'their'} NPQ expects at least ${e.thresholdPercent}%).`} />;
}

/** A participant's signals as a list's cell shows them: the reasons, each with its weight. */
export const reasonsText = (signals: readonly RiskSignal[]) => signals.map((s) => `${s.reason} (weight ${s.weight})`).join('; ');

/** The list's own query a participant's page goes back to (`back`), if it is one: letters, digits and what a query string escapes. */
const backOf = (req: FastifyRequest): string => {
  const back = one(((req.query ?? {}) as Body).back);
  return back.length <= 500 && /^[A-Za-z0-9_=&%.+-]*$/.test(back) ? back : '';
};
const withBack = (path: string, back: string) => (back ? `${path}?${new URLSearchParams({ back })}` : path);

/** Early warning on a participant's page: the verdict, and every signal with its weight and the total against AT_RISK_SCORE. */
function EarlyWarning({ risk, trainingStatus }: { risk: Risk; trainingStatus: string }) {
  return (
    <>
      <h2 class="govuk-heading-l" id="early-warning">
        Early warning
      </h2>
      {trainingStatus !== 'active' ? (
        <InsetText text={`Not flagged: their training is ${trainingStatus}, and only participants in training are flagged. ${risk.signals.length ? `Their signals, as found, weigh ${risk.score}.` : 'No signals.'}`} />
      ) : risk.atRisk ? (
        <WarningText text={`At risk: their signals weigh ${risk.score}, at or above the ${AT_RISK_SCORE} that flags a participant.`} />
      ) : risk.followedUp ? (
        <InsetText text={`Followed up: their signals weigh ${risk.score}, but the last follow-up covered every one of them. The flag comes back if a signal is new or grows.`} />
      ) : (
        <p class="govuk-body">{risk.signals.length ? `Not at risk: their signals weigh ${risk.score}, below the ${AT_RISK_SCORE} that flags a participant.` : 'Not at risk: no signals.'}</p>
      )}
      {risk.signals.length ? (
        <Table
          caption="Signals and their weights"
          captionClasses="govuk-table__caption--m"
          head={[{ text: 'Signal' }, { text: 'Weight', format: 'numeric' }]}
          rows={[...risk.signals.map((s) => [{ text: s.reason }, { text: String(s.weight), format: 'numeric' as const }]), [{ html: '<strong>Total</strong>' }, { html: `<strong>${risk.score}</strong> (flagged at ${AT_RISK_SCORE})`, format: 'numeric' as const }]]}
        />
      ) : null}
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">How signals are weighed</span>
        </summary>
        <div class="govuk-details__text">
          <ul class="govuk-list govuk-list--bullet">
            <li>2 for each session missed without an excuse or catching up, up to 6</li>
            <li>1 for each piece of pre-work or module overdue, up to 4</li>
            <li>3 for 3 weeks or more without signing in, 5 for 6 weeks or more</li>
            <li>2 for no coaching booked 6 weeks into the programme, where the NPQ has coaching and a coach is allocated</li>
            <li>1 for engagement below the NPQ’s threshold, and 1 more for every further 10 points below it, up to 4</li>
          </ul>
          <p class="govuk-body">{`A participant is flagged at ${AT_RISK_SCORE}. Recording a follow-up clears the flag until a signal is new or grows.`}</p>
        </div>
      </details>
    </>
  );
}

/** The chart of engagement across whoever the list holds: how many fall in each band, as bars and as a table. */
function EngagementChart({ counts, notYet }: { counts: number[]; notYet: number }) {
  const width = 560;
  const label = 70;
  const plot = width - label - 50;
  const max = Math.max(1, ...counts);
  const row = 22;
  return (
    <>
      <svg class="app-chart app-chart--bars" viewBox={`0 0 ${width} ${counts.length * row + 10}`} role="img" aria-labelledby="engagement-chart-title">
        <title id="engagement-chart-title">{`Participants by engagement: ${counts.map((n, i) => `${ENGAGEMENT_BANDS[i]}: ${n}`).join(', ')}; nothing expected yet: ${notYet}`}</title>
        {counts.map((n, i) => (
          <g transform={`translate(0 ${i * row + 4})`}>
            <text class="app-chart__label" x={label - 8} y={9} text-anchor="end" dominant-baseline="middle">
              {ENGAGEMENT_BANDS[i]}
            </text>
            <rect class="app-chart__bar app-series--self" x={label} y={0} width={Math.round((plot * n) / max)} height={18} />
            <text class="app-chart__tick" x={label + Math.round((plot * n) / max) + 6} y={9} dominant-baseline="middle">
              {n}
            </text>
          </g>
        ))}
      </svg>
      <details class="govuk-details">
        <summary class="govuk-details__summary">
          <span class="govuk-details__summary-text">The chart as a table</span>
        </summary>
        <div class="govuk-details__text">
          <Table caption="Participants by engagement" captionClasses="govuk-visually-hidden" head={[{ text: 'Engagement' }, { text: 'Participants', format: 'numeric' }]} rows={[...counts.map((n, i) => [{ text: ENGAGEMENT_BANDS[i]! }, { text: String(n), format: 'numeric' as const }]), [{ text: 'Nothing expected yet' }, { text: String(notYet), format: 'numeric' as const }]]} />
        </div>
      </details>
    </>
  );
}

/**
 * Engagement and guided learning hours (issue 11 item 3): the participant's own page
 * (`/programme/:eid/engagement`), and for the admin, partner leads, facilitators and coaches the list
 * of those they see (`/engagement`: filters, sorting, pages, CSV and a chart) and each participant's
 * figures (`/engagement/participants/:eid`).
 */
export async function engagementRoutes(app: FastifyInstance, opts: { engagement: EngagementService; kept: KeptPages }) {
  const { engagement } = opts;
  const lists = new PersonalPages();
  const version = minuteVersion(opts.kept.notifier, ENGAGEMENT_PAGE_CHANNELS, opts.kept.clock);
  const guard = { preHandler: requireAbility(readsEngagement) };

  app.get<{ Params: { eid: string } }>('/programme/:eid/engagement', { preHandler: requireSignIn }, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success) return reply.callNotFound();
    const { engagement: e } = await engagement.myEngagement(req.actor, req.params.eid);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your engagement">
        <a class="govuk-back-link" href="/programme">
          Your programme
        </a>
        <h1 class="govuk-heading-xl">Your engagement</h1>
        <p class="govuk-body">The guided learning you have shown, against what your programme expected of you by today. Sessions count once the register marks you there; modules as you finish their activities and core tasks; coaching once your coach records it held.</p>
        <p class="govuk-body">{`Engagement is the share of the guided learning expected of you by today that you have done. Your NPQ expects at least ${e.thresholdPercent}%.`}</p>
        <Verdict e={e} who="you" messages={`/programme/${req.params.eid}/messages`} />
        <ComponentsTable e={e} caption="Your guided learning" />
        <p class="govuk-body">Work done ahead in one part does not make up for another part you are behind on.</p>
      </Layout>
    ));
  });

  // Kept per person and address for at most a minute (docs/adr/0050), and dropped when the nightly run writes everyone's figures.
  app.get(BASE, guard, async (req, reply) => reply.personalPage(lists, version(), async () => ({ keep: opts.kept.on, render: await listPage(req) }), req.url));

  const listPage = async (req: FastifyRequest) => {
    const f = filterOf((req.query ?? {}) as Body);
    const [l, choices] = await Promise.all([engagement.engagementList(req.actor, f, f.sort, f.page), engagement.engagementChoices(req.actor, f.intake)]);
    const npqName = new Map(choices.courses.map((c) => [c.identifier, c.shortName]));
    const filtered = Boolean(f.course || f.cohort || f.intake || f.partner || f.group || f.facilitator || f.below || f.atRisk || f.q);
    const pagination = paginationFor(l.page, l.pages, BASE, { ...queryOf(f) });
    // Each participant's page goes back to this very list: its filters, sort and page.
    const here = search({ ...queryOf(f), page: l.page > 1 ? String(l.page) : undefined });
    const csv = `${BASE}.csv?${search(queryOf(f))}`;
    const options = <T extends { id: string }>(list: T[], text: (t: T) => string) => [{ value: '', text: 'All' }, ...list.map((x) => ({ value: x.id, text: text(x) }))];
    return (ctx: PageContext) => (
      <Layout ctx={ctx} title="Engagement">
        <h1 class="govuk-heading-xl">Engagement</h1>
        <p class="govuk-body">{`Guided learning evidenced against what was expected by today, for the participants in training you support. ${l.computedAt ? `Figures as computed ${formatDateTime(l.computedAt)} (every night, and whenever a participant opens their own).` : 'Figures are computed every night.'}`}</p>
        <p class="govuk-body">
          What participants said of sessions, modules and coaching: <a class="govuk-link" href="/feedback">Participants’ feedback</a>.
        </p>
        <form method="get" action={BASE} novalidate>
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-half">
              <Select id="course" name="course" label={{ text: 'NPQ', classes: 'govuk-label--s' }} value={f.course ?? ''} items={[{ value: '', text: 'All' }, ...choices.courses.map((c) => ({ value: c.identifier, text: c.name }))]} />
              <Select id="cohort" name="cohort" label={{ text: 'Cohort', classes: 'govuk-label--s' }} value={f.cohort ?? ''} items={options(choices.cohorts, (c) => c.identifier)} />
              <Select id="intake" name="intake" label={{ text: 'Intake', classes: 'govuk-label--s' }} value={f.intake ?? ''} items={[{ value: '', text: 'All' }, ...choices.intakes.map((i) => ({ value: i.intake.id, text: `${i.qualificationShortName} ${i.intake.name}, ${i.partnerName}` }))]} />
              <Select id="partner" name="partner" label={{ text: 'Delivery partner', classes: 'govuk-label--s' }} value={f.partner ?? ''} items={options(choices.partners, (p) => p.name)} />
            </div>
            <div class="govuk-grid-column-one-half">
              <Select id="group" name="group" label={{ text: 'Group', classes: 'govuk-label--s' }} hint={{ text: f.intake ? 'Of the intake chosen' : 'Choose an intake to list its groups' }} value={f.group ?? ''} items={[{ value: '', text: 'All' }, { value: 'none', text: 'In no group' }, ...choices.groups.map((g) => ({ value: g.id, text: g.name }))]} />
              <Select id="facilitator" name="facilitator" label={{ text: 'Group facilitator', classes: 'govuk-label--s' }} value={f.facilitator ?? ''} items={options(choices.facilitators, (p) => p.name)} />
              <Select id="below" name="below" label={{ text: 'Show', classes: 'govuk-label--s' }} value={f.below ? 'yes' : ''} items={[{ value: '', text: 'Everyone' }, { value: 'yes', text: 'Below their NPQ’s threshold' }]} />
              <Select id="risk" name="risk" label={{ text: 'Early warning', classes: 'govuk-label--s' }} value={f.atRisk ? 'yes' : ''} items={[{ value: '', text: 'Everyone' }, { value: 'yes', text: 'Flagged at risk' }]} />
              <Select id="sort" name="sort" label={{ text: 'Sort by', classes: 'govuk-label--s' }} value={f.sort} items={[{ value: 'name', text: 'Name' }, { value: 'lowest', text: 'Lowest engagement first' }, { value: 'highest', text: 'Highest engagement first' }]} />
              <Input id="q" name="q" label={{ text: 'Name', classes: 'govuk-label--s' }} value={f.q ?? ''} maxlength={100} />
            </div>
          </div>
          <FilterButtons clearHref={BASE} filtered={filtered} csvHref={csv} />
        </form>
        <p class="govuk-body">{`${l.total.toLocaleString('en-GB')} ${l.total === 1 ? 'participant' : 'participants'}${filtered ? (l.total === 1 ? ' matches' : ' match') : ''}; ${l.below.toLocaleString('en-GB')} below their NPQ’s threshold; ${l.atRisk.toLocaleString('en-GB')} flagged at risk.`}</p>
        {l.total ? (
          <>
            <h2 class="govuk-heading-m">How many participants in each band of engagement</h2>
            <EngagementChart counts={l.chart.counts} notYet={l.chart.notYet} />
          </>
        ) : null}
        {l.rows.length ? (
          <Table
            caption="Participants’ engagement"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'Group' }, { text: 'Expected by now', format: 'numeric' }, { text: 'Counted', format: 'numeric' }, { text: 'Engagement', format: 'numeric' }]}
            rows={l.rows.map((r) => [
              {
                html: `<a class="govuk-link" href="${escapeHtml(withBack(`${BASE}/participants/${r.enrolmentId}`, here))}">${escapeHtml(r.fullName)}</a><br><span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(npqName.get(r.courseIdentifier) ?? r.courseIdentifier)}, ${escapeHtml(choices.allPartners.get(r.deliveryPartnerId ?? '') ?? 'no partner')}</span>${
                  r.atRisk
                    ? `<br><strong class="govuk-tag govuk-tag--orange">At risk</strong> <span class="govuk-body-s">${escapeHtml(reasonsText(r.riskSignals))}</span>`
                    : r.riskScore >= AT_RISK_SCORE && !r.atRisk && r.riskSignals.length
                      ? '<br><strong class="govuk-tag govuk-tag--grey">Followed up</strong>'
                      : ''
                }`,
              },
              { text: r.groupName ?? 'None' },
              { text: hoursAndMinutes(r.expectedMinutes), format: 'numeric' },
              { text: hoursAndMinutes(r.countedMinutes), format: 'numeric' },
              { html: r.below ? `<strong class="govuk-tag govuk-tag--red">${percentText(r.percent)}</strong>` : escapeHtml(percentText(r.percent)), format: 'numeric' },
            ])}
          />
        ) : (
          <InsetText text={filtered ? 'Nobody matches these filters.' : 'Nobody in training is yours to see yet, or the figures have not been computed: they are every night.'} />
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    );
  };

  app.get(`${BASE}.csv`, guard, async (req, reply) => {
    const f = filterOf((req.query ?? {}) as Body);
    const choices = await engagement.engagementNames(req.actor);
    const cohort = new Map(choices.cohorts.map((c) => [c.id, c.identifier]));
    const npqName = new Map(choices.courses.map((c) => [c.identifier, c.shortName]));
    // Refused before the download starts, and walked by name and id (docs/adr/0044).
    const pages = await pagesAfter<EngagementRow, EngagementRow>(async (after, perPage) => {
      const rows = await engagement.engagementExportPage(req.actor, f, after ? { fullName: after.fullName, enrolmentId: after.enrolmentId } : undefined, perPage);
      return { rows, next: rows.length === perPage ? rows.at(-1) : undefined };
    });
    const minutesOf = (r: EngagementRow, c: string, k: 'expectedMinutes' | 'evidencedMinutes') => r.components.find((x) => x.component === c)?.[k] ?? '';
    const components = ['events', 'online_courses', 'briefings', 'coaching', 'diagnostic'] as const;
    return sendCsv(
      reply,
      'engagement.csv',
      csvBatches(
        ['Participant', 'NPQ', 'Cohort', 'Delivery partner', 'Group', ...components.flatMap((c) => [`${ENGAGEMENT_COMPONENT_LABELS[c]}: expected minutes`, `${ENGAGEMENT_COMPONENT_LABELS[c]}: evidenced minutes`]), 'Expected minutes', 'Counted minutes', 'Engagement %', 'Threshold %', 'Below threshold', 'At risk', 'Risk score', 'Signals', 'Flagged since', 'Computed at'],
        pages,
        (r) => [r.fullName, npqName.get(r.courseIdentifier) ?? r.courseIdentifier, cohort.get(r.cohortId ?? '') ?? '', choices.allPartners.get(r.deliveryPartnerId ?? '') ?? '', r.groupName ?? '', ...components.flatMap((c) => [minutesOf(r, c, 'expectedMinutes'), minutesOf(r, c, 'evidencedMinutes')]), r.expectedMinutes, r.countedMinutes, r.percent, r.thresholdPercent, r.below ? 'yes' : 'no', r.atRisk ? 'yes' : 'no', r.riskScore, reasonsText(r.riskSignals), r.flaggedSince?.toISOString() ?? '', r.computedAt.toISOString()],
      ),
    );
  });

  const participantPage = async (req: FastifyRequest<{ Params: { eid: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const [{ place, group, engagement: e, risk }, choices, followUps] = await Promise.all([engagement.engagementOfParticipant(req.actor, req.params.eid), engagement.engagementNames(req.actor), engagement.followUpsOf(req.actor, req.params.eid)]);
    const back = backOf(req);
    const action = withBack(`${BASE}/participants/${place.enrolmentId}/follow-ups`, back);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Engagement: ${place.fullName}`} errors={errors} errorTargets={{ followUp: 'follow-up' }}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={back ? `${BASE}?${back}` : BASE}>
            Engagement
          </a>
          <h1 class="govuk-heading-xl">{place.fullName}</h1>
          <SummaryList
            rows={[
              { key: { text: 'Email' }, value: { html: `<a class="govuk-link" href="mailto:${escapeHtml(place.email)}">${escapeHtml(place.email)}</a>` } },
              { key: { text: 'NPQ' }, value: { text: choices.courses.find((c) => c.identifier === place.courseIdentifier)?.name ?? place.courseIdentifier } },
              { key: { text: 'Delivery partner' }, value: { text: choices.allPartners.get(place.deliveryPartnerId ?? '') ?? 'None' } },
              { key: { text: 'Group' }, value: { text: group?.groupName ?? 'None' } },
              { key: { text: 'Training status' }, value: { html: place.trainingStatus === 'active' ? 'In training' : `<strong class="govuk-tag govuk-tag--grey">${escapeHtml(place.trainingStatus)}</strong>` } },
            ]}
          />
          <Verdict e={e} who="they" />
          <ComponentsTable e={e} caption="Guided learning" />
          <EarlyWarning risk={risk} trainingStatus={place.trainingStatus} />
          {/* Shown again with what was typed after a refusal, even if their training changed meanwhile: nothing typed is lost. */}
          {place.trainingStatus === 'active' || typed ? <FollowUpForm ctx={ctx} action={action} typed={typed} errors={errors} seen={signalsFingerprint(risk.signals)} /> : null}
          <FollowUps ctx={ctx} followUps={followUps} action={action} errors={errors} />
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string } }>(`${BASE}/participants/:eid`, guard, async (req, reply) => (uuid.safeParse(req.params.eid).success ? participantPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { eid: string } }>(`${BASE}/participants/:eid/follow-ups`, guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const typed = { kind: one(body.kind), note: one(body.note) };
    let cleared: boolean;
    try {
      ({ cleared } = await engagement.recordFollowUp(req.actor, req.params.eid, { ...typed, seen: one(body.seen) || undefined }));
    } catch (err) {
      if (err instanceof ValidationError) return participantPage(req, reply, err.fieldErrors, typed);
      // Not about a field: said at the top of the form, which stays with what was typed.
      if (err instanceof AppError && (err.status === 422 || err.status === 409)) return participantPage(req, reply, { followUp: err.message }, typed);
      throw err;
    }
    reply.flash(cleared ? 'Your follow-up is recorded. The flag is cleared until a signal is new or grows.' : 'Your follow-up is recorded.');
    // To the top of the page, where the banner says it is recorded.
    return reply.redirect(withBack(`${BASE}/participants/${req.params.eid}`, backOf(req)), 303);
  });

  app.post<{ Params: { eid: string; fid: string } }>(`${BASE}/participants/:eid/follow-ups/:fid/undo`, guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success || !uuid.safeParse(req.params.fid).success) return reply.callNotFound();
    try {
      await engagement.undoFollowUp(req.actor, req.params.eid, req.params.fid);
    } catch (err) {
      if (err instanceof AppError && err.status === 422) return participantPage(req, reply, { [`follow-up-${req.params.fid}`]: err.message });
      throw err;
    }
    reply.flash('Your follow-up is taken back.');
    return reply.redirect(withBack(`${BASE}/participants/${req.params.eid}`, backOf(req)), 303);
  });
}

/** The form to record a follow-up: how, and a note. What was typed stays after a refusal. */
function FollowUpForm(p: { ctx: PageContext; action: string; typed?: Body | undefined; errors?: FieldErrors | undefined; seen: string }) {
  return (
    <form method="post" action={p.action} novalidate id="follow-up">
      <Csrf ctx={p.ctx} />
      {/* The signals this page showed: a follow-up acknowledges only what its recorder read. */}
      <input type="hidden" name="seen" value={p.seen} />
      {p.errors?.followUp ? <p class="govuk-error-message">{p.errors.followUp}</p> : null}
      <h2 class="govuk-heading-m">Record a follow-up</h2>
      <Radios
        name="kind"
        idPrefix="kind"
        fieldset={{ legend: { text: 'How did you follow them up?', classes: 'govuk-fieldset__legend--s' } }}
        value={p.typed?.kind ?? ''}
        errorMessage={p.errors?.kind ? { text: p.errors.kind } : undefined}
        items={FOLLOW_UP_KINDS.map((k) => ({ value: k, text: FOLLOW_UP_KIND_LABELS[k] }))}
      />
      <Textarea
        id="note"
        name="note"
        rows={4}
        label={{ text: 'Note (optional)', classes: 'govuk-label--s' }}
        hint={{ text: `What you agreed, or what is in the way. Up to ${FOLLOW_UP_NOTE_MAX.toLocaleString('en-GB')} characters. Read by whoever supports them, not by the participant.` }}
        value={p.typed?.note ?? ''}
        errorMessage={p.errors?.note ? { text: p.errors.note } : undefined}
        attributes={{ maxlength: String(FOLLOW_UP_NOTE_MAX) }}
      />
      <Button text="Record the follow-up" preventDoubleClick />
    </form>
  );
}

/** The follow-ups recorded, newest first; the recorder's own recent ones can be taken back. */
function FollowUps(p: { ctx: PageContext; followUps: FollowUp[]; action: string; errors?: FieldErrors | undefined }) {
  if (!p.followUps.length) return <p class="govuk-body">No follow-ups recorded yet.</p>;
  return (
    <>
      <h2 class="govuk-heading-m">Follow-ups</h2>
      <ul class="govuk-list">
        {p.followUps.map((f) => {
          const error = p.errors?.[`follow-up-${f.id}`];
          return (
            <li id={`follow-up-${f.id}`} tabindex={error ? -1 : undefined} class={error ? 'govuk-form-group govuk-form-group--error' : 'govuk-!-margin-bottom-4'}>
              {error ? <p class="govuk-error-message">{error}</p> : null}
              <p class="govuk-body govuk-!-margin-bottom-1">
                <strong>{`${FOLLOW_UP_KIND_LABELS[f.kind]}`}</strong>
                {` — ${f.recordedBy}, ${formatDateTime(f.recordedAt)}`}
              </p>
              {f.note ? <p class="govuk-body app-prewrap govuk-!-margin-bottom-1">{f.note}</p> : null}
              {f.mayUndo ? (
                <form method="post" action={p.action.replace('/follow-ups', `/follow-ups/${f.id}/undo`)} novalidate>
                  <Csrf ctx={p.ctx} />
                  <Button text="Take back this follow-up" classes="govuk-button--secondary govuk-!-margin-bottom-0" />
                  <p class="govuk-hint">{`You can take back a follow-up within ${UNDO_FOLLOW_UP_WITHIN_MINUTES} minutes of recording it.`}</p>
                </form>
              ) : null}
            </li>
          );
        })}
      </ul>
    </>
  );
}
