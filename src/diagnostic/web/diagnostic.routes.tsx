import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { sendCsv } from '../../platform/admin';
import { formatDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import type { PdfPrinter } from '../../platform/pdf';
import { requireSignIn } from '../../platform/web';
import { renderToString } from 'preact-render-to-string';
import { escapeHtml } from '../../ui/govuk/core';
import { Button, Details, Input, InsetText, NotificationBanner, Panel, Radios, Table, Tag, WarningText } from '../../ui/govuk';
import { KIND_LABELS, STATE_TAGS } from './labels';
import type { DiagnosticService } from '../diagnostic.service';
import { asSelf, COLLEAGUE_GROUPS, type ColleagueGroup, GROUP_CHOICE_LABELS, GROUP_LABELS } from '../domain/instrument';
import { answersFromForm, formErrors, RatingForm } from './rating-form';
import { ReportBody, ReportHeading } from './report-page';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
/** The one answer to "remind colleagues", whoever was due a reminder (ADR 0013). */
export const REMINDED = 'We have reminded colleagues who have not answered yet, unless they have been reminded three times already.';
const uuid = z.uuid();

/** The NPQs' names, from the catalogue (handed in by src/app.ts: docs/adr/0029). */
export interface NpqNames {
  list(): Promise<{ identifier: string; name: string }[]>;
}

export async function diagnosticRoutes(app: FastifyInstance, opts: { diagnostic: DiagnosticService; catalogue: NpqNames; pdf: PdfPrinter }) {
  const { diagnostic, catalogue, pdf } = opts;
  const signedIn = { preHandler: requireSignIn };
  const npqName = async (identifier: string) => (await catalogue.list()).find((c) => c.identifier === identifier)?.name ?? identifier;

  app.get('/diagnostic', signedIn, async (req, reply) => {
    const rounds = await diagnostic.myRounds(req.actor);
    const names = new Map((await catalogue.list()).map((c) => [c.identifier, c.name]));
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your 360° leadership diagnostic">
        <h1 class="govuk-heading-xl">Your 360° leadership diagnostic</h1>
        <p class="govuk-body">Rate yourself on the seven leadership behaviours, and ask colleagues to rate you: at the start of your programme and again at the end, to see where to grow and how far you have grown.</p>
        {rounds.length ? (
          <Table
            head={[{ text: 'Round' }, { text: 'NPQ' }, { text: 'Dates' }, { text: 'Status' }]}
            rows={rounds.map(({ round, courseIdentifier, state }) => [
              { html: `<a class="govuk-link" href="/diagnostic/${round.id}">${KIND_LABELS[round.kind] ?? round.kind}</a>` },
              { text: names.get(courseIdentifier) ?? courseIdentifier },
              { text: `${formatDate(round.opensOn)} to ${formatDate(round.closesOn)}` },
              { html: `<strong class="govuk-tag ${STATE_TAGS[state]!.classes}">${STATE_TAGS[state]!.text}</strong>` },
            ])}
          />
        ) : (
          <InsetText text="Your diagnostic opens once you have a place on a programme and your cohort’s dates are set. We will email you." />
        )}
      </Layout>
    ));
  });

  const roundPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const v = await diagnostic.roundView(req.actor, req.params.id);
    const { round, policy, groupLimits, raters, answered, state } = v;
    const asked = (g: string) => raters.filter((r) => r.group === g).length;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`360° diagnostic: ${KIND_LABELS[round.kind]}`} errors={errors}>
          <Flash ctx={ctx} />
          <span class="govuk-caption-l">360° leadership diagnostic</span>
          <h1 class="govuk-heading-xl">{KIND_LABELS[round.kind]}</h1>
          <p class="govuk-body" id="status">
            <Tag text={STATE_TAGS[state]!.text} classes={STATE_TAGS[state]!.classes} /> Open from {formatDate(round.opensOn)} to {formatDate(round.closesOn)}.
          </p>
          {v.may.readReport ? <Button href={`/diagnostic/${round.id}/report`} text="Read your report" /> : null}
          <h2 class="govuk-heading-l">1. Rate yourself</h2>
          {round.selfSubmitted ? <p class="govuk-body">You have sent your own ratings.</p> : v.may.rateSelf ? <Button href={`/diagnostic/${round.id}/self`} text="Rate yourself" /> : <p class="govuk-body">You can rate yourself while the round is open.</p>}
          <h2 class="govuk-heading-l">2. Ask colleagues</h2>
          <p class="govuk-body">
            Their answers are anonymous: you see a group’s scores for a statement only when at least {policy.threshold} people in it rated it. Smaller groups are put together as “Other colleagues”
            {policy.namedGroups.length ? `, except ${policy.namedGroups.map((g) => GROUP_LABELS[g as ColleagueGroup].toLowerCase()).join(' and ')}, who are told their answers are shown as a named group` : ''}.
          </p>
          <p class="govuk-body" id="answered">
            {answered === null
              ? `Fewer than ${policy.threshold} colleagues have answered so far. We show how many once at least ${policy.threshold} have, and never who or from which group, so no one’s answer can be picked out as it arrives.`
              : `${answered} colleagues have answered so far. We do not say who, or from which group.`}
          </p>
            <Table
              caption="Who you have asked"
              captionClasses="govuk-table__caption--s"
              head={[{ text: 'Group' }, { text: 'Asked', format: 'numeric' }, { text: 'How many to ask' }, { text: 'Note' }]}
              rows={COLLEAGUE_GROUPS.map((g) => {
                const n = asked(g);
                const limits = groupLimits[g];
                const warning = !policy.namedGroups.includes(g) && n > 0 && n < policy.threshold ? `Fewer than ${policy.threshold}: their answers will be shown only with other small groups` : n < limits.min ? `Ask at least ${limits.min}` : '';
                return [{ text: GROUP_LABELS[g] }, { text: String(n), format: 'numeric' }, { text: limits.min === limits.max ? String(limits.min) : `${limits.min} to ${limits.max}` }, { text: warning }];
              })}
            />
          {raters.length ? (
            <Details summaryText={`The ${raters.length} colleagues you asked`} html={`<ul class="govuk-list">${raters.map((r) => `<li>${escapeHtml(r.name)} (${escapeHtml(GROUP_LABELS[r.group as keyof typeof GROUP_LABELS] ?? r.group)})</li>`).join('')}</ul>`} />
          ) : null}
          {v.may.askColleagues ? (
            <>
              <h3 class="govuk-heading-m">Ask someone</h3>
              <form method="post" action={`/diagnostic/${round.id}/raters`} novalidate>
                <Csrf ctx={ctx} />
                <Input id="name" name="name" autocomplete="off" maxlength={200} label={{ text: 'Their name' }} value={typed?.name} errorMessage={errors?.name ? { text: errors.name } : undefined} />
                <Input id="email" name="email" type="email" spellcheck={false} autocomplete="off" maxlength={254} label={{ text: 'Their work email address' }} value={typed?.email} errorMessage={errors?.email ? { text: errors.email } : undefined} />
                <Radios
                  idPrefix="group"
                  name="group"
                  fieldset={{ legend: { text: 'How do they work with you?', classes: 'govuk-fieldset__legend--s' } }}
                  value={typed?.group}
                  errorMessage={errors?.group ? { text: errors.group } : undefined}
                  items={COLLEAGUE_GROUPS.map((g) => ({ value: g, text: GROUP_CHOICE_LABELS[g] }))}
                />
                <Button text="Send the request" preventDoubleClick />
              </form>
            </>
          ) : null}
          {state === 'not_open' ? <p class="govuk-body">You can ask colleagues from {formatDate(round.opensOn)}, when the round opens.</p> : null}
          {v.may.remind && raters.length ? (
            <form method="post" action={`/diagnostic/${round.id}/remind`} novalidate>
              <Csrf ctx={ctx} />
              <p class="govuk-body">We can remind everyone who has not answered yet, up to three times each. We will not tell you who that is, or how many.</p>
              <Button text="Remind colleagues who have not answered" classes="govuk-button--secondary" preventDoubleClick />
            </form>
          ) : null}
          <p class="govuk-body">
            <a class="govuk-link" href="/diagnostic">All your rounds</a>
          </p>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/diagnostic/:id', signedIn, async (req, reply) => roundPage(req, reply));

  app.post<{ Params: { id: string } }>('/diagnostic/:id/raters', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      await diagnostic.nominate(req.actor, req.params.id, body);
      reply.flash(`We have asked ${body.name}.`);
      return reply.redirect(`/diagnostic/${req.params.id}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return roundPage(req, reply, err.fieldErrors, body);
      // A refusal about the round itself (closed, not open yet) is shown against its dates.
      if (err instanceof AppError && err.status === 422) return roundPage(req, reply, { status: err.message }, body);
      throw err;
    }
  });

  app.post<{ Params: { id: string } }>('/diagnostic/:id/remind', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    await diagnostic.remind(req.actor, req.params.id);
    // The same words whoever was due: a count, or "everyone has answered", would say who declined.
    reply.flash(REMINDED);
    return reply.redirect(`/diagnostic/${req.params.id}`, 303);
  });

  const selfPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { round, instrument, may } = await diagnostic.roundView(req.actor, req.params.id);
    if (!may.rateSelf) return reply.redirect(`/diagnostic/${round.id}`, 303);
    const answers = typed ? answersFromForm(instrument, typed) : round.selfAnswers;
    const yours = asSelf(instrument);
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="Rate yourself" back={`/diagnostic/${round.id}`} errors={formErrors(errors)}>
          <Flash ctx={ctx} />
          <p class="govuk-body">How often do you do each of these? Be honest: the report compares your view with your colleagues’.</p>
          <RatingForm ctx={ctx} instrument={yours} answers={answers} errors={errors} action={`/diagnostic/${round.id}/self`}>
            <div class="govuk-button-group">
              <Button text="Send my ratings" name="action" value="submit" preventDoubleClick />
              <Button text="Save and come back later" name="action" value="save" classes="govuk-button--secondary" />
            </div>
          </RatingForm>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/diagnostic/:id/self', signedIn, async (req, reply) => selfPage(req, reply));

  app.post<{ Params: { id: string } }>('/diagnostic/:id/self', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const { instrument } = await diagnostic.roundView(req.actor, req.params.id);
    const submit = body.action === 'submit';
    try {
      await diagnostic.saveSelf(req.actor, req.params.id, answersFromForm(instrument, body), submit);
      reply.flash(submit ? 'Your ratings are sent.' : 'Your ratings are saved. Come back to finish them.');
      return reply.redirect(submit ? `/diagnostic/${req.params.id}` : `/diagnostic/${req.params.id}/self`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return selfPage(req, reply, err.fieldErrors, body);
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/diagnostic/:id/report', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    try {
      const r = await diagnostic.report(req.actor, req.params.id);
      const npq = await npqName(r.courseIdentifier);
      return reply.page((ctx: PageContext) => (
        <Layout ctx={ctx} title={`Your 360° report: ${KIND_LABELS[r.round.kind]}`}>
          <div class="app-report">
          <ReportHeading data={r} npq={npq} round={KIND_LABELS[r.round.kind] ?? r.round.kind} />
          <p class="govuk-body app-no-print">
            {pdf.available ? (
              <>
                <a class="govuk-link" href={`/diagnostic/${r.round.id}/report.pdf`}>
                  Download as PDF
                </a>{' '}
                ·{' '}
                <a class="govuk-link" href={`/diagnostic/${r.round.id}/report.csv`}>
                  Download as CSV
                </a>{' '}
                ·{' '}
              </>
            ) : null}
            <a class="govuk-link" href={`/diagnostic/${r.round.id}`}>Back to the round</a>
          </p>
          <ReportBody data={r} />
          </div>
        </Layout>
      ));
    } catch (err) {
      if (err instanceof AppError && err.code === 'report_not_ready') {
        return reply.page(
          (ctx: PageContext) => (
            <FormPage ctx={ctx} title="Your report is not ready yet" back={`/diagnostic/${req.params.id}`}>
              <p class="govuk-body">{err.message}. Until then colleagues can still answer, and the report would change as they do.</p>
            </FormPage>
          ),
          409,
        );
      }
      throw err;
    }
  });

  app.get<{ Params: { id: string } }>('/diagnostic/:id/report.pdf', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const r = await diagnostic.report(req.actor, req.params.id);
    if (!pdf.available) return reply.code(404).type('text/plain').send('PDF is not available on this server: print the report page from your browser instead.');
    const round = KIND_LABELS[r.round.kind] ?? r.round.kind;
    const title = `360° leadership report: ${r.participant}, ${round}`;
    const body = renderToString(
      <div class="app-report">
        <ReportHeading data={r} npq={await npqName(r.courseIdentifier)} round={round} level="pdf" />
        <ReportBody data={r} />
      </div>,
    );
    // The title goes into the print page's markup as it is: the participant's name must not be markup.
    const file = await pdf.print(escapeHtml(title), body);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="360-report-${r.round.kind}.pdf"`).header('cache-control', 'private, no-store').send(file);
  });

  app.get<{ Params: { id: string } }>('/diagnostic/:id/report.csv', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { report, visible } = await diagnostic.report(req.actor, req.params.id);
    const rows: (string | number | null)[][] = [
      ['behaviour', 'you', 'colleagues', ...visible.groups.map((g) => `${g.label} (${g.count})`)],
      ...report.behaviours.map((b) => [b.name, b.self, b.others, ...b.byGroup.map((g) => g.score)]),
    ];
    return sendCsv(reply, '360-report', rows);
  });

  // ── Raters, from the emailed link: no account ──
  const closed = (reply: FastifyReply) =>
    reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title="This link has closed">
          <p class="govuk-body">The round this link belongs to has closed, or the link is not valid. Thank you for your time.</p>
        </FormPage>
      ),
      410,
    );

  const ratePage = async (reply: FastifyReply, token: string, errors?: FieldErrors, typed?: Body, notice?: string) => {
    const found = await diagnostic.raterByToken(token);
    if (found?.state !== 'open') return closed(reply);
    const { rater, participant, instrument } = found;
    if (rater.status !== 'invited') {
      return reply.page((ctx: PageContext) => (
        <FormPage ctx={ctx} title="Thank you">
          <Panel titleText={rater.status === 'declined' ? 'You have declined' : 'Your answers are sent'} headingLevel={2} />
          <p class="govuk-body">{rater.status === 'declined' ? `We will not ask you again about ${participant}.` : `${participant} will see them only together with other colleagues’ answers, once the round closes.`}</p>
        </FormPage>
      ));
    }
    const answers = typed ? answersFromForm(instrument, typed) : (rater.draft ?? { ratings: {}, comments: {} });
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={`Rate ${participant}’s leadership`} errors={formErrors(errors)}>
          {notice ? <NotificationBanner type="success" text={notice} /> : null}
          <Details
            summaryText="How your answers are used (privacy)"
            html={`<p class="govuk-body">${escapeHtml(participant)} sees ${found.named ? 'your answers as part of a named group: they may be able to tell they are yours.' : `only the averages of groups of at least ${found.threshold} colleagues, and comments without names, in alphabetical order. They never see who answered, or when.`}</p><p class="govuk-body">We keep your name and email only to send this link and reminders. When you send your answers we store them apart from your name. We delete nothing you send, and use it only for ${escapeHtml(participant)}’s development.</p>`}
            open
          />
          <p class="govuk-body">How often does {participant} do each of these? If you have not seen it, choose “{instrument.scale.notAbleToSay}”. You can save and come back until {formatDate(found.round.closesOn)}.</p>
          <RatingForm ctx={ctx} instrument={instrument} answers={answers} errors={errors} action={`/rate/${encodeURIComponent(token)}`}>
            <div class="govuk-button-group">
              <Button text="Send my answers" name="action" value="submit" preventDoubleClick />
              <Button text="Save and come back later" name="action" value="save" classes="govuk-button--secondary" />
            </div>
            <WarningText text="You can send your answers once. After that you cannot change them." />
            <Button text="I would rather not answer" name="action" value="decline" classes="govuk-button--warning" />
          </RatingForm>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { token: string } }>('/rate/:token', async (req, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    return ratePage(reply, req.params.token);
  });

  app.post<{ Params: { token: string } }>('/rate/:token', { config: { rateLimit: { max: 30, timeWindow: '1 minute' } } }, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const found = await diagnostic.raterByToken(req.params.token);
    if (found?.state !== 'open') return closed(reply);
    const action = body.action === 'decline' ? 'decline' : body.action === 'submit' ? 'submit' : 'save';
    try {
      const done = await diagnostic.answerAsRater(req.params.token, answersFromForm(found.instrument, body), action);
      if (done === 'saved') return ratePage(reply, req.params.token, undefined, undefined, 'Your answers are saved. Use the link in your email to come back.');
      return reply.redirect(`/rate/${encodeURIComponent(req.params.token)}`, 303);
    } catch (err) {
      if (err instanceof ValidationError) return ratePage(reply, req.params.token, err.fieldErrors, body);
      if (err instanceof AppError && (err.code === 'already_answered' || err.code === 'link_expired')) return ratePage(reply, req.params.token);
      throw err;
    }
  });
}

