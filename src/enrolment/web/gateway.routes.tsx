import { clip } from '../../platform/text';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageNumber, paginationFor, requirePermission } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { requireSignIn } from '../../platform/web';
import { can as canDo } from '../../platform/auth/permissions';
import { Button, CharacterCount, Input, InsetText, Pagination, Radios, Select, SummaryList, Table, Textarea } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import type { GatewayConfig } from '../applications.service';
import { allows } from '../domain/application';
import { abilitiesFor } from '../domain/enrolment.policy';
import { decideGatewayReview, GATEWAY_FEEDBACK_MAX, GATEWAY_REASON_MAX, resultByMark } from '../domain/gateway';
import type { EnrolmentWebDeps } from './application.routes';
import { ConfirmPage, confirmed } from './confirm-page';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();

/** "Prompt | 500" lines to questions; "Name | 4" lines to criteria. Ids come from positions, kept stable by order. */
export function parseGatewayLines(text: string, kind: 'question' | 'criterion'): { items: { id: string; label: string; number: number }[]; error?: string } {
  const items: { id: string; label: string; number: number }[] = [];
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  for (const [i, line] of lines.entries()) {
    const [label, n] = line.split('|').map((p) => p.trim());
    const number = Number(n);
    if (!label || !Number.isInteger(number) || number < 1) {
      return { items, error: kind === 'question' ? `Line ${i + 1}: write the question, a bar, then its word limit, like “Why now? | 500”` : `Line ${i + 1}: write the criterion, a bar, then its top score, like “Leadership experience | 4”` };
    }
    items.push({ id: `${kind === 'question' ? 'q' : 'c'}${i + 1}`, label: clip(label, 1000), number });
  }
  return { items };
}

export async function gatewayRoutes(app: FastifyInstance, opts: EnrolmentWebDeps) {
  const { applications, catalogue } = opts;

  // ── The applicant ──
  const answerPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const row = await applications.mine(req.actor, req.params.id);
    const config = await applications.gatewayConfig(row.courseIdentifier);
    if (!config || row.gatewayStatus === 'not_required') return reply.callNotFound();
    const course = (await catalogue.list()).find((c) => c.identifier === row.courseIdentifier);
    const live = allows('answerGateway', row.status);
    const open = abilitiesFor(req.actor, row).answerGateway;
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="Gateway assessment" back={`/applications/${row.id}`} errors={errors} intro={<span class="govuk-caption-l">{course?.name}</span>}>
          <Flash ctx={ctx} />
          {open ? (
            <>
              <p class="govuk-body">Tell us why you are ready for this NPQ. A reviewer scores your answers against the criteria below. Save as you go; send when you are ready: you cannot change your answers after that.</p>
              <h2 class="govuk-heading-s">What reviewers look for</h2>
              <ul class="govuk-list govuk-list--bullet">
                {config.criteria.map((c) => (
                  <li>{c.name}</li>
                ))}
              </ul>
              <form method="post" action={`/applications/${row.id}/gateway`} novalidate>
                <Csrf ctx={ctx} />
                {config.questions.map((q) => (
                  <CharacterCount
                    id={q.id}
                    name={q.id}
                    maxwords={q.wordLimit}
                    rows={8}
                    label={{ text: q.prompt, classes: 'govuk-label--s' }}
                    hint={q.hint ? { text: q.hint } : undefined}
                    value={typed?.[q.id] ?? row.gatewayAnswers[q.id] ?? ''}
                    errorMessage={errors?.[q.id] ? { text: errors[q.id]! } : undefined}
                  />
                ))}
                <div class="govuk-button-group">
                  <Button text="Send for review" name="action" value="submit" preventDoubleClick />
                  <Button text="Save and come back later" name="action" value="save" classes="govuk-button--secondary" />
                </div>
              </form>
            </>
          ) : !live && row.gatewayStatus === 'awaiting_submission' ? (
            <InsetText text={row.status === 'withdrawn' ? 'You withdrew this application, so its gateway assessment is closed.' : 'This application has been decided, so its gateway assessment is closed.'} />
          ) : (
            <>
              {!live ? <InsetText text={row.status === 'withdrawn' ? 'You withdrew this application, so its gateway assessment is closed.' : 'This application has been decided.'} /> : null}
              <p class="govuk-body">You sent your answers on {row.gatewaySubmittedAt ? formatDateTime(row.gatewaySubmittedAt) : ''}.</p>
              <SummaryList rows={config.questions.map((q) => ({ key: { text: q.prompt }, value: { text: row.gatewayAnswers[q.id] ?? '' } }))} />
            </>
          )}
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/applications/:id/gateway', { preHandler: requireSignIn }, async (req, reply) => answerPage(req, reply));

  app.post<{ Params: { id: string } }>('/applications/:id/gateway', { preHandler: requireSignIn }, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const submit = body.action === 'submit';
    const answers = Object.fromEntries(Object.entries(body).filter(([k]) => /^q\d+$/.test(k))) as Record<string, string>;
    try {
      await applications.saveGatewayAnswers(req.actor, req.params.id, answers, submit);
      reply.flash(submit ? 'Your gateway answers are sent for review.' : 'Your answers are saved. Come back to finish them at any time.');
      return reply.redirect(submit ? `/applications/${req.params.id}` : `/applications/${req.params.id}/gateway`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return answerPage(req, reply, err.fieldErrors, body);
      throw err;
    }
  });

  // ── Reviewers ──
  const review = { preHandler: requirePermission('gateway:review') };
  const STATUSES = ['submitted', 'passed', 'failed'] as const;

  app.get('/admin/gateway', review, async (req, reply) => {
    const q = req.query as Body;
    const status = STATUSES.find((s) => s === q.status) ?? 'submitted';
    const page = pageNumber(q.page);
    const { rows, total } = await applications.gatewayQueue(req.actor, status, page);
    const names = new Map((await catalogue.list()).map((c) => [c.identifier, c.shortName]));
    const pagination = paginationFor(page, Math.ceil(total / 50), '/admin/gateway', { status });
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Gateway assessments">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Gateway assessments</h1>
        <nav aria-label="Gateway assessments by status">
          <ul class="govuk-list app-inline-list">
            {STATUSES.map((s) => (
              <li>
                <a class="govuk-link" href={`/admin/gateway?status=${s}`} aria-current={s === status ? 'page' : undefined}>
                  {s === 'submitted' ? 'To review' : s === 'passed' ? 'Passed' : 'Not passed'}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="govuk-body">{total === 1 ? '1 assessment' : `${total} assessments`}</p>
        <Table
          head={[{ text: 'Applicant' }, { text: 'NPQ' }, { text: 'Sent' }]}
          rows={rows.map((r) => [{ html: `<a class="govuk-link" href="/admin/gateway/${r.id}">${escapeHtml(r.fullName)}</a>` }, { text: names.get(r.courseIdentifier) ?? r.courseIdentifier }, { text: r.gatewaySubmittedAt ? formatDateTime(r.gatewaySubmittedAt) : '' }])}
        />
        {pagination ? <Pagination {...pagination} /> : null}
        {canDo(ctx.actor, 'applications:manage') ? (
          <p class="govuk-body">
            <a class="govuk-link" href="/admin/gateway/settings">Set the gateway questions and criteria</a>
          </p>
        ) : null}
      </Layout>
    ));
  });

  const reviewPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { app: row, config } = await applications.forReview(req.actor, req.params.id);
    const course = (await catalogue.list()).find((c) => c.identifier === row.courseIdentifier);
    const live = allows('reviewGateway', row.status);
    const open = abilitiesFor(req.actor, row).reviewGateway;
    const outOf = config.criteria.reduce((s, c) => s + c.maxScore, 0);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Gateway: ${row.fullName}`} errors={errors}>
          <span class="govuk-caption-l">{course?.name}</span>
          <h1 class="govuk-heading-xl">Gateway assessment: {row.fullName}</h1>
          {config.questions.map((q) => (
            <>
              <h2 class="govuk-heading-s">{q.prompt}</h2>
              <div class="govuk-body app-prewrap">{row.gatewayAnswers[q.id] ?? ''}</div>
            </>
          ))}
          {!live && row.gatewayStatus === 'submitted' ? <InsetText text={row.status === 'withdrawn' ? 'The applicant withdrew this application: there is nothing to review.' : 'This application has been decided: there is nothing to review.'} /> : null}
          {open ? (
            <form method="post" action={`/admin/gateway/${row.id}`} novalidate>
              <Csrf ctx={ctx} />
              <h2 class="govuk-heading-m">Scores</h2>
              {config.criteria.map((c) => (
                <Select
                  id={`score-${c.id}`}
                  name={`score-${c.id}`}
                  label={{ text: `${c.name} (0 to ${c.maxScore})` }}
                  value={typed?.[`score-${c.id}`] ?? ''}
                  errorMessage={errors?.[`score-${c.id}`] ? { text: errors[`score-${c.id}`]! } : undefined}
                  items={[{ value: '', text: 'Choose a score' }, ...Array.from({ length: c.maxScore + 1 }, (_, n) => ({ value: String(n), text: String(n) }))]}
                />
              ))}
              <p class="govuk-body">
                Pass mark: {config.passMark} out of {outOf}. A total of {config.passMark} or more passes; to record a result against the mark, give the reason below.
              </p>
              <Radios
                idPrefix="result"
                name="result"
                fieldset={{ legend: { text: 'Result', classes: 'govuk-fieldset__legend--m' } }}
                value={typed?.result}
                errorMessage={errors?.result ? { text: errors.result } : undefined}
                items={[
                  { value: 'passed', text: 'Pass' },
                  { value: 'failed', text: 'Fail' },
                ]}
              />
              <CharacterCount id="feedback" name="feedback" maxlength={GATEWAY_FEEDBACK_MAX} label={{ text: 'Feedback for the applicant', classes: 'govuk-label--m' }} value={typed?.feedback} errorMessage={errors?.feedback ? { text: errors.feedback } : undefined} />
              <CharacterCount
                id="overrideReason"
                name="overrideReason"
                rows={3}
                maxlength={GATEWAY_REASON_MAX}
                label={{ text: 'Reason for a result against the pass mark (only then)', classes: 'govuk-label--s' }}
                hint={{ text: 'Needed to pass a total below the pass mark, or fail one that reaches it. It is kept with the result and in the history of the application.' }}
                value={typed?.overrideReason}
                errorMessage={errors?.overrideReason ? { text: errors.overrideReason } : undefined}
              />
              <Button text="Record the result" preventDoubleClick />
            </form>
          ) : (
            <SummaryList
              rows={[
                { key: { text: 'Result' }, value: { text: row.gatewayStatus === 'passed' ? 'Passed' : row.gatewayStatus === 'failed' ? 'Not passed' : 'Not sent yet' } },
                ...config.criteria.map((c) => ({ key: { text: c.name }, value: { text: row.gatewayScores[c.id] === undefined ? '' : `${row.gatewayScores[c.id]} of ${c.maxScore}` } })),
                { key: { text: 'Feedback' }, value: { text: row.gatewayFeedback ?? '' } },
                ...(row.gatewayOverrideReason ? [{ key: { text: 'Reason for a result against the pass mark' }, value: { text: row.gatewayOverrideReason } }] : []),
              ]}
            />
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/admin/gateway/:id', review, async (req, reply) => reviewPage(req, reply));

  app.post<{ Params: { id: string } }>('/admin/gateway/:id', review, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const scores = Object.fromEntries(Object.entries(body).filter(([k]) => k.startsWith('score-')).map(([k, v]) => [k.slice(6), v]));
    const input = { scores, result: body.result, feedback: body.feedback, overrideReason: body.overrideReason };
    if (!confirmed(body)) {
      // The result is emailed and cannot be changed: the reviewer sees what they are recording first.
      const { app: row, config } = await applications.forReview(req.actor, req.params.id);
      if (!abilitiesFor(req.actor, row).reviewGateway) return reply.redirect(`/admin/gateway/${row.id}`, 303);
      const decision = decideGatewayReview(config.criteria, config.passMark, input);
      if (!decision.ok) return reviewPage(req, reply, decision.errors, body);
      const outOf = config.criteria.reduce((s, c) => s + c.maxScore, 0);
      const fields: Record<string, string | undefined> = { result: decision.result, feedback: decision.feedback, overrideReason: decision.overrideReason ?? undefined };
      for (const [id, n] of Object.entries(decision.scores)) fields[`score-${id}`] = String(n);
      return reply.page((ctx: PageContext) => (
        <ConfirmPage
          ctx={ctx}
          title={`Record a ${decision.result === 'passed' ? 'pass' : 'fail'} for ${row.fullName}?`}
          caption="Gateway assessment"
          action={`/admin/gateway/${row.id}`}
          fields={fields}
          confirmText={`Yes, record the ${decision.result === 'passed' ? 'pass' : 'fail'}`}
          cancelHref={`/admin/gateway/${row.id}`}
          warning="We email the applicant the result and your feedback at once. You cannot change the result afterwards."
        >
          <SummaryList
            rows={[
              ...config.criteria.map((c) => ({ key: { text: c.name }, value: { text: `${decision.scores[c.id]} of ${c.maxScore}` } })),
              { key: { text: 'Total' }, value: { text: `${decision.total} of ${outOf} (pass mark ${config.passMark}: the mark says ${resultByMark(decision.total, config.passMark) === 'passed' ? 'pass' : 'fail'})` } },
              { key: { text: 'Result' }, value: { text: decision.result === 'passed' ? 'Pass' : 'Fail' } },
              ...(decision.overrideReason ? [{ key: { text: 'Reason for going against the pass mark' }, value: { text: decision.overrideReason } }] : []),
              { key: { text: 'Feedback' }, value: { text: decision.feedback } },
            ]}
          />
        </ConfirmPage>
      ));
    }
    try {
      const row = await applications.reviewGateway(req.actor, req.params.id, input);
      reply.flash(`${row.fullName}: gateway ${row.gatewayStatus === 'passed' ? 'passed' : 'not passed'}. We have emailed them.`);
      return reply.redirect('/admin/gateway', 303);
    } catch (err) {
      if (err instanceof ValidationError) return reviewPage(req, reply, err.fieldErrors, body);
      throw err;
    }
  });

  // ── Settings: which NPQs have a gateway, and its questions ──
  const manage = { preHandler: requirePermission('applications:manage') };
  const linesOf = (c: GatewayConfig | undefined) => ({
    questions: c?.questions.map((q) => `${q.prompt} | ${q.wordLimit}`).join('\n') ?? '',
    criteria: c?.criteria.map((k) => `${k.name} | ${k.maxScore}`).join('\n') ?? '',
    passMark: c ? String(c.passMark) : '',
  });

  async function settingsPage(req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors, typed?: Body) {
    const courses = await catalogue.list();
    const configs = await applications.listGatewayConfigs();
    const chosen = typed?.course ?? (req.query as Body).course ?? configs[0]?.courseIdentifier ?? courses[0]?.identifier ?? '';
    const current = configs.find((c) => c.courseIdentifier === chosen);
    const values = typed ?? { course: chosen, ...linesOf(current) };
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Gateway settings" errors={errors}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">Gateway settings</h1>
          <p class="govuk-body">NPQs with a gateway: {configs.length ? configs.map((c) => courses.find((q) => q.identifier === c.courseIdentifier)?.shortName ?? c.courseIdentifier).join(', ') : 'none'}.</p>
          <form method="get" action="/admin/gateway/settings">
            <Select id="course-choice" name="course" label={{ text: 'NPQ to set up' }} value={chosen} items={courses.map((c) => ({ value: c.identifier, text: `${c.shortName}: ${c.name}` }))} />
            <Button text="Show" classes="govuk-button--secondary" />
          </form>
          <form method="post" action="/admin/gateway/settings" novalidate>
            <Csrf ctx={ctx} />
            <input type="hidden" name="course" value={chosen} />
            <Textarea id="questions" name="questions" rows={6} label={{ text: 'Questions, one a line: the question, a bar, its word limit', classes: 'govuk-label--s' }} hint={{ text: 'For example: Why is now the right time for you to lead a school? | 500' }} value={values.questions} errorMessage={errors?.questions ? { text: errors.questions } : undefined} />
            <Textarea id="criteria" name="criteria" rows={5} label={{ text: 'Criteria, one a line: the criterion, a bar, its top score', classes: 'govuk-label--s' }} hint={{ text: 'For example: Evidence of leading change | 4' }} value={values.criteria} errorMessage={errors?.criteria ? { text: errors.criteria } : undefined} />
            <Input id="passMark" name="passMark" classes="govuk-input--width-3" inputmode="numeric" label={{ text: 'Pass mark', classes: 'govuk-label--s' }} value={values.passMark} errorMessage={errors?.passMark ? { text: errors.passMark } : undefined} />
            <div class="govuk-button-group">
              <Button text="Save the gateway" preventDoubleClick />
              {current ? <Button text="Remove the gateway from this NPQ" name="action" value="remove" classes="govuk-button--warning" /> : null}
            </div>
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  }

  app.get('/admin/gateway/settings', manage, async (req, reply) => settingsPage(req, reply));

  app.post('/admin/gateway/settings', manage, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const course = body.course ?? '';
    if (body.action === 'remove') {
      await applications.removeGatewayConfig(req.actor, course);
      reply.flash('The gateway is removed: new applications for that NPQ go straight to the school and the provider.');
      return reply.redirect(`/admin/gateway/settings?course=${encodeURIComponent(course)}`, 303);
    }
    const questions = parseGatewayLines(body.questions ?? '', 'question');
    const criteria = parseGatewayLines(body.criteria ?? '', 'criterion');
    const errors: FieldErrors = {};
    if (questions.error) errors.questions = questions.error;
    if (criteria.error) errors.criteria = criteria.error;
    if (Object.keys(errors).length) return settingsPage(req, reply, errors, body);
    try {
      await applications.saveGatewayConfig(req.actor, course, {
        questions: questions.items.map((q) => ({ id: q.id, prompt: q.label, hint: '', wordLimit: q.number })),
        criteria: criteria.items.map((c) => ({ id: c.id, name: c.label, maxScore: c.number })),
        passMark: Number(body.passMark),
      });
      reply.flash('The gateway is saved. It applies to applications sent from now on.');
      return reply.redirect(`/admin/gateway/settings?course=${encodeURIComponent(course)}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return settingsPage(req, reply, err.fieldErrors, body);
      throw err;
    }
  });
}

