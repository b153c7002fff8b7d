import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { PublicCatalogue } from '../../catalogue/catalogue.queries';
import { DELIVERY_MODE_LABELS, type DeliveryMode } from '../../catalogue/domain/qualification';
import { formatDate, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { requireSignIn } from '../../platform/web';
import { Button, Checkboxes, Input, InsetText, Panel, Select, SummaryList, Tag, WarningText } from '../../ui/govuk';
import { type ApplicationRow, type ApplicationsService, lineManagerErrors } from '../applications.service';
import type { CohortsService } from '../cohorts.service';
import { APPROVAL_LABELS, type ApplicationStatus, type ApprovalStatus, FUNDING_CHOICE_LABELS, FUNDING_CHOICES, type FundingChoice, GATEWAY_LABELS, type GatewayStatus, rejectionReasonText, STATUS_LABELS } from '../domain/application';
import { abilitiesFor } from '../domain/enrolment.policy';
import {
  type ApplicationAnswers,
  type ApplicationStep,
  applicationRoute,
  firstUnansweredApplicationStep,
  isApplicationStep,
  nextApplicationStep,
  withoutStaleAnswers,
} from '../domain/application-journey';
import { TEXT_LIMITS, tooLong } from '../domain/text-limits';
import { COMMON_TIME_ZONES, isTimeZone, timeZoneChoices, timeZoneLabel, UK_TIME_ZONE } from '../domain/time-zones';
import type { ReferenceService } from '../reference.service';
import { ConfirmPage, confirmed } from './confirm-page';
import { choice, eligibilityQuestion, eligibilitySummary, isEligibilityStep, parseEligibilityAnswer, type QuestionView, type StepResult } from './eligibility-questions';
import { QuestionPage } from './funding-pages';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const CAPTION = 'Apply for an NPQ';
const OTHER_ZONE = 'other';

export interface EnrolmentWebDeps {
  applications: ApplicationsService;
  catalogue: PublicCatalogue;
  reference: ReferenceService;
  cohorts: CohortsService;
}

export async function applicationRoutes(app: FastifyInstance, opts: EnrolmentWebDeps) {
  const { applications, catalogue, reference } = opts;
  const signedIn = { preHandler: requireSignIn };

  const answersOf = (row: ApplicationRow) => row.answers as ApplicationAnswers;

  async function routeOf(a: ApplicationAnswers) {
    return applicationRoute(a, await applications.intakeModeFor(a));
  }

  async function backFrom(step: ApplicationStep, a: ApplicationAnswers) {
    const steps = await routeOf(a);
    const i = steps.indexOf(step);
    return i > 0 ? `/apply/${steps[i - 1]}` : '/applications';
  }

  /** Renders one question with the saved answer (or what was typed) and any errors. */
  async function render(req: FastifyRequest, reply: FastifyReply, step: ApplicationStep, a: ApplicationAnswers, errors?: FieldErrors, typed?: Body) {
    const back = await backFrom(step, a);
    const err = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    const val = (k: keyof ApplicationAnswers & string) => typed?.[k] ?? (a[k] as string | undefined);
    const status = errors ? 422 : 200;
    const show = (view: QuestionView, intro?: preact.ComponentChildren) => reply.page((ctx: PageContext) => <QuestionPage ctx={ctx} view={view} intro={intro} action={`/apply/${step}`} caption={CAPTION} back={back} errors={errors} />, status);
    const page = (title: string, fields: preact.ComponentChildren, errorTargets?: Record<string, string>, extra?: { intro?: preact.ComponentChildren }) => show({ title, fields, ...(errorTargets ? { errorTargets } : {}) }, extra?.intro);
    if (isEligibilityStep(step)) return show(await eligibilityQuestion(step, a, { catalogue, reference }, { errors, typed, searchQuery: (req.query as Body).q, basePath: '/apply' }));
    switch (step) {
      case 'details':
        return page(
          'Your details',
          <>
            <Input id="fullName" name="fullName" autocomplete="name" label={{ text: 'Full name' }} hint={{ text: 'As it appears on your teaching record' }} value={val('fullName')} errorMessage={err('fullName')} />
            <Input id="trn" name="trn" classes="govuk-input--width-10" inputmode="numeric" spellcheck={false} label={{ text: 'Teacher reference number (TRN)' }} hint={{ text: '7 digits, like 1234567. It is on your payslip, your pension statement or the Teaching Regulation Agency’s service.' }} value={val('trn')} errorMessage={err('trn')} />
            <Checkboxes
              idPrefix="noTrn"
              name="noTrn"
              hint={{ text: 'Many people in early years and childcare do not have one. You can still apply: DfE gives you a TRN later.' }}
              values={(typed ? typed.noTrn === 'yes' : a.noTrn) ? ['yes'] : []}
              items={[{ value: 'yes', text: 'I do not have a TRN' }]}
            />
          </>,
        );
      case 'job':
        return page(
          'What is your job?',
          <>
            <Input id="employmentRole" name="employmentRole" autocomplete="organization-title" label={{ text: 'Job title' }} hint={{ text: 'For example, head of year 9, or deputy headteacher' }} value={val('employmentRole')} errorMessage={err('employmentRole')} />
            {a.workSetting && !['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting'].includes(a.workSetting) ? (
              <Input id="employerName" name="employerName" autocomplete="organization" label={{ text: 'Employer' }} value={val('employerName')} errorMessage={err('employerName')} />
            ) : null}
          </>,
        );
      case 'line-manager':
        return page(
          'Who is your line manager?',
          <>
            <Input id="lineManagerName" name="lineManagerName" label={{ text: 'Their full name' }} value={val('lineManagerName')} errorMessage={err('lineManagerName')} />
            <Input id="lineManagerEmail" name="lineManagerEmail" type="email" spellcheck={false} label={{ text: 'Their work email address' }} value={val('lineManagerEmail')} errorMessage={err('lineManagerEmail')} />
          </>,
          undefined,
          { intro: <p class="govuk-body">We will email them a link to approve your application for your school. They do not need an account. Usually this is your headteacher or a senior leader.</p> },
        );
      case 'intake': {
        const open = a.course ? await applications.openIntakes(a.course) : [];
        const course = (await catalogue.list()).find((c) => c.identifier === a.course);
        const partners = new Map((course?.partners ?? []).map((p) => [p.id, p.name]));
        if (!open.length) {
          return reply.page((ctx: PageContext) => (
            <FormPage ctx={ctx} title="No intakes are open for this NPQ" back={back} intro={<span class="govuk-caption-l">{CAPTION}</span>}>
              <p class="govuk-body">Applications for the {course?.name ?? 'NPQ'} are closed at the moment.</p>
              <p class="govuk-body">
                <a class="govuk-link" href={`/interest?npq=${a.course ?? ''}`}>Register your interest</a> and we will email you when the next intake opens, or <a class="govuk-link" href="/apply/course">choose another NPQ</a>.
              </p>
            </FormPage>
          ));
        }
        const title = 'When and how do you want to study?';
        return page(
          title,
          choice(
            'intakeId',
            title,
            open.map((i) => ({
              value: i.id,
              text: `${i.name}: ${DELIVERY_MODE_LABELS[i.deliveryMode as DeliveryMode] ?? i.deliveryMode}`,
              hint: { text: `Starts ${formatDate(i.startDate)} · apply by ${formatDate(i.applicationDeadline)} · ${partners.get(i.deliveryPartnerId) ?? ''}` },
            })),
            val('intakeId'),
            errors?.intakeId,
          ),
          { intakeId: 'intakeId' },
        );
      }
      case 'time-zone': {
        const title = 'Which time zone will you join live sessions from?';
        const saved = a.timeZone ?? UK_TIME_ZONE;
        const common = COMMON_TIME_ZONES.some((z) => z.zone === saved);
        const chosen = typed?.timeZone ?? (common ? saved : OTHER_ZONE);
        const other = typed?.otherTimeZone ?? (common ? '' : saved);
        // Not a conditional reveal under "Another time zone": govuk-frontend marks the radio aria-expanded,
        // which a radio may not have (axe: aria-allowed-attr). The list stands below the choices instead.
        const otherField = (
          <Select
            id="otherTimeZone"
            name="otherTimeZone"
            label={{ text: 'If another time zone, which?' }}
            hint={{ text: 'Listed by city. Choose “Another time zone” above as well.' }}
            value={other}
            errorMessage={err('otherTimeZone')}
            attributes={{ 'data-module': 'app-time-zone' }}
            items={[{ value: '', text: 'Choose a time zone' }, ...timeZoneChoices().map((z) => ({ value: z.zone, text: z.label }))]}
          />
        );
        return page(
          title,
          <>
            {choice(
              'timeZone',
              title,
              [...COMMON_TIME_ZONES.map((z) => ({ value: z.zone, text: z.label })), { divider: 'or' }, { value: OTHER_ZONE, text: 'Another time zone' }],
              chosen,
              errors?.timeZone,
              'Distance learning has live online sessions: we schedule yours in your time zone. Most people learning with us are in UK time.',
            )}
            {otherField}
          </>,
          { timeZone: 'timeZone', otherTimeZone: 'otherTimeZone' },
        );
      }
      case 'funding': {
        const answer = await applications.fundingFor(req.actor, a);
        const title = answer?.funded ? 'DfE will fund your NPQ' : answer?.subject_to_review ? 'DfE will review whether to fund you' : 'DfE will not fund this NPQ for you';
        return page(
          title,
          answer?.funded ? (
            <input type="hidden" name="fundingSeen" value="yes" />
          ) : (
            choice('fundingChoice', 'How will your NPQ be paid for?', FUNDING_CHOICES.map((f) => ({ value: f, text: FUNDING_CHOICE_LABELS[f] })), val('fundingChoice'), errors?.fundingChoice, answer?.subject_to_review ? 'If DfE decides not to fund you, who will pay?' : 'Tell us who will pay, so we can send the invoice to the right place.')
          ),
          { fundingChoice: 'fundingChoice' },
          {
            intro: (
              <>
                <p class="govuk-body" data-funding-status={answer?.status_code}>
                  {answer?.message ?? 'We could not work out your funding yet: check your answers.'}
                </p>
                {answer?.funded ? null : <h2 class="govuk-heading-m">How will your NPQ be paid for?</h2>}
              </>
            ),
          },
        );
      }
      case 'consent':
        return page(
          'Sharing your details with DfE',
          <Checkboxes idPrefix="consent" name="consent" errorMessage={err('consent')} values={a.consent || typed?.consent ? ['yes'] : []} items={[{ value: 'yes', text: 'I agree that my details may be shared with DfE' }]} />,
          { consent: 'consent' },
          {
            intro: (
              <>
                <p class="govuk-body">DfE funds NPQs and checks who takes them. We share your name, email, teacher reference number, school, NPQ and progress with DfE, as its contract with us requires.</p>
                <p class="govuk-body">DfE uses them to confirm your funding and to record your qualification. It keeps them as its privacy notice says.</p>
              </>
            ),
          },
        );
    }
    return reply.callNotFound();
  }

  /** Reads one step's answer: the answer, or what is wrong. */
  async function parse(req: FastifyRequest, step: ApplicationStep, body: Body, a: ApplicationAnswers): Promise<StepResult<ApplicationAnswers>> {
    if (isEligibilityStep(step)) return parseEligibilityAnswer(step, body, { catalogue, reference });
    const text = (k: string) => (body[k] ?? '').trim();
    switch (step) {
      case 'details': {
        const errors: FieldErrors = {};
        const fullName = text('fullName');
        const trn = text('trn').replace(/\s/g, '');
        const noTrn = body.noTrn === 'yes';
        if (!fullName) errors.fullName = 'Enter your full name';
        else if (fullName.length > TEXT_LIMITS.name) errors.fullName = tooLong('Your full name', TEXT_LIMITS.name);
        if (trn && noTrn) errors.trn = 'Enter your teacher reference number, or select “I do not have a TRN”, not both';
        else if (!trn && !noTrn) errors.trn = 'Enter your teacher reference number, or select “I do not have a TRN”';
        else if (trn && !/^\d{7}$/.test(trn)) errors.trn = trn.length > 7 && /^\d+$/.test(trn) ? 'Your teacher reference number must be 7 digits: it has too many' : 'Enter your teacher reference number as 7 digits, like 1234567';
        if (Object.keys(errors).length) return { errors };
        return { answers: noTrn ? { fullName, trn: undefined, noTrn: true } : { fullName, trn, noTrn: false } };
      }
      case 'job': {
        const errors: FieldErrors = {};
        const role = text('employmentRole');
        const employer = text('employerName');
        if (!role) errors.employmentRole = 'Enter your job title';
        else if (role.length > TEXT_LIMITS.role) errors.employmentRole = tooLong('Your job title', TEXT_LIMITS.role);
        if (employer.length > TEXT_LIMITS.employer) errors.employerName = tooLong('Your employer’s name', TEXT_LIMITS.employer);
        return Object.keys(errors).length ? { errors } : { answers: { employmentRole: role, employerName: employer || undefined } };
      }
      case 'line-manager': {
        // The applicant's own address, however written, is refused here as everywhere else.
        const errors = lineManagerErrors(body, [req.actor.kind === 'user' ? req.actor.email : '']);
        return Object.keys(errors).length ? { errors } : { answers: { lineManagerName: text('lineManagerName'), lineManagerEmail: text('lineManagerEmail').toLowerCase() } };
      }
      case 'intake': {
        const open = a.course ? await applications.openIntakes(a.course) : [];
        return open.some((i) => i.id === body.intakeId) ? { answers: { intakeId: body.intakeId! } } : { errors: { intakeId: 'Select when and how you want to study' } };
      }
      case 'time-zone': {
        const choice = text('timeZone');
        if (choice === OTHER_ZONE) {
          const other = text('otherTimeZone');
          return isTimeZone(other) ? { answers: { timeZone: other } } : { errors: { otherTimeZone: 'Choose your time zone from the list' } };
        }
        return COMMON_TIME_ZONES.some((z) => z.zone === choice) ? { answers: { timeZone: choice } } : { errors: { timeZone: 'Select the time zone you will join live sessions from' } };
      }
      case 'funding': {
        if (body.fundingSeen === 'yes') return { answers: { fundingSeen: true, fundingChoice: undefined } };
        const choiceMade = FUNDING_CHOICES.find((f) => f === body.fundingChoice);
        return choiceMade ? { answers: { fundingChoice: choiceMade as FundingChoice, fundingSeen: false } } : { errors: { fundingChoice: 'Select how your NPQ will be paid for' } };
      }
      case 'consent':
        return body.consent === 'yes' ? { answers: { consent: true } } : { errors: { consent: 'Confirm that we may share your details with DfE' } };
    }
    return { errors: {} };
  }

  async function summaryRows(actor: FastifyRequest['actor'], a: ApplicationAnswers) {
    const eligibility = await eligibilitySummary(a, { catalogue, reference });
    const intake = a.intakeId ? await applications.intakeById(a.intakeId) : undefined;
    const funding = await applications.fundingFor(actor, a);
    const rows: Partial<Record<ApplicationStep, { key: string; value: string }>> = {
      details: { key: 'Name and TRN', value: `${a.fullName ?? ''}, ${a.noTrn ? 'no TRN yet' : `TRN ${a.trn ?? ''}`}` },
      ...eligibility,
      job: { key: 'Job', value: [a.employmentRole, a.employerName].filter(Boolean).join(', ') },
      'line-manager': { key: 'Line manager', value: `${a.lineManagerName ?? ''} (${a.lineManagerEmail ?? ''})` },
      intake: { key: 'Intake', value: intake ? `${intake.name}, ${DELIVERY_MODE_LABELS[intake.deliveryMode as DeliveryMode] ?? intake.deliveryMode}, starts ${formatDate(intake.startDate)}` : '' },
      'time-zone': { key: 'Time zone', value: a.timeZone ? timeZoneLabel(a.timeZone) : '' },
      funding: { key: 'Funding', value: funding?.funded ? 'Funded by DfE' : `Not funded by DfE: ${a.fundingChoice ? FUNDING_CHOICE_LABELS[a.fundingChoice] : 'say who pays'}` },
      consent: { key: 'Sharing with DfE', value: a.consent ? 'Agreed' : 'Not agreed' },
    };
    return (await routeOf(a)).map((s) => ({ ...rows[s]!, href: `/apply/${s}` }));
  }

  const checkPage = async (req: FastifyRequest, reply: FastifyReply, a: ApplicationAnswers, errors?: FieldErrors) => {
    const rows = await summaryRows(req.actor, a);
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="Check your answers before sending your application" back="/apply/consent" errors={errors} errorTargets={Object.fromEntries(Object.keys(errors ?? {}).map((k) => [k, 'answers']))} intro={<span class="govuk-caption-l">{CAPTION}</span>}>
          <div id="answers">
            <SummaryList rows={rows.map((r) => ({ key: { text: r.key }, value: { text: r.value }, actions: { items: [{ href: r.href, text: 'Change', visuallyHiddenText: r.key.toLowerCase() }] } }))} />
          </div>
          <h2 class="govuk-heading-m">Now send your application</h2>
          <p class="govuk-body">When you send it, we email your line manager to ask them to approve it.</p>
          <form method="post" action="/apply/check" novalidate>
            <Csrf ctx={ctx} />
            <Button text="Send application" preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/apply', signedIn, async (req, reply) => {
    const draft = await applications.startDraft(req.actor, (req.query as Body).npq);
    const a = answersOf(draft);
    const next = firstUnansweredApplicationStep(a, await applications.intakeModeFor(a));
    return reply.redirect(`/apply/${next}`, 303);
  });

  app.post('/apply/discard', signedIn, async (req, reply) => {
    await applications.discardDraft(req.actor);
    reply.flash('Your unsent application has been deleted.');
    return reply.redirect('/applications', 303);
  });

  app.get<{ Params: { step: string } }>('/apply/:step', signedIn, async (req, reply) => {
    const draft = await applications.draft(req.actor);
    if (!draft) return reply.redirect('/apply', 303);
    const a = answersOf(draft);
    if (req.params.step === 'check') {
      const missing = firstUnansweredApplicationStep(a, await applications.intakeModeFor(a));
      if (missing !== 'check') return reply.redirect(`/apply/${missing}`, 303);
      return checkPage(req, reply, a);
    }
    if (!isApplicationStep(req.params.step)) return reply.callNotFound();
    return render(req, reply, req.params.step, a);
  });

  app.post<{ Params: { step: string } }>('/apply/:step', signedIn, async (req, reply) => {
    const draft = await applications.draft(req.actor);
    const body = (req.body ?? {}) as Body;
    if (req.params.step === 'check') {
      try {
        const sent = await applications.submit(req.actor);
        return reply.redirect(`/applications/${sent.id}?sent=1`, 303);
      } catch (err) {
        if (err instanceof ValidationError && draft) return checkPage(req, reply, answersOf(draft), err.fieldErrors);
        throw err;
      }
    }
    if (!draft) return reply.redirect('/apply', 303);
    if (!isApplicationStep(req.params.step)) return reply.callNotFound();
    const step = req.params.step;
    const a = answersOf(draft);
    const result = await parse(req, step, body, a);
    if ('errors' in result) return render(req, reply, step, a, result.errors, body);
    const intakeCourse = async (id: string) => {
      const intake = await applications.intakeById(id);
      const course = (await catalogue.list()).find((c) => c.id === intake?.qualificationId);
      return course?.identifier;
    };
    const merged: ApplicationAnswers = { ...a, ...result.answers };
    const known = merged.intakeId ? await intakeCourse(merged.intakeId) : undefined;
    const answers = withoutStaleAnswers(merged, () => known);
    await applications.saveAnswers(req.actor, answers);
    const mode = await applications.intakeModeFor(answers);
    const next = firstUnansweredApplicationStep(answers, mode) === 'check' ? 'check' : nextApplicationStep(step, answers, mode);
    // After a change, skip forward past questions already answered.
    const target = next === 'check' ? 'check' : firstUnansweredApplicationStep(answers, mode);
    return reply.redirect(`/apply/${target}`, 303);
  });

  // ── The applicant's own applications ──
  app.get('/applications', signedIn, async (req, reply) => {
    const mine = await applications.myApplications(req.actor);
    const courses = new Map((await catalogue.list()).map((c) => [c.identifier, c]));
    const draft = mine.find((m) => m.status === 'draft');
    const sent = mine.filter((m) => m.status !== 'draft');
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your applications">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Your applications</h1>
        {draft ? (
          <div class="app-card">
            <h2 class="govuk-heading-m">Not sent yet: {courses.get(draft.courseIdentifier)?.name ?? 'a new application'}</h2>
            <p class="govuk-body">Your answers are saved. Last changed {formatDateTime(draft.updatedAt)}.</p>
            <div class="govuk-button-group">
              <Button href="/apply" text="Continue your application" />
              <form method="post" action="/apply/discard" novalidate>
                <Csrf ctx={ctx} />
                <Button text="Delete it" classes="govuk-button--warning" />
              </form>
            </div>
          </div>
        ) : (
          <Button href="/apply" text="Start an application" />
        )}
        {sent.length ? (
          <ul class="govuk-list">
            {sent.map((s) => (
              <li>
                <a class="govuk-link" href={`/applications/${s.id}`}>
                  {courses.get(s.courseIdentifier)?.name ?? s.courseIdentifier}
                </a>{' '}
                <StatusTag status={s.status as ApplicationStatus} /> sent {s.submittedAt ? formatDate(s.submittedAt) : ''}
              </li>
            ))}
          </ul>
        ) : null}
      </Layout>
    ));
  });

  const applicationPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    const row = await applications.mine(req.actor, req.params.id);
    const course = (await catalogue.list()).find((c) => c.identifier === row.courseIdentifier);
    const intake = row.intakeId ? await applications.intakeById(row.intakeId) : undefined;
    const justSent = (req.query as Body).sent === '1';
    const may = abilitiesFor(req.actor, row);
    const approvalOpen = may.askApproval;
    const workplace = await applications.workplaceOf(row);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Your application: ${course?.shortName ?? ''}`} errors={errors}>
          <Flash ctx={ctx} />
          <span class="govuk-caption-l">Your application</span>
          <h1 class="govuk-heading-xl">{course?.name ?? row.courseIdentifier}</h1>
          {justSent ? <Panel titleText="Application sent" text={`We have emailed ${row.lineManagerName} to approve it`} headingLevel={2} /> : null}
          {row.status === 'accepted' ? (
            <>
              <Panel titleText="You have a place" text={row.onWaitingList ? `You are on the waiting list for ${intake?.name ?? 'your intake'}` : `${intake?.name ?? ''}, starting ${intake ? formatDate(intake.startDate) : ''}`} headingLevel={2} />
              {row.onWaitingList ? null : <Button href="/programme" text="Go to your programme" />}
            </>
          ) : null}
          {row.status === 'withdrawn' ? <InsetText text={`You withdrew this application${row.decidedAt ? ` on ${formatDate(row.decidedAt)}` : ''}. You can apply again at any time.`} /> : null}
          {row.status === 'rejected' ? <WarningText text={`We could not offer you a place. ${row.reasonForRejection === 'other_application_in_this_cohort_accepted' ? 'Another of your applications in this cohort was accepted.' : `Reason: ${rejectionReasonText(row.reasonForRejection)}`}`} /> : null}
          <SummaryList
            rows={[
              { key: { text: 'Decision' }, value: { html: `<span data-status="${row.status}">${STATUS_LABELS[row.status as ApplicationStatus]}</span>` } },
              ...(workplace ? [{ key: { text: 'Where you work' }, value: { text: workplaceText(workplace) } }] : []),
              { key: { text: 'School approval' }, value: { text: `${APPROVAL_LABELS[row.approvalStatus as ApprovalStatus]}${row.approverName ? ` by ${row.approverName}${row.approverEmail ? ` (${row.approverEmail})` : ''}` : ''}${row.approvalComment ? `: “${row.approvalComment}”` : ''}` } },
              ...(row.gatewayStatus !== 'not_required' ? [{ key: { text: 'Gateway assessment' }, value: { text: GATEWAY_LABELS[row.gatewayStatus as GatewayStatus] } }] : []),
              { key: { text: 'Intake' }, value: { text: intake ? `${intake.name} (${DELIVERY_MODE_LABELS[intake.deliveryMode as DeliveryMode] ?? intake.deliveryMode}), starts ${formatDate(intake.startDate)}` : row.status === 'accepted' ? 'We will place you in an intake and tell you' : 'Not chosen' } },
              ...(row.timeZone && row.timeZone !== UK_TIME_ZONE ? [{ key: { text: 'Live sessions in' }, value: { text: timeZoneLabel(row.timeZone) } }] : []),
              { key: { text: 'Funding' }, value: { text: row.eligibleForFunding ? 'Eligible for DfE funding' : `Not eligible for DfE funding${row.fundingChoice ? `: paid by ${FUNDING_CHOICE_LABELS[row.fundingChoice as FundingChoice].toLowerCase()}` : ''}` } },
              ...(row.status === 'accepted' && row.fundedPlace !== null ? [{ key: { text: 'Funded place' }, value: { text: row.fundedPlace ? 'Yes' : 'No' } }] : []),
              { key: { text: 'Sent' }, value: { text: row.submittedAt ? formatDateTime(row.submittedAt) : '' } },
            ]}
          />
          {may.answerGateway ? (
            <>
              <h2 class="govuk-heading-m">Your gateway assessment</h2>
              <p class="govuk-body">The {course?.shortName} starts with a gateway assessment of your readiness. Answer its questions: you can save and come back.</p>
              <Button href={`/applications/${row.id}/gateway`} text="Answer the gateway questions" />
            </>
          ) : null}
          {row.gatewayFeedback && (row.gatewayStatus === 'passed' || row.gatewayStatus === 'failed') ? <InsetText text={`Gateway feedback: ${row.gatewayFeedback}`} /> : null}
          {approvalOpen ? (
            <>
              <h2 class="govuk-heading-m">{row.approvalStatus === 'pending' ? 'Ask someone else to approve it' : 'Ask for approval again'}</h2>
              <p class="govuk-body">
                {row.approvalStatus === 'pending' ? `We asked ${row.lineManagerName} (${row.lineManagerEmail}) on ${row.approvalRequestedAt ? formatDate(row.approvalRequestedAt) : ''}. We remind them twice before the link expires.` : 'Send the request again, to the same person or to someone else.'}
              </p>
              <form method="post" action={`/applications/${row.id}/approval`} novalidate>
                <Csrf ctx={ctx} />
                <Input id="lineManagerName" name="lineManagerName" label={{ text: 'Line manager’s full name' }} value={typed?.lineManagerName ?? row.lineManagerName ?? ''} errorMessage={errors?.lineManagerName ? { text: errors.lineManagerName } : undefined} />
                <Input id="lineManagerEmail" name="lineManagerEmail" type="email" spellcheck={false} label={{ text: 'Their work email address' }} value={typed?.lineManagerEmail ?? row.lineManagerEmail ?? ''} errorMessage={errors?.lineManagerEmail ? { text: errors.lineManagerEmail } : undefined} />
                <Button text="Send the request" classes="govuk-button--secondary" preventDoubleClick />
              </form>
            </>
          ) : null}
          {may.withdraw ? (
            <>
              <h2 class="govuk-heading-m">Sent it by mistake?</h2>
              <Button href={`/applications/${row.id}/withdraw`} text="Withdraw this application" classes="govuk-button--warning" />
            </>
          ) : null}
          <p class="govuk-body">
            <a class="govuk-link" href="/applications">All your applications</a>
          </p>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/applications/:id', signedIn, async (req, reply) => applicationPage(req, reply));

  /** Withdrawing cannot be undone: a page says what will happen before it does (a plain link and form, no script). */
  app.get<{ Params: { id: string } }>('/applications/:id/withdraw', signedIn, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    const row = await applications.mine(req.actor, req.params.id);
    if (!abilitiesFor(req.actor, row).withdraw) return reply.redirect(`/applications/${row.id}`, 303);
    const course = (await catalogue.list()).find((c) => c.identifier === row.courseIdentifier);
    return reply.page((ctx: PageContext) => (
      <ConfirmPage
        ctx={ctx}
        title="Withdraw your application?"
        caption={course?.name}
        action={`/applications/${row.id}/withdraw`}
        confirmText="Yes, withdraw my application"
        cancelHref={`/applications/${row.id}`}
        warning="You cannot undo this. To take this NPQ, you would need to apply again."
        destructive
      >
        <p class="govuk-body">We will stop considering your application for the {course?.name ?? 'NPQ'}.</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>{row.lineManagerName ?? 'Your line manager'}’s link to approve it will stop working.</li>
          {row.gatewayStatus === 'awaiting_submission' || row.gatewayStatus === 'submitted' ? <li>Your gateway assessment will close.</li> : null}
          <li>You can apply again at any time.</li>
        </ul>
      </ConfirmPage>
    ));
  });

  app.post<{ Params: { id: string } }>('/applications/:id/withdraw', signedIn, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    // Someone else's application is not found, whether or not the post confirms.
    await applications.mine(req.actor, req.params.id);
    if (!confirmed((req.body ?? {}) as Body)) return reply.redirect(`/applications/${req.params.id}/withdraw`, 303);
    await applications.withdrawMine(req.actor, req.params.id);
    reply.flash('You have withdrawn your application. You can apply again at any time.');
    return reply.redirect(`/applications/${req.params.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/applications/:id/approval', signedIn, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      await applications.askApprovalAgain(req.actor, req.params.id, { lineManagerName: body.lineManagerName ?? '', lineManagerEmail: body.lineManagerEmail ?? '' });
      reply.flash(`We have emailed ${body.lineManagerEmail} to ask them to approve your application.`);
      return reply.redirect(`/applications/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return applicationPage(req, reply, err.fieldErrors, body);
      throw err;
    }
  });
}

const STATUS_COLOURS: Record<ApplicationStatus, string> = { draft: 'govuk-tag--grey', pending: 'govuk-tag--blue', accepted: 'govuk-tag--green', rejected: 'govuk-tag--red', withdrawn: 'govuk-tag--grey' };

export function StatusTag({ status }: { status: ApplicationStatus }) {
  return <Tag text={STATUS_LABELS[status] ?? 'Unknown'} classes={STATUS_COLOURS[status]} />;
}

/** The school or setting an applicant named, for people: "Oakfield Primary School, Birmingham (URN 140001)". */
export function workplaceText(w: { name: string; urn: string | null; town: string | null; kind: string }): string {
  return `${w.name}${w.town ? `, ${w.town}` : ''}${w.urn ? ` (${w.kind === 'childcare' ? 'Ofsted URN' : 'URN'} ${w.urn})` : ''}`;
}
