import { LinkList } from '../../platform/link-list';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { formatDate, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { DateField } from '../../platform/date-field';
import { dateErrorTarget, dateInputFields, dateInputValues } from '../../platform/date-input';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { fileLink, sendDownload } from '../../platform/file-download';
import { acceptFileForms, sentFile } from '../../platform/file-forms';
import { acceptOf } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { requireSignIn } from '../../platform/web';
import { Button, FileUpload, Input, InsetText, Pagination, Select, SummaryList, Table, Textarea, WarningText } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import type { AssessmentService } from '../assessment.service';
import { refusedTo } from './refused';
import { SEED_QUALIFICATIONS } from '../../catalogue/catalogue.queries';
import { ASSESSMENT_SPECS, type AssessmentTask, type WordCountExclusion } from '../domain/assessment-spec';
import { managesAssessment, submissionScope } from '../domain/assessment.policy';
import { ACCOUNT_FILE_MAX_BYTES, EXTENSION_REASON_MAX, type WindowState } from '../domain/submission';
import { ACCOUNT_FILE_TYPES, type Submission, type SubmissionsFilter } from '../submissions/submissions';
import { Flash } from '../../platform/flash';

type Body = Record<string, unknown>;
const uuid = z.uuid();
const TASK = /^[a-z0-9-]{1,40}$/;
const PER_PAGE = 50;
const EXCLUSION_LABELS: Record<WordCountExclusion, string> = { headings: 'headings', references: 'references', appendices: 'appendices', footnotes: 'footnotes', tables: 'tables' };
// Every task key any NPQ's assessment uses, named by its title and the NPQs that set it ("Task 1 (NPQH)").
const shortName = new Map(SEED_QUALIFICATIONS.map((q) => [q.identifier, q.shortName]));
const TASK_CHOICES = [...new Set(ASSESSMENT_SPECS.flatMap((s) => s.tasks.map((t) => t.key)))].map((key) => {
  const specs = ASSESSMENT_SPECS.filter((s) => s.tasks.some((t) => t.key === key));
  const title = specs[0]!.tasks.find((t) => t.key === key)!.title.split(':')[0]!;
  const npqs = specs.map((s) => shortName.get(s.qualification) ?? s.qualification);
  return { value: key, text: `${title} (${npqs.length > 3 ? 'specialist NPQs' : npqs.join(', ')})` };
});
const SHOW = { sent: 'Sent', withdrawn: 'Withdrawn', late: 'Sent late', over: 'Over the word limit' } as const;

/** "Headings, references and appendices are not counted." for a task's rule. */
function ruleText(task: AssessmentTask): string {
  const parts = task.wordCount.excludes.map((e) => EXCLUSION_LABELS[e]);
  const listed = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
  const left = parts.length ? ` ${listed.charAt(0).toUpperCase()}${listed.slice(1)} are not counted.` : ' Every word is counted.';
  const over = task.wordCount.overLimit === 'refuse' ? ' An account over the limit cannot be sent.' : ' An account over the limit can be sent, and its marker is told.';
  return `Up to ${task.wordLimit.toLocaleString('en-GB')} words.${left}${over}`;
}

/** Where the participant stands against the window, in a sentence. */
function windowText(w: WindowState): string {
  switch (w.state) {
    case 'none':
      return 'Your provider has not opened submissions for this task yet. The dates will show here when they do.';
    case 'not_open':
      return `Submissions open on ${formatDate(w.opensAt)}. Your account is due by the end of ${formatDate(w.dueOn)}.`;
    case 'open':
      return `Due by the end of ${formatDate(w.dueOn)}${w.extended ? ' (your extension)' : ''}.`;
    case 'late':
      return `The due date, ${formatDate(w.dueOn)}, has passed. Your provider takes late accounts until the end of ${formatDate(w.lateOn!)}: they are marked late.`;
    case 'closed':
      return `Submissions closed at the end of ${formatDate(w.lateOn ?? w.dueOn)}. Ask your provider if you need more time.`;
  }
}

/** "4,012 words counted of the 4,000 allowed (4,630 in all; left out: headings 120, references 498)". */
const countText = (s: Submission) => {
  const left = Object.entries(s.wordsExcluded).filter(([, n]) => n > 0);
  return `${s.wordsCounted.toLocaleString('en-GB')} word${s.wordsCounted === 1 ? '' : 's'} counted of the ${s.wordLimit.toLocaleString('en-GB')} allowed${left.length ? ` (${s.wordsTotal.toLocaleString('en-GB')} in all; left out: ${left.map(([k, n]) => `${EXCLUSION_LABELS[k as WordCountExclusion] ?? k} ${n.toLocaleString('en-GB')}`).join(', ')})` : ''}`;
};

/**
 * Sending written accounts (issue 12 item 3): the participant's page per task
 * (`/programme/:eid/assessment/submit/:task`: upload, see the count, confirm; withdraw before the
 * deadline), and the provider's: every account sent (`/assessment/submissions`, filtered, paged, CSV),
 * each intake's submission dates, and one person's extension. Every page works without JavaScript.
 */
export async function submissionsRoutes(app: FastifyInstance, opts: { assessment: AssessmentService }) {
  const { assessment } = opts;
  const signedIn = { preHandler: requireSignIn };
  await acceptFileForms(app, ACCOUNT_FILE_MAX_BYTES);
  const valid = (...ids: string[]) => ids.every((id) => uuid.safeParse(id).success);
  type Params = { eid: string; task: string };
  const here = (p: Params) => `/programme/${p.eid}/assessment/submit/${p.task}`;

  const submitPage = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, errors?: FieldErrors) => {
    const s = await assessment.mySubmission(req.actor, req.params.eid, req.params.task);
    const base = here(req.params);
    const fileHref = (x: Submission) => `/programme/${req.params.eid}/assessment/submissions/${x.id}/file`;
    const open = s.state.state === 'open' || s.state.state === 'late';
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={s.own ? `Send your account: ${s.task.title}` : `Written account: ${s.place.fullName}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={`/programme/${req.params.eid}/assessment`}>
            Your assessment
          </a>
          <span class="govuk-caption-l">{s.task.title}</span>
          <h1 class="govuk-heading-xl">{s.own ? 'Send your account' : `Written account: ${s.place.fullName}`}</h1>
          <p class="govuk-body">{ruleText(s.task)}</p>
          <InsetText text={windowText(s.state)} />
          {s.sent ? (
            <>
              <h2 class="govuk-heading-m">{s.own ? 'Your account is sent' : 'Their account is sent'}</h2>
              <SummaryList
                rows={[
                  { key: { text: 'File' }, value: { html: fileLink(fileHref(s.sent), s.sent) } },
                  { key: { text: 'Sent' }, value: { text: `${formatDateTime(s.sent.submittedAt!)}${s.sent.late ? ' (late)' : ''}` } },
                  { key: { text: 'Words' }, value: { text: `${countText(s.sent)}${s.sent.overLimit ? '. Over the limit: your marker will be told.' : ''}` } },
                  { key: { text: 'Reference' }, value: { text: s.sent.id.slice(0, 8).toUpperCase() } },
                ]}
              />
              {s.own && s.beingMarked ? <p class="govuk-body">It is with an assessor, so it can no longer be withdrawn.</p> : null}
              {s.own && !s.beingMarked && (s.state.state === 'open' || s.state.state === 'not_open') ? (
                <form method="post" action={`${base}/withdraw`}>
                  <Csrf ctx={ctx} />
                  <p class="govuk-body">{`You can withdraw it and send another until the end of ${formatDate((s.state as { dueOn: string }).dueOn)}. Once withdrawn, it will not be marked.`}</p>
                  <Button text="Withdraw this account" classes="govuk-button--warning" />
                </form>
              ) : null}
            </>
          ) : s.draft ? (
            <>
              <h2 class="govuk-heading-m">{open ? 'Check your account before you send it' : 'Uploaded, not sent'}</h2>
              <SummaryList
                rows={[
                  { key: { text: 'File' }, value: { html: fileLink(fileHref(s.draft), s.draft) } },
                  { key: { text: 'Words' }, value: { text: countText(s.draft) } },
                ]}
              />
              {s.draft.overLimit ? <WarningText text={s.task.wordCount.overLimit === 'refuse' ? `It is over the limit of ${s.task.wordLimit.toLocaleString('en-GB')} words, so it cannot be sent. Shorten it and upload it again.` : `It is over the limit of ${s.task.wordLimit.toLocaleString('en-GB')} words. You can still send it; your marker will be told.`} /> : null}
              <p class="govuk-body">
                {`The count is of the text we read from your file, counted as LibreOffice counts words.${s.draft.fileType === 'pdf' && s.task.wordCount.excludes.length ? ` In a PDF we cannot tell ${s.task.wordCount.excludes.map((e) => EXCLUSION_LABELS[e]).join(', ')} from the rest, so every word is counted: send a Word document to have them left out.` : ''}`}
              </p>
              {s.own ? (
                <div class="govuk-button-group">
                  {!(s.draft.overLimit && s.task.wordCount.overLimit === 'refuse') && open ? (
                    <form method="post" action={`${base}/confirm`}>
                      <Csrf ctx={ctx} />
                      <input type="hidden" name="draft" value={s.draft.id} />
                      <Button text="Send this account" preventDoubleClick />
                    </form>
                  ) : null}
                  {open ? (
                    <form method="post" action={`${base}/discard`}>
                      <Csrf ctx={ctx} />
                      <input type="hidden" name="draft" value={s.draft.id} />
                      <Button text="Upload a different file" classes="govuk-button--secondary" />
                    </form>
                  ) : (
                    <p class="govuk-body">This file was uploaded but not sent, and submissions are not open now, so it cannot be sent. Ask your provider if you need more time.</p>
                  )}
                </div>
              ) : null}
            </>
          ) : s.own && open ? (
            <form method="post" action={base} enctype="multipart/form-data" novalidate>
              <Csrf ctx={ctx} />
              <WarningText text="Leave your name, your school’s name and your pupils’ and colleagues’ names out of your account: it is marked without knowing who wrote it, and the platform does not hide names in your text." />
              <FileUpload id="file" name="file" label={{ text: 'Your account', classes: 'govuk-label--m' }} hint={{ text: `A Word document (.docx) or a PDF, up to ${ACCOUNT_FILE_MAX_BYTES / 1024 / 1024} MB. We count its words and show you before you send it.` }} errorMessage={errors?.file ? { text: errors.file } : undefined} attributes={{ accept: acceptOf(ACCOUNT_FILE_TYPES) }} />
              <Button text="Upload and count the words" preventDoubleClick />
            </form>
          ) : null}
          {s.history.filter((h) => h.status === 'withdrawn').length ? (
            <>
              <h2 class="govuk-heading-m">Withdrawn</h2>
              <ul class="govuk-list">
                {s.history
                  .filter((h) => h.status === 'withdrawn')
                  .map((h) => (
                    <li>{`${h.fileName}, sent ${formatDateTime(h.submittedAt!)}, withdrawn ${formatDateTime(h.withdrawnAt!)}`}</li>
                  ))}
              </ul>
            </>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  const validTask = (p: Params) => valid(p.eid) && TASK.test(p.task);

  app.get<{ Params: Params }>('/programme/:eid/assessment/submit/:task', signedIn, async (req, reply) => {
    if (!validTask(req.params)) return reply.callNotFound();
    return submitPage(req, reply);
  });

  // A body with a file: whoever sends it is checked before any of it is read.
  app.post<{ Params: Params }>('/programme/:eid/assessment/submit/:task', { onRequest: requireSignIn, bodyLimit: ACCOUNT_FILE_MAX_BYTES + 1024 * 1024 }, async (req, reply) => {
    if (!validTask(req.params)) return reply.callNotFound();
    const { file } = (req.body ?? {}) as Body & { file?: unknown };
    try {
      await assessment.uploadAccount(req.actor, req.params.eid, req.params.task, sentFile(file));
    } catch (err) {
      if (err instanceof ValidationError) return submitPage(req, reply, err.fieldErrors);
      return refusedTo(reply, err, here(req.params));
    }
    return reply.redirect(here(req.params), 303);
  });

  for (const action of ['confirm', 'discard', 'withdraw'] as const) {
    app.post<{ Params: Params }>(`/programme/:eid/assessment/submit/:task/${action}`, signedIn, async (req, reply) => {
      if (!validTask(req.params)) return reply.callNotFound();
      const draft = one((req.body as Body | undefined)?.draft);
      try {
        if (action === 'withdraw') await assessment.withdrawSubmission(req.actor, req.params.eid, req.params.task);
        else if (!valid(draft)) return reply.callNotFound();
        else if (action === 'confirm') await assessment.confirmSubmission(req.actor, req.params.eid, req.params.task, draft);
        else await assessment.discardDraft(req.actor, req.params.eid, req.params.task, draft);
      } catch (err) {
        return refusedTo(reply, err, here(req.params));
      }
      reply.flash({ confirm: 'Your account is sent. We have emailed you a receipt.', discard: 'That file is set aside. Upload the one you want to send.', withdraw: 'Your account is withdrawn. Send another before the deadline.' }[action]);
      return reply.redirect(here(req.params), 303);
    });
  }

  app.get<{ Params: { eid: string; sid: string } }>('/programme/:eid/assessment/submissions/:sid/file', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.sid)) return reply.callNotFound();
    return sendDownload(reply, await assessment.accountFile(req.actor, req.params.eid, req.params.sid));
  });

  // ——— The provider's side ———

  const readsSubmissions = (actor: Parameters<typeof submissionScope>[0]) => {
    const scope = submissionScope(actor);
    return 'all' in scope || scope.partners.length > 0;
  };
  const guard = { preHandler: requireAbility(readsSubmissions) };
  const manage = { preHandler: requireAbility(managesAssessment) };

  const filterOf = (q: Body): SubmissionsFilter => ({
    intakeId: valid(one(q.intake)) ? one(q.intake) : undefined,
    taskKey: TASK.test(one(q.task)) ? one(q.task) : undefined,
    show: Object.hasOwn(SHOW, one(q.show)) ? (one(q.show) as SubmissionsFilter['show']) : undefined,
    q: one(q.q).slice(0, 100) || undefined,
  });
  const queryOf = (f: SubmissionsFilter) => ({ intake: f.intakeId, task: f.taskKey, show: f.show, q: f.q });

  app.get<{ Querystring: Body }>('/assessment/submissions', guard, async (req, reply) => {
    const filter = filterOf(req.query ?? {});
    const list = await assessment.submissionsList(req.actor, filter, { page: pageNumber(req.query?.page), perPage: PER_PAGE });
    const { page } = list;
    const filtered = Boolean(filter.intakeId || filter.taskKey || filter.show || filter.q);
    const csv = `/assessment/submissions.csv?${new URLSearchParams(Object.entries(queryOf(filter)).filter((e): e is [string, string] => Boolean(e[1]))).toString()}`;
    const admin = managesAssessment(req.actor);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Written accounts">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Written accounts</h1>
        <p class="govuk-body">{`Accounts participants have sent for assessment${admin ? '' : ' in your partnership'}. Drafts are theirs until they send them.`}</p>
        {admin ? (
          <LinkList
            links={[
              ['/assessment/allocation', 'Allocate scripts for marking'],
              ['/assessment/moderation', 'Moderation'],
              ['/assessment/results', 'Results and their release'],
              ['/assessment/reviews', 'Reviews of marking'],
              ['/assessment/library', 'School Improvement Library entries'],
            ]}
          />
        ) : null}
        <search>
          <form method="get" action="/assessment/submissions" class="app-filters">
            <Select id="intake" name="intake" label={{ text: 'Intake' }} value={filter.intakeId ?? ''} items={[{ value: '', text: 'Any intake' }, ...list.intakes.map((i) => ({ value: i.intake.id, text: `${i.qualificationShortName} ${i.intake.name}` }))]} />
            <Select id="task" name="task" label={{ text: 'Task' }} value={filter.taskKey ?? ''} items={[{ value: '', text: 'Any task' }, ...TASK_CHOICES]} />
            <Select id="show" name="show" label={{ text: 'Show' }} value={filter.show ?? ''} items={[{ value: '', text: 'Sent and withdrawn' }, ...Object.entries(SHOW).map(([value, text]) => ({ value, text }))]} />
            <Input id="q" name="q" type="search" label={{ text: 'Participant’s name or email' }} value={filter.q ?? ''} spellcheck={false} />
            <FilterButtons clearHref="/assessment/submissions" filtered={filtered} csvHref={csv} />
          </form>
        </search>
        <p class="govuk-body" role="status">{`${list.total.toLocaleString('en-GB')} account${list.total === 1 ? '' : 's'}`}</p>
        {list.rows.length ? (
          <Table
            caption="Written accounts"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'Intake' }, { text: 'Task' }, { text: 'Sent' }, { text: 'Words', format: 'numeric' }, { text: 'State' }, ...(admin ? [{ text: 'Extension' }] : [])]}
            rows={list.rows.map((r) => [
              { html: `<a class="govuk-link" href="/programme/${r.enrolmentId}/assessment">${escapeHtml(r.participant)}</a>` },
              { text: r.intake },
              { text: r.task },
              { text: r.submission.submittedAt ? formatDateTime(r.submission.submittedAt) : '–' },
              { text: `${r.submission.wordsCounted.toLocaleString('en-GB')} of ${r.submission.wordLimit.toLocaleString('en-GB')}`, format: 'numeric' },
              { text: [r.submission.status === 'withdrawn' ? 'Withdrawn' : 'Sent', r.submission.late ? 'late' : '', r.submission.overLimit ? 'over the limit' : ''].filter(Boolean).join(', ') },
              ...(admin ? [{ html: `<a class="govuk-link" href="/assessment/extensions/${r.enrolmentId}/${r.submission.taskKey}">Give more time<span class="govuk-visually-hidden"> to ${escapeHtml(r.participant)}</span></a>` }] : []),
            ])}
          />
        ) : (
          <EmptyList things="accounts" filtered={filtered} clearHref="/assessment/submissions" />
        )}
        {(() => {
          const pagination = paginationFor(page, Math.ceil(list.total / PER_PAGE), '/assessment/submissions', queryOf(filter));
          return pagination ? <Pagination {...pagination} /> : null;
        })()}
        {admin ? (
          <>
            <h2 class="govuk-heading-m">When accounts are due</h2>
            <p class="govuk-body">Set each intake’s submission dates; give one participant more time from their row above, or from their assessment.</p>
            <Table
              caption="Submission dates by intake, those under way first"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Intake' }, { text: 'Starts' }, { text: 'Accounts due' }]}
              rows={list.intakes.map((i) => [
                { html: `<a class="govuk-link" href="/assessment/intakes/${i.intake.id}">${escapeHtml(`${i.qualificationShortName} ${i.intake.name}`)}</a><br><span class="govuk-hint">${escapeHtml(i.partnerName)}</span>` },
                { text: formatDate(i.intake.startDate) },
                { text: list.windows.get(i.intake.id)?.map((w) => `${w.taskKey.replace(/^task-/, 'Task ')}: ${formatDate(w.dueOn)}`).join('; ') || 'Not set' },
              ])}
            />
          </>
        ) : null}
      </Layout>
    ));
  });

  app.get<{ Querystring: Body }>('/assessment/submissions.csv', guard, async (req, reply) => {
    const list = await assessment.submissionsList(req.actor, filterOf(req.query ?? {}), { page: 1, perPage: 1_000_000 });
    return sendCsv(reply, 'written-accounts', [
      ['participant', 'intake', 'task', 'status', 'sent_at', 'late', 'words_counted', 'words_total', 'word_limit', 'over_limit', 'file'],
      ...list.all.map((r) => [r.participant, r.intake, r.task, r.submission.status, r.submission.submittedAt?.toISOString(), r.submission.late ? 'yes' : 'no', r.submission.wordsCounted, r.submission.wordsTotal, r.submission.wordLimit, r.submission.overLimit ? 'yes' : 'no', r.submission.fileName]),
    ]);
  });

  const windowsPage = async (req: FastifyRequest<{ Params: { iid: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body, taskKey?: string) => {
    const w = await assessment.submissionWindowsOf(req.actor, req.params.iid);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Submission dates: ${w.intake.name}`} errors={errors} errorTargets={typed ? Object.fromEntries(['opensOn', 'dueOn', 'lateUntil'].map((n) => [n, `${taskKey}-${dateErrorTarget(n, dateInputValues(typed, n))}`])) : undefined}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/assessment/submissions">
            Written accounts
          </a>
          <span class="govuk-caption-l">{`${w.qualificationName}, ${w.partnerName}`}</span>
          <h1 class="govuk-heading-xl">{`Submission dates: ${w.intake.name}`}</h1>
          {w.spec.tasks.map((task) => {
            const current = w.windows.get(task.key);
            const values = taskKey === task.key ? typed : current ? { ...dateInputFields('opensOn', current.opensOn), ...dateInputFields('dueOn', current.dueOn), ...dateInputFields('lateUntil', current.lateUntil) } : undefined;
            const err = taskKey === task.key ? errors : undefined;
            return (
              <form method="post" action={`/assessment/intakes/${w.intake.id}/${task.key}`} novalidate>
                <Csrf ctx={ctx} />
                <h2 class="govuk-heading-m">{task.title}</h2>
                <p class="govuk-body">{ruleText(task)}</p>
                <DateField name="opensOn" id={`${task.key}-opensOn`} legend="Submissions open" hint="For example, 1 3 2027" values={values} error={err?.opensOn} />
                <DateField name="dueOn" id={`${task.key}-dueOn`} legend="Due by the end of" hint={task.window ? `For example, 8 3 2027. Leave empty for a window of ${task.window.days} days, the opening day included.` : 'For example, 30 4 2027'} values={values} error={err?.dueOn} />
                <DateField name="lateUntil" id={`${task.key}-lateUntil`} legend="Late accounts taken until the end of (optional)" hint="Leave empty to take none after the due date." values={values} error={err?.lateUntil} />
                <Button text={`Save the dates for ${task.title.split(':')[0]}`} classes="govuk-button--secondary" />
              </form>
            );
          })}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { iid: string } }>('/assessment/intakes/:iid', manage, async (req, reply) => {
    if (!valid(req.params.iid)) return reply.callNotFound();
    return windowsPage(req, reply);
  });

  app.post<{ Params: { iid: string; task: string } }>('/assessment/intakes/:iid/:task', manage, async (req, reply) => {
    if (!valid(req.params.iid) || !TASK.test(req.params.task)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    let title: string;
    try {
      title = await assessment.setSubmissionWindow(req.actor, req.params.iid, req.params.task, body);
    } catch (err) {
      if (err instanceof ValidationError) return windowsPage(req, reply, err.fieldErrors, body, req.params.task);
      throw err;
    }
    reply.flash(`The submission dates for ${title.split(':')[0]} are saved.`);
    return reply.redirect(`/assessment/intakes/${req.params.iid}`, 303);
  });

  type ExtParams = { eid: string; task: string };
  const extensionPage = async (req: FastifyRequest<{ Params: ExtParams }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const s = await assessment.mySubmission(req.actor, req.params.eid, req.params.task);
    const shown = typed ?? (s.extension ? { ...dateInputFields('dueOn', s.extension.dueOn), reason: s.extension.reason } : undefined);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Give ${s.place.fullName} more time`} errors={errors} errorTargets={{ dueOn: dateErrorTarget('dueOn', dateInputValues(shown, 'dueOn')) }}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/assessment/submissions">
            Written accounts
          </a>
          <span class="govuk-caption-l">{s.task.title}</span>
          <h1 class="govuk-heading-xl">{`Give ${s.place.fullName} more time`}</h1>
          <p class="govuk-body">{s.window ? `The intake’s accounts are due by the end of ${formatDate(s.window.dueOn)}.` : 'The intake has no submission dates yet: set them first.'}</p>
          {s.extension ? (
            <>
              <InsetText text={`Already given until the end of ${formatDate(s.extension.dueOn)} by ${s.extension.grantedBy}: ${s.extension.reason}`} />
              <form method="post" action={`/assessment/extensions/${req.params.eid}/${req.params.task}/withdraw`}>
                <Csrf ctx={ctx} />
                <Button text="Take this extension back" classes="govuk-button--secondary" />
              </form>
            </>
          ) : null}
          <form method="post" action={`/assessment/extensions/${req.params.eid}/${req.params.task}`} novalidate>
            <Csrf ctx={ctx} />
            <DateField name="dueOn" legend="New due date" hint="Their account is due by the end of this day." values={shown} error={errors?.dueOn} />
            <Textarea id="reason" name="reason" rows={3} label={{ text: 'Reason', classes: 'govuk-label--s' }} hint={{ text: `Kept with the extension and in the audit log. Up to ${EXTENSION_REASON_MAX.toLocaleString('en-GB')} characters.` }} value={one(shown?.reason)} errorMessage={errors?.reason ? { text: errors.reason } : undefined} />
            <Button text="Give more time" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: ExtParams }>('/assessment/extensions/:eid/:task', manage, async (req, reply) => {
    if (!validTask(req.params)) return reply.callNotFound();
    return extensionPage(req, reply);
  });

  app.post<{ Params: ExtParams }>('/assessment/extensions/:eid/:task/withdraw', manage, async (req, reply) => {
    if (!validTask(req.params)) return reply.callNotFound();
    try {
      await assessment.withdrawExtension(req.actor, req.params.eid, req.params.task);
    } catch (err) {
      if (err instanceof AppError && err.code === 'not_found') {
        reply.flash('That extension was already taken back.', 'important');
        return reply.redirect(`/assessment/extensions/${req.params.eid}/${req.params.task}`, 303);
      }
      throw err;
    }
    reply.flash('The extension is taken back: the intake’s due date applies again.');
    return reply.redirect(`/assessment/extensions/${req.params.eid}/${req.params.task}`, 303);
  });

  app.post<{ Params: ExtParams }>('/assessment/extensions/:eid/:task', manage, async (req, reply) => {
    if (!validTask(req.params)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      await assessment.grantExtension(req.actor, req.params.eid, req.params.task, body);
    } catch (err) {
      if (err instanceof ValidationError) return extensionPage(req, reply, err.fieldErrors, body);
      if (err instanceof AppError && err.code === 'no_window') return extensionPage(req, reply, { dueOn: err.message }, body);
      throw err;
    }
    reply.flash('The extension is given. We have emailed the participant.');
    return reply.redirect('/assessment/submissions', 303);
  });
}
