import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CatalogueService } from '../../catalogue/catalogue.service';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import type { PageContext } from '../../platform/page-context';
import { FormPage } from '../../platform/form-page';
import { Csrf } from '../../platform/csrf';
import { Button, Details, Input, Radios } from '../../ui/govuk';
import type { CohortsService } from '../cohorts.service';
import { EMPLOYMENT_TYPES, type EmploymentType, KINDS_OF_NURSERY, type KindOfNursery, WORK_SETTINGS, type WorkSetting } from '../domain/funding-eligibility';
import { type FundingAnswers, type FundingStep, firstUnanswered, isFundingStep, nextStep, route, toQuestion } from '../domain/funding-journey';
import type { FundingService } from '../funding.service';
import type { ReferenceService } from '../reference.service';
import { CheckAnswersPage, FundingStartPage, ResultPage, StepPage, yesNo } from './funding-pages';

const COOKIE = 'npq_funding';

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
type StepResult = { answers: Partial<FundingAnswers> } | { errors: FieldErrors };

export async function fundingRoutes(app: FastifyInstance, opts: { funding: FundingService; cohorts: CohortsService; catalogue: CatalogueService; reference: ReferenceService; secureCookies: boolean }) {
  const { funding, cohorts, catalogue, reference } = opts;

  const read = (req: FastifyRequest): FundingAnswers => {
    const raw = req.cookies[COOKIE];
    if (!raw) return {};
    const unsigned = req.unsignCookie(raw);
    if (!unsigned.valid || !unsigned.value) return {};
    try {
      return JSON.parse(unsigned.value) as FundingAnswers;
    } catch {
      return {};
    }
  };
  const write = (reply: FastifyReply, answers: FundingAnswers) =>
    reply.setCookie(COOKIE, JSON.stringify(answers), { signed: true, httpOnly: true, sameSite: 'lax', path: '/funding', secure: opts.secureCookies, maxAge: 60 * 60 * 24 });

  const backFrom = (step: FundingStep, a: FundingAnswers) => {
    const steps = route(a);
    const i = steps.indexOf(step);
    return i > 0 ? `/funding/${steps[i - 1]}` : '/funding';
  };

  /** Renders a step's question with the answer so far (or what was just typed) and any errors. */
  async function render(req: FastifyRequest, reply: FastifyReply, step: FundingStep, a: FundingAnswers, errors?: FieldErrors, typed?: Body) {
    const back = backFrom(step, a);
    const err = (k: string) => errors?.[k];
    /** The question most steps ask: one choice from a list, the title as its legend. */
    const choose = (name: keyof FundingAnswers & string, title: string, items: { value: string; text: string }[], hint?: string) =>
      page(
        title,
        <Radios
          idPrefix={name}
          name={name}
          fieldset={{ legend: { text: title, classes: 'govuk-visually-hidden' } }}
          hint={hint ? { text: hint } : undefined}
          errorMessage={err(name) ? { text: err(name)! } : undefined}
          value={typed?.[name] ?? (a[name] as string | undefined)}
          items={items}
        />,
        { [name]: name },
      );
    const page = (title: string, body: preact.ComponentChildren, targets?: Record<string, string>) =>
      reply.page(
        (ctx: PageContext) => (
          <StepPage ctx={ctx} step={step} title={title} back={back} errors={errors} errorTargets={targets}>
            {body}
          </StepPage>
        ),
        errors ? 422 : 200,
      );
    switch (step) {
      case 'start-date': {
        const list = await cohorts.publicList();
        return choose('cohort', 'When do you want to start?', list.map((c) => ({ value: c.identifier, text: `In ${c.startYear} to ${c.startYear + 1} (cohort ${c.identifier})` })), 'DfE funds NPQs by cohort: the year your course starts.');
      }
      case 'course': {
        const courses = await catalogue.list();
        return choose('course', 'Which NPQ do you want to take?', courses.map((q) => ({ value: q.identifier, text: `${q.name} (${q.shortName})` })));
      }
      case 'headteacher':
        return page('Are you a headteacher in your first five years of headship?', yesNo('newHeadteacher', 'Are you a headteacher in your first five years of headship?', a.newHeadteacher, err('newHeadteacher'), 'Including if you will be one when the course starts.'), { newHeadteacher: 'newHeadteacher' });
      case 'england':
        return page('Do you work in England?', yesNo('worksInEngland', 'Do you work in England?', a.worksInEngland, err('worksInEngland')), { worksInEngland: 'worksInEngland' });
      case 'setting':
        return choose('workSetting', 'Where do you work?', WORK_SETTINGS.map((w) => ({ value: w, text: WORK_SETTING_LABELS[w] })));
      case 'nursery':
        return choose('kindOfNursery', 'What kind of early years setting do you work in?', KINDS_OF_NURSERY.map((k) => ({ value: k, text: NURSERY_LABELS[k] })));
      case 'school': {
        const q = ((req.query as Body).q ?? '').slice(0, 100);
        const results = q ? await reference.searchSchools(q) : [];
        const current = a.schoolUrn ? await reference.school(Number(a.schoolUrn)) : undefined;
        return reply.page(
          (ctx: PageContext) => (
            <FormPage ctx={ctx} title="Which school, college or nursery do you work in?" back={back} errors={errors} errorTargets={{ schoolUrn: results.length ? 'schoolUrn' : 'q' }} intro={<span class="govuk-caption-l">Check if DfE will fund your NPQ</span>}>
              {current && !q ? (
                <p class="govuk-body">
                  You chose: <strong>{current.name}</strong>, {current.town} (URN {current.urn}).
                </p>
              ) : null}
              <search>
                <form method="get" action="/funding/school">
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
                <form method="post" action="/funding/school" novalidate>
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
            </FormPage>
          ),
          errors ? 422 : 200,
        );
      }
      case 'childminder':
        return page(
          'What is your Ofsted unique reference number (URN)?',
          <Input id="childminderUrn" name="childminderUrn" classes="govuk-input--width-10" label={{ text: 'Ofsted URN', classes: 'govuk-visually-hidden' }} hint={{ text: 'It is on your Ofsted registration certificate, like EY123456 or 123456.' }} spellcheck={false} value={typed?.childminderUrn ?? a.childminderUrn} errorMessage={err('childminderUrn') ? { text: err('childminderUrn')! } : undefined} />,
        );
      case 'role':
        return choose('employmentType', 'Where do you work?', EMPLOYMENT_TYPES.map((e) => ({ value: e, text: EMPLOYMENT_LABELS[e] })));
      case 'itt-provider':
        return page(
          'Which initial teacher training provider are you a lead mentor for?',
          <Input id="ittProvider" name="ittProvider" label={{ text: 'Provider’s legal name', classes: 'govuk-visually-hidden' }} hint={{ text: 'Its legal name, as DfE lists accredited providers.' }} value={typed?.ittProvider ?? a.ittProvider} errorMessage={err('ittProvider') ? { text: err('ittProvider')! } : undefined} />,
        );
      case 'referred':
        return page('Were you referred by a Return to Teaching Adviser?', yesNo('referred', 'Were you referred by a Return to Teaching Adviser?', a.referred, err('referred')), { referred: 'referred' });
      case 'trn':
        return page(
          'What is your teacher reference number (TRN)?',
          <>
            <Input id="trn" name="trn" classes="govuk-input--width-10" inputmode="numeric" label={{ text: 'Teacher reference number', classes: 'govuk-visually-hidden' }} hint={{ text: 'Optional. 7 digits. We use it only to check whether DfE has funded you for this NPQ before.' }} spellcheck={false} value={typed?.trn ?? a.trn} errorMessage={err('trn') ? { text: err('trn')! } : undefined} />
            <Details summaryText="I do not know my TRN" text="Leave it blank. You can find it on the Teaching Regulation Agency's service, on your payslip or your teacher pension statement." />
          </>,
        );
    }
  }

  const pick = <T extends string>(values: readonly T[], v: string | undefined): T | undefined => values.find((x) => x === v);
  const bool = (v: string | undefined) => (v === 'yes' ? true : v === 'no' ? false : undefined);

  /** Reads one step's answer from the form: the answer, or what is wrong with it. */
  async function parse(step: FundingStep, body: Body): Promise<StepResult> {
    switch (step) {
      case 'start-date': {
        const list = await cohorts.publicList();
        return list.some((c) => c.identifier === body.cohort) ? { answers: { cohort: body.cohort! } } : { errors: { cohort: 'Select when you want to start' } };
      }
      case 'course': {
        const courses = await catalogue.list();
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
        return (await reference.school(Number(urn))) ? { answers: { schoolUrn: urn } } : { errors: { schoolUrn: 'Select a school from the results' } };
      }
      case 'childminder': {
        const urn = (body.childminderUrn ?? '').trim().toUpperCase().replace(/^EY/, '');
        return /^\d{6}$/.test(urn) ? { answers: { childminderUrn: urn } } : { errors: { childminderUrn: 'Enter your Ofsted URN, like EY123456' } };
      }
      case 'role': {
        const v = pick(EMPLOYMENT_TYPES, body.employmentType);
        return v ? { answers: { employmentType: v } } : { errors: { employmentType: 'Select where you work' } };
      }
      case 'itt-provider': {
        const v = (body.ittProvider ?? '').trim();
        return v.length >= 2 && v.length <= 300 ? { answers: { ittProvider: v } } : { errors: { ittProvider: 'Enter the name of the initial teacher training provider' } };
      }
      case 'referred': {
        const v = bool(body.referred);
        return v === undefined ? { errors: { referred: 'Select yes if a Return to Teaching Adviser referred you' } } : { answers: { referred: v } };
      }
      case 'trn': {
        const v = (body.trn ?? '').replace(/\s/g, '');
        if (!v) return { answers: { trn: undefined, trnSkipped: true } };
        return /^\d{7}$/.test(v) ? { answers: { trn: v, trnSkipped: false } } : { errors: { trn: 'Enter your teacher reference number as 7 digits, like 1234567, or leave it blank' } };
      }
    }
  }

  app.get('/funding', async (_req, reply) => reply.page((ctx) => <FundingStartPage ctx={ctx} />));
  app.get('/funding/restart', async (_req, reply) => {
    reply.clearCookie(COOKIE, { path: '/funding' });
    return reply.redirect('/funding/start-date', 303);
  });
  app.get('/funding/change', async (_req, reply) => reply.redirect('/funding/check', 303));

  app.get<{ Params: { step: string } }>('/funding/:step', async (req, reply) => {
    const a = read(req);
    if (req.params.step === 'check') {
      const missing = firstUnanswered(a);
      if (missing !== 'check') return reply.redirect(`/funding/${missing}`, 303);
      const rows = await summaryRows(a);
      return reply.page((ctx) => <CheckAnswersPage ctx={ctx} rows={rows} />);
    }
    if (req.params.step === 'result') return reply.redirect('/funding/check', 303);
    if (!isFundingStep(req.params.step)) return reply.callNotFound();
    return render(req, reply, req.params.step, a);
  });

  async function summaryRows(a: FundingAnswers) {
    const courses = await catalogue.list();
    const school = a.schoolUrn ? await reference.school(Number(a.schoolUrn)) : undefined;
    const value: Record<FundingStep, string> = {
      'start-date': a.cohort ?? '',
      course: courses.find((c) => c.identifier === a.course)?.name ?? '',
      headteacher: a.newHeadteacher ? 'Yes' : 'No',
      england: a.worksInEngland ? 'Yes' : 'No',
      setting: a.workSetting ? WORK_SETTING_LABELS[a.workSetting] : '',
      nursery: a.kindOfNursery ? NURSERY_LABELS[a.kindOfNursery] : '',
      school: school ? `${school.name}, ${school.town ?? ''} (URN ${school.urn})` : '',
      childminder: a.childminderUrn ?? '',
      role: a.employmentType ? EMPLOYMENT_LABELS[a.employmentType] : '',
      'itt-provider': a.ittProvider ?? '',
      referred: a.referred ? 'Yes' : 'No',
      trn: a.trn ?? 'Not given',
    };
    const keys: Record<FundingStep, string> = {
      'start-date': 'Cohort',
      course: 'NPQ',
      headteacher: 'New headteacher',
      england: 'Works in England',
      setting: 'Where you work',
      nursery: 'Kind of early years setting',
      school: 'School',
      childminder: 'Ofsted URN',
      role: 'Role',
      'itt-provider': 'Initial teacher training provider',
      referred: 'Referred by a Return to Teaching Adviser',
      trn: 'Teacher reference number',
    };
    return route(a).map((s) => ({ key: keys[s], value: value[s], href: `/funding/${s}` }));
  }

  app.post<{ Params: { step: string } }>('/funding/:step', async (req, reply) => {
    const a = read(req);
    const body = (req.body ?? {}) as Body;
    if (req.params.step === 'check') {
      const missing = firstUnanswered(a);
      if (missing !== 'check') return reply.redirect(`/funding/${missing}`, 303);
      try {
        const answer = await funding.check(toQuestion(a));
        const course = (await catalogue.list()).find((c) => c.identifier === a.course);
        return reply.page((ctx) => <ResultPage ctx={ctx} answer={answer} courseName={course?.name ?? 'NPQ'} courseHref={`/qualifications/${a.course}`} />);
      } catch (err) {
        if (err instanceof ValidationError) return reply.page((ctx) => <CheckAnswersPage ctx={ctx} rows={[]} errors={err.fieldErrors} />, 422);
        throw err;
      }
    }
    if (!isFundingStep(req.params.step)) return reply.callNotFound();
    const step = req.params.step;
    const result = await parse(step, body);
    if ('errors' in result) return render(req, reply, step, a, result.errors, body);
    const answers = { ...a, ...result.answers };
    write(reply, answers);
    const next = nextStep(step, answers);
    // Once everything is answered, a changed answer goes back to check-your-answers.
    const target = firstUnanswered(answers) === 'check' ? 'check' : next;
    return reply.redirect(`/funding/${target}`, 303);
  });

}
