import { escapeHtml } from '../../ui/govuk/core';
import type { FieldErrors } from '../../platform/errors';
import { formatDate } from '../../platform/clock';
import { DateField } from '../../platform/date-field';
import { dateErrorTarget, dateInputFields, dateInputValues } from '../../platform/date-input';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { BackLink, Button, CharacterCount, Checkboxes, Input, InsetText, Radios, Select, Table, Tag, Textarea, WarningText } from '../../ui/govuk';
import type { ComponentRow, IntakeRow, PartnerRow, QualificationRow, VenueRow } from '../catalogue.repository';
import { schedulesFor } from '../domain/schedules';
import {
  AUDIENCE_LABELS,
  AUDIENCES,
  COMPONENT_KIND_LABELS,
  COMPONENT_KINDS,
  DELIVERY_MODE_LABELS,
  DELIVERY_MODES,
  type DeliveryMode,
  hoursFromMinutes,
  KIND_LABELS,
  KINDS,
} from '../domain/qualification';
import { Flash } from '../../platform/flash';

type Values = Record<string, unknown>;
const v = (values: Values | undefined, key: string) => {
  const x = values?.[key];
  return x === null || x === undefined ? undefined : Array.isArray(x) ? x.join('\n') : String(x);
};
const err = (errors: FieldErrors | undefined, key: string) => (errors?.[key] ? { text: errors[key]! } : undefined);
const list = (values: Values | undefined, key: string): string[] => {
  const x = values?.[key];
  return Array.isArray(x) ? x.map(String) : x ? [String(x)] : [];
};

export function CatalogueIndexPage({ ctx, qualifications }: { ctx: PageContext; qualifications: (QualificationRow & { componentCount: number })[] }) {
  return (
    <Layout ctx={ctx} title="Catalogue">
      <Flash ctx={ctx} />
      <h1 class="govuk-heading-xl">Catalogue</h1>
      <div class="govuk-button-group">
        <Button href="/admin/qualifications/new" text="Add a qualification" />
        <a href="/admin/delivery-partners" class="govuk-link">
          Delivery partners and venues
        </a>
      </div>
      <Table
        head={[{ text: 'Qualification' }, { text: 'Identifier' }, { text: 'Kind' }, { text: 'Components', format: 'numeric' }, { text: 'Status' }]}
        rows={qualifications.map((q) => [
          { html: `<a class="govuk-link" href="/admin/qualifications/${q.id}">${escapeHtml(q.shortName)}<span class="govuk-visually-hidden"> (edit)</span></a>` },
          { text: q.identifier },
          { text: KIND_LABELS[q.kind as keyof typeof KIND_LABELS] ?? q.kind },
          { text: String(q.componentCount), format: 'numeric' },
          { html: q.retiredAt ? '<strong class="govuk-tag govuk-tag--grey">Retired</strong>' : '<strong class="govuk-tag govuk-tag--green">On offer</strong>' },
        ])}
      />
    </Layout>
  );
}

export function QualificationFormFields({ values, errors }: { values?: Values | undefined; errors?: FieldErrors | undefined }) {
  const yes = (key: string) => values?.[key] === true || values?.[key] === 'yes';
  return (
    <>
      <Input id="identifier" name="identifier" label={{ text: 'Identifier' }} hint={{ text: "DfE's course identifier, like npq-headship. It is the page's web address." }} spellcheck={false} value={v(values, 'identifier')} errorMessage={err(errors, 'identifier')} />
      <Input id="shortName" name="shortName" classes="govuk-input--width-10" label={{ text: 'Short name' }} hint={{ text: 'Like NPQH' }} value={v(values, 'shortName')} errorMessage={err(errors, 'shortName')} />
      <Input id="name" name="name" label={{ text: 'Full name' }} value={v(values, 'name')} errorMessage={err(errors, 'name')} />
      <Radios idPrefix="kind" name="kind" fieldset={{ legend: { text: 'Kind of NPQ', classes: 'govuk-fieldset__legend--s' } }} value={v(values, 'kind')} errorMessage={err(errors, 'kind')} items={KINDS.map((k) => ({ value: k, text: KIND_LABELS[k] }))} />
      <Radios
        idPrefix="framework"
        name="framework"
        classes="govuk-radios--inline"
        fieldset={{ legend: { text: 'Framework', classes: 'govuk-fieldset__legend--s' } }}
        value={v(values, 'framework') ?? 'reformed'}
        items={[
          { value: 'reformed', text: 'Reformed' },
          { value: 'legacy', text: 'Older framework' },
        ]}
      />
      <CharacterCount maxlength={2000} id="summary" name="summary" label={{ text: 'Summary' }} value={v(values, 'summary')} errorMessage={err(errors, 'summary')} />
      <Input id="whoFor" name="whoFor" label={{ text: "Who it's for" }} value={v(values, 'whoFor')} errorMessage={err(errors, 'whoFor')} />
      <Checkboxes idPrefix="audiences" name="audiences" classes="govuk-checkboxes--small" fieldset={{ legend: { text: 'Who it is for (for the filter)', classes: 'govuk-fieldset__legend--s' } }} values={list(values, 'audiences')} items={AUDIENCES.map((a) => ({ value: a, text: AUDIENCE_LABELS[a] }))} />
      <CharacterCount maxlength={1000} id="whoCanApply" name="whoCanApply" rows={3} label={{ text: 'Who can apply' }} value={v(values, 'whoCanApply')} errorMessage={err(errors, 'whoCanApply')} />
      <Input id="intakesDescription" name="intakesDescription" label={{ text: 'Intakes' }} hint={{ text: 'Like Autumn & Spring' }} value={v(values, 'intakesDescription')} errorMessage={err(errors, 'intakesDescription')} />
      <Input id="durationMonthsMin" name="durationMonthsMin" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Shortest duration (months)' }} value={v(values, 'durationMonthsMin')} errorMessage={err(errors, 'durationMonthsMin')} />
      <Input id="durationMonthsMax" name="durationMonthsMax" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Longest duration (months)' }} value={v(values, 'durationMonthsMax')} errorMessage={err(errors, 'durationMonthsMax')} />
      <Input id="weeklyStudyHoursMin" name="weeklyStudyHoursMin" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Least weekly study (hours)' }} hint={{ text: 'Leave blank if not published' }} value={v(values, 'weeklyStudyHoursMin')} errorMessage={err(errors, 'weeklyStudyHoursMin')} />
      <Input id="weeklyStudyHoursMax" name="weeklyStudyHoursMax" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Most weekly study (hours)' }} value={v(values, 'weeklyStudyHoursMax')} errorMessage={err(errors, 'weeklyStudyHoursMax')} />
      <Input id="studyType" name="studyType" label={{ text: 'Study type' }} value={v(values, 'studyType')} errorMessage={err(errors, 'studyType')} />
      <Input id="faceToFaceDays" name="faceToFaceDays" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Face-to-face days' }} value={v(values, 'faceToFaceDays')} errorMessage={err(errors, 'faceToFaceDays')} />
      <Input id="faceToFaceNote" name="faceToFaceNote" label={{ text: 'Note on face-to-face days' }} hint={{ text: 'Like "including two 2-day residentials"' }} value={v(values, 'faceToFaceNote')} errorMessage={err(errors, 'faceToFaceNote')} />
      <Input id="onlineCourses" name="onlineCourses" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Online courses' }} value={v(values, 'onlineCourses')} errorMessage={err(errors, 'onlineCourses')} />
      <Radios idPrefix="personalTutor" name="personalTutor" classes="govuk-radios--inline" fieldset={{ legend: { text: 'Personal online tutor', classes: 'govuk-fieldset__legend--s' } }} value={yes('personalTutor') ? 'yes' : 'no'} items={[{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }]} />
      <Radios idPrefix="coaching" name="coaching" classes="govuk-radios--inline" fieldset={{ legend: { text: 'Coaching', classes: 'govuk-fieldset__legend--s' } }} value={yes('coaching') ? 'yes' : 'no'} items={[{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }]} />
      <Input id="guidedLearningHours" name="guidedLearningHours" inputmode="numeric" classes="govuk-input--width-4" label={{ text: 'Guided learning hours (as accredited)' }} value={v(values, 'guidedLearningHours')} errorMessage={err(errors, 'guidedLearningHours')} />
      <Input id="engagementThresholdPercent" name="engagementThresholdPercent" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Engagement threshold' }} hint={{ text: 'The share of the guided learning expected so far that a participant must show to be on track, from 1 to 100. Reformed NPQs expect 90.' }} suffix={{ text: '%' }} value={v(values, 'engagementThresholdPercent')} errorMessage={err(errors, 'engagementThresholdPercent')} />
      <CharacterCount maxlength={500} id="assessmentType" name="assessmentType" rows={2} label={{ text: 'Assessment' }} value={v(values, 'assessmentType')} errorMessage={err(errors, 'assessmentType')} />
      <Input id="mastersCredits" name="mastersCredits" inputmode="numeric" classes="govuk-input--width-3" label={{ text: "Master's credits (up to)" }} value={v(values, 'mastersCredits')} errorMessage={err(errors, 'mastersCredits')} />
      <InsetText text="What the pages say about DfE funding is written from DfE’s funding rules, the ones the funding checker applies, so it is not edited here." />
      <Textarea id="learningThemes" name="learningThemes" rows={6} label={{ text: "What you'll learn" }} hint={{ text: 'One theme a line' }} value={v(values, 'learningThemes')} errorMessage={err(errors, 'learningThemes')} />
      <Checkboxes idPrefix="deliveryModes" name="deliveryModes" classes="govuk-checkboxes--small" fieldset={{ legend: { text: 'Ways to study', classes: 'govuk-fieldset__legend--s' } }} values={list(values, 'deliveryModes')} items={DELIVERY_MODES.map((m) => ({ value: m, text: DELIVERY_MODE_LABELS[m] }))} />
    </>
  );
}

export function NewQualificationPage({ ctx, values, errors }: { ctx: PageContext; values?: Values | undefined; errors?: FieldErrors | undefined }) {
  return (
    <FormPage ctx={ctx} title="Add a qualification" back="/admin/catalogue" errors={errors} errorTargets={{ kind: 'kind' }}>
      <form method="post" action="/admin/qualifications/new" novalidate>
        <Csrf ctx={ctx} />
        <QualificationFormFields values={values ?? { deliveryModes: ['face_to_face'], personalTutor: 'yes' }} errors={errors} />
        <Button text="Add qualification" preventDoubleClick />
      </form>
    </FormPage>
  );
}

export function EditQualificationPage(p: {
  ctx: PageContext;
  qualification: QualificationRow;
  components: ComponentRow[];
  intakes: IntakeRow[];
  partners: PartnerRow[];
  values?: Values | undefined;
  errors?: FieldErrors | undefined;
}) {
  const { ctx, qualification: q } = p;
  const componentHours = p.components.reduce((s, c) => s + c.guidedLearningMinutes, 0) / 60;
  const partnerName = new Map(p.partners.map((x) => [x.id, x.name]));
  return (
    <Layout ctx={ctx} title={`Edit ${q.shortName}`} errors={p.errors} errorTargets={{ kind: 'kind' }} beforeContent={<BackLink href="/admin/catalogue" text="Back to catalogue" />}>
      <Flash ctx={ctx} />
      <h1 class="govuk-heading-xl">
        {q.name} {q.retiredAt ? <Tag text="Retired" classes="govuk-tag--grey" /> : null}
      </h1>
      <p class="govuk-body">
        <a class="govuk-link" href={`/qualifications/${q.identifier}`}>
          View the public page
        </a>
      </p>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          <form method="post" action={`/admin/qualifications/${q.id}`} novalidate>
            <Csrf ctx={ctx} />
            <QualificationFormFields values={p.values ?? (q as unknown as Values)} errors={p.errors} />
            <Button text="Save changes" preventDoubleClick />
          </form>
        </div>
      </div>
      <h2 class="govuk-heading-l">Programme components</h2>
      {q.guidedLearningHours !== null && p.components.length > 0 && componentHours !== q.guidedLearningHours ? (
        <WarningText text={`The components add up to ${componentHours} guided learning hours; the accredited total is ${q.guidedLearningHours}. The public page shows both.`} />
      ) : null}
      <Table
        head={[{ text: 'Component' }, { text: 'Kind' }, { text: 'Hours', format: 'numeric' }, { html: '<span class="govuk-visually-hidden">Actions</span>' }]}
        rows={p.components.map((c) => [
          { text: c.title },
          { text: COMPONENT_KIND_LABELS[c.kind as keyof typeof COMPONENT_KIND_LABELS] ?? c.kind },
          { text: String(hoursFromMinutes(c.guidedLearningMinutes)), format: 'numeric' },
          { html: `<a class="govuk-link" href="/admin/qualifications/${q.id}/components/${c.id}">Edit<span class="govuk-visually-hidden"> ${escapeHtml(c.title)}</span></a>` },
        ])}
      />
      <Button href={`/admin/qualifications/${q.id}/components/new`} text="Add a component" classes="govuk-button--secondary" />
      <h2 class="govuk-heading-l">Intakes</h2>
      <Table
        head={[{ text: 'Intake' }, { text: 'Starts' }, { text: 'Apply by' }, { text: 'How' }, { text: 'Partner' }, { text: 'Cohort and schedule' }, { text: 'Status' }, { html: '<span class="govuk-visually-hidden">Actions</span>' }]}
        rows={p.intakes.map((i) => [
          { text: i.name },
          { text: formatDate(i.startDate) },
          { text: formatDate(i.applicationDeadline) },
          { text: DELIVERY_MODE_LABELS[i.deliveryMode as DeliveryMode] ?? i.deliveryMode },
          { text: partnerName.get(i.deliveryPartnerId) ?? '' },
          { text: i.cohortIdentifier ? `${i.cohortIdentifier}, ${i.schedule ?? 'no schedule'}` : 'Not set' },
          { text: i.retiredAt ? 'Withdrawn' : 'Open' },
          { html: `<a class="govuk-link" href="/admin/qualifications/${q.id}/intakes/${i.id}">Edit<span class="govuk-visually-hidden"> ${escapeHtml(i.name)}</span></a>` },
        ])}
      />
      <Button href={`/admin/qualifications/${q.id}/intakes/new`} text="Add an intake" classes="govuk-button--secondary" />
      <h2 class="govuk-heading-l">{q.retiredAt ? 'Offer it again' : 'Retire'}</h2>
      <p class="govuk-body">{q.retiredAt ? 'Put this qualification back on the public pages.' : 'Take this qualification off the public pages. Nothing is deleted: you can offer it again at any time.'}</p>
      <form method="post" action={`/admin/qualifications/${q.id}/${q.retiredAt ? 'restore' : 'retire'}`}>
        <Csrf ctx={ctx} />
        <Button text={q.retiredAt ? 'Offer again' : 'Retire qualification'} classes={q.retiredAt ? 'govuk-button--secondary' : 'govuk-button--warning'} />
      </form>
    </Layout>
  );
}

export function ComponentFormPage(p: { ctx: PageContext; q: QualificationRow; component?: ComponentRow | undefined; values?: Values | undefined; errors?: FieldErrors | undefined }) {
  const { ctx, q, component } = p;
  const values: Values =
    p.values ??
    (component
      ? {
          kind: component.kind,
          title: component.title,
          description: component.description,
          guidedLearningHours: hoursFromMinutes(component.guidedLearningMinutes),
          items: component.items.map((i) => [i.title, ...i.points].join('\n')).join('\n\n'),
        }
      : {});
  const action = component ? `/admin/qualifications/${q.id}/components/${component.id}` : `/admin/qualifications/${q.id}/components/new`;
  return (
    <FormPage ctx={ctx} title={component ? `Edit ${component.title}` : `Add a component to ${q.shortName}`} back={`/admin/qualifications/${q.id}`} errors={p.errors} errorTargets={{ kind: 'kind' }}>
      <form method="post" action={action} novalidate>
        <Csrf ctx={ctx} />
        <Select id="kind" name="kind" label={{ text: 'Kind' }} value={v(values, 'kind')} errorMessage={err(p.errors, 'kind')} items={[{ value: '', text: 'Choose' }, ...COMPONENT_KINDS.map((k) => ({ value: k, text: COMPONENT_KIND_LABELS[k] }))]} />
        <Input id="title" name="title" label={{ text: 'Title' }} value={v(values, 'title')} errorMessage={err(p.errors, 'title')} />
        <CharacterCount maxlength={2000} id="description" name="description" rows={3} label={{ text: 'What it is' }} value={v(values, 'description')} errorMessage={err(p.errors, 'description')} />
        <Input id="guidedLearningHours" name="guidedLearningHours" inputmode="decimal" classes="govuk-input--width-4" label={{ text: 'Guided learning hours' }} suffix={{ text: 'hours' }} value={v(values, 'guidedLearningHours')} errorMessage={err(p.errors, 'guidedLearningHours')} />
        <Textarea
          id="items"
          name="items"
          rows={12}
          label={{ text: 'Events, courses or tasks within it' }}
          hint={{ text: 'Separate each with a blank line. First line: its title; the lines after: its agenda, modules or points.' }}
          value={v(values, 'items')}
          errorMessage={err(p.errors, 'items')}
        />
        <Button text={component ? 'Save component' : 'Add component'} preventDoubleClick />
      </form>
      {component ? (
        <form method="post" action={`/admin/qualifications/${q.id}/components/${component.id}/remove`}>
          <Csrf ctx={ctx} />
          <Button text="Remove this component" classes="govuk-button--warning" />
        </form>
      ) : null}
    </FormPage>
  );
}

export function IntakeFormPage(p: { ctx: PageContext; q: QualificationRow; intake?: IntakeRow | undefined; partners: PartnerRow[]; venues: VenueRow[]; cohorts: string[]; values?: Values | undefined; errors?: FieldErrors | undefined }) {
  const { ctx, q, intake } = p;
  const values: Values = p.values ?? (intake ? { ...intake, ...dateInputFields('startDate', intake.startDate), ...dateInputFields('applicationDeadline', intake.applicationDeadline), waitingList: intake.waitingList ? 'yes' : 'no' } : undefined) ?? { deliveryMode: 'face_to_face', waitingList: 'yes' };
  const action = intake ? `/admin/qualifications/${q.id}/intakes/${intake.id}` : `/admin/qualifications/${q.id}/intakes/new`;
  const zones = ['Europe/London', 'Europe/Dublin', 'Europe/Paris', 'Asia/Dubai', 'Asia/Hong_Kong', 'Asia/Singapore', 'America/New_York', 'Africa/Johannesburg', 'Australia/Sydney'];
  return (
    <FormPage ctx={ctx} title={intake ? `Edit ${intake.name}` : `Add an intake for ${q.shortName}`} back={`/admin/qualifications/${q.id}`} errors={p.errors} errorTargets={{ deliveryMode: 'deliveryMode', startDate: dateErrorTarget('startDate', dateInputValues(values, 'startDate')), applicationDeadline: dateErrorTarget('applicationDeadline', dateInputValues(values, 'applicationDeadline')) }}>
      <form method="post" action={action} novalidate>
        <Csrf ctx={ctx} />
        <Input id="name" name="name" label={{ text: 'Name' }} hint={{ text: 'Like January 2027' }} value={v(values, 'name')} errorMessage={err(p.errors, 'name')} />
        <DateField name="startDate" legend="Start date" hint="For example, 18 1 2027" values={values} error={p.errors?.startDate} />
        <DateField name="applicationDeadline" legend="Application deadline" hint="The last day applications are taken, on or before the start date" values={values} error={p.errors?.applicationDeadline} />
        <Radios idPrefix="deliveryMode" name="deliveryMode" fieldset={{ legend: { text: 'How it is delivered', classes: 'govuk-fieldset__legend--s' } }} value={v(values, 'deliveryMode')} errorMessage={err(p.errors, 'deliveryMode')} items={DELIVERY_MODES.map((m) => ({ value: m, text: DELIVERY_MODE_LABELS[m] }))} />
        <Select id="deliveryPartnerId" name="deliveryPartnerId" label={{ text: 'Delivery partner' }} value={v(values, 'deliveryPartnerId')} errorMessage={err(p.errors, 'deliveryPartnerId')} items={[{ value: '', text: 'Choose' }, ...p.partners.map((x) => ({ value: x.id, text: x.name }))]} />
        <Select id="venueId" name="venueId" label={{ text: 'Venue (face to face)' }} value={v(values, 'venueId')} errorMessage={err(p.errors, 'venueId')} items={[{ value: '', text: 'None' }, ...p.venues.map((x) => ({ value: x.id, text: `${x.name}, ${x.town}` }))]} />
        <Select id="timeZone" name="timeZone" label={{ text: 'Time zone of live sessions (distance learning)' }} value={v(values, 'timeZone')} errorMessage={err(p.errors, 'timeZone')} items={[{ value: '', text: 'None' }, ...zones.map((z) => ({ value: z, text: z.replace('_', ' ') }))]} />
        <Input id="capacity" name="capacity" inputmode="numeric" classes="govuk-input--width-4" label={{ text: 'Places' }} hint={{ text: 'Leave blank for no limit' }} value={v(values, 'capacity')} errorMessage={err(p.errors, 'capacity')} />
        <Radios idPrefix="waitingList" name="waitingList" classes="govuk-radios--inline" fieldset={{ legend: { text: 'When it is full, keep a waiting list?', classes: 'govuk-fieldset__legend--s' } }} value={v(values, 'waitingList')} items={[{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }]} />
        <Select id="cohortIdentifier" name="cohortIdentifier" label={{ text: 'Cohort' }} hint={{ text: 'The DfE cohort its participants are declared in' }} value={v(values, 'cohortIdentifier')} errorMessage={err(p.errors, 'cohortIdentifier')} items={[{ value: '', text: 'Choose' }, ...p.cohorts.map((c) => ({ value: c, text: c }))]} />
        <Select id="schedule" name="schedule" label={{ text: 'DfE schedule' }} hint={{ text: 'Whose milestone dates its declarations follow' }} value={v(values, 'schedule')} errorMessage={err(p.errors, 'schedule')} items={[{ value: '', text: 'Choose' }, ...schedulesFor(q.kind).map((s) => ({ value: s, text: s }))]} />
        <Button text={intake ? 'Save intake' : 'Add intake'} preventDoubleClick />
      </form>
      {intake ? (
        <form method="post" action={`/admin/qualifications/${q.id}/intakes/${intake.id}/${intake.retiredAt ? 'restore' : 'retire'}`}>
          <Csrf ctx={ctx} />
          <Button text={intake.retiredAt ? 'Open this intake again' : 'Withdraw this intake'} classes={intake.retiredAt ? 'govuk-button--secondary' : 'govuk-button--warning'} />
        </form>
      ) : null}
    </FormPage>
  );
}

export function PartnersPage({ ctx, partners, venues }: { ctx: PageContext; partners: PartnerRow[]; venues: VenueRow[] }) {
  return (
    <Layout ctx={ctx} title="Delivery partners and venues" beforeContent={<BackLink href="/admin/catalogue" text="Back to catalogue" />}>
      <Flash ctx={ctx} />
      <h1 class="govuk-heading-xl">Delivery partners and venues</h1>
      <div class="govuk-button-group">
        <Button href="/admin/delivery-partners/new" text="Add a delivery partner" />
        <Button href="/admin/venues/new" text="Add a venue" classes="govuk-button--secondary" />
      </div>
      {partners.map((x) => (
        <section class="app-card" aria-labelledby={`partner-${x.id}`}>
          <h2 class="govuk-heading-m" id={`partner-${x.id}`}>
            {x.name} {x.retiredAt ? <Tag text="Retired" classes="govuk-tag--grey" /> : null}{' '}
            <a class="govuk-link govuk-body-s" href={`/admin/delivery-partners/${x.id}`}>
              Edit<span class="govuk-visually-hidden"> {x.name}</span>
            </a>
          </h2>
          <p class="govuk-body">{x.region}</p>
          <ul class="govuk-list">
            {venues
              .filter((ven) => ven.deliveryPartnerId === x.id)
              .map((ven) => (
                <li>
                  <a class="govuk-link" href={`/admin/venues/${ven.id}`}>
                    {ven.name}
                  </a>
                  , {ven.town} {ven.postcode}
                  {ven.capacity ? `, holds ${ven.capacity}` : ''}
                  {ven.retiredAt ? ' (retired)' : ''}
                </li>
              ))}
          </ul>
        </section>
      ))}
    </Layout>
  );
}

export function PartnerFormPage({ ctx, partner, values, errors }: { ctx: PageContext; partner?: PartnerRow | undefined; values?: Values | undefined; errors?: FieldErrors | undefined }) {
  const vals: Values = values ?? (partner as unknown as Values) ?? {};
  return (
    <FormPage ctx={ctx} title={partner ? `Edit ${partner.name}` : 'Add a delivery partner'} back="/admin/delivery-partners" errors={errors}>
      <form method="post" action={partner ? `/admin/delivery-partners/${partner.id}` : '/admin/delivery-partners/new'} novalidate>
        <Csrf ctx={ctx} />
        <Input id="name" name="name" label={{ text: 'Name' }} value={v(vals, 'name')} errorMessage={err(errors, 'name')} />
        <Input id="region" name="region" label={{ text: 'Region' }} value={v(vals, 'region')} errorMessage={err(errors, 'region')} />
        <CharacterCount maxlength={2000} id="description" name="description" label={{ text: 'Description' }} value={v(vals, 'description')} errorMessage={err(errors, 'description')} />
        <Button text="Save" preventDoubleClick />
      </form>
      {partner ? <RetireForm ctx={ctx} action={`/admin/delivery-partners/${partner.id}`} retired={Boolean(partner.retiredAt)} what="delivery partner" /> : null}
    </FormPage>
  );
}

/** Retire or restore: nothing is deleted, and the audit log keeps both. */
function RetireForm({ ctx, action, retired, what }: { ctx: PageContext; action: string; retired: boolean; what: string }) {
  return (
    <form method="post" action={`${action}/${retired ? 'restore' : 'retire'}`}>
      <Csrf ctx={ctx} />
      <p class="govuk-body">{retired ? `This ${what} is retired. Restore it to use it for new intakes.` : `Retiring keeps this ${what}'s history; it cannot be chosen for new intakes.`}</p>
      <Button text={retired ? `Restore ${what}` : `Retire ${what}`} classes={retired ? 'govuk-button--secondary' : 'govuk-button--warning'} />
    </form>
  );
}

export function VenueFormPage({ ctx, venue, partners, values, errors }: { ctx: PageContext; venue?: VenueRow | undefined; partners: PartnerRow[]; values?: Values | undefined; errors?: FieldErrors | undefined }) {
  const vals: Values = values ?? (venue as unknown as Values) ?? {};
  return (
    <FormPage ctx={ctx} title={venue ? `Edit ${venue.name}` : 'Add a venue'} back="/admin/delivery-partners" errors={errors}>
      <form method="post" action={venue ? `/admin/venues/${venue.id}` : '/admin/venues/new'} novalidate>
        <Csrf ctx={ctx} />
        <Select id="deliveryPartnerId" name="deliveryPartnerId" label={{ text: 'Delivery partner' }} value={v(vals, 'deliveryPartnerId')} errorMessage={err(errors, 'deliveryPartnerId')} items={[{ value: '', text: 'Choose' }, ...partners.map((x) => ({ value: x.id, text: x.name }))]} />
        <Input id="name" name="name" label={{ text: 'Name' }} hint={{ text: 'Like Birmingham Regional Training Centre' }} value={v(vals, 'name')} errorMessage={err(errors, 'name')} />
        <Input id="addressLine" name="addressLine" autocomplete="address-line1" label={{ text: 'Address' }} value={v(vals, 'addressLine')} errorMessage={err(errors, 'addressLine')} />
        <Input id="town" name="town" classes="govuk-!-width-two-thirds" autocomplete="address-level2" label={{ text: 'Town or city' }} value={v(vals, 'town')} errorMessage={err(errors, 'town')} />
        <Input id="postcode" name="postcode" classes="govuk-input--width-10" autocomplete="postal-code" label={{ text: 'Postcode' }} value={v(vals, 'postcode')} errorMessage={err(errors, 'postcode')} />
        <Input id="capacity" name="capacity" classes="govuk-input--width-5" inputmode="numeric" label={{ text: 'Capacity (optional)' }} hint={{ text: 'How many participants it holds for an event. An intake with more participants cannot hold its events here.' }} value={v(vals, 'capacity')} errorMessage={err(errors, 'capacity')} />
        <Button text="Save" preventDoubleClick />
      </form>
      {venue ? <RetireForm ctx={ctx} action={`/admin/venues/${venue.id}`} retired={Boolean(venue.retiredAt)} what="venue" /> : null}
    </FormPage>
  );
}

