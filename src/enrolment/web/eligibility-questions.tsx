import type { ComponentChildren } from 'preact';
import type { PublicCatalogue } from '../../catalogue/catalogue.queries';
import type { FieldErrors } from '../../platform/errors';
import type { PageContext } from '../../platform/page-context';
import { Csrf } from '../../platform/csrf';
import { Button, Input, Radios } from '../../ui/govuk';
import type { ChoiceItem } from '../../ui/govuk/choices';
import { EMPLOYMENT_TYPES, type EmploymentType, KINDS_OF_NURSERY, type KindOfNursery, WORK_SETTINGS, type WorkSetting } from '../domain/funding-eligibility';
import type { FundingAnswers, FundingStep } from '../domain/funding-journey';
import { OFSTED_URN_FORMAT_MESSAGE, parseOfstedUrn } from '../domain/ofsted-urn';
import { TEXT_LIMITS, tooLong } from '../domain/text-limits';
import type { ReferenceService } from '../reference.service';

/**
 * The questions DfE's funding rules need, asked the same way by the public checker and by the
 * application journey: each step's question (as page content) and how its answer is read back.
 */
export type EligibilityStep = Exclude<FundingStep, 'start-date'>;
const ELIGIBILITY_STEPS: readonly string[] = ['course', 'headteacher', 'england', 'setting', 'nursery', 'school', 'ofsted-urn', 'role', 'itt-provider', 'referred'];
export const isEligibilityStep = (s: string): s is EligibilityStep => ELIGIBILITY_STEPS.includes(s);

export const WORK_SETTING_LABELS: Record<WorkSetting, string> = {
  a_school: 'A school',
  an_academy_trust: 'An academy trust',
  a_16_to_19_educational_setting: 'A 16 to 19 educational setting, such as a sixth form college',
  early_years_or_childcare: 'An early years or childcare setting',
  another_setting: 'Another setting, such as a virtual school, hospital school or initial teacher training provider',
  other: 'None of these, or I do not work at the moment',
};
export const NURSERY_LABELS: Record<KindOfNursery, string> = {
  local_authority_maintained_nursery: 'A local authority-maintained nursery school',
  preschool_class_as_part_of_school: 'A pre-school class or nursery that is part of a school',
  private_nursery: 'A private, voluntary or independent nursery',
  another_early_years_setting: 'Another early years setting',
  childminder: 'I am a childminder',
};
export const EMPLOYMENT_LABELS: Record<EmploymentType, string> = {
  local_authority_virtual_school: 'In a local authority virtual school',
  hospital_school: 'In a hospital school',
  young_offender_institution: 'In a young offender institution',
  local_authority_supply_teacher: 'As a supply teacher employed by a local authority',
  lead_mentor_for_accredited_itt_provider: 'As a lead mentor for an accredited initial teacher training provider',
  other: 'Something else',
};

type Body = Record<string, string | undefined>;
export type StepResult<A> = { answers: Partial<A> } | { errors: FieldErrors };

export interface QuestionView {
  title: string;
  /** The question's fields, shown inside the step's own form. */
  fields?: ComponentChildren;
  /** A page that needs more than one form (the school search), rendered whole. */
  whole?: (ctx: PageContext) => ComponentChildren;
  errorTargets?: Record<string, string>;
}

export interface QuestionDeps {
  catalogue: PublicCatalogue;
  reference: ReferenceService;
}

export const yesNo = (name: string, legend: string, value: boolean | undefined, error: string | undefined, hint?: string) => (
  <Radios
    idPrefix={name}
    name={name}
    classes="govuk-radios--inline"
    fieldset={{ legend: { text: legend, isPageHeading: false, classes: 'govuk-visually-hidden' } }}
    hint={hint ? { text: hint } : undefined}
    errorMessage={error ? { text: error } : undefined}
    value={value === undefined ? undefined : value ? 'yes' : 'no'}
    items={[
      { value: 'yes', text: 'Yes' },
      { value: 'no', text: 'No' },
    ]}
  />
);

/** One choice from a list, the page title as its legend. */
export function choice(name: string, title: string, items: ChoiceItem[], value: string | undefined, error: string | undefined, hint?: string) {
  return (
    <Radios
      idPrefix={name}
      name={name}
      fieldset={{ legend: { text: title, classes: 'govuk-visually-hidden' } }}
      hint={hint ? { text: hint } : undefined}
      errorMessage={error ? { text: error } : undefined}
      value={value}
      items={items}
    />
  );
}

/** The question for `step`, with the answer so far (or what was just typed) and any errors. */
export async function eligibilityQuestion(
  step: EligibilityStep,
  a: FundingAnswers,
  deps: QuestionDeps,
  o: { errors?: FieldErrors | undefined; typed?: Body | undefined; searchQuery?: string; basePath: string },
): Promise<QuestionView> {
  const err = (k: string) => o.errors?.[k];
  const typedOr = (k: keyof FundingAnswers & string) => o.typed?.[k] ?? (a[k] as string | undefined);
  const chooseView = (name: keyof FundingAnswers & string, title: string, items: { value: string; text: string }[], hint?: string): QuestionView => ({
    title,
    fields: choice(name, title, items, typedOr(name), err(name), hint),
    errorTargets: { [name]: name },
  });
  switch (step) {
    case 'course': {
      const courses = await deps.catalogue.list();
      return chooseView('course', 'Which NPQ do you want to take?', courses.map((q) => ({ value: q.identifier, text: `${q.name} (${q.shortName})` })));
    }
    case 'headteacher': {
      const title = 'Are you a headteacher in your first five years of headship?';
      return { title, fields: yesNo('newHeadteacher', title, a.newHeadteacher, err('newHeadteacher'), 'Including if you will be one when the course starts.'), errorTargets: { newHeadteacher: 'newHeadteacher' } };
    }
    case 'england':
      return { title: 'Do you work in England?', fields: yesNo('worksInEngland', 'Do you work in England?', a.worksInEngland, err('worksInEngland')), errorTargets: { worksInEngland: 'worksInEngland' } };
    case 'setting':
      return chooseView('workSetting', 'Where do you work?', WORK_SETTINGS.map((w) => ({ value: w, text: WORK_SETTING_LABELS[w] })));
    case 'nursery':
      return chooseView('kindOfNursery', 'What kind of early years setting do you work in?', KINDS_OF_NURSERY.map((k) => ({ value: k, text: NURSERY_LABELS[k] })));
    case 'school': {
      const q = (o.searchQuery ?? '').slice(0, 100);
      const results = q ? await deps.reference.searchSchools(q) : [];
      const current = a.schoolUrn ? await deps.reference.school(Number(a.schoolUrn)) : undefined;
      const title = 'Which school, college or nursery do you work in?';
      return {
        title,
        errorTargets: { schoolUrn: results.length ? 'schoolUrn' : 'q' },
        whole: (ctx) => (
          <>
            {current && !q ? (
              <p class="govuk-body">
                You chose: <strong>{current.name}</strong>, {current.town} (URN {current.urn}).
              </p>
            ) : null}
            <search>
              <form method="get" action={`${o.basePath}/school`}>
                <Input id="q" name="q" type="search" label={{ text: 'Search by name, town, postcode or URN', classes: 'govuk-label--s' }} value={q} spellcheck={false} errorMessage={!results.length && err('schoolUrn') ? { text: err('schoolUrn')! } : undefined} />
                <Button text="Search" classes="govuk-button--secondary" />
              </form>
            </search>
            {q && !results.length ? (
              <p class="govuk-body" role="status">
                No open schools match “{q}”. Try part of the name, the town, or the URN.
              </p>
            ) : null}
            {results.length || current ? (
              <form method="post" action={`${o.basePath}/school`} novalidate>
                <Csrf ctx={ctx} />
                {results.length ? (
                  <Radios
                    idPrefix="schoolUrn"
                    name="schoolUrn"
                    fieldset={{ legend: { text: `Results for “${q}”`, classes: 'govuk-fieldset__legend--s' } }}
                    errorMessage={err('schoolUrn') ? { text: err('schoolUrn')! } : undefined}
                    value={a.schoolUrn}
                    items={results.map((s) => ({ value: String(s.urn), text: s.name, hint: { text: `${s.town ?? ''} ${s.postcode ?? ''} · URN ${s.urn}${s.typeName ? ` · ${s.typeName}` : ''}` } }))}
                  />
                ) : (
                  <input type="hidden" name="schoolUrn" value={current ? String(current.urn) : ''} />
                )}
                <Button text="Continue" preventDoubleClick />
              </form>
            ) : null}
          </>
        ),
      };
    }
    case 'ofsted-urn': {
      const nursery = a.kindOfNursery === 'private_nursery';
      return {
        title: nursery ? 'What is your nursery’s Ofsted unique reference number (URN)?' : 'What is your Ofsted unique reference number (URN)?',
        fields: (
          <Input
            id="ofstedUrn"
            name="ofstedUrn"
            classes="govuk-input--width-10"
            label={{ text: 'Ofsted URN', classes: 'govuk-visually-hidden' }}
            hint={{ text: nursery ? 'It is on the nursery’s Ofsted registration certificate and inspection reports: 6 or 7 digits, or EY and 6 digits, like EY123456.' : 'It is on your Ofsted registration certificate: 6 or 7 digits, or EY or CA and 6 digits, like EY123456.' }}
            spellcheck={false}
            autocomplete="off"
            value={typedOr('ofstedUrn')}
            errorMessage={err('ofstedUrn') ? { text: err('ofstedUrn')! } : undefined}
          />
        ),
      };
    }
    case 'role':
      return chooseView('employmentType', 'Where do you work?', EMPLOYMENT_TYPES.map((e) => ({ value: e, text: EMPLOYMENT_LABELS[e] })));
    case 'itt-provider':
      return {
        title: 'Which initial teacher training provider are you a lead mentor for?',
        fields: <Input id="ittProvider" name="ittProvider" label={{ text: 'Provider’s legal name', classes: 'govuk-visually-hidden' }} hint={{ text: 'Its legal name, as DfE lists accredited providers.' }} value={typedOr('ittProvider')} errorMessage={err('ittProvider') ? { text: err('ittProvider')! } : undefined} />,
      };
    case 'referred': {
      const title = 'Were you referred by a Return to Teaching Adviser?';
      return { title, fields: yesNo('referred', title, a.referred, err('referred')), errorTargets: { referred: 'referred' } };
    }
  }
}

const pick = <T extends string>(values: readonly T[], v: string | undefined): T | undefined => values.find((x) => x === v);
export const bool = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined);

/** Reads one step's answer from the form: the answer, or what is wrong with it. */
export async function parseEligibilityAnswer(step: EligibilityStep, body: Body, deps: QuestionDeps): Promise<StepResult<FundingAnswers>> {
  switch (step) {
    case 'course': {
      const courses = await deps.catalogue.list();
      return courses.some((c) => c.identifier === body.course) ? { answers: { course: body.course! } } : { errors: { course: 'Select the NPQ you want to take' } };
    }
    case 'headteacher': {
      const v = bool(body.newHeadteacher);
      return v === undefined ? { errors: { newHeadteacher: 'Select yes if you are a headteacher in your first five years' } } : { answers: { newHeadteacher: v } };
    }
    case 'england': {
      const v = bool(body.worksInEngland);
      return v === undefined ? { errors: { worksInEngland: 'Select yes if you work in England' } } : { answers: { worksInEngland: v } };
    }
    case 'setting': {
      const v = pick(WORK_SETTINGS, body.workSetting);
      return v ? { answers: { workSetting: v } } : { errors: { workSetting: 'Select where you work' } };
    }
    case 'nursery': {
      const v = pick(KINDS_OF_NURSERY, body.kindOfNursery);
      return v ? { answers: { kindOfNursery: v } } : { errors: { kindOfNursery: 'Select the kind of early years setting' } };
    }
    case 'school': {
      const urn = (body.schoolUrn ?? '').trim();
      if (!/^\d{6}$/.test(urn)) return { errors: { schoolUrn: 'Search for your school, then select it from the results' } };
      return (await deps.reference.school(Number(urn))) ? { answers: { schoolUrn: urn } } : { errors: { schoolUrn: 'Select a school from the results' } };
    }
    case 'ofsted-urn': {
      const parsed = parseOfstedUrn(body.ofstedUrn);
      if (parsed.ok) return { answers: { ofstedUrn: parsed.urn } };
      return { errors: { ofstedUrn: parsed.reason === 'empty' ? 'Enter the Ofsted URN, like EY123456' : OFSTED_URN_FORMAT_MESSAGE } };
    }
    case 'role': {
      const v = pick(EMPLOYMENT_TYPES, body.employmentType);
      return v ? { answers: { employmentType: v } } : { errors: { employmentType: 'Select where you work' } };
    }
    case 'itt-provider': {
      const v = (body.ittProvider ?? '').trim();
      if (v.length > TEXT_LIMITS.ittProvider) return { errors: { ittProvider: tooLong('The provider’s name', TEXT_LIMITS.ittProvider) } };
      return v.length >= 2 ? { answers: { ittProvider: v } } : { errors: { ittProvider: 'Enter the name of the initial teacher training provider' } };
    }
    case 'referred': {
      const v = bool(body.referred);
      return v === undefined ? { errors: { referred: 'Select yes if a Return to Teaching Adviser referred you' } } : { answers: { referred: v } };
    }
  }
}

/** The eligibility answers as check-your-answers rows. */
export async function eligibilitySummary(a: FundingAnswers, deps: QuestionDeps): Promise<Record<EligibilityStep, { key: string; value: string }>> {
  const courses = await deps.catalogue.list();
  const school = a.schoolUrn ? await deps.reference.school(Number(a.schoolUrn)) : undefined;
  return {
    course: { key: 'NPQ', value: courses.find((c) => c.identifier === a.course)?.name ?? '' },
    headteacher: { key: 'New headteacher', value: a.newHeadteacher ? 'Yes' : 'No' },
    england: { key: 'Works in England', value: a.worksInEngland ? 'Yes' : 'No' },
    setting: { key: 'Where you work', value: a.workSetting ? WORK_SETTING_LABELS[a.workSetting] : '' },
    nursery: { key: 'Kind of early years setting', value: a.kindOfNursery ? NURSERY_LABELS[a.kindOfNursery] : '' },
    school: { key: 'School', value: school ? `${school.name}, ${school.town ?? ''} (URN ${school.urn})` : '' },
    'ofsted-urn': { key: 'Ofsted URN', value: a.ofstedUrn ?? '' },
    role: { key: 'Role', value: a.employmentType ? EMPLOYMENT_LABELS[a.employmentType] : '' },
    'itt-provider': { key: 'Initial teacher training provider', value: a.ittProvider ?? '' },
    referred: { key: 'Referred by a Return to Teaching Adviser', value: a.referred ? 'Yes' : 'No' },
  };
}
