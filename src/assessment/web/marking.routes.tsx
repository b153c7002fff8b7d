import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { renderToString } from 'preact-render-to-string';
import { z } from 'zod';
import { pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, NotFoundError, ValidationError } from '../../platform/errors';
import { sendDownload } from '../../platform/file-download';
import { Flash } from '../../platform/flash';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { Button, Details, InsetText, Pagination, Select, SummaryList, Table, Tag, WarningText, Input } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import type { AssessmentService } from '../assessment.service';
import { isCandidateNumber } from '../domain/allocation';
import { managesAssessment, marksScripts } from '../domain/assessment.policy';
import type { AllocationFilter } from '../marking/marking';
import { outOf } from '../domain/mark-scheme';
import { formValues, MarkForm, scriptRows, MarksTable, markingText, ScriptText } from './mark-form';
import { refusedTo } from './refused';

type Body = Record<string, unknown>;
const uuid = z.uuid();
const TASK = /^[a-z0-9-]{1,40}$/;
const PER_PAGE = 50;
const SHOW = { unallocated: 'Not allocated', allocated: 'Allocated, not marked', marked: 'Marked' } as const;

/** One script's allocation, as a form in its row: the assessors to choose from, and a button saying whose script it is. */
function AllocateForm(p: { ctx: PageContext; row: { submission: { id: string }; participant: string; allocation: unknown }; assessors: readonly { userId: string; name: string }[]; back: string; error: string | undefined; chosen: string | undefined }) {
  const id = `assessor-${p.row.submission.id}`;
  return (
    <form method="post" action={`/assessment/allocation/${p.row.submission.id}`}>
      <Csrf ctx={p.ctx} />
      <input type="hidden" name="back" value={p.back} />
      <Select id={id} name="assessor" label={{ text: `Assessor for ${p.row.participant}`, classes: 'govuk-visually-hidden' }} value={p.chosen ?? ''} errorMessage={p.error ? { text: p.error } : undefined} items={[{ value: '', text: p.row.allocation ? 'Keep as it is' : 'Choose an assessor' }, ...p.assessors.map((a) => ({ value: a.userId, text: a.name }))]} formGroup={{ classes: 'govuk-!-margin-bottom-2' }} />
      <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">
        {p.row.allocation ? 'Move' : 'Allocate'}
        <span class="govuk-visually-hidden">{` the script of ${p.row.participant}`}</span>
      </button>
    </form>
  );
}

/**
 * Marking (issue 12 item 4): the assessor's scripts (`/marking`) and the mark form per script
 * (`/marking/:candidate`), blind — a candidate number, never a name, school or partner; and the
 * provider admin's allocation (`/assessment/allocation`: by hand per script, or evenly, never to an
 * assessor with a conflict; filtered, paged, CSV). Every page works without JavaScript.
 */
export async function markingRoutes(app: FastifyInstance, opts: { assessment: AssessmentService }) {
  const { assessment } = opts;
  const assessor = { preHandler: requireAbility(marksScripts) };
  const admin = { preHandler: requireAbility(managesAssessment) };
  type Params = { candidate: string };

  app.get('/marking', assessor, async (req, reply) => {
    const scripts = await assessment.myScripts(req.actor);
    const toMark = scripts.filter((s) => s.marking?.status !== 'submitted').length;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your scripts to mark">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Your scripts to mark</h1>
        <p class="govuk-body">Each script is known only by its candidate number: you are not told whose it is, their school or their delivery partner. If a script names its writer or their school, mark it as it stands and tell the provider.</p>
        <p class="govuk-body" role="status">{scripts.length ? `${toMark.toLocaleString('en-GB')} of ${scripts.length.toLocaleString('en-GB')} still to mark` : 'No scripts are allocated to you yet. The provider allocates them after accounts are due.'}</p>
        {scripts.length ? (
          <Table
            caption="Scripts allocated to you, those to mark first"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Candidate' }, { text: 'NPQ and task' }, { text: 'Words', format: 'numeric' }, { text: 'Allocated' }, { text: 'Marking' }]}
            rows={scripts.map((s) => [
              { html: `<a class="govuk-link app-nowrap" href="/marking/${s.candidateNumber}">${s.candidateNumber}</a>` },
              { text: `${s.qualification}, ${s.task.title}` },
              { text: `${s.wordsCounted.toLocaleString('en-GB')} of ${s.wordLimit.toLocaleString('en-GB')}${s.overLimit ? ' (over)' : ''}`, format: 'numeric' },
              { text: formatDateTime(s.allocatedAt) },
              { text: s.sentBackNote ? 'Sent back by moderation: mark again' : markingText(s) },
            ])}
          />
        ) : null}
      </Layout>
    ));
  });

  const markPage = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const s = await assessment.scriptToMark(req.actor, req.params.candidate);
    const scheme = s.task.markScheme;
    const done = s.marking?.status === 'submitted';
    const values = typed ?? formValues(scheme, s.marking?.marks, s.marking?.overallComment);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Mark ${s.candidateNumber}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/marking">
            Your scripts to mark
          </a>
          <span class="govuk-caption-l">{`${s.qualification}, ${s.task.title}`}</span>
          <h1 class="govuk-heading-xl">{`Candidate ${s.candidateNumber}`}</h1>
          <SummaryList
            rows={[
              ...scriptRows(s, '/marking'),
              { key: { text: 'Sent' }, value: { text: [s.late ? 'Late, within the late period the provider allowed' : 'On time', s.resit ? 'a resit' : ''].filter(Boolean).join('; ') } },
              { key: { text: 'Marking' }, value: { text: markingText(s) } },
            ]}
          />
          {s.sentBackNote ? <WarningText text={`Moderation has sent this script back to you to mark again: ${s.sentBackNote}`} /> : null}
          {s.overLimit ? <WarningText text={`This account is over the word limit of ${s.wordLimit.toLocaleString('en-GB')}. Mark it under the provider’s rule for accounts over the limit.`} /> : null}
          <ScriptText blocks={s.text} />
          <Details summaryText="What the task asks">
            <ul class="govuk-list govuk-list--bullet">
              {s.task.asks.map((a) => (
                <li>{a}</li>
              ))}
            </ul>
          </Details>
          <InsetText text={`A pass needs ${scheme.passMark} of ${outOf(scheme)} marks in all, and at least ${scheme.criteria[0]!.passFrom} on every criterion.`} />
          {done ? (
            <>
              <h2 class="govuk-heading-m">Your marks, submitted</h2>
              <MarksTable scheme={scheme} marking={s.marking!} caption="Your marks by criterion" />
              <p class="govuk-body">
                <Tag text={s.marking!.result === 'pass' ? 'Pass' : 'Fail'} classes={s.marking!.result === 'pass' ? 'govuk-tag--green' : 'govuk-tag--red'} />
              </p>
            </>
          ) : (
            <MarkForm ctx={ctx} scheme={scheme} action={`/marking/${s.candidateNumber}`} values={values} errors={errors} />
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: Params }>('/marking/:candidate', assessor, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    return markPage(req, reply);
  });

  app.post<{ Params: Params }>('/marking/:candidate', assessor, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const submit = one(body.action) === 'submit';
    let saved: { result: 'pass' | 'fail' | null; total: number };
    try {
      saved = await assessment.saveMarking(req.actor, req.params.candidate, body, submit);
    } catch (err) {
      if (err instanceof ValidationError) return markPage(req, reply, err.fieldErrors, body);
      // Moved to another assessor, or withdrawn, while this form was open: said on their list, not as a missing page.
      if (err instanceof NotFoundError || (err instanceof AppError && err.code === 'not_yours')) {
        reply.flash('That script is no longer yours to mark: the provider has given it to another assessor. Nothing you typed was saved.', 'important');
        return reply.redirect('/marking', 303);
      }
      return refusedTo(reply, err, `/marking/${req.params.candidate}`);
    }
    if (submit) {
      reply.flash(`Your marks for ${req.params.candidate} are submitted: ${saved.result === 'pass' ? 'a pass' : 'a fail'}, ${saved.total} marks.`);
      return reply.redirect('/marking', 303);
    }
    reply.flash(`Your draft marks for ${req.params.candidate} are saved. Submit them when you have finished.`);
    return reply.redirect(`/marking/${req.params.candidate}`, 303);
  });

  app.get<{ Params: Params }>('/marking/:candidate/script', assessor, async (req, reply) => {
    if (!isCandidateNumber(req.params.candidate)) return reply.callNotFound();
    return sendDownload(reply, await assessment.scriptFile(req.actor, req.params.candidate));
  });

  // ——— The provider admin's allocation ———

  const filterOf = (q: Body): AllocationFilter => ({
    intakeId: uuid.safeParse(one(q.intake)).success ? one(q.intake) : undefined,
    taskKey: TASK.test(one(q.task)) ? one(q.task) : undefined,
    show: Object.hasOwn(SHOW, one(q.show)) ? (one(q.show) as AllocationFilter['show']) : undefined,
    q: one(q.q).slice(0, 100) || undefined,
  });
  const queryOf = (f: AllocationFilter) => ({ intake: f.intakeId, task: f.taskKey, show: f.show, q: f.q });

  const allocationPage = async (req: FastifyRequest<{ Querystring: Body }>, reply: FastifyReply, errors?: FieldErrors, failed?: { submissionId: string; assessor: string }) => {
    const filter = filterOf(req.query ?? {});
    const list = await assessment.allocationList(req.actor, filter, { page: pageNumber(req.query?.page), perPage: PER_PAGE });
    const filtered = Boolean(filter.intakeId || filter.taskKey || filter.show || filter.q);
    const query = new URLSearchParams(Object.entries(queryOf(filter)).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    // Back to this page of the list after allocating: the row allocated, or refused, is the one in view.
    const pageQuery = new URLSearchParams(Object.entries({ ...queryOf(filter), page: list.page > 1 ? String(list.page) : undefined }).filter((e): e is [string, string] => Boolean(e[1]))).toString();
    const back = `/assessment/allocation${pageQuery ? `?${pageQuery}` : ''}`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Allocate scripts for marking" errors={errors} errorTargets={failed ? { assessor: `assessor-${failed.submissionId}` } : undefined}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/assessment/submissions">
            Written accounts
          </a>
          <h1 class="govuk-heading-xl">Allocate scripts for marking</h1>
          <p class="govuk-body">Each account sent is marked blind: its assessor sees a candidate number, not the name, school or delivery partner. An assessor is never given a script from a delivery partner they work for, or of a participant they taught or coached.</p>
          {list.assessors.length ? (
            <>
              <p class="govuk-body">The assessors, and how many scripts each holds not yet marked:</p>
              <ul class="govuk-list govuk-list--bullet">
                {list.assessors.map((a) => (
                  <li>{`${a.name}: ${a.load.toLocaleString('en-GB')}`}</li>
                ))}
              </ul>
            </>
          ) : (
            <WarningText text="No one holds the assessor role yet. Give the role to someone under Users before allocating scripts." />
          )}
          <form method="post" action="/assessment/allocation/evenly">
            <Csrf ctx={ctx} />
            <input type="hidden" name="intake" value={filter.intakeId ?? ''} />
            <input type="hidden" name="task" value={filter.taskKey ?? ''} />
            <p class="govuk-body">{list.unallocated ? `${list.unallocated.toLocaleString('en-GB')} script${list.unallocated === 1 ? '' : 's'} not allocated${filter.intakeId || filter.taskKey ? ' in all; allocating evenly shares those of the intake and task chosen below' : ''}.` : 'Every script sent is allocated.'}</p>
            {list.unallocated ? <Button text="Allocate evenly" preventDoubleClick /> : null}
          </form>
          <p class="govuk-body">
            <a class="govuk-link" href="/assessment/moderation">
              Moderation: the sample, its rules and agreement
            </a>
          </p>
          <search>
            <form method="get" action="/assessment/allocation" class="app-filters">
              <Select id="intake" name="intake" label={{ text: 'Intake' }} value={filter.intakeId ?? ''} items={[{ value: '', text: 'Any intake' }, ...list.intakes.map((i) => ({ value: i.id, text: i.name }))]} />
              <Select id="task" name="task" label={{ text: 'Task' }} value={filter.taskKey ?? ''} items={[{ value: '', text: 'Any task' }, ...list.tasks]} />
              <Select id="show" name="show" label={{ text: 'Show' }} value={filter.show ?? ''} items={[{ value: '', text: 'Every script' }, ...Object.entries(SHOW).map(([value, text]) => ({ value, text }))]} />
              <Input id="q" name="q" type="search" label={{ text: 'Participant’s name or candidate number' }} value={filter.q ?? ''} spellcheck={false} />
              <FilterButtons clearHref="/assessment/allocation" filtered={filtered} csvHref={`/assessment/allocation.csv${query ? `?${query}` : ''}`} />
            </form>
          </search>
          <p class="govuk-body" role="status">{`${list.total.toLocaleString('en-GB')} script${list.total === 1 ? '' : 's'}`}</p>
          {list.rows.length ? (
            <Table
              caption="Scripts, those not allocated first"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Participant' }, { text: 'Intake and task' }, { text: 'Candidate' }, { text: 'Marking' }, { text: 'Assessor' }]}
              rows={list.rows.map((r) => [
                { text: r.participant },
                { text: `${r.intake}: ${r.task.title.split(':')[0]}` },
                { html: `<span class="app-nowrap">${r.allocation?.candidateNumber ?? '–'}</span>` },
                { text: r.allocation ? markingText({ marking: r.marking, task: r.task }) : 'Not allocated' },
                {
                  html: r.marking?.status === 'submitted' ? escapeHtml(r.assessorName ?? '') : renderToString(<AllocateForm ctx={ctx} row={r} assessors={list.assessors} back={back} error={failed?.submissionId === r.submission.id ? errors?.assessor : undefined} chosen={failed?.submissionId === r.submission.id ? failed.assessor : undefined} />),
                },
              ])}
            />
          ) : (
            <EmptyList things="scripts" filtered={filtered} clearHref="/assessment/allocation" />
          )}
          {(() => {
            const pagination = paginationFor(list.page, Math.ceil(list.total / PER_PAGE), '/assessment/allocation', queryOf(filter));
            return pagination ? <Pagination {...pagination} /> : null;
          })()}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Querystring: Body }>('/assessment/allocation', admin, async (req, reply) => allocationPage(req, reply));

  app.get<{ Querystring: Body }>('/assessment/allocation.csv', admin, async (req, reply) => {
    const list = await assessment.allocationList(req.actor, filterOf(req.query ?? {}), { page: 1, perPage: 1_000_000 });
    const names = new Map(list.assessors.map((a) => [a.userId, a.name]));
    return sendCsv(reply, 'script-allocation', [
      ['participant', 'intake', 'task', 'sent_at', 'candidate_number', 'assessor', 'marking', 'total', 'result'],
      ...list.rows.map((r) => [r.participant, r.intake, r.task.title, r.submission.submittedAt?.toISOString(), r.allocation?.candidateNumber ?? '', r.allocation ? (names.get(r.allocation.assessorUserId) ?? '') : '', r.marking?.status ?? (r.allocation ? 'not_started' : 'not_allocated'), r.marking?.total ?? '', r.marking?.result ?? '']),
    ]);
  });

  app.post('/assessment/allocation/evenly', admin, async (req, reply) => {
    const body = (req.body ?? {}) as Body;
    const filter = filterOf(body);
    const done = await assessment.allocateScriptsEvenly(req.actor, { intakeId: filter.intakeId, taskKey: filter.taskKey });
    if (!done.assessors) reply.flash('No one holds the assessor role yet: give it to someone under Users, then allocate.', 'important');
    else if (done.unallocated) reply.flash(`${done.allocated.toLocaleString('en-GB')} script${done.allocated === 1 ? '' : 's'} allocated. ${done.unallocated.toLocaleString('en-GB')} could not be: every assessor works for the participant’s delivery partner, or taught or coached them. Add an assessor, or allocate those by hand.`, 'important');
    else reply.flash(done.allocated ? `${done.allocated.toLocaleString('en-GB')} script${done.allocated === 1 ? '' : 's'} allocated evenly.` : 'Every script is allocated already.');
    return reply.redirect(`/assessment/allocation${filter.intakeId || filter.taskKey ? `?${new URLSearchParams(Object.entries({ intake: filter.intakeId, task: filter.taskKey }).filter((e): e is [string, string] => Boolean(e[1]))).toString()}` : ''}`, 303);
  });

  app.post<{ Params: { sid: string } }>('/assessment/allocation/:sid', admin, async (req, reply) => {
    if (!uuid.safeParse(req.params.sid).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    // Back to the list as it was filtered and paged; only a path on this list is taken.
    const backRaw = one(body.back);
    const back = /^\/assessment\/allocation(\?[^\s]*)?$/.test(backRaw) ? backRaw : '/assessment/allocation';
    try {
      const done = await assessment.allocateScript(req.actor, req.params.sid, body);
      reply.flash(done.unchanged ? `Nothing changed: script ${done.candidateNumber} stays with its assessor.` : `Script ${done.candidateNumber} is allocated to ${done.assessorName}.${done.draftLetGo ? ' The draft marks of its previous assessor are let go.' : ''}`);
    } catch (err) {
      if (err instanceof ValidationError) {
        const query = Object.fromEntries(new URL(back, 'http://x').searchParams);
        return allocationPage(Object.assign(req, { query }) as unknown as FastifyRequest<{ Querystring: Body }>, reply, err.fieldErrors, { submissionId: req.params.sid, assessor: one(body.assessor) });
      }
      return refusedTo(reply, err, back);
    }
    return reply.redirect(back, 303);
  });
}
