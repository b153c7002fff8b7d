import { one } from '../../platform/forms';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { render } from 'preact-render-to-string';
import { z } from 'zod';
import { requireAbility, sendCsv } from '../../platform/admin';
import type { Actor } from '../../platform/auth/actor';
import { formatDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { DateField } from '../../platform/date-field';
import { dateErrorTarget, dateInputValues, readDateFields } from '../../platform/date-input';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { Button, Checkboxes, Input, Radios, Select, Table, Textarea, WarningText } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import { abilitiesFor, diagnosticAbilities } from '../domain/diagnostic.policy';
import type { DiagnosticService, Settings } from '../diagnostic.service';
import { KIND_LABELS, STATE_TAGS } from './labels';
import { COLLEAGUE_GROUPS, type ColleagueGroup, GROUP_LABELS, type Instrument } from '../domain/instrument';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | string[] | undefined>;
const uuid = z.uuid();

/**
 * The instrument as lines an admin can edit: "# Behaviour | description" then "- statement | the
 * participant's own wording" lines; "= 1 | Rarely" for each point of the scale, "~ Not able to say",
 * and "? question | the participant's own wording" for open questions. The own wording is optional.
 */
export function instrumentToLines(i: Instrument): string {
  const own = (text: string, self: string | undefined) => (self ? `${text} | ${self}` : text);
  return [
    ...i.behaviours.map((b) => [`# ${b.name} | ${b.description}`, ...b.statements.map((s) => `- ${own(s.text, s.selfText)}`)].join('\n')),
    [...i.scale.points.map((p) => `= ${p.value} | ${p.label}`), `~ ${i.scale.notAbleToSay}`].join('\n'),
    i.openQuestions.map((q) => `? ${own(q.prompt, q.selfPrompt)}`).join('\n'),
  ].join('\n\n');
}

export function instrumentFromLines(text: string, keep: Instrument): { instrument?: Instrument; error?: string } {
  const behaviours: Instrument['behaviours'] = [];
  const points: Instrument['scale']['points'] = [];
  const questions: Instrument['openQuestions'] = [];
  let notAbleToSay = keep.scale.notAbleToSay;
  const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'behaviour';
  for (const [n, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const rest = line.slice(1).trim();
    if (line.startsWith('#')) {
      const [name, description = ''] = rest.split('|').map((p) => p.trim());
      if (!name) return { error: `Line ${n + 1}: give the behaviour a name after the #` };
      let id = slug(name);
      while (behaviours.some((b) => b.id === id)) id = `${id}-2`;
      behaviours.push({ id, name, description, statements: [] });
    } else if (line.startsWith('-')) {
      const b = behaviours.at(-1);
      if (!b) return { error: `Line ${n + 1}: start with a behaviour (a line beginning #) before its statements` };
      const [text = '', selfText] = rest.split('|').map((p) => p.trim());
      if (!text) return { error: `Line ${n + 1}: write the statement after the -` };
      b.statements.push({ id: `${b.id}-${b.statements.length + 1}`, text, ...(selfText ? { selfText } : {}) });
    } else if (line.startsWith('=')) {
      const [value, label] = rest.split('|').map((p) => p.trim());
      if (!label || !/^\d+$/.test(value ?? '')) return { error: `Line ${n + 1}: write a point of the scale as “= 1 | Rarely”` };
      points.push({ value: Number(value), label });
    } else if (line.startsWith('~')) {
      if (!rest) return { error: `Line ${n + 1}: write the words for “not able to say” after the ~` };
      notAbleToSay = rest;
    } else if (line.startsWith('?')) {
      const [prompt = '', selfPrompt] = rest.split('|').map((p) => p.trim());
      if (!prompt) return { error: `Line ${n + 1}: write the question after the ?` };
      // A question kept word for word keeps its id, so its answers line up across versions.
      questions.push({ id: keep.openQuestions.find((q) => q.prompt === prompt)?.id ?? `q${questions.length + 1}`, prompt, ...(selfPrompt ? { selfPrompt } : {}) });
    } else return { error: `Line ${n + 1}: begin with # (behaviour), - (statement), = (scale), ~ (not able to say) or ? (question)` };
  }
  const empty = behaviours.find((b) => !b.statements.length);
  if (empty) return { error: `“${empty.name}” has no statements` };
  if (!behaviours.length) return { error: 'Add at least one behaviour' };
  if (points.length && points.length < 3) return { error: 'A scale needs at least 3 points' };
  if (new Set(points.map((p) => p.value)).size !== points.length) return { error: 'Each point of the scale needs its own number' };
  return { instrument: { behaviours, scale: { points: points.length ? points : keep.scale.points, notAbleToSay }, openQuestions: questions } };
}

/** The cohorts a round's dates can be set for, from enrolment (handed in by src/app.ts: docs/adr/0029). */
export interface CohortList {
  list(actor: Actor): Promise<{ identifier: string }[]>;
}

export async function diagnosticAdminRoutes(app: FastifyInstance, opts: { diagnostic: DiagnosticService; cohorts: CohortList }) {
  const { diagnostic, cohorts } = opts;
  const guard = { preHandler: requireAbility((actor) => diagnosticAbilities(actor).manage) };

  const mainPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const [settings, windows, cohortList, current] = await Promise.all([diagnostic.settings(), diagnostic.windows(req.actor), cohorts.list(req.actor), diagnostic.instrument()]);
    const err = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="360° diagnostic" errors={errors} errorTargets={{ opensOn: dateErrorTarget('opensOn', dateInputValues(typed, 'opensOn')), closesOn: dateErrorTarget('closesOn', dateInputValues(typed, 'closesOn')) }}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">360° diagnostic</h1>
          <h2 class="govuk-heading-l">Cohorts’ rounds</h2>
          <Table
            head={[{ text: 'Cohort' }, { text: 'Round' }, { text: 'Opens' }, { text: 'Closes' }]}
            rows={windows.map((w) => [{ html: `<a class="govuk-link" href="/admin/diagnostic/cohorts/${escapeHtml(w.cohort)}">${escapeHtml(w.cohort)}</a>` }, { text: w.window.kind }, { text: formatDate(w.window.opensOn) }, { text: formatDate(w.window.closesOn) }])}
          />
          <form method="post" action="/admin/diagnostic/windows" novalidate>
            <Csrf ctx={ctx} />
            <h3 class="govuk-heading-m">Set a cohort’s dates</h3>
            <p class="govuk-body">A later closing date extends every round of the cohort that has not closed. Closed rounds stay closed: their reports may have been read.</p>
            <Select id="cohort" name="cohort" label={{ text: 'Cohort' }} value={one(typed?.cohort)} errorMessage={err('cohort')} items={cohortList.map((c) => ({ value: c.identifier, text: c.identifier }))} />
            <Radios idPrefix="kind" name="kind" classes="govuk-radios--inline" fieldset={{ legend: { text: 'Round', classes: 'govuk-fieldset__legend--s' } }} value={one(typed?.kind)} errorMessage={err('kind')} items={[{ value: 'start', text: 'Start' }, { value: 'end', text: 'End' }]} />
            <DateField name="opensOn" legend="Opens on" hint="For example, 18 1 2027" values={typed} error={errors?.opensOn} />
            <DateField name="closesOn" legend="Closes on" hint="For example, 12 2 2027" values={typed} error={errors?.closesOn} />
            <Button text="Save the dates" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-l">Anonymity and raters</h2>
          <p class="govuk-body" id="settings-apply">Changes to the threshold and named groups apply to rounds not yet open. A round keeps the threshold and named groups it opened with, as its raters were promised when they were asked.</p>
          <form method="post" action="/admin/diagnostic/settings" novalidate>
            <Csrf ctx={ctx} />
            <Input id="threshold" name="threshold" classes="govuk-input--width-3" inputmode="numeric" label={{ text: 'Fewest answers before a group’s scores are shown' }} hint={{ text: '3 is usual. Smaller groups are shown together as “Other colleagues”.' }} value={one(typed?.threshold) || String(settings.threshold)} errorMessage={err('threshold')} />
            <Checkboxes idPrefix="namedGroups" name="namedGroups" fieldset={{ legend: { text: 'Named groups (raters are told their answers are not anonymous)', classes: 'govuk-fieldset__legend--s' } }} values={typed ? [typed.namedGroups ?? []].flat() : settings.namedGroups} items={[{ value: 'line_manager', text: 'Line managers' }]} />
            <Table
              caption="How many raters a participant asks, per group"
              captionClasses="govuk-table__caption--s"
              head={[{ text: 'Group' }, { text: 'Fewest' }, { text: 'Most' }]}
              rows={COLLEAGUE_GROUPS.map((g) => [
                { text: GROUP_LABELS[g] },
                { html: `<label class="govuk-visually-hidden" for="min-${g}">Fewest ${escapeHtml(GROUP_LABELS[g].toLowerCase())}</label><input class="govuk-input govuk-input--width-3${errors?.[`limit-${g}`] ? ' govuk-input--error' : ''}" id="min-${g}" name="min-${g}" inputmode="numeric" value="${escapeHtml(one(typed?.[`min-${g}`]) || String(settings.groupLimits[g].min))}">` },
                { html: `<label class="govuk-visually-hidden" for="max-${g}">Most ${escapeHtml(GROUP_LABELS[g].toLowerCase())}</label><input class="govuk-input govuk-input--width-3${errors?.[`limit-${g}`] ? ' govuk-input--error' : ''}" id="max-${g}" name="max-${g}" inputmode="numeric" value="${escapeHtml(one(typed?.[`max-${g}`]) || String(settings.groupLimits[g].max))}">` },
              ])}
            />
            <Button text="Save anonymity and raters" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-l">The instrument (version {current.version})</h2>
          <p class="govuk-body">
            {current.content.behaviours.length} behaviours, {current.content.behaviours.reduce((n, b) => n + b.statements.length, 0)} statements. <a class="govuk-link" href="/admin/diagnostic/instrument">Edit the behaviours and statements</a>
          </p>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get('/admin/diagnostic', guard, async (req, reply) => mainPage(req, reply));

  const handle = async (req: FastifyRequest, reply: FastifyReply, run: () => Promise<unknown>, flash: string, back = '/admin/diagnostic', page = mainPage) => {
    try {
      await run();
      reply.flash(flash);
      return reply.redirect(back, 303);
    } catch (err) {
      if (err instanceof ValidationError) return page(req, reply, err.fieldErrors, (req.body ?? {}) as Body);
      throw err;
    }
  };

  app.post('/admin/diagnostic/windows', guard, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const typed = readDateFields(b, { opensOn: { label: 'the date it opens' }, closesOn: { label: 'the date it closes' } });
    if (Object.keys(typed.errors).length) return mainPage(req, reply, typed.errors, b);
    return handle(req, reply, () => diagnostic.setWindow(req.actor, { cohort: one(b.cohort), kind: one(b.kind), opensOn: typed.dates.opensOn ?? '', closesOn: typed.dates.closesOn ?? '' }), `The ${one(b.kind)} round of ${one(b.cohort)} is set.`);
  });

  app.post('/admin/diagnostic/settings', { ...guard, config: { repeatable: ['namedGroups'] } }, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const limits = Object.fromEntries(COLLEAGUE_GROUPS.map((g) => [g, { min: Number(one(b[`min-${g}`])), max: Number(one(b[`max-${g}`])) }])) as Settings['groupLimits'];
    const named = [b.namedGroups ?? []].flat().filter((g): g is ColleagueGroup => (COLLEAGUE_GROUPS as readonly string[]).includes(g));
    return handle(req, reply, () => diagnostic.saveSettings(req.actor, { threshold: Number(one(b.threshold)), namedGroups: named, groupLimits: limits }), 'Anonymity and rater settings saved. The threshold and named groups apply to rounds not yet open.');
  });

  const instrumentPage = async (_req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const current = await diagnostic.instrument();
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Edit the 360° instrument" errors={errors}>
          <h1 class="govuk-heading-xl">Edit the 360° instrument</h1>
          <p class="govuk-body">Saving makes version {current.version + 1}. Rounds already begun keep the version they began with, so no rater’s questions change under them.</p>
          <form method="post" action="/admin/diagnostic/instrument" novalidate>
            <Csrf ctx={ctx} />
            <Textarea id="instrument" name="instrument" rows={30} label={{ text: 'Behaviours, statements, scale and questions', classes: 'govuk-label--s' }} hint={{ text: 'A line “# Name | description” starts a behaviour; each “- text | the participant’s own wording” below it is a statement raters score (the own wording, optional, speaks to the participant on their self-rating: “You …”). “= 1 | Rarely” lines are the scale, “~ …” the words for not able to say, and “? question | own wording” lines the open questions.' }} value={one(typed?.instrument) || instrumentToLines(current.content)} errorMessage={errors?.instrument ? { text: errors.instrument } : undefined} />
            <Button text="Save as a new version" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };
  app.get('/admin/diagnostic/instrument', guard, async (req, reply) => instrumentPage(req, reply));
  app.post('/admin/diagnostic/instrument', guard, async (req, reply) => {
    const text = one(((req.body ?? {}) as Body).instrument);
    const current = await diagnostic.instrument();
    const parsed = instrumentFromLines(text, current.content);
    if (!parsed.instrument) return instrumentPage(req, reply, { instrument: parsed.error! }, (req.body ?? {}) as Body);
    return handle(req, reply, () => diagnostic.saveInstrument(req.actor, parsed.instrument), 'The instrument is saved as a new version.', '/admin/diagnostic', instrumentPage);
  });

  app.get('/admin/diagnostic/cohorts', { preHandler: requireAbility((actor) => diagnosticAbilities(actor).viewCohorts) }, async (req, reply) => {
    const windows = await diagnostic.windows(req.actor);
    const cohortsWithRounds = [...new Set(windows.map((w) => w.cohort))];
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="360° diagnostic by cohort">
        <h1 class="govuk-heading-xl">360° diagnostic by cohort</h1>
        {cohortsWithRounds.length ? (
          <ul class="govuk-list">
            {cohortsWithRounds.map((c) => (
              <li>
                <a class="govuk-link" href={`/admin/diagnostic/cohorts/${encodeURIComponent(c)}`}>
                  Cohort {c}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p class="govuk-body">No cohort has 360° dates yet.</p>
        )}
      </Layout>
    ));
  });

  // ── A cohort: who has started, response rates, and each round's dates ──
  /** The cohort's page; a refused change to one round comes back as an error against that round's date field. */
  const cohortPage = async (req: FastifyRequest, reply: FastifyReply, cohort: string, errors?: FieldErrors, typed?: { roundId: string; body: Body }) => {
    const view = await diagnostic.cohortView(req.actor, cohort);
    const rows = view.rounds;
    const params = { cohort };
    const spread = (d: { n: number; mean: number | null; min: number | null; max: number | null }) => (d.mean === null ? (d.n ? `Not shown: fewer than ${view.minimum}` : '–') : `${d.mean.toFixed(1)} (${d.min!.toFixed(1)} to ${d.max!.toFixed(1)})`);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`360° diagnostic: cohort ${params.cohort}`} errors={errors} errorTargets={typed ? { [`closes-${typed.roundId}`]: dateErrorTarget(`closes-${typed.roundId}`, dateInputValues(typed.body, 'closesOn')) } : undefined}>
        <Flash ctx={ctx} />
        <span class="govuk-caption-l">360° diagnostic</span>
        <h1 class="govuk-heading-xl">Cohort {params.cohort}</h1>
        <p class="govuk-body">
          <a class="govuk-link" href={`/admin/diagnostic/cohorts/${encodeURIComponent(params.cohort)}/export.csv`}>
            Download the distributions as CSV
          </a>
        </p>
        <p class="govuk-body" id="response-rate">
          Colleagues asked: {view.asked}; answered: {view.answered} ({view.asked ? Math.round((100 * view.answered) / view.asked) : 0}%)
          {view.roundsBelowThreshold ? `, not counting ${view.roundsBelowThreshold === 1 ? '1 round' : `${view.roundsBelowThreshold} rounds`} where fewer than the threshold have answered` : ''}. Not yet started: {view.notStarted.length ? view.notStarted.join(', ') : 'nobody'}.
        </p>
          <Table
            caption={`Colleagues’ scores across the cohort, per behaviour (closed rounds only, each participant’s through the anonymity rule; shown across at least ${view.minimum} participants)`}
            captionClasses="govuk-table__caption--m"
            head={[{ text: 'Behaviour' }, { text: 'Start: participants', format: 'numeric' }, { text: 'Start: average (range)', format: 'numeric' }, { text: 'End: participants', format: 'numeric' }, { text: 'End: average (range)', format: 'numeric' }]}
            rows={view.behaviours.map((b) => [{ text: b.name }, { text: String(b.start.n), format: 'numeric' }, { text: spread(b.start), format: 'numeric' }, { text: String(b.end.n), format: 'numeric' }, { text: spread(b.end), format: 'numeric' }])}
          />
          <Table
            caption="Rounds"
            captionClasses="govuk-table__caption--m"
            head={[{ text: 'Participant' }, { text: 'Round' }, { text: 'Status' }, { text: 'Self' }, { text: 'Answered', format: 'numeric' }, { text: 'Closes' }, { text: 'Change' }]}
            rows={rows.map((r) => [
              { text: r.fullName },
              { text: KIND_LABELS[r.round.kind] ?? r.round.kind },
              { text: r.round.closedEarlyOn ? `Closed early on ${formatDate(r.round.closedEarlyOn)}` : (STATE_TAGS[r.state]?.text ?? r.state) },
              { text: r.round.selfSubmitted ? 'Sent' : 'Not yet' },
              // The same as the participant sees: a number only once at least the threshold have answered.
              { text: `${r.answered === null ? `Fewer than ${r.threshold}` : r.answered} of ${r.asked}`, format: 'numeric' },
              { text: formatDate(r.round.closesOn) },
              {
                html: !abilitiesFor(ctx.actor, { participantUserId: null, state: r.state, selfSubmitted: r.round.selfSubmitted }).extend
                    ? ''
                    : `<form method="post" action="/admin/diagnostic/rounds/${r.round.id}/extend" class="app-inline-form"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrfToken)}"><input type="hidden" name="cohort" value="${escapeHtml(params.cohort)}">${render(<DateField name="closesOn" id={`closes-${r.round.id}`} legend={`New closing date for ${r.fullName}`} legendClasses="govuk-!-font-size-16" values={typed?.roundId === r.round.id ? typed.body : undefined} error={errors?.[`closes-${r.round.id}`]} />)} <button class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Extend</button></form><a href="/admin/diagnostic/rounds/${r.round.id}/close?cohort=${encodeURIComponent(params.cohort)}" role="button" draggable="false" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" data-module="govuk-button">Close now<span class="govuk-visually-hidden"> for ${escapeHtml(r.fullName)}</span></a>`,
              },
            ])}
          />
      </Layout>
    ), errors ? 422 : 200);
  };

  app.get<{ Params: { cohort: string } }>('/admin/diagnostic/cohorts/:cohort', { preHandler: requireAbility((actor) => diagnosticAbilities(actor).viewCohorts) }, async (req, reply) => cohortPage(req, reply, req.params.cohort));

  app.get<{ Params: { cohort: string } }>('/admin/diagnostic/cohorts/:cohort/export.csv', { preHandler: requireAbility((actor) => diagnosticAbilities(actor).viewCohorts) }, async (req, reply) => {
    const view = await diagnostic.cohortView(req.actor, req.params.cohort);
    // Figures held back for too few participants are empty cells, as on the page.
    const rows: (string | number | null)[][] = [
      ['behaviour', 'start_participants', 'start_mean', 'start_min', 'start_max', 'end_participants', 'end_mean', 'end_min', 'end_max'],
      ...view.behaviours.map((b) => [b.name, b.start.n, b.start.mean, b.start.min, b.start.max, b.end.n, b.end.mean, b.end.min, b.end.max]),
    ];
    return sendCsv(reply, `360-cohort-${req.params.cohort}`, rows);
  });

  const roundAction = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, run: () => Promise<void>, flash: string) => {
    const cohort = one(((req.body ?? {}) as Body).cohort);
    const back = `/admin/diagnostic/cohorts/${encodeURIComponent(cohort)}`;
    try {
      await run();
      reply.flash(flash);
      return reply.redirect(back, 303);
    } catch (err) {
      if (!(err instanceof ValidationError || (err instanceof AppError && err.status === 422))) throw err;
      const message = err instanceof ValidationError ? Object.values(err.fieldErrors).join('. ') : err.message;
      return cohortPage(req, reply, cohort, { [`closes-${req.params.id}`]: message }, { roundId: req.params.id, body: (req.body ?? {}) as Body });
    }
  };
  app.post<{ Params: { id: string } }>('/admin/diagnostic/rounds/:id/extend', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    return roundAction(
      req,
      reply,
      async () => {
        const typed = readDateFields(req.body, { closesOn: { label: 'the new closing date' } });
        if (typed.errors.closesOn) throw new ValidationError(typed.errors);
        await diagnostic.extendRound(req.actor, req.params.id, typed.dates.closesOn ?? '');
      },
      'The round is extended.',
    );
  });

  // Closing early cannot be undone (the report opens and no one else can answer): a page says so first.
  app.get<{ Params: { id: string } }>('/admin/diagnostic/rounds/:id/close', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { round, fullName, cohort, state } = await diagnostic.roundForManager(req.actor, req.params.id);
    const back = `/admin/diagnostic/cohorts/${encodeURIComponent(cohort)}`;
    if (state === 'closed') return reply.redirect(back, 303);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Close ${fullName}’s round now?`}>
        <span class="govuk-caption-l">360° diagnostic: cohort {cohort}</span>
        <h1 class="govuk-heading-xl">Close {fullName}’s {round.kind} round now?</h1>
        <p class="govuk-body">It is due to close on {formatDate(round.closesOn)}. If you close it now:</p>
        <ul class="govuk-list govuk-list--bullet">
          <li>colleagues who have not answered can no longer answer, and their links stop working</li>
          <li>{fullName} can no longer rate themself or ask anyone else</li>
          <li>{fullName} can read their report straight away</li>
        </ul>
        <WarningText text="You cannot undo this: a closed round cannot be reopened or extended." />
        <form method="post" action={`/admin/diagnostic/rounds/${round.id}/close`} novalidate>
          <Csrf ctx={ctx} />
          <input type="hidden" name="cohort" value={cohort} />
          <input type="hidden" name="confirm" value="yes" />
          <div class="govuk-button-group">
            <Button text="Close the round now" classes="govuk-button--warning" preventDoubleClick />
            <a class="govuk-link" href={back}>
              Cancel
            </a>
          </div>
        </form>
      </Layout>
    ));
  });
  app.post<{ Params: { id: string } }>('/admin/diagnostic/rounds/:id/close', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    // Only from the confirmation page: anything else is taken there first.
    if (one(((req.body ?? {}) as Body).confirm) !== 'yes') return reply.redirect(`/admin/diagnostic/rounds/${req.params.id}/close`, 303);
    return roundAction(req, reply, () => diagnostic.closeRoundNow(req.actor, req.params.id), 'The round is closed: the participant can read their report.');
  });
}
