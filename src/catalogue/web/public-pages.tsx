import type { FieldErrors } from '../../platform/errors';
import { type FilterChoice, FilterSelect } from '../../platform/list-filters';
import { Layout } from '../../platform/layout';
import { escapeHtml } from '../../ui/govuk/core';
import type { PageContext } from '../../platform/page-context';
import { formatDate } from '../../platform/clock';
import { Breadcrumbs, Button, Checkboxes, InsetText, SummaryList, Table, Tag, WarningText } from '../../ui/govuk';
import type { CatalogueEntry } from '../catalogue.service';
import {
  AUDIENCE_LABELS,
  AUDIENCES,
  COMPONENT_KIND_LABELS,
  DELIVERY_MODE_DESCRIPTIONS,
  DELIVERY_MODE_LABELS,
  type DeliveryMode,
  formatDuration,
  formatRange,
  hoursFromMinutes,
  KIND_LABELS,
  KINDS,
  type Kind,
} from '../domain/qualification';

const yesNo = (v: boolean) => (v ? 'Yes' : 'No');
const orAsk = (v: string | number | null | undefined) => (v === null || v === undefined || v === '' ? 'Ask us' : String(v));
const faceToFace = (q: CatalogueEntry) => (q.faceToFaceDays === null ? 'Ask us' : `${q.faceToFaceDays}${q.faceToFaceNote ? ` (${q.faceToFaceNote})` : ''}`);
const masters = (q: CatalogueEntry) => (q.mastersCredits === null ? 'None' : `Up to ${q.mastersCredits}`);
const funding = (q: CatalogueEntry) => q.funding.short;

/** The rows of seed 002's "Which NPQ is right for me?" table, each read from the qualification's data. */
export const COMPARISON_ROWS: { label: string; value: (q: CatalogueEntry) => string }[] = [
  { label: "Who's it for?", value: (q) => q.whoFor },
  { label: 'Who can apply?', value: (q) => orAsk(q.whoCanApply) },
  { label: 'Intakes', value: (q) => orAsk(q.intakesDescription) },
  { label: 'Duration', value: (q) => formatDuration(q.durationMonthsMin, q.durationMonthsMax) },
  { label: 'Average weekly study', value: (q) => orAsk(formatRange(q.weeklyStudyHoursMin, q.weeklyStudyHoursMax, 'hours')) },
  { label: 'DfE funding available', value: funding },
  { label: 'DfE accredited', value: (q) => yesNo(q.dfeAccredited) },
  { label: 'No. of face-to-face days', value: faceToFace },
  { label: 'No. of online courses', value: (q) => orAsk(q.onlineCourses) },
  { label: 'Personal online tutor', value: (q) => yesNo(q.personalTutor) },
  { label: 'Coaching', value: (q) => yesNo(q.coaching) },
  { label: 'Guided learning hours', value: (q) => orAsk(q.guidedLearningHours) },
  { label: 'Assessment', value: (q) => orAsk(q.assessmentType) },
  { label: "Master's credits", value: masters },
];

export function ComparisonTable({ entries, caption }: { entries: CatalogueEntry[]; caption: string }) {
  return (
    <Table
        caption={caption}
        captionClasses="govuk-table__caption--m"
        classes="app-compare-table"
        firstCellIsHeader
        head={[{ text: 'NPQ' }, ...entries.map((q) => ({ html: `<a class="govuk-link" href="/qualifications/${q.identifier}">${escapeHtml(q.shortName)}</a>` }))]}
        rows={COMPARISON_ROWS.map((row) => [{ text: row.label }, ...entries.map((q) => ({ text: row.value(q) }))])}
      />
  );
}


/** The qualifications list's filters as selects, with what each offers. */
export const QUALIFICATION_FILTERS = [
  { id: 'kind', name: 'kind', label: 'Kind of NPQ', items: [{ value: '', text: 'All kinds' }, ...KINDS.map((k) => ({ value: k, text: KIND_LABELS[k] }))] },
  { id: 'audience', name: 'for', label: 'Who it is for', items: [{ value: '', text: 'Everyone' }, ...AUDIENCES.map((a) => ({ value: a, text: AUDIENCE_LABELS[a] }))] },
] as const satisfies FilterChoice[];

export function QualificationsPage({
  ctx,
  entries,
  kind,
  audience,
  errors,
}: {
  ctx: PageContext;
  entries: CatalogueEntry[];
  kind: Kind | undefined;
  audience: string | undefined;
  /** Filters asked for that the selects do not offer (chosenFilters). */
  errors?: FieldErrors | undefined;
}) {
  return (
    <Layout ctx={ctx} title="National Professional Qualifications" errors={errors}>
      <h1 class="govuk-heading-xl">National Professional Qualifications</h1>
      <p class="govuk-body-l">
        DfE-accredited qualifications for teachers and school leaders, from leading teaching in a subject to leading several schools.
      </p>
      <p class="govuk-body">
        Not sure which is right for you? <a class="govuk-link" href="/qualifications/compare">Compare NPQs side by side</a>.
      </p>
      <form method="get" action="/qualifications" class="app-filter" aria-label="Filter qualifications">
        <div class="govuk-grid-row">
          <div class="govuk-grid-column-one-third">
            <FilterSelect choice={QUALIFICATION_FILTERS[0]} value={kind} errors={errors} />
          </div>
          <div class="govuk-grid-column-one-third">
            <FilterSelect choice={QUALIFICATION_FILTERS[1]} value={audience} errors={errors} />
          </div>
          <div class="govuk-grid-column-one-third">
            <Button text="Apply filters" classes="govuk-button--secondary govuk-!-margin-top-6" />
          </div>
        </div>
      </form>
      <p class="govuk-body" aria-live="polite">
        {entries.length === 1 ? '1 qualification' : `${entries.length} qualifications`}
        {kind || audience ? (
          <>
            {' '}
            match your filters. <a class="govuk-link" href="/qualifications">Clear filters</a>
          </>
        ) : null}
      </p>
      {entries.length === 0 ? <p class="govuk-body">No qualifications match. Try another kind, or everyone.</p> : null}
      <ul class="app-card-list">
        {entries.map((q) => (
          <li class="app-card">
            <h2 class="govuk-heading-m">
              <a class="govuk-link" href={`/qualifications/${q.identifier}`}>
                {q.name} ({q.shortName})
              </a>
            </h2>
            <p class="govuk-body">
              <Tag text={KIND_LABELS[q.kind as Kind]} classes="govuk-tag--grey" />
            </p>
            <p class="govuk-body">{q.summary}</p>
            <SummaryList
              classes="govuk-summary-list--no-border"
              rows={[
                { key: { text: 'Duration' }, value: { text: formatDuration(q.durationMonthsMin, q.durationMonthsMax) } },
                { key: { text: 'Next start' }, value: { text: q.intakes[0] ? formatDate(q.intakes[0].startDate) : 'To be announced' } },
              ]}
            />
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function ComparePage({
  ctx,
  table,
  all,
  picked,
  error,
}: {
  ctx: PageContext;
  table: CatalogueEntry[];
  all: CatalogueEntry[];
  picked: CatalogueEntry[];
  error?: string | undefined;
}) {
  return (
    <Layout ctx={ctx} title="Which NPQ is right for me?" errors={error ? { pick: error } : undefined} scripts={['/assets/compare.js']}>
      <h1 class="govuk-heading-xl">Which NPQ is right for me?</h1>
      <p class="govuk-body-l">
        NPQs are for school leaders at each stage of their career, from middle leadership to executive leadership.
      </p>
      <ComparisonTable entries={table} caption="Leadership NPQs compared" />
      <p class="govuk-body-s">
        DfE funding: eligibility depends on where you work and the NPQ; each NPQ’s page says who DfE funds, and <a class="govuk-link" href="/funding">the funding checker</a> applies the rules to you. Master's credits are awarded at the discretion of universities.
      </p>
      <h2 class="govuk-heading-l govuk-!-margin-top-8" id="side-by-side">Compare the NPQs you choose</h2>
      <form method="get" action="/qualifications/compare#side-by-side" data-compare-form>
        <Checkboxes
          idPrefix="pick"
          name="npq"
          classes="govuk-checkboxes--small"
          fieldset={{ legend: { text: 'Choose 2 to 4 NPQs', classes: 'govuk-fieldset__legend--m' } }}
          hint={{ text: 'Select all that you want to compare.' }}
          errorMessage={error ? { text: error } : undefined}
          items={all.map((q) => ({ value: q.identifier, text: `${q.name} (${q.shortName})`, checked: picked.some((p) => p.identifier === q.identifier) }))}
        />
        <Button text="Compare" />
      </form>
      {picked.length >= 2 && !error ? <ComparisonTable entries={picked} caption="Your chosen NPQs compared" /> : null}
    </Layout>
  );
}

export function CoursePage({ ctx, q }: { ctx: PageContext; q: CatalogueEntry }) {
  const componentHours = q.components.reduce((sum, c) => sum + c.guidedLearningMinutes, 0) / 60;
  const modes = q.deliveryModes as DeliveryMode[];
  return (
    <Layout
      ctx={ctx}
      title={q.name}
      beforeContent={<Breadcrumbs items={[{ text: 'Qualifications', href: '/qualifications' }, { text: q.shortName }]} />}
    >
      <span class="govuk-caption-xl">{KIND_LABELS[q.kind as Kind]} NPQ</span>
      <h1 class="govuk-heading-xl">
        {q.name} ({q.shortName})
      </h1>
      <p class="govuk-body-l">{q.summary}</p>
      <SummaryList
        rows={[
          { key: { text: 'Who it is for' }, value: { text: q.whoFor } },
          { key: { text: 'Who can apply' }, value: { text: orAsk(q.whoCanApply) } },
          { key: { text: 'Duration' }, value: { text: formatDuration(q.durationMonthsMin, q.durationMonthsMax) } },
          { key: { text: 'Average weekly study' }, value: { text: orAsk(formatRange(q.weeklyStudyHoursMin, q.weeklyStudyHoursMax, 'hours')) } },
          { key: { text: 'Study type' }, value: { text: orAsk(q.studyType) } },
          { key: { text: 'Face-to-face days' }, value: { text: faceToFace(q) } },
          { key: { text: 'Online courses' }, value: { text: orAsk(q.onlineCourses) } },
          { key: { text: 'Personal online tutor' }, value: { text: yesNo(q.personalTutor) } },
          { key: { text: 'Coaching' }, value: { text: yesNo(q.coaching) } },
          { key: { text: 'Guided learning hours' }, value: { text: orAsk(q.guidedLearningHours) } },
          { key: { text: 'Assessment' }, value: { text: orAsk(q.assessmentType) } },
          { key: { text: "Master's credits" }, value: { text: masters(q) } },
          { key: { text: 'Intakes' }, value: { text: orAsk(q.intakesDescription) } },
          { key: { text: 'DfE accredited' }, value: { text: yesNo(q.dfeAccredited) } },
        ]}
      />
      {q.components.length ? (
        <>
          <h2 class="govuk-heading-l">How the course is structured</h2>
          <Table
            caption="Guided learning hours by component"
            captionClasses="govuk-table__caption--m"
            firstCellIsHeader
            head={[{ text: 'Component' }, { text: 'What it is' }, { text: 'Guided learning hours', format: 'numeric' }]}
            rows={[
              ...q.components.map((c) => [{ text: c.title }, { text: c.description }, { text: String(hoursFromMinutes(c.guidedLearningMinutes)), format: 'numeric' }]),
              [{ text: 'Total' }, { text: q.guidedLearningHours !== null && q.guidedLearningHours !== componentHours ? `The accredited total. The components above add up to ${componentHours} hours.` : '' }, { text: String(q.guidedLearningHours ?? componentHours), format: 'numeric' }],
            ]}
          />
          {q.components
            .filter((c) => c.items.length)
            .map((c) => (
              <section aria-labelledby={`component-${c.id}`}>
                <h3 class="govuk-heading-m" id={`component-${c.id}`}>
                  {c.title}
                  <span class="govuk-visually-hidden"> ({COMPONENT_KIND_LABELS[c.kind as keyof typeof COMPONENT_KIND_LABELS] ?? c.kind})</span>
                </h3>
                {c.items.map((item) => (
                  <>
                    <h4 class="govuk-heading-s">{item.title}</h4>
                    <ul class="govuk-list govuk-list--bullet">
                      {item.points.map((p) => (
                        <li>{p}</li>
                      ))}
                    </ul>
                  </>
                ))}
              </section>
            ))}
        </>
      ) : null}
      {q.learningThemes.length ? (
        <>
          <h2 class="govuk-heading-l">What you'll learn</h2>
          <ul class="govuk-list govuk-list--bullet">
            {q.learningThemes.map((t) => (
              <li>{t}</li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 class="govuk-heading-l" id="funding">
        Funding
      </h2>
      {q.funding.sentences.map((sentence) => (
        <p class="govuk-body" data-funding-rule>
          {sentence}
        </p>
      ))}
      <InsetText text="You can do more than one NPQ. The checker below applies DfE’s rules to where you work." />
      <p class="govuk-body">
        <a class="govuk-link" href="/funding">
          Check if DfE will fund you
        </a>{' '}
        (2 minutes, no account needed).
      </p>
      {modes.length ? (
        <>
          <h2 class="govuk-heading-l">Ways to study</h2>
          <dl class="govuk-summary-list">
            {modes.map((m) => (
              <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">{DELIVERY_MODE_LABELS[m]}</dt>
                <dd class="govuk-summary-list__value">{DELIVERY_MODE_DESCRIPTIONS[m]}</dd>
              </div>
            ))}
          </dl>
        </>
      ) : null}
      <h2 class="govuk-heading-l">Start dates</h2>
      {q.intakes.length ? (
        <Table
          caption="Intakes open for applications"
          captionClasses="govuk-visually-hidden"
          head={[{ text: 'Intake' }, { text: 'Starts' }, { text: 'Apply by' }, { text: 'How' }, { text: 'Where' }, { text: 'Delivery partner' }]}
          rows={q.intakes.map((i) => [
            { text: i.name },
            { text: formatDate(i.startDate) },
            { text: formatDate(i.applicationDeadline) },
            { text: DELIVERY_MODE_LABELS[i.deliveryMode as DeliveryMode] ?? i.deliveryMode },
            { text: i.deliveryMode === 'distance' ? `Online, live sessions in ${i.timeZone ?? 'UK time'}` : i.venue ? `${i.venue.name}, ${i.venue.town} ${i.venue.postcode}` : 'At your school' },
            { text: i.partnerName },
          ])}
        />
      ) : (
        <WarningText text="No intakes are open right now. Check back soon." />
      )}
      {q.intakes.length ? <Button href={`/apply?npq=${q.identifier}`} text={`Apply for the ${q.shortName}`} /> : null}
      <p class="govuk-body">
        <a class="govuk-link" href={`/interest?npq=${q.identifier}`}>
          Register your interest
        </a>{' '}
        and we will email you when applications open.
      </p>
      {q.partners.length ? (
        <>
          <h2 class="govuk-heading-l">Delivery partners</h2>
          <ul class="govuk-list">
            {q.partners.map((p) => (
              <li>
                <strong>{p.name}</strong>
                {p.region ? `, ${p.region}` : ''}
                {p.description ? <p class="govuk-body">{p.description}</p> : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Layout>
  );
}
