import { one } from '../../platform/forms';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { timeZoneLabel } from '../../enrolment/domain/time-zones';
import { formatDate, formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { Layout } from '../../platform/layout';
import { renderMarkdown } from '../../platform/markdown';
import type { PageContext } from '../../platform/page-context';
import { escapeHtml } from '../../ui/govuk/core';
import { requireSignIn } from '../../platform/web';
import type { Clock } from '../../platform/clock';
import { minuteVersion } from '../../platform/kept-version';
import type { Notifier } from '../../platform/notifier';
import { PersonalPages } from '../../platform/personal-pages';
import { KEPT_PAGE_CHANNELS } from '../learning.context';
import { Button, FileUpload, InsetText, Radios, SummaryList, Table, Tag, Textarea, WarningText } from '../../ui/govuk';
import { acceptOf } from '../../platform/file-types';
import { CORE_TASK_FILE_MAX_BYTES, CORE_TASK_FILE_TYPES, CORE_TASK_MAX_CHARACTERS, CORE_TASK_STATUS_LABELS, type CoreTaskStatus, maySubmitAttempt } from '../domain/core-task';
import type { CoreTaskAttempt } from '../participants/core-tasks';
import { acceptFileForms, sentFile } from '../../platform/file-forms';
import { isAssessed } from '../../assessment/domain/assessment-spec';
import { fileLink, sendDownload } from '../../platform/file-download';
import { ACTIVITY_KIND_LABELS, type Activity, catchUpKey, findModule, howDone, modulesOf, preWorkKey, REFLECTION_MAX_CHARACTERS } from '../domain/programme';
import type { Reflection } from '../participants/reflections';
import { JOIN_OPENS_MINUTES_BEFORE, joinMark, mayReply, type Reply, type TimelineItem } from '../domain/timeline';
import { REPLY_REASON_MAX } from '../participants/sessions';
import { Discussion } from './discussion';
import type { LearningService } from '../learning.service';
import type { PlaceProgramme } from '../participants/my-programme';
import { calendarOf } from '../calendar/calendar-feed';
import { whenText, whereText } from '../session-text';
import { ATTENDANCE_LABELS, COMPONENT_LABELS, hoursAndMinutes } from './labels';
import { Flash } from '../../platform/flash';

/** The participant's 360° rounds, from the diagnostic (handed in by src/app.ts: docs/adr/0029). */
export interface OwnRounds {
  myRounds(actor: FastifyRequest['actor']): Promise<{ round: { id: string; kind: string; opensOn: string; closesOn: string }; courseIdentifier: string; state: string }[]>;
}

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const KEY = /^[a-z0-9-]{1,60}$/;
const ROUND_NAMES: Record<string, string> = { start: 'Start of programme', end: 'End of programme' };

const REPLY_TEXT = (r: Reply): string => (r.reply === 'attending' ? `You will attend${r.reason ? `. You told your facilitator: ${r.reason}` : ''}` : `You cannot attend: ${r.reason}`);

const STATE_TAG: Record<string, { text: string; classes: string }> = {
  unscheduled: { text: 'Date to follow', classes: 'govuk-tag--grey' },
  upcoming: { text: 'Coming up', classes: 'govuk-tag--blue' },
  in_progress: { text: 'Happening now', classes: 'govuk-tag--green' },
  past: { text: 'Finished', classes: 'govuk-tag--grey' },
};

function itemRow(p: PlaceProgramme, item: TimelineItem): { when: string; what: string; status: { text: string; classes: string } } {
  const base = `/programme/${p.place.enrolmentId}`;
  if (item.kind === 'module') {
    const when = item.plan?.releasesOn ? `Released ${formatDate(item.plan.releasesOn)}` : 'Release date to follow';
    const link = item.released ? `<a class="govuk-link" href="${base}/modules/${item.key}">${escapeHtml(item.module.title)}</a>` : escapeHtml(item.module.title);
    const status = item.complete ? { text: 'Done', classes: 'govuk-tag--green' } : item.released ? { text: `${item.activitiesDone} of ${item.module.activities.length} done`, classes: 'govuk-tag--light-blue' } : { text: 'Not released yet', classes: 'govuk-tag--grey' };
    return { when, what: `Online course module: ${link}<br><span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(item.courseTitle)}</span>`, status };
  }
  const title = item.kind === 'event' ? item.event.title : `Online briefing: ${item.briefing.title}`;
  const where = whereText(p, item.plan);
  const attended = item.attendance ? { text: ATTENDANCE_LABELS[item.attendance], classes: item.attendance === 'absent' ? 'govuk-tag--red' : 'govuk-tag--green' } : undefined;
  const cannot = item.state === 'upcoming' && item.reply?.reply === 'cannot_attend' ? { text: 'You cannot attend', classes: 'govuk-tag--orange' } : undefined;
  const hint = (text: string) => `<br><span class="govuk-hint govuk-!-margin-bottom-0">${text}</span>`;
  const preWork = item.kind === 'event' && item.event.preWork && item.state !== 'past' ? hint(`Pre-work: ${item.preWorkDone ? 'done' : item.plan?.preWorkDueOn ? `due ${formatDate(item.plan.preWorkDueOn)}` : 'to do'}`) : '';
  const catchUp = item.kind === 'event' && item.catchUp !== 'none' ? hint(`Catch-up task: ${item.catchUp === 'done' ? 'done' : 'to do'}`) : '';
  return {
    when: whenText(item.plan, p.timeZone),
    what: `<a class="govuk-link" href="${base}/sessions/${item.key}">${escapeHtml(title)}</a>${where ? hint(escapeHtml(where)) : ''}${preWork}${catchUp}`,
    status: attended ?? cannot ?? STATE_TAG[item.state]!,
  };
}


/** What to do next: catch-up tasks of events missed, the next two sessions (with their pre-work), then the three oldest released modules not finished. */
function nextUp(p: PlaceProgramme): TimelineItem[] {
  const catchUps = p.timeline.filter((i) => i.kind === 'event' && i.catchUp === 'to_do');
  const sessions = p.timeline.filter((i) => i.kind !== 'module' && (i.state === 'upcoming' || i.state === 'in_progress')).slice(0, 2);
  const modules = p.timeline.filter((i) => i.kind === 'module' && i.released && !i.complete).slice(0, 3);
  return [...catchUps, ...sessions, ...modules];
}

export async function programmeRoutes(app: FastifyInstance, opts: { learning: LearningService; diagnostic: OwnRounds; catalogue: { list(): Promise<{ identifier: string; name: string }[]> }; kept: { notifier: Pick<Notifier, 'subscribe'>; clock: Clock; on: boolean }; site: { baseUrl: string; providerName: string } }) {
  const { learning, diagnostic, catalogue, site } = opts;
  const signedIn = { preHandler: requireSignIn };
  await acceptFileForms(app, CORE_TASK_FILE_MAX_BYTES);
  const programmePages = new PersonalPages();
  const version = minuteVersion(opts.kept.notifier, KEPT_PAGE_CHANNELS, opts.kept.clock);

  app.get('/programme', signedIn, async (req, reply) => reply.personalPage(programmePages, version(), async () => ({ keep: opts.kept.on, render: await programmePage(req) })));

  const programmePage = async (req: FastifyRequest) => {
    const [programmes, rounds, names] = await Promise.all([learning.myProgrammes(req.actor), diagnostic.myRounds(req.actor), catalogue.list()]);
    // Core tasks sent back: said at the top, so the feedback is not found only by opening the module.
    const sentBack = new Map(
      await Promise.all(
        programmes.map(async (p) => {
          const attempts = await learning.myCoreTaskAttempts(req.actor, p.place.enrolmentId);
          const latest = new Map(attempts.map((a) => [a.activityKey, a]));
          const back = [...latest.values()].filter((a) => a.status === 'needs_more_work').flatMap((a) => modulesOf(p.content).filter((m) => m.module.activities.some((x) => x.key === a.activityKey)));
          return [p.place.enrolmentId, back] as const;
        }),
      ),
    );
    const nameOf = (identifier: string) => names.find((n) => n.identifier === identifier)?.name ?? identifier;
    return (ctx: PageContext) => (
      <Layout ctx={ctx} title="Your programme">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Your programme</h1>
        {programmes.length === 0 ? <InsetText text="Your programme appears here once you have a place on an NPQ and its dates are set. We will email you." /> : null}
        {programmes.map((p) => {
          const next = nextUp(p);
          return (
            <section data-programme={p.place.enrolmentId}>
              <h2 class="govuk-heading-l">{nameOf(p.place.courseIdentifier)}</h2>
              <p class="govuk-body">
                {`${p.intake.name}${p.group ? `, ${p.group.name}${p.group.facilitatorName ? ` (your facilitator: ${p.group.facilitatorName})` : ''}` : ''}. Times are shown in ${timeZoneLabel(p.timeZone)}.`}
                {p.place.trainingStatus === 'deferred' ? ' Your place is deferred: nothing can be marked done until you resume.' : ''}
                {p.place.trainingStatus === 'withdrawn' ? ' You have withdrawn from this NPQ.' : ''}
              </p>
              {(sentBack.get(p.place.enrolmentId) ?? []).map(({ module }) => (
                <div class="govuk-warning-text">
                  <span class="govuk-warning-text__icon" aria-hidden="true">
                    !
                  </span>
                  <strong class="govuk-warning-text__text">
                    <span class="govuk-visually-hidden">Warning</span>
                    Your core task for “{module.title}” needs more work.{' '}
                    <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/modules/${module.key}`}>
                      Read your facilitator’s feedback and send it again
                    </a>
                  </strong>
                </div>
              ))}
              <h3 class="govuk-heading-m">What to do next</h3>
              {next.length ? (
                <ul class="govuk-list govuk-list--spaced" data-next>
                  {next.map((i) => {
                    const row = itemRow(p, i);
                    return <li dangerouslySetInnerHTML={{ __html: `<strong>${escapeHtml(row.when)}</strong><br>${row.what}` }} />;
                  })}
                </ul>
              ) : (
                <p class="govuk-body">Nothing is due now. Your next dates appear here when they are set.</p>
              )}
              <h3 class="govuk-heading-m">Coaching and support</h3>
              <ul class="govuk-list">
                <li>
                  <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/coaching`}>
                    Your coaching: book a session, and see your hours and agreed actions
                  </a>
                </li>
                <li>
                  <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/messages`}>
                    Messages with your personal tutor and facilitator
                  </a>
                </li>
                <li>
                  <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/engagement`}>
                    Your engagement: how much of the learning expected of you so far you have done
                  </a>
                </li>
                {isAssessed(p.place.courseIdentifier) ? (
                  <li>
                    <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/assessment`}>
                      Your assessment: the tasks, your project log, placement and board presentations
                    </a>
                  </li>
                ) : null}
                <li>
                  <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/feedback`}>
                    Your feedback: tell us how sessions, modules and coaching went
                  </a>
                </li>
              </ul>
              <Table
                caption="Your progress"
                captionClasses="govuk-table__caption--m"
                head={[{ text: 'Part of the programme' }, { text: 'Done', format: 'numeric' }, { text: 'Learning recorded', format: 'numeric' }, { text: 'Expected by now', format: 'numeric' }]}
                rows={p.progress.map((c) => [
                  { text: COMPONENT_LABELS[c.component] },
                  { text: `${c.itemsDone} of ${c.itemsTotal}`, format: 'numeric' },
                  { text: hoursAndMinutes(c.evidencedMinutes), format: 'numeric' },
                  { text: hoursAndMinutes(c.expectedMinutes), format: 'numeric' },
                ])}
              />
              <Table
                caption="Your timetable"
                captionClasses="govuk-table__caption--m"
                firstCellIsHeader
                head={[{ text: 'When' }, { text: 'What' }, { text: 'Status' }]}
                rows={p.timeline.map((i) => {
                  const row = itemRow(p, i);
                  return [{ text: row.when }, { html: row.what }, { html: `<strong class="govuk-tag ${row.status.classes}">${escapeHtml(row.status.text)}</strong>` }];
                })}
              />
            </section>
          );
        })}
        {rounds.length ? (
          <>
            <h2 class="govuk-heading-l">360° leadership diagnostic</h2>
            <ul class="govuk-list">
              {rounds.map((r) => (
                <li>
                  <a class="govuk-link" href={`/diagnostic/${r.round.id}`}>
                    {ROUND_NAMES[r.round.kind] ?? r.round.kind}
                  </a>
                  , {nameOf(r.courseIdentifier)}: {formatDate(r.round.opensOn)} to {formatDate(r.round.closesOn)}
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {programmes.length ? (
          <>
            <h2 class="govuk-heading-l">In your own calendar</h2>
            <p class="govuk-body">
              Add your events, briefings, pre-work deadlines and module releases to Outlook, Google Calendar or your phone, and they stay up to date. <a class="govuk-link" href="/programme/calendar">Get your calendar link</a>
            </p>
          </>
        ) : null}
      </Layout>
    );
  };

  const place = (req: FastifyRequest<{ Params: { eid: string; key: string } }>) => uuid.safeParse(req.params.eid).success && KEY.test(req.params.key);

  const modulePage = async (req: FastifyRequest<{ Params: { eid: string; key: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const [p, attempts, written] = await Promise.all([learning.myProgramme(req.actor, req.params.eid), learning.myCoreTaskAttempts(req.actor, req.params.eid), learning.myReflections(req.actor, req.params.eid)]);
    const found = findModule(p.content, req.params.key);
    const item = p.timeline.find((i) => i.key === req.params.key);
    if (!found || item?.kind !== 'module' || !item.released) return reply.callNotFound();
    const discussion = await learning.readDiscussion(req.actor, { enrolmentId: p.place.enrolmentId, read: p }, req.params.key);
    const { course, module } = found;
    const active = p.place.trainingStatus === 'active';
    const back = `/programme/${p.place.enrolmentId}/modules/${module.key}`;
    return reply.page(
      (ctx: PageContext) => (
      <Layout ctx={ctx} title={module.title} errors={errors}>
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href="/programme">
          Your programme
        </a>
        <span class="govuk-caption-l">{course.title}</span>
        <h1 class="govuk-heading-xl">{module.title}</h1>
        <p class="govuk-body" id="module-status">
          Released {formatDate(item.plan!.releasesOn!)}. {item.activitiesDone} of {module.activities.length} activities done.
        </p>
        {module.activities.map((a, i) => (
          <ActivitySection ctx={ctx} activity={a} n={i + 1} done={p.record.done.get(a.key)} timeZone={p.timeZone} action={`/programme/${p.place.enrolmentId}/done`} back={back} active={active} attempts={attempts.filter((x) => x.activityKey === a.key)} coreTaskAction={`/programme/${p.place.enrolmentId}/core-tasks/${a.key}`} filesBase={`/programme/${p.place.enrolmentId}/core-task-files`} materialsBase={`/programme/${p.place.enrolmentId}/files`} reflection={written.get(a.key)} reflectionAction={`/programme/${p.place.enrolmentId}/reflections/${a.key}`} errors={errors} typed={typed?.form === 'core-task' || (typed?.form === 'reflection' && typed.activity === a.key) ? typed : undefined} />
        ))}
        <Discussion ctx={ctx} threads={discussion.threads} timeZone={p.timeZone} action={`${back}/discussion`} mayPost={discussion.mayPost} errors={errors} typed={typed?.form === 'discussion' ? typed : undefined} audience={discussion.group ? `Everyone in ${discussion.group.name} and the intake’s facilitators can read it.` : 'Everyone in your intake and its facilitators can read it.'} />
      </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { eid: string; key: string } }>('/programme/:eid/modules/:key', signedIn, async (req, reply) => (place(req) ? modulePage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { eid: string; key: string } }>('/programme/:eid/modules/:key/discussion', signedIn, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const replyTo = one(body.replyTo) || undefined;
    // A reply names its thread; a name that is not one is a form no page of ours sent.
    if (replyTo && !uuid.safeParse(replyTo).success) return reply.callNotFound();
    try {
      await learning.postToDiscussion(req.actor, { enrolmentId: req.params.eid }, req.params.key, { body: one(body.body), replyTo });
    } catch (err) {
      if (err instanceof ValidationError) return modulePage(req, reply, replyTo ? { [`body-${replyTo}`]: err.fieldErrors.body ?? 'Enter your reply' } : err.fieldErrors, { ...body, form: 'discussion' });
      throw err;
    }
    reply.flash(replyTo ? 'Your reply is posted.' : 'Your post is added to the discussion.');
    return reply.redirect(`/programme/${req.params.eid}/modules/${req.params.key}#discussion`, 303);
  });

  // A body larger than a form's: whoever sends it is checked before any of it is read (onRequest, not preHandler).
  app.post<{ Params: { eid: string; key: string } }>('/programme/:eid/core-tasks/:key', { onRequest: requireSignIn, bodyLimit: CORE_TASK_FILE_MAX_BYTES + 1024 * 1024 }, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const { file, ...fields } = (req.body ?? {}) as Body & { file?: unknown };
    const body: Body = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, one(v)]));
    const sent = sentFile(file);
    const p = await learning.myProgramme(req.actor, req.params.eid);
    const moduleKey = p.content.courses.flatMap((c) => c.modules).find((m) => m.activities.some((a) => a.key === req.params.key))?.key;
    if (!moduleKey) return reply.callNotFound();
    const activityKey = req.params.key;
    // On a refusal the module's page is shown again, as if asked for by its own address.
    const moduleReq = Object.assign(req, { params: { eid: req.params.eid, key: moduleKey } });
    try {
      await learning.submitCoreTask(req.actor, req.params.eid, activityKey, String(body.text ?? ''), sent);
    } catch (err) {
      if (err instanceof ValidationError) return modulePage(moduleReq, reply, err.fieldErrors, { ...body, form: 'core-task' });
      if (err instanceof AppError && err.status === 422) return modulePage(moduleReq, reply, { text: err.message }, { ...body, form: 'core-task' });
      throw err;
    }
    reply.flash('Your core task is sent. Your facilitator will review it: we will show their feedback here.');
    return reply.redirect(`/programme/${req.params.eid}/modules/${moduleKey}#${activityKey}`, 303);
  });

  const sessionPage = async (req: FastifyRequest<{ Params: { eid: string; key: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const p = await learning.myProgramme(req.actor, req.params.eid);
    const item = p.timeline.find((i) => i.key === req.params.key);
    if (!item || item.kind === 'module') return reply.callNotFound();
    const entry = item.plan;
    const title = item.kind === 'event' ? item.event.title : `Online briefing: ${item.briefing.title}`;
    const where = whereText(p, entry);
    const preWork = item.kind === 'event' ? item.event.preWork : null;
    const catchUp = item.kind === 'event' && item.catchUp !== 'none' ? item.event.catchUp : null;
    const base = `/programme/${p.place.enrolmentId}`;
    const active = p.place.trainingStatus === 'active';
    const replyOpen = active && mayReply(entry, p.now);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={title} errors={errors}>
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href="/programme">
          Your programme
        </a>
        <h1 class="govuk-heading-xl">{title}</h1>
        <SummaryList
          rows={[
            { key: { text: 'When' }, value: { text: `${whenText(entry, p.timeZone)}${entry?.startsAt ? `, ${timeZoneLabel(p.timeZone)}` : ''}` } },
            ...(entry?.runsUntil ? [{ key: { text: 'Runs until' }, value: { text: `${formatDate(entry.runsUntil)}: the activities run over two weeks; the time above is the live session` } }] : []),
            ...(where ? [{ key: { text: 'Where' }, value: { text: where } }] : []),
            ...(entry?.facilitatorUserId && p.leaders.get(entry.facilitatorUserId) ? [{ key: { text: 'Led by' }, value: { text: p.leaders.get(entry.facilitatorUserId)! } }] : []),
            { key: { text: 'Status' }, value: { text: item.attendance ? ATTENDANCE_LABELS[item.attendance] : STATE_TAG[item.state]!.text } },
            ...(item.reply ? [{ key: { text: 'You said' }, value: { text: REPLY_TEXT(item.reply) } }] : []),
            ...(entry?.recordingUrl && item.state !== 'upcoming' ? [{ key: { text: 'Recording' }, value: { html: `<a class="govuk-link" href="${escapeHtml(entry.recordingUrl)}" rel="noopener noreferrer">Watch the recording</a> (on another website)` } }] : []),
          ]}
        />
        {entry?.joinUrl && joinMark(entry, p.now) ? (
          <form method="post" action={`${base}/sessions/${item.key}/join`} novalidate>
            <Csrf ctx={ctx} />
            <p class="govuk-body">Joining through this button puts you on the register.</p>
            <Button text="Join the session online" preventDoubleClick />
          </form>
        ) : entry?.joinUrl && item.state === 'upcoming' ? (
          <p class="govuk-body">The button to join appears here {JOIN_OPENS_MINUTES_BEFORE} minutes before the session starts. Joining through it puts you on the register.</p>
        ) : null}
        {replyOpen ? (
          <form method="post" action={`${base}/sessions/${item.key}/reply`} novalidate>
            <Csrf ctx={ctx} />
            <Radios
              idPrefix="reply"
              name="reply"
              fieldset={{ legend: { text: item.reply ? 'Change your reply' : 'Will you attend?', classes: 'govuk-fieldset__legend--m' } }}
              hint={{ text: 'Your facilitator sees your reply on the register. You can change it until the session starts.' }}
              value={typed?.reply ?? item.reply?.reply}
              errorMessage={errors?.reply ? { text: errors.reply } : undefined}
              items={[
                { value: 'attending', text: 'Yes, I will attend' },
                { value: 'cannot_attend', text: 'No, I cannot attend' },
              ]}
            />
            {/* Not a conditional reveal: govuk-frontend marks the radio aria-expanded, an attribute a radio may not have (axe: aria-allowed-attr). */}
            <Textarea id="reason" name="reason" rows={3} label={{ text: 'If you cannot attend, why not? (Or anything your facilitator should know)', classes: 'govuk-label--s' }} value={typed?.reason ?? item.reply?.reason ?? ''} errorMessage={errors?.reason ? { text: errors.reason } : undefined} attributes={{ maxlength: String(REPLY_REASON_MAX) }} />
            <Button text="Send your reply" classes="govuk-button--secondary" preventDoubleClick />
          </form>
        ) : null}
        {entry?.startsAt ? (
          <p class="govuk-body">
            <a class="govuk-link" href={`${base}/sessions/${item.key}/calendar.ics`} download>
              Add this to your calendar (.ics file)
            </a>
          </p>
        ) : null}
        {item.kind === 'event' ? (
          <>
            <h2 class="govuk-heading-m">Agenda</h2>
            <ul class="govuk-list govuk-list--bullet">
              {item.event.agenda.map((a) => (
                <li>{a}</li>
              ))}
            </ul>
          </>
        ) : (
          <div dangerouslySetInnerHTML={{ __html: renderMarkdown(item.briefing.description) }} />
        )}
        {preWork ? (
          <>
            <h2 class="govuk-heading-m">Pre-work: {preWork.title}</h2>
            {entry?.preWorkDueOn ? <p class="govuk-body">Due by {formatDate(entry.preWorkDueOn)}.</p> : null}
            <div dangerouslySetInnerHTML={{ __html: renderMarkdown(preWork.body) }} />
            <DoneForm ctx={ctx} itemKey={preWorkKey(item.key)} done={p.record.done.get(preWorkKey(item.key))} timeZone={p.timeZone} action={`${base}/done`} back={`${base}/sessions/${item.key}`} active={active} label="pre-work" />
          </>
        ) : null}
        {catchUp ? (
          <section id="catch-up">
            <h2 class="govuk-heading-m">Catch-up: {catchUp.title}</h2>
            <p class="govuk-body">You missed this event. Doing its catch-up task counts towards your learning instead.</p>
            <div dangerouslySetInnerHTML={{ __html: renderMarkdown(catchUp.body) }} />
            <DoneForm ctx={ctx} itemKey={catchUpKey(item.key)} done={p.record.done.get(catchUpKey(item.key))} timeZone={p.timeZone} action={`${base}/done`} back={`${base}/sessions/${item.key}#catch-up`} active={active} label="catch-up task" />
          </section>
        ) : null}
      </Layout>
    ), errors ? 422 : 200);
  };

  app.get<{ Params: { eid: string; attempt: string } }>('/programme/:eid/core-task-files/:attempt', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success || !uuid.safeParse(req.params.attempt).success) return reply.callNotFound();
    return sendDownload(reply, await learning.coreTaskFile(req.actor, req.params.attempt));
  });

  app.post<{ Params: { eid: string; key: string } }>('/programme/:eid/reflections/:key', signedIn, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const p = await learning.myProgramme(req.actor, req.params.eid);
    const moduleKey = modulesOf(p.content).find(({ module }) => module.activities.some((a) => a.key === req.params.key && a.kind === 'reflection'))?.module.key;
    if (!moduleKey) return reply.callNotFound();
    const activity = req.params.key;
    // On a refusal the module's page is shown again, as if asked for by its own address, with what was written kept.
    const moduleReq = Object.assign(req, { params: { eid: req.params.eid, key: moduleKey } });
    const typed = { ...body, form: 'reflection', activity };
    try {
      await learning.writeReflection(req.actor, req.params.eid, activity, one(body.text));
    } catch (err) {
      if (err instanceof ValidationError) return modulePage(moduleReq, reply, { [`reflection-${activity}`]: err.fieldErrors.text ?? 'Check your reflection' }, typed);
      if (err instanceof AppError && err.status === 422) return modulePage(moduleReq, reply, { [`reflection-${activity}`]: err.message }, typed);
      throw err;
    }
    reply.flash('Your reflection is saved.');
    return reply.redirect(`/programme/${req.params.eid}/modules/${moduleKey}#${activity}`, 303);
  });

  // A course material, by the activity that names it: only on the participant's own place, once its module is released.
  app.get<{ Params: { eid: string; key: string } }>('/programme/:eid/files/:key', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success || !KEY.test(req.params.key)) return reply.callNotFound();
    return sendDownload(reply, await learning.myMaterial(req.actor, req.params.eid, req.params.key));
  });

  app.get<{ Params: { eid: string; key: string } }>('/programme/:eid/sessions/:key', signedIn, async (req, reply) => (place(req) ? sessionPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { eid: string; key: string } }>('/programme/:eid/sessions/:key/reply', signedIn, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    try {
      const said = await learning.replyToSession(req.actor, req.params.eid, req.params.key, { reply: one(body.reply), reason: one(body.reason) });
      reply.flash(said === 'attending' ? 'Thank you: your facilitator knows you will attend.' : 'Thank you: your facilitator knows you cannot attend. If the event has a catch-up task, it appears here after the event.');
    } catch (err) {
      if (err instanceof ValidationError) return sessionPage(req, reply, err.fieldErrors, body);
      // Replies are closed (the session started, the place is paused): the page has no form to point at, so it says so at the top.
      if (err instanceof AppError && err.status === 422) {
        reply.flash(err.message, 'important');
        return reply.redirect(`/programme/${req.params.eid}/sessions/${req.params.key}`, 303);
      }
      throw err;
    }
    return reply.redirect(`/programme/${req.params.eid}/sessions/${req.params.key}`, 303);
  });

  app.post<{ Params: { eid: string; key: string } }>('/programme/:eid/sessions/:key/join', signedIn, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const { recorded } = await learning.joinSession(req.actor, req.params.eid, req.params.key);
    if (recorded) reply.flash(recorded === 'late' ? 'You are on the register, as joining late.' : 'You are on the register.');
    // A form may only lead back to this site (the pages' CSP: form-action 'self'), so the meeting opens from a page of ours.
    return reply.redirect(`/programme/${req.params.eid}/sessions/${req.params.key}/joining`, 303);
  });

  app.get<{ Params: { eid: string; key: string } }>('/programme/:eid/sessions/:key/joining', signedIn, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const p = await learning.myProgramme(req.actor, req.params.eid);
    const item = p.timeline.find((i) => i.key === req.params.key);
    if (!item || item.kind === 'module' || !item.plan?.joinUrl) return reply.callNotFound();
    const title = item.kind === 'event' ? item.event.title : `Online briefing: ${item.briefing.title}`;
    const joinUrl = item.plan.joinUrl;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Joining ${title}`} head={<meta http-equiv="refresh" content={`0;url=${joinUrl}`} />}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Joining {title}</h1>
        <p class="govuk-body">The meeting opens now. If it does not, use the button.</p>
        <a class="govuk-button" href={joinUrl} rel="noopener noreferrer" data-module="govuk-button">
          Open the meeting
        </a>
        <p class="govuk-body">
          <a class="govuk-link" href={`/programme/${p.place.enrolmentId}/sessions/${item.key}`}>
            Back to the session’s page
          </a>
        </p>
      </Layout>
    ));
  });

  app.get<{ Params: { eid: string; key: string } }>('/programme/:eid/sessions/:key/calendar.ics', signedIn, async (req, reply) => {
    if (!place(req)) return reply.callNotFound();
    const p = await learning.myProgramme(req.actor, req.params.eid);
    const item = p.timeline.find((i) => i.key === req.params.key);
    if (!item || item.kind === 'module' || !item.plan?.startsAt) return reply.callNotFound();
    return reply
      .header('content-type', 'text/calendar; charset=utf-8')
      .header('content-disposition', `attachment; filename="${item.key}.ics"`)
      .header('cache-control', 'private, no-store')
      .send(calendarOf([p], site, item.key));
  });

  app.post<{ Params: { eid: string } }>('/programme/:eid/done', signedIn, async (req, reply) => {
    if (!uuid.safeParse(req.params.eid).success) return reply.callNotFound();
    const body = (req.body ?? {}) as Body;
    const itemKey = String(body.item ?? '');
    const back = String(body.back ?? '');
    const to = back.startsWith(`/programme/${req.params.eid}/`) && /^[a-z0-9/#-]+$/i.test(back) ? back : '/programme';
    if (!KEY.test(itemKey)) return reply.callNotFound();
    try {
      await learning.markDone(req.actor, req.params.eid, itemKey, body.done !== 'no');
      reply.flash(body.done === 'no' ? 'Marked as not done.' : 'Marked as done.');
    } catch (err) {
      if (err instanceof AppError && err.status === 422) reply.flash(err.message, 'important');
      else throw err;
    }
    return reply.redirect(to, 303);
  });

  app.get('/programme/calendar', signedIn, async (req, reply) => {
    const link = await learning.calendarFeedLink(req.actor);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your programme in your calendar">
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href="/programme">
          Your programme
        </a>
        <h1 class="govuk-heading-xl">Your programme in your calendar</h1>
        {link ? null : <InsetText text="Your calendar link appears here once you have a place on a programme." />}
        {link ? (
          <>
        <p class="govuk-body">Subscribe to this link in Outlook, Google Calendar or Apple Calendar. Your events, briefings, pre-work deadlines and module releases appear at the right time wherever you are, and change when their dates change.</p>
        <div class="govuk-form-group">
          <label class="govuk-label govuk-label--s" for="feed">
            Your calendar link
          </label>
          <input class="govuk-input" id="feed" type="text" readonly value={link} spellcheck={false} />
        </div>
        <ul class="govuk-list govuk-list--bullet">
          <li>Outlook: Add calendar, then Subscribe from web, and paste the link.</li>
          <li>Google Calendar: Other calendars, then From URL, and paste the link.</li>
          <li>iPhone or iPad: Settings, Calendar, Accounts, Add Subscribed Calendar.</li>
        </ul>
        <WarningText text="Anyone with this link can see your programme’s dates. Do not share it. If someone else has it, get a new link: the old one stops working." />
        <form method="post" action="/programme/calendar/reset" novalidate>
          <Csrf ctx={ctx} />
          <Button text="Get a new link" classes="govuk-button--secondary" preventDoubleClick />
        </form>
          </>
        ) : null}
      </Layout>
    ));
  });

  app.post('/programme/calendar/reset', signedIn, async (req, reply) => {
    await learning.resetCalendarFeed(req.actor);
    reply.flash('Your calendar has a new link. The old link no longer works: subscribe to the new one.');
    return reply.redirect('/programme/calendar', 303);
  });

  app.get<{ Params: { file: string } }>('/calendar/:file', async (req, reply: FastifyReply) => {
    const token = req.params.file.endsWith('.ics') ? req.params.file.slice(0, -4) : '';
    const ics = await learning.calendarByToken(token);
    return reply.header('content-type', 'text/calendar; charset=utf-8').header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex').send(ics);
  });
}

function DoneForm(p: { ctx: PageContext; itemKey: string; done: Date | undefined; timeZone: string; action: string; back: string; active: boolean; label: string }) {
  if (!p.active) return p.done ? <p class="govuk-body">Done on {formatDateTime(p.done, p.timeZone)}.</p> : null;
  return (
    <form method="post" action={p.action} novalidate>
      <Csrf ctx={p.ctx} />
      <input type="hidden" name="item" value={p.itemKey} />
      <input type="hidden" name="back" value={p.back} />
      {p.done ? (
        <>
          <p class="govuk-body">
            <Tag text="Done" classes="govuk-tag--green" /> on {formatDateTime(p.done, p.timeZone)}.
          </p>
          <input type="hidden" name="done" value="no" />
          <Button text={`Mark the ${p.label} as not done`} classes="govuk-button--secondary" preventDoubleClick />
        </>
      ) : (
        <>
          <input type="hidden" name="done" value="yes" />
          <Button text={`Mark the ${p.label} as done`} preventDoubleClick />
        </>
      )}
    </form>
  );
}

function ActivitySection(p: { ctx: PageContext; activity: Activity; n: number; done: Date | undefined; timeZone: string; action: string; back: string; active: boolean; attempts: CoreTaskAttempt[]; coreTaskAction: string; filesBase: string; materialsBase: string; reflection: Reflection | undefined; reflectionAction: string; errors?: FieldErrors | undefined; typed?: Body | undefined }) {
  const a = p.activity;
  return (
    <section class="govuk-!-margin-bottom-8" id={a.key} data-activity={a.key}>
      <span class="govuk-caption-m">
        {p.n}. {ACTIVITY_KIND_LABELS[a.kind]}
      </span>
      <h2 class="govuk-heading-m">{a.title}</h2>
      <div dangerouslySetInnerHTML={{ __html: renderMarkdown(a.body) }} />
      {a.url ? (
        <p class="govuk-body">
          <a class="govuk-link" href={a.url} rel="noopener noreferrer">
            {a.kind === 'video' ? 'Watch the video' : a.kind === 'file' ? 'Download the file' : 'Open the link'} (on another website)
          </a>
        </p>
      ) : null}
      {a.material ? <p class="govuk-body" dangerouslySetInnerHTML={{ __html: `Download: ${fileLink(`${p.materialsBase}/${a.key}`, { fileName: a.material.name, fileType: a.material.type, fileSize: a.material.size })}` }} /> : null}
      {howDone(a) === 'marked' ? (
        <DoneForm ctx={p.ctx} itemKey={a.key} done={p.done} timeZone={p.timeZone} action={p.action} back={`${p.back}#${a.key}`} active={p.active} label="activity" />
      ) : howDone(a) === 'written' ? (
        <ReflectionForm {...p} />
      ) : (
        <CoreTask {...p} />
      )}
    </section>
  );
}


/** A reflection activity's own box: what the participant wrote, theirs alone, rewritten as often as they like; writing it marks it done. */
function ReflectionForm(p: { ctx: PageContext; activity: Activity; timeZone: string; active: boolean; reflection: Reflection | undefined; reflectionAction: string; errors?: FieldErrors | undefined; typed?: Body | undefined }) {
  const id = `reflection-${p.activity.key}`;
  const error = p.typed ? p.errors?.[id] : undefined;
  if (!p.active) return p.reflection ? <div class="govuk-inset-text app-preserve-lines">{p.reflection.text}</div> : null;
  return (
    <form method="post" action={p.reflectionAction} novalidate>
      <Csrf ctx={p.ctx} />
      {p.reflection ? (
        <p class="govuk-body">
          <Tag text="Done" classes="govuk-tag--green" /> Written on {formatDateTime(p.reflection.writtenAt, p.timeZone)}. You can change it.
        </p>
      ) : null}
      <Textarea
        id={id}
        name="text"
        rows={8}
        label={{ text: 'Your reflection', classes: 'govuk-label--s' }}
        hint={{ text: 'Only you can read it. Saving it marks this activity done.' }}
        value={p.typed?.text ?? p.reflection?.text ?? ''}
        errorMessage={error ? { text: error } : undefined}
        attributes={{ maxlength: String(REFLECTION_MAX_CHARACTERS) }}
      />
      <Button text={p.reflection ? 'Save your changes' : 'Save your reflection'} preventDoubleClick />
    </form>
  );
}

/** A core task's attempts, newest last, with their reviews, and the form to send one when the participant may. */
function CoreTask(p: { ctx: PageContext; activity: Activity; timeZone: string; active: boolean; attempts: CoreTaskAttempt[]; coreTaskAction: string; filesBase: string; errors?: FieldErrors | undefined; typed?: Body | undefined }) {
  const latest = p.attempts.at(-1);
  const status = latest?.status as CoreTaskStatus | undefined;
  return (
    <>
      {p.attempts.length ? (
        <Table
          caption="What you have sent"
          captionClasses="govuk-table__caption--s"
          head={[{ text: 'Attempt' }, { text: 'Sent' }, { text: 'File' }, { text: 'Review' }, { text: 'Feedback' }]}
          rows={p.attempts.map((a) => [
            { text: String(a.attempt) },
            { text: formatDateTime(a.submittedAt, p.timeZone) },
            { html: fileLink(`${p.filesBase}/${a.id}`, a) },
            { html: `<strong class="govuk-tag ${a.status === 'complete' ? 'govuk-tag--green' : a.status === 'needs_more_work' ? 'govuk-tag--orange' : 'govuk-tag--blue'}">${CORE_TASK_STATUS_LABELS[a.status as CoreTaskStatus]}</strong>` },
            { text: a.feedback },
          ])}
        />
      ) : null}
      {p.attempts
        .filter((a) => a.text)
        .map((a) => (
          <details class="govuk-details">
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">What you sent in attempt {a.attempt}</span>
            </summary>
            <div class="govuk-details__text app-preserve-lines">{a.text}</div>
          </details>
        ))}
      {p.active && maySubmitAttempt(status) ? (
        <form method="post" action={p.coreTaskAction} enctype="multipart/form-data" novalidate>
          <Csrf ctx={p.ctx} />
          <Textarea
            id="text"
            name="text"
            rows={12}
            label={{ text: status === 'needs_more_work' ? 'Your core task, improved' : 'Your core task', classes: 'govuk-label--s' }}
            hint={{ text: status === 'needs_more_work' ? 'Your earlier attempt is kept. Start from it and act on the feedback.' : 'Write it here. Your facilitator reviews it and marks it complete or asks for more work.' }}
            value={p.typed?.text ?? (status === 'needs_more_work' ? latest?.text : '')}
            errorMessage={p.errors?.text ? { text: p.errors.text } : undefined}
            attributes={{ maxlength: String(CORE_TASK_MAX_CHARACTERS) }}
          />
          <FileUpload
            id="file"
            name="file"
            label={{ text: 'Or send it as a file (optional)', classes: 'govuk-label--s' }}
            hint={{ text: `A PDF or Word document, up to ${CORE_TASK_FILE_MAX_BYTES / 1024 / 1024} MB.${p.errors ? ' If you chose a file before, choose it again.' : ''}` }}
            errorMessage={p.errors?.file ? { text: p.errors.file } : undefined}
            attributes={{ accept: acceptOf(CORE_TASK_FILE_TYPES) }}
          />
          <Button text="Send your core task" preventDoubleClick />
        </form>
      ) : status === 'submitted' ? (
        <InsetText text="Your core task is waiting for your facilitator’s review." />
      ) : status === 'complete' ? (
        <p class="govuk-body">
          <Tag text="Complete" classes="govuk-tag--green" /> Your facilitator marked this core task complete.
        </p>
      ) : null}
    </>
  );
}

