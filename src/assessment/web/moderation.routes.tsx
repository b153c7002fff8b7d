import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { Csrf } from '../../platform/csrf';
import { type FieldErrors, ValidationError } from '../../platform/errors';
import { sendDownload } from '../../platform/file-download';
import { Flash } from '../../platform/flash';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { Button, Details, Input, InsetText, Pagination, Radios, Select, SummaryList, Table, Textarea, WarningText } from '../../ui/govuk';
import type { AssessmentService } from '../assessment.service';
import { isCandidateNumber } from '../domain/allocation';
import { managesAssessment, moderatesScripts } from '../domain/assessment.policy';
import { MARK_COMMENT_MAX } from '../domain/mark-scheme';
import { SAMPLE_REASON_TEXT, SAMPLE_RULE_LIMITS, type SampleReason, type SampleRules } from '../domain/moderation';
import type { ModeratedScript, ModerationFilter, ModerationStage } from '../marking/moderation';
import type { Marking } from '../marking/scripts';
import { outOf } from '../domain/mark-scheme';
import { formValues, MarkForm, scriptRows, MarksTable, ScriptText } from './mark-form';
import { refusedTo } from './refused';

type Body = Record<string, unknown>;
const PER_PAGE = 50;
const SHOW = { open: 'Being moderated', waiting: 'Waiting for a moderator', third: 'With a third marker', done: 'Decided' } as const;
const STAGE_TEXT: Record<ModerationStage, string> = {
  second: 'Mark it (blind)',
  decide: 'Compare and decide',
  sent_back: 'Sent back to its assessor',
  with_third: 'With a third marker',
  third: 'Third-mark it (blind)',
  done: 'Decided',
};
const STATUS_TEXT: Record<string, string> = {
  second_marking: 'Second marking',
  to_decide: 'Moderator to decide',
  sent_back: 'Sent back to the assessor',
  third_marking: 'Third marking',
  agreed: 'Agreed',
  adjusted: 'Adjusted',
  third_marked: 'Decided by a third marker',
};
const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const signed = (x: number | null) => (x === null ? '–' : `${x > 0 ? '+' : ''}${x.toFixed(1)}`);
// Kappa is null where it cannot be worked out (agreementOf): said in words, as a dash or a number would read as a result.
const KAPPA_UNKNOWN = 'Not enough to work out';
const kappaText = (x: number | null) => (x === null ? KAPPA_UNKNOWN : x.toFixed(2));
const totalText = (m: Marking | null) => (m && m.status === 'submitted' ? `${m.total} (${m.result})` : '–');

/** Why a script was sampled — but not to whoever is still to mark it: "every fail" or "borderline" would tell them the first result. */
const whySampled = (m: Pick<ModeratedScript, 'stage' | 'reason'>) => (m.stage === 'second' || m.stage === 'third' ? 'Shown once your marks are in' : (SAMPLE_REASON_TEXT[m.reason as SampleReason] ?? m.reason));

/**
 * Moderation (issue 12 item 5): the moderator's scripts (`/moderation`) and each script's page
 * (`/moderation/:candidate`: second-mark blind, then see both and agree, adjust or send back; third-mark
 * blind where the totals differ beyond the tolerance); the provider admin's page
 * (`/assessment/moderation`: the rules, drawing the sample, the sample filtered and paged, its CSV for
 * DfE's national moderation) and agreement statistics (`/assessment/moderation/agreement`, and CSV).
 */
export async function moderationRoutes(app: FastifyInstance, opts: { assessment: AssessmentService }) {
  const { assessment } = opts;
  const moderator = { preHandler: requireAbility(moderatesScripts) };
  const admin = { preHandler: requireAbility(managesAssessment) };
  type Params = { candidate: string };

  app.get('/moderation', moderator, async (req, reply) => {
    const scripts = await assessment.myModeration(req.actor);
    const toAct = scripts.filter((s) => s.stage === 'second' || s.stage === 'decide' || s.stage === 'third').length;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your scripts to moderate">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Your scripts to moderate</h1>
        <p class="govuk-body">Each script is known only by its candidate number. Mark it first without seeing the assessor’s marks; then you see both, and agree, adjust the marks to yours, or send it back to the assessor.</p>
        <p class="govuk-body" role="status">{scripts.length ? `${toAct.toLocaleString('en-GB')} of ${scripts.length.toLocaleString('en-GB')} waiting for you` : 'No scripts are sampled for you yet. The provider draws the sample once scripts are marked.'}</p>
        {scripts.length ? (
          <Table
            caption="Sampled scripts given to you, those to act on first"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Candidate' }, { text: 'NPQ and task' }, { text: 'Why sampled' }, { text: 'Next' }]}
            rows={scripts.map((s) => [{ html: `<a class="govuk-link app-nowrap" href="/moderation/${s.script.candidateNumber}">${s.script.candidateNumber}</a>` }, { text: `${s.script.qualification}, ${s.script.task.title}` }, { text: whySampled(s) }, { text: STAGE_TEXT[s.stage] }])}
          />
        ) : null}
      </Layout>
    ));
  });

  const scriptPage = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const m = await assessment.moderationScript(req.actor, req.params.candidate);
    const text = await assessment.moderationScriptText(req.actor, req.params.candidate);
    const s = m.script;
    const scheme = s.task.markScheme;
    const mine = m.stage === 'third' ? m.third : m.second;
    const values = typed ?? formValues(scheme, mine?.marks, mine?.overallComment);
    const cn = s.candidateNumber;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Moderate ${cn}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/moderation">
            Your scripts to moderate
          </a>
          <span class="govuk-caption-l">{`${s.qualification}, ${s.task.title}`}</span>
          <h1 class="govuk-heading-xl">{`Candidate ${cn}`}</h1>
          <SummaryList
            rows={[
              ...scriptRows(s, '/moderation'),
              { key: { text: 'Why sampled' }, value: { text: whySampled(m) } },
              { key: { text: 'Now' }, value: { text: STAGE_TEXT[m.stage] } },
            ]}
          />
          <ScriptText blocks={text} />
          <InsetText text={`A pass needs ${scheme.passMark} of ${outOf(scheme)} marks in all, and at least ${scheme.criteria[0]!.passFrom} on every criterion. Totals more than ${m.tolerance} mark${m.tolerance === 1 ? '' : 's'} apart go to a third marker.`} />
          {m.stage === 'second' || m.stage === 'third' ? (
            <>
              <p class="govuk-body">{m.stage === 'second' ? 'Mark the script as if you were its first marker: the assessor’s marks are shown once yours are submitted.' : 'The assessor and the moderator differ by more than the tolerance. Mark the script without seeing their marks: yours will stand.'}</p>
              <MarkForm ctx={ctx} scheme={scheme} action={`/moderation/${cn}`} values={values} errors={errors} />
            </>
          ) : (
            <>
              {m.first ? <MarksTable scheme={scheme} marking={m.first} caption="The assessor’s marks" /> : null}
              {m.second ? <MarksTable scheme={scheme} marking={m.second} caption={m.stage === 'done' && m.third ? 'The moderator’s marks' : m.secondByAnother ? 'The first moderator’s marks' : 'Your marks'} /> : null}
              {m.third && m.stage === 'done' ? <MarksTable scheme={scheme} marking={m.third} caption="The third marker’s marks" /> : null}
              {m.stage === 'sent_back' ? <WarningText text={`You sent this script back to its assessor: ${m.sentBackNote ?? ''} It comes back to you when they have marked it again.`} /> : null}
              {m.stage === 'with_third' ? <InsetText text="The totals differ by more than the tolerance: a third marker is marking it. Their marks will stand." /> : null}
              {m.final ? <InsetText text={`Final: ${m.final.total} of ${outOf(scheme)}, ${m.final.result}.`} /> : null}
              {m.stage === 'decide' ? <DecisionForm ctx={ctx} m={m} errors={errors} typed={typed} /> : null}
            </>
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: Params }>('/moderation/:candidate', moderator, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    return scriptPage(req, reply);
  });

  app.post<{ Params: Params }>('/moderation/:candidate', moderator, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const submit = one(body.action) === 'submit';
    let saved: Awaited<ReturnType<AssessmentService['saveModerationMarking']>>;
    try {
      saved = await assessment.saveModerationMarking(req.actor, req.params.candidate, body, submit);
    } catch (err) {
      if (err instanceof ValidationError) return scriptPage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, `/moderation/${req.params.candidate}`);
    }
    const cn = req.params.candidate;
    if (!submit) reply.flash(`Your draft marks for ${cn} are saved. Submit them when you have finished.`);
    else if (saved.next === 'to_decide') reply.flash(`Your marks for ${cn} are submitted: ${saved.total} marks. Compare them with the assessor’s below, and decide.`);
    else if (saved.next === 'third_marking') reply.flash(`Your marks for ${cn} are submitted: ${saved.total} marks. They differ from the assessor’s by more than the tolerance, so a third marker will decide.`);
    else reply.flash(`Your marks for ${cn} are submitted: ${saved.total} marks, a ${saved.result}. They stand as the final marks.`);
    return reply.redirect(`/moderation/${cn}`, 303);
  });

  app.get<{ Params: Params }>('/moderation/:candidate/script', moderator, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    return sendDownload(reply, await assessment.moderationScriptFile(req.actor, req.params.candidate));
  });

  app.post<{ Params: Params }>('/moderation/:candidate/decision', moderator, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    let done: Awaited<ReturnType<AssessmentService['decideModeration']>>;
    try {
      done = await assessment.decideModeration(req.actor, req.params.candidate, body);
    } catch (err) {
      if (err instanceof ValidationError) return scriptPage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, `/moderation/${req.params.candidate}`);
    }
    const cn = req.params.candidate;
    reply.flash(done.final ? `${cn} is decided: ${done.final.total} marks, a ${done.final.result}.` : `${cn} is sent back to its assessor with your note.`);
    return reply.redirect('/moderation', 303);
  });

  // ——— The provider admin's side ———

  const filterOf = (q: Body): ModerationFilter => ({ show: Object.hasOwn(SHOW, one(q.show)) ? (one(q.show) as ModerationFilter['show']) : undefined, q: one(q.q).slice(0, 100) || undefined });

  const adminPage = async (req: FastifyRequest<{ Querystring: Body }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const filter = filterOf(req.query ?? {});
    const list = await assessment.moderationList(req.actor, filter, { page: pageNumber(req.query?.page), perPage: PER_PAGE });
    const filtered = Boolean(filter.show || filter.q);
    const rules = list.rules;
    const v = (k: keyof SampleRules) => (typed ? one(typed[k]) : String(rules[k] === true ? 'yes' : rules[k] === false ? 'no' : rules[k]));
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Moderation" errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/assessment/allocation">
            Allocate scripts for marking
          </a>
          <h1 class="govuk-heading-xl">Moderation</h1>
          <p class="govuk-body">A sample of the marked scripts is second-marked by a moderator, blind to the first marks. The moderator then agrees, adjusts the marks to theirs, or sends the script back to its assessor. Totals further apart than the tolerance go to a third marker, whose marks stand. Scripts left out of the sample keep their first marks.</p>
          <p class="govuk-body">
            <a class="govuk-link" href="/assessment/moderation/agreement">
              Agreement between assessors and moderation
            </a>
          </p>
          {list.moderators ? null : <WarningText text="No one holds the moderator role yet. Give the role to someone under Users: sampled scripts wait until there is a moderator free to take them." />}
          <form method="post" action="/assessment/moderation/draw">
            <Csrf ctx={ctx} />
            <p class="govuk-body">{`${list.waitingToDraw.toLocaleString('en-GB')} marked script${list.waitingToDraw === 1 ? '' : 's'} not yet drawn on.`}</p>
            <Button text="Draw the sample" preventDoubleClick />
          </form>
          {list.waitingForModerator ? (
            <form method="post" action="/assessment/moderation/give-out">
              <Csrf ctx={ctx} />
              <p class="govuk-body">{`${list.waitingForModerator.toLocaleString('en-GB')} sampled script${list.waitingForModerator === 1 ? ' waits' : 's wait'} for a moderator: none was free of ties to ${list.waitingForModerator === 1 ? 'it' : 'them'}, or the moderator no longer holds the role.`}</p>
              <Button text="Give out waiting scripts" classes="govuk-button--secondary" preventDoubleClick />
            </form>
          ) : null}
          <Details summaryText="The rules the sample is drawn by" open={Boolean(errors)}>
            <form method="post" action="/assessment/moderation/rules" novalidate>
              <Csrf ctx={ctx} />
              <Radios name="everyFail" classes="govuk-radios--inline" fieldset={{ legend: { text: 'Every fail', classes: 'govuk-fieldset__legend--s' } }} value={v('everyFail')} items={[{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }]} />
              <Input id="borderlineWithin" name="borderlineWithin" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Borderline: within this many marks of the pass mark', classes: 'govuk-label--s' }} hint={{ text: `0 to ${SAMPLE_RULE_LIMITS.borderlineWithin}; 0 takes none.` }} value={v('borderlineWithin')} errorMessage={errors?.borderlineWithin ? { text: errors.borderlineWithin } : undefined} />
              <Input id="newAssessorFirst" name="newAssessorFirst" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'A new assessor’s first scripts', classes: 'govuk-label--s' }} hint={{ text: `0 to ${SAMPLE_RULE_LIMITS.newAssessorFirst}.` }} value={v('newAssessorFirst')} errorMessage={errors?.newAssessorFirst ? { text: errors.newAssessorFirst } : undefined} />
              <Input id="randomPercent" name="randomPercent" inputmode="numeric" classes="govuk-input--width-3" suffix={{ text: '%' }} label={{ text: 'A random share of the rest', classes: 'govuk-label--s' }} hint={{ text: '0 to 100, of every script the other rules leave, over all the draws: drawing often takes no more than drawing once.' }} value={v('randomPercent')} errorMessage={errors?.randomPercent ? { text: errors.randomPercent } : undefined} />
              <Radios name="atLeastOnePerAssessor" classes="govuk-radios--inline" fieldset={{ legend: { text: 'At least one script of every assessor', classes: 'govuk-fieldset__legend--s' } }} value={v('atLeastOnePerAssessor')} items={[{ value: 'yes', text: 'Yes' }, { value: 'no', text: 'No' }]} />
              <Input id="tolerance" name="tolerance" inputmode="numeric" classes="govuk-input--width-3" label={{ text: 'Tolerance: totals further apart than this go to a third marker', classes: 'govuk-label--s' }} hint={{ text: `0 to ${SAMPLE_RULE_LIMITS.tolerance} marks.` }} value={v('tolerance')} errorMessage={errors?.tolerance ? { text: errors.tolerance } : undefined} />
              <Button text="Save the rules" classes="govuk-button--secondary" />
            </form>
          </Details>
          <h2 class="govuk-heading-m">The sample</h2>
          <search>
            <form method="get" action="/assessment/moderation" class="app-filters">
              <Select id="show" name="show" label={{ text: 'Show' }} value={filter.show ?? ''} items={[{ value: '', text: 'Every sampled script' }, ...Object.entries(SHOW).map(([value, text]) => ({ value, text }))]} />
              <Input id="q" name="q" type="search" label={{ text: 'Participant’s name or candidate number' }} value={filter.q ?? ''} spellcheck={false} />
              <FilterButtons clearHref="/assessment/moderation" filtered={filtered} csvHref="/assessment/moderation/sample.csv" />
            </form>
          </search>
          <p class="govuk-body" role="status">{`${list.total.toLocaleString('en-GB')} sampled script${list.total === 1 ? '' : 's'}`}</p>
          {list.rows.length ? (
            <Table
              caption="Sampled scripts, those being moderated first"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Participant' }, { text: 'Intake and task' }, { text: 'Candidate' }, { text: 'Why sampled' }, { text: 'Assessor' }, { text: 'Moderator' }, { text: 'State' }, { text: 'First' }, { text: 'Second' }, { text: 'Final' }]}
              rows={list.rows.map((r) => [
                { text: r.participant },
                // A participant's two tasks can both be sampled: a newcomer could not tell their rows apart.
                { text: `${r.intake}, ${r.task.title}` },
                { html: `<span class="app-nowrap">${r.allocation?.candidateNumber ?? ''}</span>` },
                { text: SAMPLE_REASON_TEXT[r.moderation!.reason as SampleReason] ?? '' },
                { text: r.assessorName },
                { text: [r.moderatorName ?? 'Waiting for a moderator', r.thirdMarkerName ? `third: ${r.thirdMarkerName}` : r.moderation!.status === 'third_marking' ? 'third: waiting for a moderator' : ''].filter(Boolean).join('; ') },
                { text: STATUS_TEXT[r.moderation!.status ?? ''] ?? '' },
                { text: totalText(r.marking) },
                { text: totalText(r.second) },
                { text: r.moderation!.finalTotal !== null ? `${r.moderation!.finalTotal} (${r.moderation!.finalResult})` : '–' },
              ])}
            />
          ) : (
            <EmptyList things="sampled scripts" filtered={filtered} clearHref="/assessment/moderation" />
          )}
          {(() => {
            const pagination = paginationFor(list.page, Math.ceil(list.total / PER_PAGE), '/assessment/moderation', { show: filter.show, q: filter.q });
            return pagination ? <Pagination {...pagination} /> : null;
          })()}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Querystring: Body }>('/assessment/moderation', admin, async (req, reply) => adminPage(req, reply));

  app.post('/assessment/moderation/rules', admin, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    try {
      await assessment.setModerationRules(req.actor, body);
    } catch (err) {
      if (err instanceof ValidationError) return adminPage(Object.assign(req, { query: {} }) as unknown as FastifyRequest<{ Querystring: Body }>, reply, err.fieldErrors, body);
      throw err;
    }
    reply.flash('The moderation rules are saved. They apply to the next sample drawn.');
    return reply.redirect('/assessment/moderation', 303);
  });

  app.post('/assessment/moderation/draw', admin, async (req, reply) => {
    const done = await assessment.drawModerationSample(req.actor);
    if (!done.drawn) reply.flash('No marked scripts are waiting to be drawn on.', 'important');
    else
      reply.flash(
        `${done.drawn.toLocaleString('en-GB')} marked script${done.drawn === 1 ? '' : 's'} drawn on: ${done.sampled.toLocaleString('en-GB')} sampled for moderation; the rest keep their first marks.${done.withoutModerator ? ` ${done.withoutModerator.toLocaleString('en-GB')} wait for a moderator: none is free of ties to them.` : ''}`,
        done.withoutModerator ? 'important' : undefined,
      );
    return reply.redirect('/assessment/moderation', 303);
  });

  app.post('/assessment/moderation/give-out', admin, async (req, reply) => {
    const done = await assessment.giveOutWaitingScripts(req.actor);
    if (!done.given && !done.waiting) reply.flash('No sampled scripts are waiting for a moderator.', 'important');
    else reply.flash(`${done.given.toLocaleString('en-GB')} waiting script${done.given === 1 ? '' : 's'} given out.${done.waiting ? ` ${done.waiting.toLocaleString('en-GB')} still wait: no moderator is free of ties to them.` : ''}`, done.waiting ? 'important' : undefined);
    return reply.redirect('/assessment/moderation', 303);
  });

  app.get('/assessment/moderation/sample.csv', admin, async (req, reply) => {
    const list = await assessment.moderationList(req.actor, {}, { page: 1, perPage: 1_000_000 });
    return sendCsv(reply, 'moderation-sample', [
      ['participant_id', 'candidate_number', 'npq', 'task', 'intake', 'sampled_because', 'assessor', 'first_total', 'first_result', 'moderator', 'second_total', 'second_result', 'third_total', 'third_result', 'state', 'final_total', 'final_result', 'decided_at'],
      ...list.rows.map((r) => [
        r.participantId,
        r.allocation?.candidateNumber ?? '',
        r.qualification,
        r.task.title,
        r.intake,
        r.moderation!.reason ?? '',
        r.assessorName,
        r.marking?.status === 'submitted' ? r.marking.total : '',
        r.marking?.status === 'submitted' ? (r.marking.result ?? '') : '',
        r.moderatorName ?? '',
        r.second?.status === 'submitted' ? r.second.total : '',
        r.second?.status === 'submitted' ? (r.second.result ?? '') : '',
        r.third?.status === 'submitted' ? r.third.total : '',
        r.third?.status === 'submitted' ? (r.third.result ?? '') : '',
        r.moderation!.status ?? '',
        r.moderation!.finalTotal ?? '',
        r.moderation!.finalResult ?? '',
        r.moderation!.decidedAt?.toISOString() ?? '',
      ]),
    ]);
  });

  app.get('/assessment/moderation/agreement', admin, async (req, reply) => {
    const stats = await assessment.agreementStatistics(req.actor);
    const table = (caption: string, first: string, rows: typeof stats.byAssessor) => (
      <Table
        caption={caption}
        captionClasses="govuk-table__caption--m"
        head={[{ text: first }, { text: 'Scripts moderated', format: 'numeric' }, { text: 'Exact agreement', format: 'numeric' }, { text: 'Mean difference (marks)', format: 'numeric' }, { text: 'Kappa (pass or fail)', format: 'numeric' }]}
        rows={rows.map((r) => [{ text: r.label }, { text: String(r.scripts), format: 'numeric' as const }, { text: pct(r.exactAgreement), format: 'numeric' as const }, { text: signed(r.meanDifference), format: 'numeric' as const }, { text: kappaText(r.kappa), format: 'numeric' as const }])}
      />
    );
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Agreement between assessors and moderation">
        <a class="govuk-back-link" href="/assessment/moderation">
          Moderation
        </a>
        <h1 class="govuk-heading-xl">Agreement between assessors and moderation</h1>
        <p class="govuk-body">Over every sampled script decided: how often the final total was the assessor’s exactly, the mean of final minus first (negative: the assessor was generous), and Cohen’s kappa on pass or fail.</p>
        <Details summaryText="What kappa is, and when it cannot be worked out">
          <p class="govuk-body">Cohen’s kappa compares the assessor’s result, pass or fail, with the final one, and says how much more often they agree than chance would, given how many each passed. 1 is full agreement, 0 is no better than chance, and below 0 is worse than chance.</p>
          <p class="govuk-body">{`It cannot be worked out when the assessor and the final marks both gave every script the same result (all passes, or all fails): chance alone would then agree every time. It shows “${KAPPA_UNKNOWN}”; read exact agreement instead.`}</p>
          <p class="govuk-body">When only one of them gave every script the same result, kappa is 0 however often they agreed. Over a few scripts it swings widely.</p>
        </Details>
        {stats.overall.scripts ? (
          <>
            <SummaryList
              rows={[
                { key: { text: 'Scripts moderated' }, value: { text: String(stats.overall.scripts) } },
                { key: { text: 'Exact agreement' }, value: { text: pct(stats.overall.exactAgreement) } },
                { key: { text: 'Mean difference' }, value: { text: `${signed(stats.overall.meanDifference)} marks` } },
                { key: { text: 'Kappa on pass or fail' }, value: { text: kappaText(stats.overall.kappa) } },
              ]}
            />
            {table('By assessor', 'Assessor', stats.byAssessor)}
            {table('By intake', 'Intake', stats.byIntake)}
            <p class="govuk-body">
              <a class="govuk-link" href="/assessment/moderation/agreement.csv">
                Download as CSV
              </a>
            </p>
          </>
        ) : (
          <p class="govuk-body">No sampled script is decided yet.</p>
        )}
      </Layout>
    ));
  });

  app.get('/assessment/moderation/agreement.csv', admin, async (req, reply) => {
    const stats = await assessment.agreementStatistics(req.actor);
    // Numbers, not text: a negative difference or kappa stays a number in a spreadsheet.
    const round = (x: number | null, places: number) => (x === null ? '' : Number(x.toFixed(places)));
    const line = (group: string, r: { label: string; scripts: number; exactAgreement: number | null; meanDifference: number | null; kappa: number | null }) => [group, r.label, r.scripts, round(r.exactAgreement, 3), round(r.meanDifference, 2), round(r.kappa, 3)];
    return sendCsv(reply, 'moderation-agreement', [['group', 'name', 'scripts', 'exact_agreement', 'mean_difference', 'kappa_pass_fail'], line('overall', { label: 'All', ...stats.overall }), ...stats.byAssessor.map((r) => line('assessor', r)), ...stats.byIntake.map((r) => line('intake', r))]);
  });
}

/** The moderator's decision, once both markings are in: agree, adjust to theirs, or send back with a note. */
function DecisionForm(p: { ctx: PageContext; m: ModeratedScript; errors: FieldErrors | undefined; typed: Body | undefined }) {
  const first = p.m.first!;
  const second = p.m.second!;
  // Given to decide after its moderator left the role: the second marks are theirs, not this moderator's.
  const whose = p.m.secondByAnother ? { gave: 'the first moderator gave', stands: 'the first moderator’s' } : { gave: 'you gave', stands: 'your' };
  return (
    <form method="post" action={`/moderation/${p.m.script.candidateNumber}/decision`} novalidate>
      <Csrf ctx={p.ctx} />
      <Radios
        name="decision"
        fieldset={{ legend: { text: 'Your decision', classes: 'govuk-fieldset__legend--m' } }}
        hint={{ text: `The assessor gave ${first.total} (${first.result}); ${whose.gave} ${second.total} (${second.result}).` }}
        value={one(p.typed?.decision)}
        errorMessage={p.errors?.decision ? { text: p.errors.decision } : undefined}
        items={[
          { value: 'agree', text: `Agree: the assessor’s ${first.total} (${first.result}) stands` },
          { value: 'adjust', text: `Adjust: ${whose.stands} ${second.total} (${second.result}) stands` },
          { value: 'send_back', text: 'Send it back to the assessor to mark again' },
        ]}
      />
      <Textarea id="note" name="note" rows={3} label={{ text: 'Note to the assessor (needed to send it back)', classes: 'govuk-label--s' }} hint={{ text: `What to look at again. Up to ${MARK_COMMENT_MAX.toLocaleString('en-GB')} characters. The assessor does not see your marks.` }} value={one(p.typed?.note)} errorMessage={p.errors?.note ? { text: p.errors.note } : undefined} />
      <Button text="Save the decision" preventDoubleClick />
    </form>
  );
}

