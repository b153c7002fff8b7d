import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { requireAbility } from '../../platform/admin';
import { requireSignIn } from '../../platform/web';
import { addDays, formatDate, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { DateField } from '../../platform/date-field';
import { DATE_PARTS, dateErrorTarget, dateInputValues } from '../../platform/date-input';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { Flash } from '../../platform/flash';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { escapeHtml } from '../../ui/govuk/core';
import type { PageContext } from '../../platform/page-context';
import type { PdfPrinter } from '../../platform/pdf';
import { Button, Input, InsetText, Panel, Radios, SummaryList, Table, Textarea, WarningText } from '../../ui/govuk';
import type { AssessmentService } from '../assessment.service';
import { managesAssessment } from '../domain/assessment.policy';
import { OUTCOME_TEXT_MAX, REVIEW_DAYS_MAX, readCertificateCode } from '../domain/outcome';
import { outOf } from '../domain/mark-scheme';
import { certificateHtml } from './certificate';
import { LIBRARY_STATE_TEXT } from './library.routes';
import { refusedTo } from './refused';

type Body = Record<string, unknown>;
const uuid = z.uuid();
const valid = (id: string) => uuid.safeParse(id).success;
const TASK_RESULT = { pass: 'Passed', fail: 'Not passed' } as const;
const OUTCOME_TEXT = { passed: 'Passed', failed: 'Not passed', voided: 'Voided' } as const;
const plural = (n: number, one: string) => `${n.toLocaleString('en-GB')} ${one}${n === 1 ? '' : 's'}`;

/**
 * Outcomes (issue 12 item 6): the participant's results (`/programme/:eid/assessment/results`: each
 * task's result and feedback, a review of marking asked for, the resit offered, the outcome, the
 * certificate and transcript as PDFs, the NPQ to take next); the admin's release of an intake's
 * results (`/assessment/results`), its outcomes and voiding (`/assessment/results/:iid`,
 * `/assessment/outcomes/:eid`), reviews of marking (`/assessment/reviews`); and the public
 * verification of a certificate (`/verify`, `/verify/:code`).
 */
export async function outcomesRoutes(app: FastifyInstance, opts: { assessment: AssessmentService; pdf: PdfPrinter }) {
  const { assessment, pdf } = opts;
  const signedIn = { preHandler: requireSignIn };
  const admin = { preHandler: requireAbility(managesAssessment) };
  const base = (eid: string) => `/programme/${eid}/assessment`;

  // ——— The participant's results ———

  const resultsPage = async (req: FastifyRequest<{ Params: { eid: string } }>, reply: FastifyReply, errors?: FieldErrors & { for?: string }, typed?: Body) => {
    const r = await assessment.myResults(req.actor, req.params.eid);
    const b = base(req.params.eid);
    const title = r.own ? 'Your results' : `Results: ${r.place.fullName}`;
    const anyOut = r.tasks.some((t) => t.attempts.length);
    const projects = r.own ? (await assessment.shareableProjects(req.actor, req.params.eid)).tasks : [];
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={title} errors={errors ? { reason: errors.reason ?? '' } : undefined} errorTargets={errors?.for ? { reason: `reason-${errors.for}` } : undefined}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={b}>
            {r.own ? 'Your assessment' : 'Their assessment'}
          </a>
          <h1 class="govuk-heading-xl">{title}</h1>
          {r.outcome?.state === 'passed' ? (
            <Panel titleText={`${r.own ? 'You have' : 'They have'} passed ${r.qualification?.shortName ?? 'the NPQ'}`}>
              {`On ${formatDate(r.outcome.completionDate)}. Certificate `}
              <CertificateCode code={r.outcome.certificateCode} />.
            </Panel>
          ) : r.outcome?.state === 'failed' ? (
            <InsetText>
              <p class="govuk-body">{`${r.own ? 'You have' : 'They have'} not passed ${r.qualification?.shortName ?? 'the NPQ'} yet.`} {r.tasks.some((t) => t.resit) ? 'A resit is offered: see the task below.' : 'Your provider will talk to you about what comes next.'}</p>
            </InsetText>
          ) : r.outcome?.state === 'voided' ? (
            <WarningText text={`The outcome was voided on ${formatDate(r.outcome.createdAt)}: ${r.outcome.note ?? ''}`} />
          ) : null}
          {!anyOut ? <p class="govuk-body">{r.own ? 'Your results are not out yet. We will email you when they are.' : 'No results are out yet.'}</p> : null}
          {r.outcome?.state === 'passed' ? (
            <>
              <h2 class="govuk-heading-m">Your certificate</h2>
              <ul class="govuk-list">
                {pdf.available ? (
                  <>
                    <li>
                      <a class="govuk-link" href={`${b}/results/certificate.pdf`}>
                        Download your certificate (PDF)
                      </a>
                    </li>
                    {r.credits ? (
                      <li>
                        <a class="govuk-link" href={`${b}/results/transcript.pdf`}>
                          Download your transcript of master’s credits (PDF)
                        </a>
                      </li>
                    ) : null}
                  </>
                ) : (
                  <li>PDFs cannot be made on this server just now: ask your provider for your certificate.</li>
                )}
                <li>{`Anyone can check your certificate at ${r.verifyUrl}: they see your name, the NPQ and the date, nothing more.`}</li>
              </ul>
              {r.credits ? <p class="govuk-body">{`Passing earns up to ${r.credits.upTo} master’s credits at level 7 towards the ${r.credits.award} at the ${r.credits.university}. The number awarded is at the university’s discretion.`}</p> : null}
              {r.next ? (
                <>
                  <h2 class="govuk-heading-m">What next</h2>
                  <p class="govuk-body">
                    {'The next step on the leadership path is '}
                    <a class="govuk-link" href={`/qualifications/${r.next.identifier}`}>
                      {`${r.next.name} (${r.next.shortName})`}
                    </a>
                    .
                  </p>
                </>
              ) : null}
            </>
          ) : null}
          {r.tasks.map(({ task, attempts, resit }) =>
            attempts.length ? (
              <section aria-labelledby={`result-${task.key}`}>
                <h2 class="govuk-heading-l" id={`result-${task.key}`}>
                  {task.title}
                </h2>
                {resit && r.own ? (
                  <InsetText>
                    <p class="govuk-body">
                      {resit.dueOn ? `You may resit this task: send a new account by the end of ${formatDate(resit.dueOn)}. ` : 'You may resit this task: your provider will set the date. '}
                      {resit.dueOn ? (
                        <a class="govuk-link" href={`${b}/submit/${task.key}`}>
                          Send your resit
                        </a>
                      ) : null}
                    </p>
                  </InsetText>
                ) : null}
                {attempts.map((a) => (
                  <>
                    {attempts.length > 1 ? <h3 class="govuk-heading-m">{a.attempt === 1 ? 'First attempt' : `Resit ${a.attempt - 1}`}</h3> : null}
                    <SummaryList
                      rows={[
                        { key: { text: 'Result' }, value: { text: `${TASK_RESULT[a.result]}: ${a.total} of ${outOf(task.markScheme)} marks` } },
                        { key: { text: 'Released' }, value: { text: formatDate(a.releasesOn) } },
                        a.feedback?.overall ? { key: { text: 'Feedback' }, value: { html: `<span class="app-preserve-lines">${escapeHtml(a.feedback.overall)}</span>` } } : null,
                      ]}
                    />
                    {a.feedback ? (
                      <Table
                        caption={`Marks by criterion${attempts.length > 1 ? `, attempt ${a.attempt}` : ''}`}
                        captionClasses="govuk-table__caption--s"
                        head={[{ text: 'Criterion' }, { text: 'Mark', format: 'numeric' }, { text: 'Comment' }]}
                        rows={task.markScheme.criteria.map((c) => [{ text: c.title }, { text: `${a.feedback!.marks[c.key]?.mark ?? '–'} of ${c.maxMarks}`, format: 'numeric' }, { text: a.feedback!.marks[c.key]?.comment ?? '' }])}
                      />
                    ) : null}
                    {a.reviews.map((v) => (
                      <InsetText>
                        <p class="govuk-body">{`Review of marking asked for on ${formatDate(v.requestedAt)}: ${v.decision === null ? 'waiting for the reviewer.' : v.decision === 'upheld' ? 'the result stands.' : `the result changed from ${v.was?.total} (${v.was?.result}) to ${v.total} (${v.result}).`}`}</p>
                        {v.note ? <p class="govuk-body app-preserve-lines">{v.note}</p> : null}
                      </InsetText>
                    ))}
                    {r.own && a.reviewOpen ? (
                      <form method="post" action={`${b}/results/${a.submissionId}/review`} novalidate>
                        <Csrf ctx={ctx} />
                        <Textarea
                          id={`reason-${a.submissionId}`}
                          name="reason"
                          rows={4}
                          label={{ text: 'Ask for a review of this marking', classes: 'govuk-label--s' }}
                          hint={{ text: `Say what you think was missed or misjudged. You can ask until the end of ${formatDate(a.reviewLastDay!)}. Up to ${OUTCOME_TEXT_MAX.toLocaleString('en-GB')} characters.` }}
                          value={errors?.for === a.submissionId ? one(typed?.reason) : ''}
                          errorMessage={errors?.for === a.submissionId && errors.reason ? { text: errors.reason } : undefined}
                        />
                        <Button text="Ask for a review" classes="govuk-button--secondary" preventDoubleClick />
                      </form>
                    ) : null}
                  </>
                ))}
              </section>
            ) : (
              <section aria-labelledby={`result-${task.key}`}>
                <h2 class="govuk-heading-l" id={`result-${task.key}`}>
                  {task.title}
                </h2>
                <p class="govuk-body">{`No result yet. ${r.qualification?.shortName ?? 'The NPQ'} is awarded when every task is passed.`}</p>
              </section>
            ),
          )}
          {projects.length ? (
            <section aria-labelledby="library">
              <h2 class="govuk-heading-m" id="library">
                School Improvement Library
              </h2>
              <p class="govuk-body">Share your passed project with other school leaders. We read it before it is published, and your name is never shown.</p>
              <ul class="govuk-list">
                {projects.map(({ task, entry }) => (
                  <li>
                    <a class="govuk-link" href={`${b}/library/${task.key}`}>
                      {entry && entry.state !== 'withdrawn' ? `${task.title}: ${LIBRARY_STATE_TEXT[entry.state as keyof typeof LIBRARY_STATE_TEXT].toLowerCase()}` : `Share ${task.title}`}
                    </a>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string } }>('/programme/:eid/assessment/results', signedIn, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    return resultsPage(req, reply);
  });

  app.post<{ Params: { eid: string; sid: string } }>('/programme/:eid/assessment/results/:sid/review', signedIn, async (req, reply) => {
    if (!valid(req.params.eid) || !valid(req.params.sid)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      await assessment.requestReview(req.actor, req.params.eid, req.params.sid, body);
    } catch (err) {
      if (err instanceof ValidationError) return resultsPage(req, reply, { ...err.fieldErrors, for: req.params.sid }, body);
      return refusedTo(reply, err, `${base(req.params.eid)}/results`);
    }
    reply.flash('Your request for a review is sent. We emailed you a receipt, and will tell you what the review finds.');
    return reply.redirect(`${base(req.params.eid)}/results`, 303);
  });

  const sendPdf = async (reply: FastifyReply, name: string, title: string, html: string) => {
    if (!pdf.available) return reply.code(404).type('text/plain').send('PDFs cannot be made on this server just now: ask your provider for your certificate.');
    const file = await pdf.print(escapeHtml(title), html);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="${name}.pdf"`).header('cache-control', 'private, no-store').send(file);
  };

  app.get<{ Params: { eid: string } }>('/programme/:eid/assessment/results/certificate.pdf', signedIn, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    const c = await assessment.certificateOf(req.actor, req.params.eid);
    return sendPdf(reply, `certificate-${c.shortName}-${c.code}`, `Certificate: ${c.shortName}`, await certificateHtml(c));
  });

  app.get<{ Params: { eid: string } }>('/programme/:eid/assessment/results/transcript.pdf', signedIn, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    const c = await assessment.certificateOf(req.actor, req.params.eid);
    if (!c.credits) return reply.callNotFound();
    const html = renderToString(
      <div>
        <p class="govuk-body-l">{c.providerName}</p>
        <h1 class="govuk-heading-l">Transcript of master’s credits</h1>
        <SummaryList
          rows={[
            { key: { text: 'Name' }, value: { text: c.name } },
            { key: { text: 'Qualification' }, value: { text: `${c.qualification} (${c.shortName})` } },
            { key: { text: 'Passed on' }, value: { text: formatDate(c.passedOn) } },
            { key: { text: 'Certificate' }, value: { text: c.code } },
            { key: { text: 'Credits' }, value: { text: `Up to ${c.credits.upTo} at level 7 (the number awarded is at the university’s discretion)` } },
            { key: { text: 'Towards' }, value: { text: `${c.credits.award}, ${c.credits.university}` } },
          ]}
        />
        <Table caption="Assessed tasks" captionClasses="govuk-table__caption--m" head={[{ text: 'Task' }, { text: 'Marks', format: 'numeric' }]} rows={c.tasks.map((t) => [{ text: t.title }, { text: `${t.total} of ${t.outOf}`, format: 'numeric' }])} />
        <p class="govuk-body-s">{`Check the certificate at ${c.verifyUrl}`}</p>
      </div>,
    );
    return sendPdf(reply, `transcript-${c.shortName}-${c.code}`, `Transcript: ${c.shortName}`, html);
  });

  // ——— The admin: releases, outcomes, reviews ———

  /** One intake's release form as it was sent: refused (with its errors), or brought back by Cancel from the confirmation. */
  type ReleaseForm = { intake: string; typed: Body; errors?: FieldErrors };
  const releasesPage = async (req: FastifyRequest, reply: FastifyReply, form?: ReleaseForm) => {
    const list = await assessment.releasesList(req.actor);
    const errors = form?.errors;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Results" errors={errors} errorTargets={form && errors ? { releasesOn: dateErrorTarget(`${form.intake}-releasesOn`, dateInputValues(form.typed, 'releasesOn')), resitDueOn: dateErrorTarget(`${form.intake}-resitDueOn`, dateInputValues(form.typed, 'resitDueOn')), reviewDays: `${form.intake}-reviewDays` } : undefined}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/assessment/submissions">
            Written accounts
          </a>
          <h1 class="govuk-heading-xl">Results</h1>
          <p class="govuk-body">An intake’s results are released once moderation has ended: every account sent is marked, drawn on for moderation, and any sampled script decided. Participants see their results, and are emailed, from the start of the release day. A release can be called off until that day.</p>
          <p class="govuk-body">
            <a class="govuk-link" href="/assessment/reviews">
              Reviews of marking
            </a>
          </p>
          {list.length ? null : <p class="govuk-body">No accounts have been sent yet.</p>}
          {list.map((i) => {
            const mine = form?.intake === i.intakeId;
            const typed = mine ? form.typed : undefined;
            return (
              <section aria-labelledby={`intake-${i.intakeId}`}>
                <h2 class="govuk-heading-m" id={`intake-${i.intakeId}`}>
                  {i.intake}
                </h2>
                <SummaryList
                  rows={[
                    { key: { text: 'Decided' }, value: { text: `${plural(i.readiness.decided, 'script')}, ${i.readiness.toRelease.toLocaleString('en-GB')} not released yet` } },
                    { key: { text: 'Not decided' }, value: { text: [i.readiness.not_allocated && `${i.readiness.not_allocated} not allocated`, i.readiness.marking && `${i.readiness.marking} being marked`, i.readiness.awaiting_draw && `${i.readiness.awaiting_draw} waiting for the moderation draw`, i.readiness.in_moderation && `${i.readiness.in_moderation} in moderation`].filter(Boolean).join(', ') || 'None' } },
                    { key: { text: 'Outcomes' }, value: { html: `<a class="govuk-link" href="/assessment/results/${i.intakeId}">See the participants’ results and outcomes<span class="govuk-visually-hidden"> of ${escapeHtml(i.intake)}</span></a>` } },
                  ]}
                />
                {i.releases.length ? (
                  <Table
                    caption={`Releases of ${i.intake}`}
                    captionClasses="govuk-table__caption--s"
                    head={[{ text: 'Released on' }, { text: 'Results', format: 'numeric' }, { text: 'Reviews asked for' }, { text: 'Resits due' }, { text: 'Call off' }]}
                    rows={i.releases.map((rel) => [
                      { text: `${formatDate(rel.releasesOn)}${rel.released ? '' : ' (to come)'}` },
                      { text: rel.results.toLocaleString('en-GB'), format: 'numeric' },
                      { text: rel.reviewDays ? `Within ${plural(rel.reviewDays, 'day')}` : 'None taken' },
                      { text: rel.resitDueOn ? formatDate(rel.resitDueOn) : 'None offered' },
                      {
                        html: rel.released
                          ? 'Released: it stands'
                          : renderToString(
                              <form method="post" action={`/assessment/results/releases/${rel.id}/cancel`} class="app-inline-form">
                                <Csrf ctx={ctx} />
                                <Button text="Call off" classes="govuk-button--warning govuk-!-margin-bottom-0" attributes={{ 'aria-label': `Call off the release of ${formatDate(rel.releasesOn)}` }} />
                              </form>,
                            ),
                      },
                    ])}
                  />
                ) : null}
                {i.refusal ? (
                  <InsetText text={i.refusal} />
                ) : (
                  <form method="post" action={`/assessment/results/${i.intakeId}`} novalidate>
                    <Csrf ctx={ctx} />
                    <DateField name="releasesOn" id={`${i.intakeId}-releasesOn`} legend="Release the results on" hint="Today or later, for example 15 1 2027. Today’s date releases them at once, so you are asked to confirm it first." values={typed} error={mine ? errors?.releasesOn : undefined} legendClasses="govuk-fieldset__legend--s" />
                    <Input id={`${i.intakeId}-reviewDays`} name="reviewDays" inputmode="numeric" classes="govuk-input--width-3" suffix={{ text: 'days' }} label={{ text: 'A review of marking may be asked for within', classes: 'govuk-label--s' }} hint={{ text: `Days after the release day, 0 to ${REVIEW_DAYS_MAX}; 0 takes none.` }} value={typed ? one(typed.reviewDays) : '14'} errorMessage={mine && errors?.reviewDays ? { text: errors.reviewDays } : undefined} />
                    <DateField name="resitDueOn" id={`${i.intakeId}-resitDueOn`} legend="Resits due by the end of (optional)" hint="For a failed task with a resit left. Leave empty to set it in a later release." values={typed} error={mine ? errors?.resitDueOn : undefined} legendClasses="govuk-fieldset__legend--s" />
                    <Button text={`Release ${plural(i.readiness.toRelease, 'result')}`} preventDoubleClick />
                  </form>
                )}
              </section>
            );
          })}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  // ?intake= with the form's fields: the form as it was when Cancel was chosen on the confirmation, to change and send again.
  app.get<{ Querystring: Body }>('/assessment/results', admin, async (req, reply) => {
    const intake = one(req.query?.intake);
    return releasesPage(req, reply, valid(intake) ? { intake, typed: releaseFormFields(req.query) } : undefined);
  });

  /**
   * The step before releasing results on today's date: participants see them at once and are
   * emailed within the hour, and the release cannot be called off. What will be released and what
   * follows, then "Release them today" (the form's fields sent again with confirm=yes) or Cancel,
   * back to the form as it was.
   */
  const confirmTodayPage = (reply: FastifyReply, intakeId: string, plan: Awaited<ReturnType<AssessmentService['releasePreview']>>, fields: Record<string, string>) => {
    const title = `Release ${plural(plan.results, 'result')} today?`;
    const back = `/assessment/results?${new URLSearchParams({ intake: intakeId, ...fields }).toString()}#intake-${intakeId}`;
    const { releasesOn, reviewDays, resitDueOn } = plan.terms;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={title}>
        <a class="govuk-back-link" href={back}>
          Back
        </a>
        <span class="govuk-caption-l">{plan.intake}</span>
        <h1 class="govuk-heading-xl">{title}</h1>
        <SummaryList
          rows={[
            { key: { text: 'Task results' }, value: { text: `${plan.tasksPassed} passed, ${plan.tasksFailed} not passed` } },
            { key: { text: 'Participants' }, value: { text: plan.participants.toLocaleString('en-GB') } },
            { key: { text: 'Released on' }, value: { text: `Today, ${formatDate(releasesOn)}` } },
            { key: { text: 'Reviews of marking' }, value: { text: reviewDays ? `May be asked for until the end of ${formatDate(addDays(releasesOn, reviewDays))}` : 'None taken' } },
            { key: { text: 'Resits due' }, value: { text: resitDueOn ? `By the end of ${formatDate(resitDueOn)}` : 'None offered in this release' } },
          ]}
        />
        <p class="govuk-body">If you release them today:</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>{`${plan.participants === 1 ? 'the participant sees their' : `the ${plan.participants.toLocaleString('en-GB')} participants see their`} results and feedback straight away, and ${plan.participants === 1 ? 'is' : 'are'} emailed within the hour`}</li>
          <li>anyone whose results pass the NPQ gets a certificate that can be checked straight away</li>
        </ul>
        <WarningText text="You cannot undo this: a release on today’s date cannot be called off. Afterwards a result changes only by a review of marking, and an outcome only by voiding it." />
        <p class="govuk-body">A release on a later day can be called off until that day: to choose one, cancel and change the date.</p>
        <form method="post" action={`/assessment/results/${intakeId}`} novalidate>
          <Csrf ctx={ctx} />
          {Object.entries(fields).map(([name, value]) => (
            <input type="hidden" name={name} value={value} />
          ))}
          <input type="hidden" name="confirm" value="yes" />
          <div class="govuk-button-group">
            <Button text="Release them today" preventDoubleClick />
            <a class="govuk-link" href={back}>
              Cancel
            </a>
          </div>
        </form>
      </Layout>
    ));
  };

  app.post<{ Params: { iid: string } }>('/assessment/results/:iid', admin, async (req, reply) => {
    if (!valid(req.params.iid)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      // Today's date is out at once and cannot be called off: confirmed first. A later day can be called off, so it is not asked.
      if (one(body.confirm) !== 'yes') {
        const plan = await assessment.releasePreview(req.actor, req.params.iid, body);
        if (plan.today) return confirmTodayPage(reply, req.params.iid, plan, releaseFormFields(body));
      }
      const done = await assessment.releaseResults(req.actor, req.params.iid, body);
      // Task results and NPQ outcomes told apart: a newcomer read "4 results …: 0 passed" of four passed Task 1s (the NPQ waits for Task 2).
      const when = done.today ? `${done.results === 1 ? 'is' : 'are'} released today` : `will be released on ${formatDate(done.release.releasesOn)}`;
      const npq = `${plural(done.passed, 'participant')} ${done.passed === 1 ? 'has' : 'have'} passed the NPQ, ${done.failed} not passed it`;
      reply.flash(`${plural(done.results, 'result')} ${when}: ${done.tasksPassed} passed, ${done.tasksFailed} not passed; ${npq}. Participants are emailed ${done.today ? 'within the hour' : 'that day'}.`);
    } catch (err) {
      if (err instanceof ValidationError) return releasesPage(req, reply, { intake: req.params.iid, typed: body, errors: err.fieldErrors });
      return refusedTo(reply, err, '/assessment/results');
    }
    return reply.redirect('/assessment/results', 303);
  });

  app.post<{ Params: { id: string } }>('/assessment/results/releases/:id/cancel', admin, async (req, reply) => {
    if (!valid(req.params.id)) return reply.callNotFound();
    try {
      await assessment.cancelRelease(req.actor, req.params.id);
    } catch (err) {
      return refusedTo(reply, err, '/assessment/results');
    }
    reply.flash('The release is called off: its results are not released, and can be released again.');
    return reply.redirect('/assessment/results', 303);
  });

  app.get<{ Params: { iid: string } }>('/assessment/results/:iid', admin, async (req, reply) => {
    if (!valid(req.params.iid)) return reply.callNotFound();
    const o = await assessment.intakeOutcomes(req.actor, req.params.iid);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Results of an intake">
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href="/assessment/results">
          Results
        </a>
        <h1 class="govuk-heading-xl">{`Results: ${o.intake.name}`}</h1>
        {o.participants.length ? (
          <Table
            caption="Participants with results released, by name"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'Results' }, { text: 'Outcome' }, { text: 'Certificate' }]}
            rows={o.participants.map((p) => [
              { html: `<a class="govuk-link" href="/assessment/outcomes/${p.place.enrolmentId}">${escapeHtml(p.place.fullName)}</a>` },
              { text: p.results.map((x) => `${x.taskTitle}${x.attempt > 1 ? ` (attempt ${x.attempt})` : ''}: ${x.total}, ${x.result}${x.out ? '' : `, out ${formatDate(x.releasesOn)}`}`).join('; ') },
              { text: p.outcome ? OUTCOME_TEXT[p.outcome.state as keyof typeof OUTCOME_TEXT] : 'None yet' },
              { text: p.outcome?.certificateCode ?? '' },
            ])}
          />
        ) : (
          <p class="govuk-body">No results of this intake are released yet.</p>
        )}
      </Layout>
    ));
  });

  const outcomePage = async (req: FastifyRequest<{ Params: { eid: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const r = await assessment.myResults(req.actor, req.params.eid);
    const voided = r.outcome?.state === 'voided';
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Outcome: ${r.place.fullName}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={r.place.intakeId ? `/assessment/results/${r.place.intakeId}` : '/assessment/results'}>
            Results of the intake
          </a>
          <h1 class="govuk-heading-xl">{`Outcome: ${r.place.fullName}`}</h1>
          <SummaryList
            rows={[
              { key: { text: 'Outcome' }, value: { text: r.outcome ? `${OUTCOME_TEXT[r.outcome.state as keyof typeof OUTCOME_TEXT]} (${formatDate(r.outcome.completionDate)})` : 'None out yet' } },
              r.outcome?.certificateCode ? { key: { text: 'Certificate' }, value: { text: r.outcome.certificateCode } } : null,
              r.outcome?.note ? { key: { text: 'Note' }, value: { text: r.outcome.note } } : null,
              { key: { text: 'Their results page' }, value: { html: `<a class="govuk-link" href="${base(req.params.eid)}/results">Results and feedback</a>` } },
            ]}
          />
          {r.outcome ? (
            <form method="post" action={`/assessment/outcomes/${req.params.eid}/${voided ? 'reinstate' : 'void'}`} novalidate>
              <Csrf ctx={ctx} />
              <Textarea id="reason" name="reason" rows={3} label={{ text: voided ? 'Put the outcome back: why' : 'Void the outcome: why', classes: 'govuk-label--m' }} hint={{ text: voided ? 'For a void made by mistake. A pass gets a new certificate code.' : 'For example, malpractice found after release. Its certificate will no longer verify. Kept in the audit log.' }} value={one(typed?.reason)} errorMessage={errors?.reason ? { text: errors.reason } : undefined} />
              <Button text={voided ? 'Put the outcome back' : 'Void the outcome'} classes={voided ? 'govuk-button--secondary' : 'govuk-button--warning'} preventDoubleClick />
            </form>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string } }>('/assessment/outcomes/:eid', admin, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    return outcomePage(req, reply);
  });

  for (const action of ['void', 'reinstate'] as const) {
    app.post<{ Params: { eid: string } }>(`/assessment/outcomes/:eid/${action}`, admin, async (req, reply) => {
      if (!valid(req.params.eid)) return reply.callNotFound();
      const body = (req.body ?? {}) as Body;
      try {
        const state = await assessment.setOutcomeVoided(req.actor, req.params.eid, body, action === 'reinstate');
        reply.flash(action === 'void' ? 'The outcome is voided. Its certificate no longer verifies.' : `The outcome is put back: ${OUTCOME_TEXT[state].toLowerCase()}.`);
      } catch (err) {
        if (err instanceof ValidationError) return outcomePage(req, reply, err.fieldErrors, body);
        return refusedTo(reply, err, `/assessment/outcomes/${req.params.eid}`);
      }
      return reply.redirect(`/assessment/outcomes/${req.params.eid}`, 303);
    });
  }

  const reviewsPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors & { for?: string }, typed?: Body) => {
    const list = await assessment.reviewsList(req.actor);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Reviews of marking" errors={errors ? Object.fromEntries(Object.entries(errors).filter(([k]) => k !== 'for')) : undefined} errorTargets={errors?.for ? { decision: `decision-${errors.for}`, note: `note-${errors.for}`, total: `total-${errors.for}`, result: `result-${errors.for}` } : undefined}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/assessment/results">
            Results
          </a>
          <h1 class="govuk-heading-xl">Reviews of marking</h1>
          {list.length ? null : <p class="govuk-body">No one has asked for a review.</p>}
          {list.map((v) => {
            const mine = errors?.for === v.review.id;
            return (
              <section aria-labelledby={`review-${v.review.id}`}>
                <h2 class="govuk-heading-m" id={`review-${v.review.id}`}>
                  {`${v.place.fullName}: ${v.taskTitle}${v.result.attempt > 1 ? ` (attempt ${v.result.attempt})` : ''}`}
                </h2>
                <SummaryList
                  rows={[
                    { key: { text: 'Asked for' }, value: { text: formatDateTime(v.review.requestedAt) } },
                    { key: { text: 'Released result' }, value: { text: `${(v.review.was ?? v.result).total} (${(v.review.was ?? v.result).result})` } },
                    { key: { text: 'Their reason' }, value: { html: `<span class="app-preserve-lines">${escapeHtml(v.review.reason)}</span>` } },
                    v.review.decision ? { key: { text: 'Decided' }, value: { text: `${v.review.decision === 'upheld' ? 'The result stands' : `Changed to ${v.review.total} (${v.review.result})`}: ${v.review.note ?? ''}` } } : null,
                  ]}
                />
                {v.review.decision ? null : (
                  <form method="post" action={`/assessment/reviews/${v.review.id}`} novalidate>
                    <Csrf ctx={ctx} />
                    <Radios
                      name="decision"
                      idPrefix={`decision-${v.review.id}`}
                      fieldset={{ legend: { text: 'What the review found', classes: 'govuk-fieldset__legend--s' } }}
                      value={mine ? one(typed?.decision) : ''}
                      errorMessage={mine && errors?.decision ? { text: errors.decision } : undefined}
                      items={[
                        { value: 'upheld', text: 'The result stands' },
                        { value: 'changed', text: 'The result changes' },
                      ]}
                    />
                    <Input id={`total-${v.review.id}`} name="total" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'New total, if it changes', classes: 'govuk-label--s' }} value={mine ? one(typed?.total) : ''} errorMessage={mine && errors?.total ? { text: errors.total } : undefined} />
                    <Radios
                      name="result"
                      idPrefix={`result-${v.review.id}`}
                      classes="govuk-radios--inline"
                      fieldset={{ legend: { text: 'New result, if it changes', classes: 'govuk-fieldset__legend--s' } }}
                      value={mine ? one(typed?.result) : ''}
                      errorMessage={mine && errors?.result ? { text: errors.result } : undefined}
                      items={[
                        { value: 'pass', text: 'Pass' },
                        { value: 'fail', text: 'Fail' },
                      ]}
                    />
                    <Textarea id={`note-${v.review.id}`} name="note" rows={3} label={{ text: 'What the review found (the participant reads this)', classes: 'govuk-label--s' }} value={mine ? one(typed?.note) : ''} errorMessage={mine && errors?.note ? { text: errors.note } : undefined} />
                    <Button text="Record the review" preventDoubleClick />
                  </form>
                )}
              </section>
            );
          })}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/assessment/reviews', admin, async (req, reply) => reviewsPage(req, reply));

  app.post<{ Params: { id: string } }>('/assessment/reviews/:id', admin, async (req, reply) => {
    if (!valid(req.params.id)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      const decision = await assessment.decideReview(req.actor, req.params.id, body);
      reply.flash(decision === 'upheld' ? 'The review is recorded: the result stands. The participant is emailed.' : 'The review is recorded and the result changed. The participant is emailed.');
    } catch (err) {
      if (err instanceof ValidationError) return reviewsPage(req, reply, { ...err.fieldErrors, for: req.params.id }, body);
      return refusedTo(reply, err, '/assessment/reviews');
    }
    return reply.redirect('/assessment/reviews', 303);
  });

  // ——— Anyone: verifying a certificate ———

  const verifyLimit = { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } };

  app.get<{ Querystring: Body }>('/verify', verifyLimit, async (req, reply) => {
    const typed = one(req.query?.code).trim().slice(0, 60);
    const code = typed ? readCertificateCode(typed) : null;
    if (code) return reply.redirect(`/verify/${code}`, 303);
    // "Check" pressed with the box empty is told so, not shown the same page again.
    const asked = req.query !== undefined && req.query !== null && 'code' in req.query;
    const errors = typed ? { code: 'Enter the code as it is on the certificate, like NPQ-7K2M-9XQD-4TPA' } : asked ? { code: 'Enter the certificate code' } : undefined;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Check an NPQ certificate" errors={errors}>
          <h1 class="govuk-heading-xl">Check an NPQ certificate</h1>
          <p class="govuk-body">Every certificate we award has a code. Enter it to see whose certificate it is, which NPQ and when it was awarded.</p>
          <form method="get" action="/verify" novalidate>
            <Input id="code" name="code" classes="govuk-input--width-20" spellcheck={false} autocomplete="off" label={{ text: 'Certificate code', classes: 'govuk-label--s' }} hint={{ text: 'It is on the certificate, like NPQ-7K2M-9XQD-4TPA' }} value={typed} errorMessage={errors ? { text: errors.code } : undefined} />
            <Button text="Check" />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  });

  app.get<{ Params: { code: string } }>('/verify/:code', verifyLimit, async (req, reply) => {
    const v = await assessment.verifyCertificate(String(req.params.code).slice(0, 60));
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={v.valid ? 'This certificate is genuine' : 'This certificate cannot be confirmed'}>
          {v.valid ? (
            <>
              <Panel titleText="This certificate is genuine">
                {'Certificate '}
                <CertificateCode code={v.code} />
              </Panel>
              <SummaryList
                rows={[
                  { key: { text: 'Name' }, value: { text: v.name } },
                  { key: { text: 'Qualification' }, value: { text: v.qualification } },
                  { key: { text: 'Awarded on' }, value: { text: formatDate(v.passedOn) } },
                ]}
              />
            </>
          ) : (
            <>
              <h1 class="govuk-heading-xl">This certificate cannot be confirmed</h1>
              <p class="govuk-body">{v.withdrawn ? `Certificate ${v.code} has been withdrawn: it is no longer valid.` : v.code ? `We have no certificate ${v.code}. Check the code on the certificate and try again.` : 'That is not a certificate code. Codes look like NPQ-7K2M-9XQD-4TPA.'}</p>
            </>
          )}
          <p class="govuk-body">
            <a class="govuk-link" href="/verify">
              Check another certificate
            </a>
          </p>
        </Layout>
      ),
      v.valid ? 200 : 404,
    );
  });
}

// The release form's fields, all a confirmation carries on and Cancel brings back: nothing else sent is echoed.
const RELEASE_FORM_FIELDS = [...DATE_PARTS.map((part) => `releasesOn-${part}`), 'reviewDays', ...DATE_PARTS.map((part) => `resitDueOn-${part}`)];

/** The release form's fields from a body or query, each as one string (empty when not sent), cut to 10 characters: every right answer is shorter, and a query string stays short. */
function releaseFormFields(source: Body | undefined): Record<string, string> {
  return Object.fromEntries(RELEASE_FORM_FIELDS.map((name) => [name, one(source?.[name]).slice(0, 10)]));
}

/** A certificate code kept on one line: it breaks at its hyphens otherwise, and a code read across two lines is mistyped. */
function CertificateCode({ code }: { code: string | null }) {
  return <span class="app-nowrap">{code}</span>;
}
