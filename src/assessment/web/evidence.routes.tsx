import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatDate, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { DateField } from '../../platform/date-field';
import { dateErrorTarget, dateInputFields, dateInputValues } from '../../platform/date-input';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { fileLink, sendDownload } from '../../platform/file-download';
import { acceptFileForms, sentFile } from '../../platform/file-forms';
import { acceptOf, fileTypesText } from '../../platform/file-types';
import { asArray, one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { hoursAndMinutes } from '../../platform/text';
import { requireSignIn } from '../../platform/web';
import { Button, Checkboxes, FileUpload, Input, InsetText, Radios, SummaryList, Table, Textarea, WarningText } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import type { AssessmentService } from '../assessment.service';
import { refusedTo } from './refused';
import { managesAssessment } from '../domain/assessment.policy';
import type { AssessmentTask } from '../domain/assessment-spec';
import type { WindowState } from '../domain/submission';
import { BOARD_SCHOOL_LABELS, type BoardSchool, CONTRAST_LABELS, CONTRAST_REASONS, EVIDENCE_LINK_VALID_DAYS, EVIDENCE_TEXT_MAX, PROJECT_ENTRY_MAX_MINUTES } from '../domain/evidence';
import { MINUTES_FILE_TYPES } from '../evidence/board-presentations';
import { EVIDENCE_FILE_MAX_BYTES, EVIDENCE_FILE_TYPES, RESTORE_WITHIN_DAYS } from '../evidence/project-log';
import { Flash } from '../../platform/flash';

type Body = Record<string, unknown>;
const uuid = z.uuid();
const TASK = /^[a-z0-9-]{1,40}$/;
const FILE_BODY_LIMIT = EVIDENCE_FILE_MAX_BYTES + 1024 * 1024;

/** The school search results a placement page offers: the reference service's search, given by the app (GIAS is enrolment's). */
export type SchoolSearch = (query: string) => Promise<{ urn: number; name: string; town: string | null; postcode: string | null; typeName: string | null }[]>;

/** What the error summary links to for the date fields of a form, beside its other fields. */
const dateTargets = (typed: Body | undefined, ...names: string[]) => Object.fromEntries(names.map((n) => [n, dateErrorTarget(n, dateInputValues(typed, n))]));


/** "Up to 4,000 words (headings, references … not counted)": a task's written account as the participant reads it. */
function accountText(task: AssessmentTask): string {
  const left = task.wordCount.excludes.length ? ` (${task.wordCount.excludes.join(', ')} not counted)` : '';
  return `Up to ${task.wordLimit.toLocaleString('en-GB')} words${left}`;
}

/** Where a task's account stands, in a sentence: sent (when, how many words), waiting to be sent, or when it is due. */
function accountState(s: { state: WindowState; sent: { submittedAt: Date | null; wordsCounted: number; late: boolean } | null; draft: unknown } | undefined): string {
  if (!s) return '';
  if (s.sent) return `Sent ${formatDateTime(s.sent.submittedAt!)}${s.sent.late ? ' (late)' : ''}, ${s.sent.wordsCounted.toLocaleString('en-GB')} words counted.`;
  if (s.draft) return 'Uploaded, not sent yet: check its word count and send it.';
  switch (s.state.state) {
    case 'none':
      return 'Submission dates not set yet.';
    case 'not_open':
      return `Opens ${formatDate(s.state.opensAt)}; due by the end of ${formatDate(s.state.dueOn)}.`;
    case 'open':
      return `Due by the end of ${formatDate(s.state.dueOn)}.`;
    case 'late':
      return `Overdue: late accounts are taken until the end of ${formatDate(s.state.lateOn!)}.`;
    case 'closed':
      return 'Closed.';
  }
}

/**
 * The participant's assessment and its evidence (issue 12 items 1 and 2): the overview
 * (`/programme/:eid/assessment`), the project log, each placement with its days and the host's
 * confirmation, and the governing board presentations; and the pages a host or a board's chair or
 * clerk reach by an emailed link (`/placement-days/:token`, `/board-feedback/:token`), with no
 * account. Every page works without JavaScript; a refused form keeps what was typed (but a file).
 */
export async function evidenceRoutes(app: FastifyInstance, opts: { assessment: AssessmentService; searchSchools: SchoolSearch }) {
  const { assessment, searchSchools } = opts;
  const signedIn = { preHandler: requireSignIn };
  // Bodies with a file: whoever sends one is checked before any of it is read (onRequest, not preHandler).
  const withFile = { onRequest: requireSignIn, bodyLimit: FILE_BODY_LIMIT };
  await acceptFileForms(app, EVIDENCE_FILE_MAX_BYTES, 20);
  // Each sends an email: a person is held to a sensible number an hour, whatever the pages allow.
  const sendsEmail = { rateLimit: { max: 20, timeWindow: '1 hour' } };
  const base = (eid: string) => `/programme/${eid}/assessment`;
  const valid = (eid: string, ...ids: string[]) => uuid.safeParse(eid).success && ids.every((id) => uuid.safeParse(id).success);
  const fieldsOf = (raw: unknown): { body: Body; file: ReturnType<typeof sentFile> } => {
    const { file, ...fields } = (raw ?? {}) as Body & { file?: unknown };
    return { body: fields, file: sentFile(file) };
  };

  app.get<{ Params: { eid: string } }>('/programme/:eid/assessment', signedIn, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    const a = await assessment.myAssessment(req.actor, req.params.eid);
    const b = base(req.params.eid);
    const title = a.own ? 'Your assessment' : `Assessment: ${a.place.fullName}`;
    // Staff read it and change nothing: no way in to record evidence, and the way back is to their list.
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={title}>
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href={a.own ? '/programme' : '/assessment/submissions'}>
          {a.own ? 'Your programme' : 'Written accounts'}
        </a>
        <h1 class="govuk-heading-xl">{title}</h1>
        <InsetText>
          <p class="govuk-body">
            {`Pass your final assessment by ${formatDate(a.deadline.passBy)}: ${a.spec.passWithinMonths} months from the start of your NPQ on ${formatDate(a.startedOn)}`}
            {a.deadline.pausedDays ? `, and ${a.deadline.pausedDays} days more for the time your place was deferred` : ''}
            {a.deadline.paused ? ' (your place is deferred now, so this date moves on each day until you resume)' : ''}.
          </p>
        </InsetText>
        {a.own || managesAssessment(req.actor) ? (
          <p class="govuk-body">
            <a class="govuk-link" href={a.own ? `${b}/results` : `/assessment/outcomes/${req.params.eid}`}>
              {a.own ? 'Your results, certificate and reviews of marking' : 'Results and outcome'}
            </a>
          </p>
        ) : null}
        {a.spec.tasks.map((task) => {
          const placement = a.placements.get(task.key);
          const board = a.boards.get(task.key);
          return (
            <section aria-labelledby={`task-${task.key}`}>
              <h2 class="govuk-heading-l" id={`task-${task.key}`}>
                {task.title}
              </h2>
              <ul class="govuk-list govuk-list--bullet">
                {task.asks.map((ask) => (
                  <li>{ask}</li>
                ))}
              </ul>
              <SummaryList
                rows={[
                  {
                    key: { text: 'Written account' },
                    value: { text: `${accountText(task)}. ${accountState(a.submissions.get(task.key))}` },
                    actions: {
                      items: [
                        { href: `${b}/submit/${task.key}`, text: a.own && !a.submissions.get(task.key)?.sent ? 'Send' : 'See', visuallyHiddenText: `the account for ${task.title}` },
                        ...(managesAssessment(req.actor) ? [{ href: `/assessment/extensions/${req.params.eid}/${task.key}`, text: 'Give more time', visuallyHiddenText: `for ${task.title}` }] : []),
                      ],
                    },
                  },
                  task.window ? { key: { text: 'Answered within' }, value: { text: `${task.window.days} days, ${task.window.questions} questions` } } : null,
                  { key: { text: 'If you do not pass' }, value: { text: task.resits ? `You may resit ${task.resits === 1 ? 'once' : `${task.resits} times`}` : 'No resit' } },
                  task.evidence.includes('project_log') && a.project
                    ? {
                        key: { text: 'In-school project time' },
                        value: { text: `${hoursAndMinutes(a.project.logged)} logged; ${hoursAndMinutes(a.project.expected)} expected by now (${hoursAndMinutes(a.project.perWeek)} a week)` },
                        actions: { items: [{ href: `${b}/project-log`, text: a.own ? 'Log time' : 'See', visuallyHiddenText: a.own ? 'on your project' : 'the project log' }] },
                      }
                    : null,
                  placement
                    ? {
                        key: { text: 'Placement' },
                        value: { text: placement.placement ? `${placement.host?.name ?? 'School'}: ${placement.summary.confirmed} of ${placement.summary.minimum} working days confirmed by the host (${placement.summary.recorded} recorded)` : `Not recorded yet: at least ${placement.summary.minimum} working days` },
                        actions: { items: [{ href: `${b}/placement/${task.key}`, text: !a.own ? 'See' : placement.placement ? 'Record days' : 'Record placement', visuallyHiddenText: `for ${task.title}` }] },
                      }
                    : null,
                  board
                    ? {
                        key: { text: 'Governing board presentation' },
                        value: { text: board.recorded ? `${board.recorded} recorded, ${board.withFeedback} with the board’s feedback` : 'Not recorded yet' },
                        // The participant's link names its task, so the form starts on it (boardPage).
                        actions: { items: [{ href: a.own ? `${b}/board?task=${encodeURIComponent(task.key)}` : `${b}/board`, text: a.own ? 'Record' : 'See', visuallyHiddenText: `a board presentation for ${task.title}` }] },
                      }
                    : null,
                ]}
              />
            </section>
          );
        })}
      </Layout>
    ));
  });

  // ——— Project log ———

  const logPage = async (req: FastifyRequest<{ Params: { eid: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const log = await assessment.projectLog(req.actor, req.params.eid);
    const b = base(req.params.eid);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={log.own ? 'Your project log' : `Project log: ${log.place.fullName}`} errors={errors} errorTargets={dateTargets(typed, 'workedOn')}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={b}>
            {log.own ? 'Your assessment' : 'Their assessment'}
          </a>
          <h1 class="govuk-heading-xl">{log.own ? 'Your project log' : `Project log: ${log.place.fullName}`}</h1>
          <p class="govuk-body">
            {`${log.own ? 'You have' : `${log.place.fullName} has`} logged ${hoursAndMinutes(log.logged)} on ${log.own ? 'your' : 'their'} in-school project.`}
            {log.expected !== null && log.perWeek ? ` By now we expect ${hoursAndMinutes(log.expected)}: ${hoursAndMinutes(log.perWeek)} a week since ${formatDate(log.startedOn)}.` : ''}
          </p>
          {log.removed.length ? (
            <div class="govuk-inset-text">
              <p class="govuk-body">{`Removed in the last ${RESTORE_WITHIN_DAYS} days:`}</p>
              <ul class="govuk-list">
                {log.removed.map((r) => (
                  <li>
                    <form method="post" action={`${b}/project-log/${r.id}/restore`} class="app-inline-form">
                      <Csrf ctx={ctx} />
                      {`${formatDate(r.workedOn)}, ${hoursAndMinutes(r.minutes)} `}
                      <Button text="Put back" classes="govuk-button--secondary govuk-!-margin-bottom-0" attributes={{ 'aria-label': `Put back the entry of ${formatDate(r.workedOn)}` }} />
                    </form>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {log.own ? (
            <>
          <h2 class="govuk-heading-m">Log time</h2>
          <form method="post" action={`${b}/project-log`} enctype="multipart/form-data" novalidate>
            <Csrf ctx={ctx} />
            <EntryFields typed={typed} errors={errors} />
            <FileUpload
              id="file"
              name="file"
              label={{ text: 'A file with it (optional)', classes: 'govuk-label--s' }}
              hint={{ text: `${fileTypesText(EVIDENCE_FILE_TYPES)}, up to ${EVIDENCE_FILE_MAX_BYTES / 1024 / 1024} MB: a plan, minutes, data or a photo of the work.${errors ? ' If you chose a file before, choose it again.' : ''}` }}
              errorMessage={errors?.file ? { text: errors.file } : undefined}
              attributes={{ accept: acceptOf(EVIDENCE_FILE_TYPES) }}
            />
            <Button text="Log this time" preventDoubleClick />
          </form>
            </>
          ) : null}
          <h2 class="govuk-heading-m">Your entries</h2>
          {log.entries.length ? (
            <Table
              caption="Your project log entries, newest first"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Date' }, { text: 'Time', format: 'numeric' }, { text: 'Reflection' }, { text: 'File' }, ...(log.own ? [{ text: 'Change' }] : [])]}
              rows={log.entries.map((e) => [
                { text: formatDate(e.workedOn) },
                { text: hoursAndMinutes(e.minutes), format: 'numeric' },
                { html: `<span class="app-preserve-lines">${escapeHtml(e.reflection)}</span>` },
                { html: e.fileKey ? fileLink(`${b}/project-log/${e.id}/file`, e) : 'None' },
                ...(log.own ? [{ html: `<a class="govuk-link" href="${b}/project-log/${e.id}">Change<span class="govuk-visually-hidden"> the entry of ${escapeHtml(formatDate(e.workedOn))}</span></a>` }] : []),
              ])}
            />
          ) : (
            <p class="govuk-body">Nothing logged yet.</p>
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string } }>('/programme/:eid/assessment/project-log', signedIn, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    return logPage(req, reply);
  });

  app.post<{ Params: { eid: string } }>('/programme/:eid/assessment/project-log', withFile, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    const { body, file } = fieldsOf(req.body);
    try {
      await assessment.logProjectTime(req.actor, req.params.eid, body, file);
    } catch (err) {
      if (err instanceof ValidationError) return logPage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, `${base(req.params.eid)}/project-log`);
    }
    reply.flash('Your time is logged.');
    return reply.redirect(`${base(req.params.eid)}/project-log`, 303);
  });

  const entryPage = async (req: FastifyRequest<{ Params: { eid: string; id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const log = await assessment.projectLog(req.actor, req.params.eid);
    const entry = log.entries.find((e) => e.id === req.params.id);
    if (!entry || !log.own) return reply.callNotFound();
    const b = base(req.params.eid);
    const shown = typed ?? { ...dateInputFields('workedOn', entry.workedOn), hours: String(Math.floor(entry.minutes / 60)), minutes: String(entry.minutes % 60), reflection: entry.reflection };
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Change a log entry" errors={errors} errorTargets={dateTargets(shown, 'workedOn')}>
          <a class="govuk-back-link" href={`${b}/project-log`}>
            Your project log
          </a>
          <h1 class="govuk-heading-xl">Change a log entry</h1>
          <form method="post" action={`${b}/project-log/${entry.id}`} novalidate>
            <Csrf ctx={ctx} />
            <EntryFields typed={shown} errors={errors} />
            {entry.fileKey ? (
              <Checkboxes
                idPrefix="removeFile"
                name="removeFile"
                fieldset={{ legend: { text: 'Its file', classes: 'govuk-fieldset__legend--s' } }}
                hint={{ text: `${entry.fileName}. To send a different file, remove this one and log the time again with the right file.` }}
                values={asArray(shown.removeFile)}
                items={[{ value: 'yes', text: 'Remove this file' }]}
              />
            ) : null}
            <div class="govuk-button-group">
              <Button text="Save changes" preventDoubleClick />
              <Button text="Remove this entry" name="action" value="remove" classes="govuk-button--warning" />
            </div>
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string; id: string } }>('/programme/:eid/assessment/project-log/:id', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    return entryPage(req, reply);
  });

  app.post<{ Params: { eid: string; id: string } }>('/programme/:eid/assessment/project-log/:id', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const to = `${base(req.params.eid)}/project-log`;
    try {
      if (one(body.action) === 'remove') {
        await assessment.setProjectEntryRemoved(req.actor, req.params.eid, req.params.id, true);
        reply.flash(`The entry is removed. You can put it back within ${RESTORE_WITHIN_DAYS} days.`);
      } else {
        await assessment.changeProjectEntry(req.actor, req.params.eid, req.params.id, body);
        reply.flash('Your entry is changed.');
      }
    } catch (err) {
      if (err instanceof ValidationError) return entryPage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, to);
    }
    return reply.redirect(to, 303);
  });

  app.post<{ Params: { eid: string; id: string } }>('/programme/:eid/assessment/project-log/:id/restore', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    const to = `${base(req.params.eid)}/project-log`;
    try {
      await assessment.setProjectEntryRemoved(req.actor, req.params.eid, req.params.id, false);
    } catch (err) {
      return refusedTo(reply, err, to);
    }
    reply.flash('The entry is back in your log.');
    return reply.redirect(to, 303);
  });

  app.get<{ Params: { eid: string; id: string } }>('/programme/:eid/assessment/project-log/:id/file', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    return sendDownload(reply, await assessment.projectEntryFile(req.actor, req.params.eid, req.params.id));
  });

  // ——— Placement ———

  type PlacementParams = { eid: string; task: string };
  const placementPage = async (req: FastifyRequest<{ Params: PlacementParams; Querystring: Body }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body, form?: 'school' | 'days') => {
    const p = await assessment.myPlacement(req.actor, req.params.eid, req.params.task);
    const q = one(req.query?.q).trim().slice(0, 100);
    const typedUrn = form === 'school' ? one(typed?.hostUrn) : '';
    // A refused school form shows the school chosen in it (not the one saved), so what is sent again is what was seen.
    const results = q ? await searchSchools(q) : /^\d{6}$/.test(typedUrn) && typedUrn !== String(p.placement?.hostUrn ?? '') ? await searchSchools(typedUrn) : [];
    const b = base(req.params.eid);
    const here = `${b}/placement/${req.params.task}`;
    const changing = p.own && (!p.placement || form === 'school' || one(req.query?.change) === 'school' || Boolean(q));
    const school = form === 'school' ? typed : undefined;
    const days = form === 'days' ? typed : undefined;
    const current = p.placement ? { hostUrn: String(p.placement.hostUrn), contrasts: p.placement.contrasts, contrastNote: p.placement.contrastNote, hostContactName: p.placement.hostContactName, hostContactEmail: p.placement.hostContactEmail } : {};
    const shown = school ?? current;
    const toAsk = p.periods.filter((x) => x.state === 'not_asked' || x.state === 'disputed' || x.state === 'expired');
    const removable = p.own && toAsk.length > 0;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Placement: ${p.task.title}`} errors={errors} errorTargets={{ ...dateTargets(days, 'from', 'to'), hostUrn: results.length ? 'hostUrn' : 'q' }}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={b}>
            {p.own ? 'Your assessment' : 'Their assessment'}
          </a>
          <span class="govuk-caption-l">{p.task.title}</span>
          <h1 class="govuk-heading-xl">{p.own ? 'Your placement' : `Placement: ${p.place.fullName}`}</h1>
          <p class="govuk-body">{`At least ${p.summary.minimum} working days in a contrasting school, which may be spread over weeks. Weekends and bank holidays in England do not count. Your contact there confirms the days by an emailed link.`}</p>
          <h2 class="govuk-heading-m">The placement school</h2>
          {changing ? (
            <>
              <search>
                <form method="get" action={here}>
                  <Input id="q" name="q" type="search" label={{ text: 'Find the school by name, town, postcode or URN', classes: 'govuk-label--s' }} value={q} spellcheck={false} />
                  <Button text="Search" classes="govuk-button--secondary" />
                </form>
              </search>
              {q && !results.length ? (
                <p class="govuk-body" role="status">
                  {`No schools match “${q}”. Try part of the name, the town, or the URN.`}
                </p>
              ) : null}
              {results.length || p.placement || school ? (
                <form method="post" action={here} novalidate>
                  <Csrf ctx={ctx} />
                  <input type="hidden" name="form" value="school" />
                  {results.length ? (
                    <Radios
                      idPrefix="hostUrn"
                      name="hostUrn"
                      fieldset={{ legend: { text: q ? `Schools matching “${q}”` : 'The school you chose', classes: 'govuk-fieldset__legend--s' } }}
                      errorMessage={errors?.hostUrn ? { text: errors.hostUrn } : undefined}
                      value={String(shown.hostUrn ?? '')}
                      items={results.map((s) => ({ value: String(s.urn), text: s.name, hint: { text: `${s.town ?? ''} ${s.postcode ?? ''} · URN ${s.urn}${s.typeName ? ` · ${s.typeName}` : ''}` } }))}
                    />
                  ) : (
                    <>
                      {errors?.hostUrn ? (
                        <p class="govuk-error-message">
                          <span class="govuk-visually-hidden">Error:</span> {errors.hostUrn}
                        </p>
                      ) : null}
                      <p class="govuk-body">{p.host ? `${p.host.name}, ${p.host.town ?? ''} (URN ${p.host.urn})` : ''}</p>
                      <input type="hidden" name="hostUrn" value={String(shown.hostUrn ?? '')} />
                    </>
                  )}
                  <Checkboxes
                    idPrefix="contrasts"
                    name="contrasts"
                    fieldset={{ legend: { text: 'How does it contrast with your own school?', classes: 'govuk-fieldset__legend--s' } }}
                    hint={{ text: 'Select all that apply.' }}
                    errorMessage={errors?.contrasts ? { text: errors.contrasts } : undefined}
                    values={asArray(shown.contrasts)}
                    items={CONTRAST_REASONS.map((r) => ({ value: r, text: CONTRAST_LABELS[r] }))}
                  />
                  <Textarea id="contrastNote" name="contrastNote" rows={3} label={{ text: 'Say more about the contrast (optional)', classes: 'govuk-label--s' }} value={one(shown.contrastNote)} errorMessage={errors?.contrastNote ? { text: errors.contrastNote } : undefined} />
                  <Input id="hostContactName" name="hostContactName" autocomplete="off" label={{ text: 'Your contact at the school', classes: 'govuk-label--s' }} hint={{ text: 'Usually the headteacher: they confirm your days.' }} value={one(shown.hostContactName)} errorMessage={errors?.hostContactName ? { text: errors.hostContactName } : undefined} />
                  <Input id="hostContactEmail" name="hostContactEmail" type="email" autocomplete="off" spellcheck={false} label={{ text: 'Their email address', classes: 'govuk-label--s' }} value={one(shown.hostContactEmail)} errorMessage={errors?.hostContactEmail ? { text: errors.hostContactEmail } : undefined} />
                  <Button text="Save the placement school" preventDoubleClick />
                </form>
              ) : null}
            </>
          ) : !p.placement ? (
            <p class="govuk-body">Not recorded yet.</p>
          ) : (
            <SummaryList
              rows={[
                { key: { text: 'School' }, value: { text: p.host ? `${p.host.name}, ${p.host.town ?? ''} (URN ${p.host.urn})` : `URN ${p.placement!.hostUrn}` }, ...(p.own ? { actions: { items: [{ href: `${here}?change=school`, text: 'Change', visuallyHiddenText: 'the placement school' }] } } : {}) },
                { key: { text: 'How it contrasts' }, value: { text: [p.placement!.contrasts.map((c) => CONTRAST_LABELS[c as keyof typeof CONTRAST_LABELS] ?? c).join('; '), p.placement!.contrastNote].filter(Boolean).join('. ') } },
                { key: { text: 'Contact' }, value: { text: `${p.placement!.hostContactName} (${p.placement!.hostContactEmail})` } },
              ]}
            />
          )}
          {p.placement ? (
            <>
              <h2 class="govuk-heading-m">Days on placement</h2>
              <p class="govuk-body">{`${p.summary.recorded} working day${p.summary.recorded === 1 ? '' : 's'} recorded; ${p.summary.confirmed} confirmed by your host${p.summary.awaiting ? `; ${p.summary.awaiting} waiting for them` : ''}. At least ${p.summary.minimum} must be confirmed.`}</p>
              {p.periods.length ? (
                <Table
                  caption="Your placement days"
                  captionClasses="govuk-visually-hidden"
                  head={[{ text: 'Days' }, { text: 'Working days', format: 'numeric' }, { text: 'Note' }, { text: 'Host' }, ...(removable ? [{ text: 'Remove' }] : [])]}
                  rows={p.periods.map((x) => [
                    { text: x.fromDate === x.toDate ? formatDate(x.fromDate) : `${formatDate(x.fromDate)} to ${formatDate(x.toDate)}` },
                    { text: x.workingDays.length, format: 'numeric' },
                    { text: x.note || '–' },
                    { html: `<strong class="govuk-tag ${{ not_asked: 'govuk-tag--grey', awaiting: 'govuk-tag--yellow', expired: 'govuk-tag--orange', confirmed: 'govuk-tag--green', disputed: 'govuk-tag--red' }[x.state]}">${{ not_asked: 'Not sent', awaiting: 'Waiting', expired: 'Link expired', confirmed: 'Confirmed', disputed: 'Not confirmed' }[x.state]}</strong>` },
                    ...(removable ? [{
                      html:
                        p.own && (x.state === 'not_asked' || x.state === 'disputed' || x.state === 'expired')
                          ? `<form method="post" action="${here}/periods/${x.id}/remove" class="app-inline-form"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrfToken)}"><button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Remove<span class="govuk-visually-hidden"> the days from ${escapeHtml(formatDate(x.fromDate))}</span></button></form>`
                          : '',
                    }] : []),
                  ])}
                />
              ) : null}
              {p.disputes.map((c) => (
                <WarningText text={`${c.answeredBy} said on ${formatDate(c.answeredAt!)} that the days put to them were not right: “${c.comment}”. Correct them and ask again.`} />
              ))}
              {p.own ? (
                <>
                  {toAsk.length ? (
                    <form method="post" action={`${here}/confirm`}>
                      <Csrf ctx={ctx} />
                      <Button text={`Ask ${p.placement.hostContactName} to confirm your days`} classes="govuk-button--secondary" preventDoubleClick />
                    </form>
                  ) : null}
                  {p.awaitingRequest ? (
                    <form method="post" action={`${here}/confirm`}>
                      <Csrf ctx={ctx} />
                      <input type="hidden" name="again" value="yes" />
                      <p class="govuk-body">{`We emailed ${p.awaitingRequest.sentTo} on ${formatDate(p.awaitingRequest.requestedAt)}. If the email went astray, or you have corrected their address above, send a new link (the old one stops working).`}</p>
                      <Button text="Send the link again" classes="govuk-button--secondary" preventDoubleClick />
                    </form>
                  ) : null}
                  <h3 class="govuk-heading-s">Record days</h3>
                  <form method="post" action={`${here}/periods`} novalidate>
                    <Csrf ctx={ctx} />
                    <DateField name="from" legend="First day" hint="For example, 12 1 2027" values={days} error={errors?.from} />
                    <DateField name="to" legend="Last day (leave empty for a single day)" hint="Weekends and bank holidays in between are not counted." values={days} error={errors?.to} />
                    <Input id="note" name="note" label={{ text: 'Note (optional)', classes: 'govuk-label--s' }} hint={{ text: 'For example, “Shadowing the business manager”.' }} value={one(days?.note)} errorMessage={errors?.note ? { text: errors.note } : undefined} />
                    <Button text="Record these days" preventDoubleClick />
                  </form>
                </>
              ) : null}
            </>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };
  const validPlacement = (p: PlacementParams) => valid(p.eid) && TASK.test(p.task);

  app.get<{ Params: PlacementParams; Querystring: Body }>('/programme/:eid/assessment/placement/:task', signedIn, async (req, reply) => {
    if (!validPlacement(req.params)) return reply.callNotFound();
    return placementPage(req, reply);
  });

  app.post<{ Params: PlacementParams; Querystring: Body }>('/programme/:eid/assessment/placement/:task', { ...signedIn, config: { repeatable: ['contrasts'] } }, async (req, reply) => {
    if (!validPlacement(req.params)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const here = `${base(req.params.eid)}/placement/${req.params.task}`;
    try {
      await assessment.recordPlacement(req.actor, req.params.eid, req.params.task, body);
    } catch (err) {
      if (err instanceof ValidationError) return placementPage(req, reply, err.fieldErrors, body, 'school');
      return refusedTo(reply, err, here);
    }
    reply.flash('The placement school is saved. Now record the days you spend there.');
    return reply.redirect(here, 303);
  });

  app.post<{ Params: PlacementParams; Querystring: Body }>('/programme/:eid/assessment/placement/:task/periods', signedIn, async (req, reply) => {
    if (!validPlacement(req.params)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const here = `${base(req.params.eid)}/placement/${req.params.task}`;
    let days: number;
    try {
      days = await assessment.addPlacementPeriod(req.actor, req.params.eid, req.params.task, body);
    } catch (err) {
      if (err instanceof ValidationError) return placementPage(req, reply, err.fieldErrors, body, 'days');
      return refusedTo(reply, err, here);
    }
    reply.flash(`${days} working day${days === 1 ? '' : 's'} recorded. Ask your host to confirm them when you are ready.`);
    return reply.redirect(here, 303);
  });

  app.post<{ Params: PlacementParams & { id: string } }>('/programme/:eid/assessment/placement/:task/periods/:id/remove', signedIn, async (req, reply) => {
    if (!validPlacement(req.params) || !valid(req.params.id)) return reply.callNotFound();
    const here = `${base(req.params.eid)}/placement/${req.params.task}`;
    try {
      await assessment.removePlacementPeriod(req.actor, req.params.eid, req.params.task, req.params.id);
    } catch (err) {
      return refusedTo(reply, err, here);
    }
    reply.flash('Those days are removed.');
    return reply.redirect(here, 303);
  });

  app.post<{ Params: PlacementParams }>('/programme/:eid/assessment/placement/:task/confirm', { ...signedIn, config: sendsEmail }, async (req, reply) => {
    if (!validPlacement(req.params)) return reply.callNotFound();
    const here = `${base(req.params.eid)}/placement/${req.params.task}`;
    let days: number;
    try {
      days = await assessment.askHostToConfirm(req.actor, req.params.eid, req.params.task, one((req.body as Body | undefined)?.again) === 'yes');
    } catch (err) {
      return refusedTo(reply, err, here);
    }
    reply.flash(`We have emailed your host to confirm ${days} working day${days === 1 ? '' : 's'}. Their link works for ${EVIDENCE_LINK_VALID_DAYS} days.`);
    return reply.redirect(here, 303);
  });

  // ——— Governing board presentations ———

  type BoardPageRequest = FastifyRequest<{ Params: { eid: string }; Querystring: { task?: unknown } }>;
  const boardPage = async (req: BoardPageRequest, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const m = await assessment.myBoardPresentations(req.actor, req.params.eid);
    const b = base(req.params.eid);
    // The task the overview's link was followed from (?task=), if it is one of these: the form starts on it, and a refused form keeps what was chosen instead.
    const fromLink = m.tasks.find((t) => t.key === one(req.query?.task))?.key;
    const chosenTask = one(typed?.taskKey) || fromLink || '';
    const taskTitle = (key: string) => m.tasks.find((t) => t.key === key)?.title ?? key;
    const title = m.own ? 'Governing board presentations' : `Governing board presentations: ${m.place.fullName}`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={title} errors={errors} errorTargets={dateTargets(typed, 'presentedOn')}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={b}>
            {m.own ? 'Your assessment' : 'Their assessment'}
          </a>
          <h1 class="govuk-heading-xl">{title}</h1>
          <p class="govuk-body">Present the plan to the governing board before it starts, and gather the board’s feedback: its chair or clerk can give it by an emailed link, or the meeting’s minutes can be uploaded. Task 1’s plan goes to your own school’s board; Task 2’s to the placement school’s.</p>
          {m.presentations.map((x) => {
            const open = m.own && !x.feedback && !x.minutesKey;
            const name = `${x.boardName}, ${formatDate(x.presentedOn)}`;
            return (
                <SummaryList
                  card={{ title: { text: name, headingLevel: 2 }, actions: open ? { items: [{ href: `${b}/board/${x.id}`, text: 'Change' }, { href: `${b}/board/${x.id}/remove`, text: 'Remove' }] } : undefined }}
                  rows={[
                    { key: { text: 'Task' }, value: { text: taskTitle(x.taskKey) } },
                    { key: { text: 'School' }, value: { text: BOARD_SCHOOL_LABELS[x.school as BoardSchool] ?? x.school } },
                    x.feedback
                      ? { key: { text: 'The board’s feedback' }, value: { html: `<p class="govuk-body app-preserve-lines">${escapeHtml(x.feedback)}</p><p class="govuk-hint">${escapeHtml(`${x.feedbackBy}, ${formatDateTime(x.feedbackAt!)}`)}</p>` } }
                      : x.minutesKey
                        ? { key: { text: 'Minutes' }, value: { html: fileLink(`${b}/board/${x.id}/minutes`, { fileName: x.minutesName, fileType: x.minutesType, fileSize: x.minutesSize }) } }
                        : {
                            key: { text: 'Feedback' },
                            value: {
                              html: `<p class="govuk-body">${escapeHtml(x.linkExpired ? `The link sent to ${x.contactName} (${x.contactEmail}) has expired without an answer.` : `Asked of ${x.contactName} (${x.contactRole}, ${x.contactEmail}) on ${formatDate(x.requestedAt!)}. Waiting for their answer.`)}</p>${
                                open && x.contactEmail
                                  ? `<form method="post" action="${b}/board/${x.id}/ask-again"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrfToken)}"><button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button" data-prevent-double-click="true">Send the link again<span class="govuk-visually-hidden"> to ${escapeHtml(x.contactName ?? '')}</span></button></form>`
                                  : ''
                              }`,
                            },
                          },
                  ]}
                />
            );
          })}
          {!m.presentations.length ? <p class="govuk-body">None recorded yet.</p> : null}
          {m.own ? (
            <>
              <h2 class="govuk-heading-m">Record a presentation</h2>
              <form method="post" action={fromLink ? `${b}/board?task=${encodeURIComponent(fromLink)}` : `${b}/board`} enctype="multipart/form-data" novalidate>
                <Csrf ctx={ctx} />
                {m.tasks.length > 1 ? (
                  <Radios idPrefix="taskKey" name="taskKey" fieldset={{ legend: { text: 'Which task was it for?', classes: 'govuk-fieldset__legend--s' } }} value={chosenTask} errorMessage={errors?.taskKey ? { text: errors.taskKey } : undefined} items={m.tasks.map((t) => ({ value: t.key, text: t.title, hint: t.boardOf ? { text: `To ${BOARD_SCHOOL_LABELS[t.boardOf].toLowerCase()}’s governing board` } : undefined }))} />
                ) : null}
                <BoardFields typed={typed} errors={errors} />
                <Radios
                  idPrefix="how"
                  name="how"
                  fieldset={{ legend: { text: 'How will the board’s feedback be given?', classes: 'govuk-fieldset__legend--s' } }}
                  value={one(typed?.how)}
                  errorMessage={errors?.how ? { text: errors.how } : undefined}
                  items={[
                    { value: 'link', text: 'The chair or clerk gives it by an emailed link', hint: { text: 'Fill in their details below. They need no account.' } },
                    { value: 'minutes', text: 'I will upload the minutes of the meeting', hint: { text: 'Choose the file below.' } },
                  ]}
                />
                <fieldset class="govuk-fieldset">
                  <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">If by an emailed link</legend>
                  <ContactFields typed={typed} errors={errors} />
                </fieldset>
                <FileUpload
                  id="file"
                  name="file"
                  label={{ text: 'If by minutes: the minutes', classes: 'govuk-label--s' }}
                  hint={{ text: `${fileTypesText(MINUTES_FILE_TYPES)}, up to ${EVIDENCE_FILE_MAX_BYTES / 1024 / 1024} MB.${errors ? ' If you chose a file before, choose it again.' : ''}` }}
                  errorMessage={errors?.file ? { text: errors.file } : undefined}
                  attributes={{ accept: acceptOf(MINUTES_FILE_TYPES) }}
                />
                <Button text="Record the presentation" preventDoubleClick />
              </form>
            </>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string }; Querystring: { task?: unknown } }>('/programme/:eid/assessment/board', signedIn, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    return boardPage(req, reply);
  });

  app.post<{ Params: { eid: string }; Querystring: { task?: unknown } }>('/programme/:eid/assessment/board', { ...withFile, config: sendsEmail }, async (req, reply) => {
    if (!valid(req.params.eid)) return reply.callNotFound();
    const { body, file } = fieldsOf(req.body);
    const to = `${base(req.params.eid)}/board`;
    try {
      await assessment.recordBoardPresentation(req.actor, req.params.eid, body, file);
    } catch (err) {
      if (err instanceof ValidationError) return boardPage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, to);
    }
    reply.flash(one(body.how) === 'link' ? 'The presentation is recorded, and we have emailed the board’s link.' : 'The presentation and its minutes are recorded.');
    return reply.redirect(to, 303);
  });

  type BoardParams = { eid: string; id: string };
  const presentationOf = async (req: FastifyRequest<{ Params: BoardParams }>) => {
    const m = await assessment.myBoardPresentations(req.actor, req.params.eid);
    const x = m.presentations.find((p) => p.id === req.params.id);
    return m.own && x && !x.feedback && !x.minutesKey ? x : undefined;
  };

  const changePage = async (req: FastifyRequest<{ Params: BoardParams }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const x = await presentationOf(req);
    if (!x) return reply.callNotFound();
    const b = base(req.params.eid);
    const shown = typed ?? { ...dateInputFields('presentedOn', x.presentedOn), boardName: x.boardName, contactName: x.contactName ?? '', contactEmail: x.contactEmail ?? '', contactRole: x.contactRole ?? '' };
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Change a presentation" errors={errors} errorTargets={dateTargets(shown, 'presentedOn')}>
          <a class="govuk-back-link" href={`${b}/board`}>
            Governing board presentations
          </a>
          <h1 class="govuk-heading-xl">Change a presentation</h1>
          <form method="post" action={`${b}/board/${x.id}`} novalidate>
            <Csrf ctx={ctx} />
            <BoardFields typed={shown} errors={errors} />
            {x.contactEmail ? (
              <fieldset class="govuk-fieldset">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Who gives the board’s feedback</legend>
                <div class="govuk-hint">A new email address gets a new link at once; the one sent before stops working.</div>
                <ContactFields typed={shown} errors={errors} />
              </fieldset>
            ) : null}
            <Button text="Save changes" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: BoardParams }>('/programme/:eid/assessment/board/:id', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    return changePage(req, reply);
  });

  app.post<{ Params: BoardParams }>('/programme/:eid/assessment/board/:id', { ...signedIn, config: sendsEmail }, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const to = `${base(req.params.eid)}/board`;
    try {
      await assessment.changeBoardPresentation(req.actor, req.params.eid, req.params.id, body);
    } catch (err) {
      if (err instanceof ValidationError) return changePage(req, reply, err.fieldErrors, body);
      return refusedTo(reply, err, to);
    }
    reply.flash('The presentation is changed.');
    return reply.redirect(to, 303);
  });

  app.get<{ Params: BoardParams }>('/programme/:eid/assessment/board/:id/remove', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    const x = await presentationOf(req);
    if (!x) return reply.callNotFound();
    const b = base(req.params.eid);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Remove this presentation?">
        <a class="govuk-back-link" href={`${b}/board`}>
          Governing board presentations
        </a>
        <h1 class="govuk-heading-xl">Remove this presentation?</h1>
        <p class="govuk-body">{`${x.boardName}, ${formatDate(x.presentedOn)}.${x.contactEmail ? ` The link sent to ${x.contactName} will stop working.` : ''} This cannot be undone: to keep it, go back.`}</p>
        <form method="post" action={`${b}/board/${x.id}/remove`}>
          <Csrf ctx={ctx} />
          <div class="govuk-button-group">
            <Button text="Remove the presentation" classes="govuk-button--warning" />
            <a class="govuk-link" href={`${b}/board`}>
              Keep it
            </a>
          </div>
        </form>
      </Layout>
    ));
  });

  for (const action of ['ask-again', 'remove'] as const) {
    app.post<{ Params: BoardParams }>(`/programme/:eid/assessment/board/:id/${action}`, { ...signedIn, config: action === 'ask-again' ? sendsEmail : {} }, async (req, reply) => {
      if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
      const to = `${base(req.params.eid)}/board`;
      try {
        if (action === 'remove') await assessment.removeBoardPresentation(req.actor, req.params.eid, req.params.id);
        else await assessment.askBoardAgain(req.actor, req.params.eid, req.params.id);
      } catch (err) {
        return refusedTo(reply, err, to);
      }
      reply.flash(action === 'remove' ? 'The presentation is removed.' : 'We have emailed a new link. The old one no longer works.');
      return reply.redirect(to, 303);
    });
  }

  app.get<{ Params: { eid: string; id: string } }>('/programme/:eid/assessment/board/:id/minutes', signedIn, async (req, reply) => {
    if (!valid(req.params.eid, req.params.id)) return reply.callNotFound();
    return sendDownload(reply, await assessment.boardMinutesFile(req.actor, req.params.eid, req.params.id));
  });

  // ——— Pages reached by an emailed link, with no account ———

  const TOKEN = /^[A-Za-z0-9_-]{20,100}$/;
  const linkDone = (reply: FastifyReply, title: string, text: string, status = 200) =>
    reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={title}>
          <h1 class="govuk-heading-xl">{title}</h1>
          <p class="govuk-body">{text}</p>
        </Layout>
      ),
      status,
    );

  const hostPage = async (req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    reply.header('referrer-policy', 'no-referrer');
    const r = await assessment.hostConfirmationRequest(req.params.token);
    if (r.answer) return linkDone(reply, 'Thank you', `${r.answeredBy} has already answered for these days. There is nothing more to do.`);
    if (r.expired) return linkDone(reply, 'This link has expired', `Ask ${r.participant} to send you a new one.`, 410);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Confirm ${r.participant}’s placement days`} errors={errors}>
          <h1 class="govuk-heading-xl">{`Confirm ${r.participant}’s placement days`}</h1>
          <p class="govuk-body">{`${r.participant} has recorded these working days on placement at ${r.school}:`}</p>
          <ul class="govuk-list govuk-list--bullet">
            {r.days.map((d) => (
              <li>{formatDate(d)}</li>
            ))}
          </ul>
          <form method="post" action={`/placement-days/${req.params.token}`} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              idPrefix="answer"
              name="answer"
              fieldset={{ legend: { text: 'Are these days right?', classes: 'govuk-fieldset__legend--m' } }}
              value={one(typed?.answer)}
              errorMessage={errors?.answer ? { text: errors.answer } : undefined}
              items={[
                { value: 'confirmed', text: 'Yes, they spent these days with us' },
                { value: 'disputed', text: 'No, some are not right' },
              ]}
            />
            <Textarea id="comment" name="comment" rows={4} label={{ text: 'If not, which days are wrong?', classes: 'govuk-label--s' }} value={one(typed?.comment)} errorMessage={errors?.comment ? { text: errors.comment } : undefined} />
            <Input id="name" name="name" autocomplete="name" label={{ text: 'Your name', classes: 'govuk-label--s' }} value={one(typed?.name ?? r.hostContact)} errorMessage={errors?.name ? { text: errors.name } : undefined} />
            <Button text="Send your answer" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { token: string } }>('/placement-days/:token', async (req, reply) => {
    if (!TOKEN.test(req.params.token)) return reply.callNotFound();
    return hostPage(req, reply);
  });

  app.post<{ Params: { token: string } }>('/placement-days/:token', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    if (!TOKEN.test(req.params.token)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      const answer = await assessment.answerHostConfirmation(req.params.token, body);
      return linkDone(reply, 'Thank you', answer === 'confirmed' ? 'You have confirmed the placement days. We have told the participant.' : 'We have told the participant which days are not right, so they can correct them.');
    } catch (err) {
      if (err instanceof ValidationError) return hostPage(req, reply, err.fieldErrors, body);
      if (err instanceof AppError && (err.code === 'link_expired' || err.code === 'already_answered')) return hostPage(req, reply);
      throw err;
    }
  });

  const boardFeedbackPage = async (req: FastifyRequest<{ Params: { token: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    reply.header('referrer-policy', 'no-referrer');
    const r = await assessment.boardFeedbackRequest(req.params.token);
    if (r.given) return linkDone(reply, 'Thank you', 'The board’s feedback has been given. There is nothing more to do.');
    if (r.expired) return linkDone(reply, 'This link has expired', `Ask ${r.participant} to send you a new one.`, 410);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="The board’s feedback" errors={errors}>
          <span class="govuk-caption-l">{`${r.board}, ${formatDate(r.presentedOn)}`}</span>
          <h1 class="govuk-heading-xl">{`The board’s feedback on ${r.participant}’s plan`}</h1>
          <p class="govuk-body">{`${r.participant} presented their plan to the board as part of their National Professional Qualification. What the board said is part of their assessment.`}</p>
          <form method="post" action={`/board-feedback/${req.params.token}`} novalidate>
            <Csrf ctx={ctx} />
            <Textarea id="feedback" name="feedback" rows={8} label={{ text: 'The board’s feedback on the plan', classes: 'govuk-label--s' }} hint={{ text: `Up to ${EVIDENCE_TEXT_MAX.toLocaleString('en-GB')} characters.` }} value={one(typed?.feedback)} errorMessage={errors?.feedback ? { text: errors.feedback } : undefined} />
            <Input id="name" name="name" autocomplete="name" label={{ text: 'Your name', classes: 'govuk-label--s' }} value={one(typed?.name ?? r.contactName)} errorMessage={errors?.name ? { text: errors.name } : undefined} />
            <Button text="Send the board’s feedback" preventDoubleClick />
          </form>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { token: string } }>('/board-feedback/:token', async (req, reply) => {
    if (!TOKEN.test(req.params.token)) return reply.callNotFound();
    return boardFeedbackPage(req, reply);
  });

  app.post<{ Params: { token: string } }>('/board-feedback/:token', { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } }, async (req, reply) => {
    if (!TOKEN.test(req.params.token)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      await assessment.giveBoardFeedback(req.params.token, body);
      return linkDone(reply, 'Thank you', 'The board’s feedback is sent. We have told the participant.');
    } catch (err) {
      if (err instanceof ValidationError) return boardFeedbackPage(req, reply, err.fieldErrors, body);
      if (err instanceof AppError && (err.code === 'link_expired' || err.code === 'already_given')) return boardFeedbackPage(req, reply);
      throw err;
    }
  });
}

/** The fields of a project log entry: the day, the time spent, and the reflection (`typed` as sent, or the entry as kept). */
function EntryFields(p: { typed?: Body | undefined; errors?: FieldErrors | undefined }) {
  // Hours and minutes are one question: one message for whichever is wrong, each field marked on its own.
  const timeError = p.errors?.hours ?? p.errors?.minutes;
  return (
    <>
      <DateField name="workedOn" legend="When did you work on it?" hint="For example, 14 10 2026" values={p.typed} error={p.errors?.workedOn} />
      <div class={`govuk-form-group${timeError ? ' govuk-form-group--error' : ''}`}>
        <fieldset class="govuk-fieldset" aria-describedby={`hours-hint${timeError ? ' hours-error' : ''}`}>
          <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">How long did you spend?</legend>
          <div class="govuk-hint" id="hours-hint">{`At most ${hoursAndMinutes(PROJECT_ENTRY_MAX_MINUTES)} in one entry.`}</div>
          {timeError ? (
            <p class="govuk-error-message" id="hours-error">
              <span class="govuk-visually-hidden">Error:</span> {timeError}
            </p>
          ) : null}
          <div class="govuk-date-input">
            <Input id="hours" name="hours" inputmode="numeric" classes={`govuk-input--width-2${p.errors?.hours ? ' govuk-input--error' : ''}`} label={{ text: 'Hours', classes: 'govuk-date-input__label' }} value={one(p.typed?.hours)} formGroup={{ classes: 'govuk-date-input__item' }} />
            <Input id="minutes" name="minutes" inputmode="numeric" classes={`govuk-input--width-2${p.errors?.minutes ? ' govuk-input--error' : ''}`} label={{ text: 'Minutes', classes: 'govuk-date-input__label' }} value={one(p.typed?.minutes)} formGroup={{ classes: 'govuk-date-input__item' }} />
          </div>
        </fieldset>
      </div>
      <Textarea id="reflection" name="reflection" rows={5} label={{ text: 'What did you do, and what did you learn?', classes: 'govuk-label--s' }} hint={{ text: `Up to ${EVIDENCE_TEXT_MAX.toLocaleString('en-GB')} characters.` }} value={one(p.typed?.reflection)} errorMessage={p.errors?.reflection ? { text: p.errors.reflection } : undefined} />
    </>
  );
}

/** A presentation's day and board. */
function BoardFields(p: { typed?: Body | undefined; errors?: FieldErrors | undefined }) {
  return (
    <>
      <DateField name="presentedOn" legend="When did you present?" hint="For example, 3 2 2027" values={p.typed} error={p.errors?.presentedOn} />
      <Input id="boardName" name="boardName" label={{ text: 'The governing board', classes: 'govuk-label--s' }} hint={{ text: 'For example, “Governing board of Oakfield Primary School”.' }} value={one(p.typed?.boardName)} errorMessage={p.errors?.boardName ? { text: p.errors.boardName } : undefined} />
    </>
  );
}

/** Who gives a board's feedback by link: their name, email and role. */
function ContactFields(p: { typed?: Body | undefined; errors?: FieldErrors | undefined }) {
  return (
    <>
      <Input id="contactName" name="contactName" autocomplete="off" label={{ text: 'Their name' }} value={one(p.typed?.contactName)} errorMessage={p.errors?.contactName ? { text: p.errors.contactName } : undefined} />
      <Input id="contactEmail" name="contactEmail" type="email" autocomplete="off" spellcheck={false} label={{ text: 'Their email address' }} value={one(p.typed?.contactEmail)} errorMessage={p.errors?.contactEmail ? { text: p.errors.contactEmail } : undefined} />
      <Radios idPrefix="contactRole" name="contactRole" classes="govuk-radios--inline govuk-radios--small" fieldset={{ legend: { text: 'Their role on the board' } }} value={one(p.typed?.contactRole)} errorMessage={p.errors?.contactRole ? { text: p.errors.contactRole } : undefined} items={[{ value: 'chair', text: 'Chair' }, { value: 'clerk', text: 'Clerk' }]} />
    </>
  );
}
