import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicCatalogue } from '../../catalogue/catalogue.queries';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import type { PageContext } from '../../platform/page-context';
import type { CohortsService } from '../cohorts.service';
import { type FundingAnswers, type FundingStep, firstUnanswered, isFundingStep, nextStep, route, toQuestion } from '../domain/funding-journey';
import type { FundingService } from '../funding.service';
import type { ReferenceService } from '../reference.service';
import { choice, eligibilityQuestion, eligibilitySummary, parseEligibilityAnswer, type QuestionView, type StepResult } from './eligibility-questions';
import { CheckAnswersPage, FundingStartPage, QuestionPage, ResultPage } from './funding-pages';

const COOKIE = 'npq_funding';
const CAPTION = 'Check if DfE will fund your NPQ';

type Body = Record<string, string | undefined>;

export async function fundingRoutes(app: FastifyInstance, opts: { funding: FundingService; cohorts: CohortsService; catalogue: PublicCatalogue; reference: ReferenceService; secureCookies: boolean }) {
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
    const show = (view: QuestionView) => reply.page((ctx: PageContext) => <QuestionPage ctx={ctx} view={view} action={`/funding/${step}`} caption={CAPTION} back={back} errors={errors} />, errors ? 422 : 200);
    const page = (title: string, fields: preact.ComponentChildren, errorTargets?: Record<string, string>) => show({ title, fields, ...(errorTargets ? { errorTargets } : {}) });
    if (step === 'start-date') {
      const list = await cohorts.publicList();
      const title = 'When do you want to start?';
      return page(title, choice('cohort', title, list.map((c) => ({ value: c.identifier, text: `In ${c.startYear} to ${c.startYear + 1} (cohort ${c.identifier})` })), typed?.cohort ?? a.cohort, err('cohort'), 'DfE funds NPQs by cohort: the year your course starts.'), { cohort: 'cohort' });
    }
    return show(await eligibilityQuestion(step, a, { catalogue, reference }, { errors, typed, searchQuery: (req.query as Body).q, basePath: '/funding' }));
  }

  /** Reads one step's answer from the form: the answer, or what is wrong with it. */
  async function parse(step: FundingStep, body: Body): Promise<StepResult<FundingAnswers>> {
    if (step === 'start-date') {
      const list = await cohorts.publicList();
      return list.some((c) => c.identifier === body.cohort) ? { answers: { cohort: body.cohort! } } : { errors: { cohort: 'Select when you want to start' } };
    }
    return parseEligibilityAnswer(step, body, { catalogue, reference });
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
      return reply.page((ctx) => <CheckAnswersPage ctx={ctx} rows={rows} back={`/funding/${route(a).at(-1) ?? 'start-date'}`} />);
    }
    if (req.params.step === 'result') return reply.redirect('/funding/check', 303);
    if (!isFundingStep(req.params.step)) return reply.callNotFound();
    return render(req, reply, req.params.step, a);
  });

  async function summaryRows(a: FundingAnswers) {
    const cohort = (await cohorts.publicList()).find((c) => c.identifier === a.cohort);
    const rows: Record<FundingStep, { key: string; value: string }> = {
      ...(await eligibilitySummary(a, { catalogue, reference })),
      'start-date': { key: 'When you want to start', value: cohort ? `In ${cohort.startYear} to ${cohort.startYear + 1}` : '' },
    };
    return route(a).map((s) => ({ ...rows[s], href: `/funding/${s}` }));
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
        if (err instanceof ValidationError) return reply.page((ctx) => <CheckAnswersPage ctx={ctx} rows={[]} errors={err.fieldErrors} back="/funding/start-date" />, 422);
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
