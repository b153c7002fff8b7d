import { one } from '../../platform/forms';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { DELIVERY_MODE_LABELS, type DeliveryMode } from '../../catalogue/domain/qualification';
import { timeZoneLabel } from '../../enrolment/domain/time-zones';
import { pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { formatDate, formatDateTime, formatTime, ukDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { DateField } from '../../platform/date-field';
import { dateInputFields, readDateFields } from '../../platform/date-input';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { escapeHtml } from '../../ui/govuk/core';
import { FacilitatorSelect } from './facilitator-select';
import { Button, Input, InsetText, NotificationBanner, Pagination, Radios, Select, SummaryList, Table, Textarea, WarningText } from '../../ui/govuk';
import { COMPONENT_LABELS, hoursAndMinutes } from './labels';
import { CORE_TASK_STATUS_LABELS, CORE_TASK_WORKFLOW, type CoreTaskStatus } from '../domain/core-task';
import { renderMarkdown } from '../../platform/markdown';
import { ATTENDANCE_STATUSES } from '../domain/timeline';
import { ATTENDANCE_LABELS } from './labels';
import { deliversProgrammes } from '../domain/learning.policy';
import type { PlanEntry } from '../domain/timeline';
import { KEPT_PAGE_CHANNELS, pieceOf, zoneOfIntake } from '../learning.context';
import { MODERATIONS } from '../participants/discussion';
import { Discussion } from './discussion';
import { fileLink, sendDownload } from '../../platform/file-download';
import type { Clock } from '../../platform/clock';
import { minuteVersion } from '../../platform/kept-version';
import type { Notifier } from '../../platform/notifier';
import { PersonalPages } from '../../platform/personal-pages';
import type { LearningService } from '../learning.service';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const KEY = /^[a-z0-9-]{1,60}$/;

/** A session's day and times as the intake's own zone reads them, or "Not set". */
function sessionText(entry: PlanEntry | undefined, timeZone: string): string {
  if (!entry?.startsAt) return 'Not set';
  return `${formatDate(entry.startsAt, timeZone)}, ${formatTime(entry.startsAt, timeZone)} to ${entry.endsAt ? formatTime(entry.endsAt, timeZone) : ''}`;
}

/**
 * The pages of programme delivery for staff (issue 10 items 2 and 7): the intakes they deliver, each
 * intake's plan, and the form that dates one piece of it. Who sees and changes what is the learning
 * policy's; a page they may not see is a 404.
 */
export async function deliveryRoutes(app: FastifyInstance, opts: { learning: LearningService; kept: { notifier: Pick<Notifier, 'subscribe'>; clock: Clock; on: boolean } }) {
  const { learning } = opts;
  const guard = { preHandler: requireAbility(deliversProgrammes) };

  app.get('/delivery', guard, async (req, reply) => {
    const intakes = await learning.deliveryIntakes(req.actor);
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Programme delivery">
        <h1 class="govuk-heading-xl">Programme delivery</h1>
        <p class="govuk-body">Each intake’s timetable: event and briefing dates, venues and join links, module releases and pre-work deadlines. Intakes under way come first, then those to come.</p>
        <p class="govuk-body">
          How participants are keeping up, across every intake: <a class="govuk-link" href="/engagement">Engagement</a>. What they said of sessions, modules and coaching: <a class="govuk-link" href="/feedback">Participants’ feedback</a>. The accounts they have sent for assessment, and when they are due: <a class="govuk-link" href="/assessment/submissions">Written accounts</a>.
        </p>
        {intakes.length ? (
          <Table
            caption="Intakes"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Intake' }, { text: 'NPQ' }, { text: 'Delivery partner' }, { text: 'How it is delivered' }, { text: 'Start' }]}
            rows={intakes.map((i) => [
              { html: i.hasProgramme ? `<a class="govuk-link" href="/delivery/intakes/${i.intake.id}">${escapeHtml(i.intake.name)}</a>` : `${escapeHtml(i.intake.name)}<br><span class="govuk-hint govuk-!-margin-bottom-0">No programme yet for this NPQ</span>` },
              { text: `${i.qualificationName} (${i.qualificationShortName})` },
              { text: i.partnerName },
              { text: DELIVERY_MODE_LABELS[i.intake.deliveryMode as DeliveryMode] ?? i.intake.deliveryMode },
              { text: `${i.started ? 'Started' : 'Starts'} ${formatDate(i.intake.startDate)}` },
            ])}
          />
        ) : (
          <InsetText text="No intakes are delivered by your delivery partner yet." />
        )}
      </Layout>
    ));
  });

  app.get<{ Params: { id: string } }>('/delivery/intakes/:id', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const plan = await learning.intakePlan(req.actor, req.params.id);
    const { intake, content, entries, timeZone, may, version } = plan;
    const venueById = new Map(plan.venues.map((v) => [v.id, v]));
    const leaderName = new Map(plan.facilitators.map((f) => [f.id, f.name]));
    const ledBy = (e: PlanEntry | undefined) => (e?.facilitatorUserId && leaderName.has(e.facilitatorUserId) ? `; led by ${leaderName.get(e.facilitatorUserId)}` : '');
    const where = (e: PlanEntry | undefined) => {
      const venue = e?.venueId ? venueById.get(e.venueId) : undefined;
      return e ? [venue ? `${venue.name}${venue.capacity ? ` (holds ${venue.capacity})` : ''}` : '', e.room, e.joinUrl ? 'Online' : ''].filter(Boolean).join(', ') : '';
    };
    // Participants placed after a venue was chosen can outgrow it: said here, as saving the plan refuses it.
    const tooSmall = content.events.flatMap((e) => {
      const venue = venueById.get(entries.get(e.key)?.venueId ?? '');
      return venue?.capacity != null && plan.placed > venue.capacity ? [`${e.title}: ${venue.name} holds ${venue.capacity} people and ${plan.placed} participants are placed in this intake. Choose a larger venue.`] : [];
    });
    const change = (key: string, title: string) => (may.plan ? `<a class="govuk-link" href="/delivery/intakes/${intake.id}/plan/${key}">${entries.has(key) ? 'Change' : 'Set'}<span class="govuk-visually-hidden"> ${escapeHtml(title)}</span></a>` : '');
    const register = (key: string, title: string) => (entries.get(key)?.startsAt ? `<a class="govuk-link" href="/delivery/intakes/${intake.id}/register/${key}">Take the register<span class="govuk-visually-hidden"> for ${escapeHtml(title)}</span></a>` : '');
    const actions = (key: string, title: string) => [change(key, title), register(key, title)].filter(Boolean).join('<br>');
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Delivery plan: ${intake.name}`}>
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href="/delivery">
          Programme delivery
        </a>
        <span class="govuk-caption-l">Delivery plan</span>
        <h1 class="govuk-heading-xl">{intake.name}</h1>
        <p class="govuk-body">
          {DELIVERY_MODE_LABELS[intake.deliveryMode as DeliveryMode] ?? intake.deliveryMode}, starting {formatDate(intake.startDate)}. Programme version {version.version}. Times are in {timeZoneLabel(timeZone)}; each participant sees them in their own time zone.
        </p>
        {may.changeVersion && plan.newestVersion > version.version ? (
          <>
            <InsetText text={`This intake follows version ${version.version} of the programme; version ${plan.newestVersion} is the newest. You can see what would change for its participants before you move it on.`} />
            <a class="govuk-button govuk-button--secondary" data-module="govuk-button" href={`/delivery/intakes/${intake.id}/versions/${plan.newestVersion}`}>
              See what changes in version {plan.newestVersion}
            </a>
          </>
        ) : null}
        {may.changeVersion && plan.newestVersion > 1 ? (
          <details class="govuk-details">
            <summary class="govuk-details__summary">
              <span class="govuk-details__summary-text">Move this intake to another version</span>
            </summary>
            <div class="govuk-details__text">
              <p class="govuk-body">To undo a move, move it back. What participants have done stays recorded.</p>
              <ul class="govuk-list">
                {Array.from({ length: plan.newestVersion }, (_, i) => i + 1)
                  .filter((n) => n !== version.version)
                  .map((n) => (
                    <li>
                      <a class="govuk-link" href={`/delivery/intakes/${intake.id}/versions/${n}`}>
                        Version {n}
                      </a>
                    </li>
                  ))}
              </ul>
            </div>
          </details>
        ) : null}
        {tooSmall.map((text) => (
          <WarningText text={text} />
        ))}
        <p class="govuk-body">{plan.placed} {plan.placed === 1 ? 'participant is' : 'participants are'} placed in this intake.</p>
        <ul class="govuk-list">
          <li>
            <a class="govuk-link" href={`/delivery/intakes/${intake.id}/groups`}>
              Groups and their facilitators
            </a>
          </li>
          <li>
            <a class="govuk-link" href={`/delivery/intakes/${intake.id}/progress`}>
              Participants’ progress
            </a>
          </li>
          {may.reviewCoreTasks ? (
            <li>
              <a class="govuk-link" href={`/delivery/intakes/${intake.id}/core-tasks`}>
                Core tasks to review
              </a>
            </li>
          ) : null}
        </ul>
        <Table
          caption="Events"
          captionClasses="govuk-table__caption--m"
          head={[{ text: 'Event' }, { text: 'When' }, { text: 'Where' }, { text: 'Pre-work due' }, { text: '', html: '<span class="govuk-visually-hidden">Actions</span>' }]}
          rows={content.events.map((e) => {
            const entry = entries.get(e.key);
            return [{ text: e.title }, { text: sessionText(entry, timeZone) + (entry?.runsUntil ? `; runs until ${formatDate(entry.runsUntil)}` : '') + ledBy(entry) }, { text: where(entry) }, { text: entry?.preWorkDueOn ? formatDate(entry.preWorkDueOn) : e.preWork ? 'Not set' : 'No pre-work' }, { html: actions(e.key, e.title) }];
          })}
        />
        <Table
          caption="Online briefings"
          captionClasses="govuk-table__caption--m"
          head={[{ text: 'Briefing' }, { text: 'When' }, { text: 'Join link' }, { text: '', html: '<span class="govuk-visually-hidden">Actions</span>' }]}
          rows={content.briefings.map((b) => {
            const entry = entries.get(b.key);
            return [{ text: b.title }, { text: sessionText(entry, timeZone) + ledBy(entry) }, { text: entry?.joinUrl ? 'Set' : 'Not set' }, { html: actions(b.key, b.title) }];
          })}
        />
        <Table
          caption="Online course modules"
          captionClasses="govuk-table__caption--m"
          head={[{ text: 'Module' }, { text: 'Released' }, { text: '', html: '<span class="govuk-visually-hidden">Actions</span>' }]}
          rows={content.courses.flatMap((c) =>
            c.modules.map((m) => {
              const entry = entries.get(m.key);
              const talk = `<a class="govuk-link" href="/delivery/intakes/${intake.id}/discussions/${m.key}">Discussion<span class="govuk-visually-hidden"> of ${escapeHtml(m.title)}</span></a>`;
              const files = m.activities.flatMap((a) => (a.material ? [fileLink(`/delivery/intakes/${intake.id}/files/${a.key}`, { fileName: a.material.name, fileType: a.material.type, fileSize: a.material.size })] : []));
              return [{ html: `${escapeHtml(`${c.title}: ${m.title}`)}${files.length ? `<br><span class="govuk-hint govuk-!-margin-bottom-0">Files: ${files.join(', ')}</span>` : ''}` }, { text: entry?.releasesOn ? formatDate(entry.releasesOn) : 'Not set' }, { html: [change(m.key, m.title), talk].filter(Boolean).join('<br>') }];
            }),
          )}
        />
      </Layout>
    ));
  });

  const entryPage = async (req: FastifyRequest<{ Params: { id: string; key: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const plan = await learning.intakePlan(req.actor, req.params.id);
    const { intake, content, entries, timeZone, may } = plan;
    const piece = pieceOf(content, req.params.key);
    if (!piece || !may.plan) return reply.callNotFound();
    const saved = entries.get(req.params.key);
    const values: Body = typed ?? {
      ...dateInputFields('date', saved?.startsAt ? ukDate(saved.startsAt, timeZone) : null),
      ...dateInputFields('releasesOn', saved?.releasesOn ?? null),
      ...dateInputFields('runsUntil', saved?.runsUntil ?? null),
      ...dateInputFields('preWorkDueOn', saved?.preWorkDueOn ?? null),
      startTime: saved?.startsAt ? formatTime(saved.startsAt, timeZone) : '',
      endTime: saved?.endsAt ? formatTime(saved.endsAt, timeZone) : '',
      venueId: saved?.venueId ?? '',
      room: saved?.room ?? '',
      joinUrl: saved?.joinUrl ?? '',
      recordingUrl: saved?.recordingUrl ?? '',
      facilitatorUserId: saved?.facilitatorUserId ?? '',
    };
    const err = (k: string) => (errors?.[k] ? { text: errors[k]! } : undefined);
    const online = piece.kind === 'briefing' || intake.deliveryMode === 'distance';
    const event = content.events.find((e) => e.key === req.params.key);
    const back = `/delivery/intakes/${intake.id}`;
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={piece.title} back={back} errors={errors} intro={<>{ctx.flash ? <NotificationBanner text={ctx.flash} /> : null}<span class="govuk-caption-l">{intake.name}</span></>}>
          <form method="post" action={`/delivery/intakes/${intake.id}/plan/${req.params.key}`} novalidate>
            <Csrf ctx={ctx} />
            {piece.kind === 'module' ? (
              <DateField name="releasesOn" legend="When is it released to participants?" hint="For example, 1 2 2027" values={values} error={errors?.releasesOn} />
            ) : (
              <>
                <DateField name="date" legend={intake.deliveryMode === 'distance' && piece.kind === 'event' ? 'Day of the live session' : 'Date'} hint="For example, 10 3 2027" values={values} error={errors?.date} />
                <Input id="startTime" name="startTime" classes="govuk-input--width-5" label={{ text: 'Start time', classes: 'govuk-label--s' }} hint={{ text: `24-hour time in ${timeZoneLabel(timeZone)}, like 09:30` }} value={values.startTime} errorMessage={err('startTime')} autocomplete="off" />
                <Input id="endTime" name="endTime" classes="govuk-input--width-5" label={{ text: 'End time', classes: 'govuk-label--s' }} hint={{ text: 'Like 16:00' }} value={values.endTime} errorMessage={err('endTime')} autocomplete="off" />
                {online ? null : (
                  <>
                    <Select
                      id="venueId"
                      name="venueId"
                      label={{ text: 'Venue', classes: 'govuk-label--s' }}
                      value={values.venueId}
                      errorMessage={err('venueId')}
                      items={[{ value: '', text: intake.deliveryMode === 'face_to_face' ? 'Choose a venue' : 'No venue: the school’s own' }, ...plan.venues.filter((v) => !v.retired || v.id === saved?.venueId).map((v) => ({ value: v.id, text: `${v.name}, ${v.town}` }))]}
                    />
                    <Input id="room" name="room" label={{ text: intake.deliveryMode === 'whole_school' ? 'Where in the school (optional if a venue is chosen)' : 'Room (optional)', classes: 'govuk-label--s' }} value={values.room} errorMessage={err('room')} maxlength={200} />
                  </>
                )}
                <Input id="joinUrl" name="joinUrl" type="url" spellcheck={false} label={{ text: online ? 'Join link' : 'Join link (optional)', classes: 'govuk-label--s' }} hint={{ text: 'The address of the online meeting, starting https://' }} value={values.joinUrl} errorMessage={err('joinUrl')} maxlength={2000} />
                <FacilitatorSelect label="Who leads it (optional)" value={values.facilitatorUserId} error={errors?.facilitatorUserId} people={plan.facilitators} />
                <Input id="recordingUrl" name="recordingUrl" type="url" spellcheck={false} label={{ text: 'Recording link (optional)', classes: 'govuk-label--s' }} hint={{ text: 'Add it after the session: participants see it on the session’s page' }} value={values.recordingUrl} errorMessage={err('recordingUrl')} maxlength={2000} />
                {intake.deliveryMode === 'distance' && piece.kind === 'event' ? <DateField name="runsUntil" legend="Last day of the event’s two weeks (optional)" hint="Leave empty for two weeks from the live session" values={values} error={errors?.runsUntil} /> : null}
                {event?.preWork ? <DateField name="preWorkDueOn" legend={`When is “${event.preWork.title}” due? (optional)`} hint="On or before the day of the event" values={values} error={errors?.preWorkDueOn} /> : null}
              </>
            )}
            <Button text="Save" preventDoubleClick />
          </form>
          {saved ? (
            <form method="post" action={`/delivery/intakes/${intake.id}/plan/${req.params.key}/clear`} novalidate>
              <Csrf ctx={ctx} />
              <p class="govuk-body">Taking the date off shows it to participants as “date to follow”.</p>
              <Button text="Take the date off" classes="govuk-button--warning" preventDoubleClick />
            </form>
          ) : null}
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };

  const valid = (req: FastifyRequest<{ Params: { id: string; key: string } }>) => uuid.safeParse(req.params.id).success && KEY.test(req.params.key);

  app.get<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/plan/:key', guard, async (req, reply) => (valid(req) ? entryPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/plan/:key', guard, async (req, reply) => {
    if (!valid(req)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const typed = readDateFields(b, {
      date: { label: 'the date', optional: true },
      releasesOn: { label: 'the date it is released', optional: true },
      runsUntil: { label: 'the last day', optional: true },
      preWorkDueOn: { label: 'the date the pre-work is due', optional: true },
    });
    try {
      if (Object.keys(typed.errors).length) throw new ValidationError(typed.errors);
      await learning.savePlanEntry(req.actor, req.params.id, req.params.key, { ...typed.dates, startTime: one(b.startTime), endTime: one(b.endTime), venueId: one(b.venueId) || undefined, room: one(b.room), joinUrl: one(b.joinUrl), recordingUrl: one(b.recordingUrl), facilitatorUserId: one(b.facilitatorUserId) });
    } catch (err) {
      if (err instanceof ValidationError) return entryPage(req, reply, { ...typed.errors, ...err.fieldErrors }, b);
      throw err;
    }
    reply.flash('The plan is saved. Participants see it now.');
    return reply.redirect(`/delivery/intakes/${req.params.id}`, 303);
  });

  app.post<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/plan/:key/clear', guard, async (req, reply) => {
    if (!valid(req)) return reply.callNotFound();
    try {
      const cleared = await learning.clearPlanEntry(req.actor, req.params.id, req.params.key);
      reply.flash(cleared ? 'The date is taken off. Participants see “date to follow”.' : 'It had no date to take off.');
    } catch (err) {
      if (err instanceof AppError && err.code === 'register_taken') {
        reply.flash(err.message, 'important');
        return reply.redirect(`/delivery/intakes/${req.params.id}/plan/${req.params.key}`, 303);
      }
      throw err;
    }
    return reply.redirect(`/delivery/intakes/${req.params.id}`, 303);
  });

  /** The group a register is taken for (`?group=`), '' for everyone; undefined when it names no group's id. */
  const registerGroup = (req: FastifyRequest): string | undefined => {
    const group = one((req.query as Body | undefined)?.group);
    return !group || uuid.safeParse(group).success ? group : undefined;
  };
  const registerView = async (req: FastifyRequest<{ Params: { id: string; key: string } }>, errors?: FieldErrors, typed?: Body) => {
    const groupId = registerGroup(req) || undefined;
    const r = await learning.registerOf(req.actor, req.params.id, req.params.key, groupId);
    const base = `/delivery/intakes/${r.intake.id}`;
    const here = `${base}/register/${req.params.key}${r.group ? `?group=${r.group.id}` : ''}`;
    const choice = (id: string, text: string) => `<a class="govuk-link" href="${base}/register/${req.params.key}${id ? `?group=${id}` : ''}"${(r.group?.id ?? '') === id ? ' aria-current="page"' : ''}>${escapeHtml(text)}</a>`;
    const marked = r.participants.filter((p) => r.marks.has(p.enrolmentId)).length;
    const replied = (reply: string) => r.participants.filter((p) => r.replies.get(p.enrolmentId)?.reply === reply).length;
    const saidText = (enrolmentId: string): string => {
      const said = r.replies.get(enrolmentId);
      const mark = r.marks.get(enrolmentId);
      return [said ? (said.reply === 'attending' ? `Said they will attend${said.reason ? `: ${said.reason}` : ''}` : `Said they cannot attend: ${said.reason}`) : '', mark?.joinedOnline ? `Joined online at ${formatTime(mark.recordedAt, r.timeZone)}` : ''].filter(Boolean).join('. ');
    };
    return (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Register: ${r.piece.title}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={base}>
            Delivery plan
          </a>
          <span class="govuk-caption-l">{r.intake.name}</span>
          <h1 class="govuk-heading-xl">Register: {r.piece.title}</h1>
          {r.groups.length ? (
            <nav aria-label="Groups">
              <p class="govuk-body" dangerouslySetInnerHTML={{ __html: `${r.group ? `Showing ${escapeHtml(r.group.name)}${r.group.facilitatorName ? `, led by ${escapeHtml(r.group.facilitatorName)}` : ''}. ` : ''}Show: ${[choice('', `Everyone (${r.everyone})`), ...r.groups.map((g) => choice(g.id, `${g.name} (${[...r.members.values()].filter((x) => x === g.id).length})`))].join(' | ')}` }} />
            </nav>
          ) : null}
          <p class="govuk-body" id="register-status">
            {sessionText(r.entry ?? undefined, r.timeZone)}. {marked} of {r.participants.length} marked. {replied('attending')} said they will attend; {replied('cannot_attend')} said they cannot.
          </p>
          {!r.participants.length ? <InsetText text={r.group ? 'No participants are in this group yet.' : 'No participants are placed in this intake yet.'} /> : null}
          {!r.open ? <InsetText text={r.entry?.startsAt ? 'The register opens on the day of the session.' : 'This session has no date yet: set it in the plan first.'} /> : null}
          {r.open && r.may.takeRegister && r.participants.length ? (
            <>
              {marked < r.participants.length ? (
                <form method="post" action={here} novalidate>
                  <Csrf ctx={ctx} />
                  <input type="hidden" name="everyonePresent" value="yes" />
                  <Button text={marked ? 'Mark everyone else present' : 'Mark everyone present'} classes="govuk-button--secondary" preventDoubleClick />
                </form>
              ) : null}
              <form method="post" action={here} novalidate>
                <Csrf ctx={ctx} />
                {r.participants.map((p) => {
                  const mark = r.marks.get(p.enrolmentId);
                  const status = typed ? typed[`status-${p.enrolmentId}`] : mark?.status;
                  const reason = typed ? typed[`reason-${p.enrolmentId}`] : mark?.reason;
                  return (
                    <div class="govuk-!-margin-bottom-6" data-participant={p.enrolmentId}>
                      <Radios
                        idPrefix={`status-${p.enrolmentId}`}
                        name={`status-${p.enrolmentId}`}
                        classes="govuk-radios--small"
                        fieldset={{ legend: { text: p.fullName, classes: 'govuk-fieldset__legend--s' } }}
                        hint={saidText(p.enrolmentId) ? { text: saidText(p.enrolmentId) } : undefined}
                        value={status}
                        errorMessage={errors?.[`status-${p.enrolmentId}`] ? { text: errors[`status-${p.enrolmentId}`]! } : undefined}
                        items={ATTENDANCE_STATUSES.map((s) => ({ value: s, text: ATTENDANCE_LABELS[s] }))}
                      />
                      <Input
                        id={`reason-${p.enrolmentId}`}
                        name={`reason-${p.enrolmentId}`}
                        label={{ html: `Reason<span class="govuk-visually-hidden"> for ${escapeHtml(p.fullName)}</span> (needed if absent)` }}
                        classes="govuk-!-width-full"
                        value={reason}
                        maxlength={500}
                        errorMessage={errors?.[`reason-${p.enrolmentId}`] ? { text: errors[`reason-${p.enrolmentId}`]! } : undefined}
                      />
                    </div>
                  );
                })}
                <Button text="Save the register" preventDoubleClick />
              </form>
            </>
          ) : r.participants.length ? (
            <Table
              caption="Marks"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Participant' }, { text: 'Their reply' }, { text: 'Attendance' }, { text: 'Reason' }]}
              rows={r.participants.map((p) => {
                const mark = r.marks.get(p.enrolmentId);
                return [{ text: p.fullName }, { text: saidText(p.enrolmentId) || 'No reply' }, { text: mark ? ATTENDANCE_LABELS[mark.status] : 'Not marked' }, { text: mark?.reason ?? '' }];
              })}
            />
          ) : null}
        </Layout>
    );
  };
  const registerPage = async (req: FastifyRequest<{ Params: { id: string; key: string } }>, reply: FastifyReply, errors: FieldErrors, typed: Body) => reply.page(await registerView(req, errors, typed), 422);

  // A register is read again and again while it is taken on a phone: kept per person and register until a change is heard (docs/adr/0050).
  const registerPages = new PersonalPages();
  const version = minuteVersion(opts.kept.notifier, KEPT_PAGE_CHANNELS, opts.kept.clock);
  app.get<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/register/:key', guard, async (req, reply) =>
    valid(req) && registerGroup(req) !== undefined ? reply.personalPage(registerPages, version(), async () => ({ keep: opts.kept.on, render: await registerView(req) }), `${req.params.id} ${req.params.key} ${registerGroup(req)}`) : reply.callNotFound(),
  );

  app.post<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/register/:key', guard, async (req, reply) => {
    const groupId = registerGroup(req);
    if (!valid(req) || groupId === undefined) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const marks: Record<string, { status: string; reason: string }> = {};
    for (const [field, value] of Object.entries(b)) {
      const id = /^status-([0-9a-f-]{36})$/.exec(field)?.[1];
      if (id) marks[id] = { status: one(value), reason: one(b[`reason-${id}`]) };
    }
    try {
      const n = await learning.takeRegister(req.actor, req.params.id, req.params.key, { marks, everyonePresent: b.everyonePresent === 'yes', groupId: groupId || undefined });
      reply.flash(n ? `The register is saved: ${n} ${n === 1 ? 'mark' : 'marks'} recorded.` : 'Nothing had changed on the register, so nothing was saved.', n ? undefined : 'important');
    } catch (err) {
      if (err instanceof ValidationError) return registerPage(req, reply, err.fieldErrors, b);
      if (err instanceof AppError && err.status === 422) return registerPage(req, reply, { register: err.message }, b);
      throw err;
    }
    return reply.redirect(`/delivery/intakes/${req.params.id}/register/${req.params.key}${groupId ? `?group=${groupId}` : ''}`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { status?: string; group?: string } }>('/delivery/intakes/:id/core-tasks', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const wanted = one(req.query.status);
    const status = (CORE_TASK_WORKFLOW.states as readonly string[]).includes(wanted) ? (wanted as CoreTaskStatus) : wanted === 'all' ? undefined : 'submitted';
    const { intake, attempts, group, groups, mine } = await learning.coreTasksOfIntake(req.actor, req.params.id, status, one(req.query.group) || undefined);
    const tab = (value: string, text: string) => `<a class="govuk-link" href="/delivery/intakes/${intake.id}/core-tasks?status=${value}&amp;group=${encodeURIComponent(group)}"${(status ?? 'all') === value ? ' aria-current="page"' : ''}>${text}</a>`;
    const groupChoices = [
      ...(mine.length ? [{ value: 'mine', text: `Your groups (${mine.map((g) => g.name).join(', ')})` }] : []),
      { value: 'all', text: 'Every group' },
      ...groups.map((g) => ({ value: g.id, text: g.name })),
      { value: 'none', text: 'Not in a group' },
    ];
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Core tasks: ${intake.name}`}>
        <Flash ctx={ctx} />
        <a class="govuk-back-link" href={`/delivery/intakes/${intake.id}`}>
          Delivery plan
        </a>
        <span class="govuk-caption-l">{intake.name}</span>
        <h1 class="govuk-heading-xl">Core tasks</h1>
        <p class="govuk-body" dangerouslySetInnerHTML={{ __html: ['submitted', 'needs_more_work', 'complete', 'all'].map((v) => tab(v, v === 'all' ? 'All' : CORE_TASK_STATUS_LABELS[v as CoreTaskStatus])).join(' | ') }} />
        {groups.length ? (
          <form method="get" action={`/delivery/intakes/${intake.id}/core-tasks`} class="app-filter">
            <input type="hidden" name="status" value={status ?? 'all'} />
            <Select id="group" name="group" label={{ text: 'Whose core tasks', classes: 'govuk-label--s' }} hint={{ text: mine.length ? 'You see your own groups’ first: the core tasks you review.' : undefined }} value={group} items={groupChoices} />
            <Button text="Show" classes="govuk-button--secondary" />
          </form>
        ) : null}
        {attempts.length ? (
          <Table
            caption={status ? CORE_TASK_STATUS_LABELS[status] : 'All attempts'}
            captionClasses="govuk-table__caption--m"
            head={[{ text: 'Participant' }, ...(groups.length ? [{ text: 'Group' }] : []), { text: 'Core task' }, { text: 'Attempt', format: 'numeric' }, { text: 'Sent' }, { text: 'Status' }]}
            rows={attempts.map(({ attempt, participant, groupName, task }) => [
              { html: `<a class="govuk-link" href="/delivery/core-tasks/${attempt.id}">${escapeHtml(participant)}</a>` },
              ...(groups.length ? [{ text: groupName ?? 'None' }] : []),
              { text: task ? `${task.course.title}: ${task.module.title}` : attempt.activityKey },
              { text: String(attempt.attempt), format: 'numeric' },
              { text: formatDateTime(attempt.submittedAt) },
              { text: CORE_TASK_STATUS_LABELS[attempt.status as CoreTaskStatus] },
            ])}
          />
        ) : (
          <InsetText text={status === 'submitted' ? 'No core tasks are waiting for review.' : 'No core tasks here.'} />
        )}
      </Layout>
    ));
  });

  const reviewPage = async (req: FastifyRequest<{ Params: { attempt: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const r = await learning.coreTaskForReview(req.actor, req.params.attempt);
    const open = r.attempt.status === 'submitted';
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Core task: ${r.place.fullName}`} errors={errors}>
          <a class="govuk-back-link" href={`/delivery/intakes/${r.intake.id}/core-tasks`}>
            Core tasks
          </a>
          <span class="govuk-caption-l">{r.task ? `${r.task.course.title}: ${r.task.module.title}` : r.attempt.activityKey}</span>
          <h1 class="govuk-heading-xl">Core task: {r.place.fullName}</h1>
          {r.task ? (
            <details class="govuk-details">
              <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">The task set</span>
              </summary>
              <div class="govuk-details__text" dangerouslySetInnerHTML={{ __html: renderMarkdown(r.task.activity.body) }} />
            </details>
          ) : null}
          <SummaryList
            rows={[
              { key: { text: 'Attempt' }, value: { text: `${r.attempt.attempt} of ${r.history.length}` } },
              { key: { text: 'Sent' }, value: { text: formatDateTime(r.attempt.submittedAt) } },
              { key: { text: 'Status' }, value: { text: CORE_TASK_STATUS_LABELS[r.attempt.status as CoreTaskStatus] } },
              { key: { text: 'File' }, value: { html: fileLink(`/delivery/core-tasks/${r.attempt.id}/file`, r.attempt) } },
              ...(r.attempt.feedback ? [{ key: { text: 'Feedback given' }, value: { text: r.attempt.feedback } }] : []),
            ]}
          />
          <h2 class="govuk-heading-m">What they wrote</h2>
          <div class="govuk-inset-text app-preserve-lines" data-core-task-text>
            {r.attempt.text || 'Nothing: they sent it as a file (above).'}
          </div>
          {r.history.length > 1 ? (
            <Table
              caption="Every attempt"
              captionClasses="govuk-table__caption--s"
              head={[{ text: 'Attempt' }, { text: 'Sent' }, { text: 'Review' }, { text: 'Feedback' }]}
              rows={r.history.map((a) => [{ html: a.id === r.attempt.id ? String(a.attempt) : `<a class="govuk-link" href="/delivery/core-tasks/${a.id}">${a.attempt}</a>` }, { text: formatDateTime(a.submittedAt) }, { text: CORE_TASK_STATUS_LABELS[a.status as CoreTaskStatus] }, { text: a.feedback }])}
            />
          ) : null}
          {open ? (
            <form method="post" action={`/delivery/core-tasks/${r.attempt.id}`} novalidate>
              <Csrf ctx={ctx} />
              <Radios
                idPrefix="decision"
                name="decision"
                fieldset={{ legend: { text: 'Your review', classes: 'govuk-fieldset__legend--m' } }}
                value={typed?.decision}
                errorMessage={errors?.decision ? { text: errors.decision } : undefined}
                items={[
                  { value: 'complete', text: 'Complete' },
                  { value: 'needs_more_work', text: 'Needs more work' },
                ]}
              />
              <Textarea id="feedback" name="feedback" rows={6} label={{ text: 'Feedback to the participant', classes: 'govuk-label--s' }} hint={{ text: 'Needed when it needs more work: say what to do next' }} value={typed?.feedback} errorMessage={errors?.feedback ? { text: errors.feedback } : undefined} />
              <Button text="Send the review" preventDoubleClick />
            </form>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  // A course material as the intake's programme version names it, for the intake's staff.
  app.get<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/files/:key', guard, async (req, reply) => {
    if (!valid(req)) return reply.callNotFound();
    return sendDownload(reply, await learning.intakeMaterial(req.actor, req.params.id, req.params.key));
  });

  app.get<{ Params: { attempt: string } }>('/delivery/core-tasks/:attempt/file', guard, async (req, reply) => (uuid.safeParse(req.params.attempt).success ? sendDownload(reply, await learning.coreTaskFile(req.actor, req.params.attempt)) : reply.callNotFound()));

  app.get<{ Params: { attempt: string } }>('/delivery/core-tasks/:attempt', guard, async (req, reply) => (uuid.safeParse(req.params.attempt).success ? reviewPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { attempt: string } }>('/delivery/core-tasks/:attempt', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.attempt).success) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    try {
      const to = await learning.reviewCoreTask(req.actor, req.params.attempt, { decision: one(b.decision), feedback: one(b.feedback) });
      reply.flash(to === 'complete' ? 'The core task is marked complete.' : 'The core task is sent back with your feedback.');
    } catch (err) {
      if (err instanceof ValidationError) return reviewPage(req, reply, err.fieldErrors, b);
      throw err;
    }
    const { intake } = await learning.coreTaskForReview(req.actor, req.params.attempt);
    return reply.redirect(`/delivery/intakes/${intake.id}/core-tasks`, 303);
  });

  const discussionPage = async (req: FastifyRequest<{ Params: { id: string; key: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const d = await learning.readDiscussion(req.actor, { intakeId: req.params.id }, req.params.key);
    const base = `/delivery/intakes/${d.intake.id}/discussions/${d.module.key}`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Discussion: ${d.module.title}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={`/delivery/intakes/${d.intake.id}`}>
            Delivery plan
          </a>
          <span class="govuk-caption-l">{d.intake.name}</span>
          <h1 class="govuk-heading-xl">{d.module.title}</h1>
          <p class="govuk-body">The module’s discussion among this intake’s participants. Reply to questions, pin guidance to the top, and hide a post that should not be there: participants no longer see it, and the audit log keeps who hid it.</p>
          <Discussion ctx={ctx} threads={d.threads} timeZone={zoneOfIntake(d.intake)} action={base} mayPost={d.mayPost} moderate={d.mayModerate ? `${base}/posts` : undefined} errors={errors} typed={typed} audience="Choose below who can read it: everyone in the intake, or one group." groups={d.groups} />
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/discussions/:key', guard, async (req, reply) => (valid(req) ? discussionPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { id: string; key: string } }>('/delivery/intakes/:id/discussions/:key', guard, async (req, reply) => {
    if (!valid(req)) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const replyTo = one(b.replyTo) || undefined;
    if (replyTo && !uuid.safeParse(replyTo).success) return reply.callNotFound();
    try {
      await learning.postToDiscussion(req.actor, { intakeId: req.params.id }, req.params.key, { body: one(b.body), replyTo, groupId: one(b.groupId) || undefined });
    } catch (err) {
      if (err instanceof ValidationError) return discussionPage(req, reply, replyTo ? { [`body-${replyTo}`]: err.fieldErrors.body ?? 'Enter your reply' } : err.fieldErrors, b);
      throw err;
    }
    reply.flash(replyTo ? 'Your reply is posted.' : 'Your post is added to the discussion.');
    return reply.redirect(`/delivery/intakes/${req.params.id}/discussions/${req.params.key}`, 303);
  });

  app.post<{ Params: { id: string; key: string; post: string; action: string } }>('/delivery/intakes/:id/discussions/:key/posts/:post/:action', guard, async (req, reply) => {
    const action = MODERATIONS.find((m) => m === req.params.action);
    if (!valid(req) || !uuid.safeParse(req.params.post).success || !action) return reply.callNotFound();
    try {
      const where = await learning.moderatePost(req.actor, req.params.post, action);
      if (where.intakeId !== req.params.id || where.moduleKey !== req.params.key) return reply.redirect(`/delivery/intakes/${where.intakeId}/discussions/${where.moduleKey}`, 303);
      reply.flash({ hide: 'The post is hidden from participants.', show: 'The post is shown again.', pin: 'The post is pinned to the top as guidance.', unpin: 'The post is no longer pinned.' }[action]);
    } catch (err) {
      if (err instanceof ValidationError) reply.flash(Object.values(err.fieldErrors)[0] ?? 'That cannot be done to this post.', 'important');
      else throw err;
    }
    return reply.redirect(`/delivery/intakes/${req.params.id}/discussions/${req.params.key}`, 303);
  });

  const versionNumber = (v: string) => (/^[1-9][0-9]{0,5}$/.test(v) ? Number(v) : undefined);

  // What moving an intake to another version changes, read before it is done; then done, or undone by moving back.
  app.get<{ Params: { id: string; version: string } }>('/delivery/intakes/:id/versions/:version', guard, async (req, reply) => {
    const n = versionNumber(req.params.version);
    if (!uuid.safeParse(req.params.id).success || !n) return reply.callNotFound();
    let move: Awaited<ReturnType<LearningService['versionMove']>>;
    try {
      move = await learning.versionMove(req.actor, req.params.id, n);
    } catch (err) {
      if (err instanceof AppError && err.code === 'same_version') {
        reply.flash(err.message, 'important');
        return reply.redirect(`/delivery/intakes/${req.params.id}`, 303);
      }
      throw err;
    }
    const { intake, from, to, changes, reopened } = move;
    const list = (items: { text: string }[]) => `<ul class="govuk-list govuk-list--bullet">${items.map((i) => `<li>${escapeHtml(i.text)}</li>`).join('')}</ul>`;
    const rows = [
      { key: { text: 'Added' }, value: { html: changes.added.length ? list(changes.added) : 'Nothing' } },
      { key: { text: 'Removed' }, value: { html: changes.removed.length ? list(changes.removed) : 'Nothing' } },
      { key: { text: 'Renamed' }, value: { html: changes.retitled.length ? list(changes.retitled) : 'Nothing' } },
    ];
    const back = to.version < from.version;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Move ${intake.name} to version ${to.version}`}>
        <a class="govuk-back-link" href={`/delivery/intakes/${intake.id}`}>
          Delivery plan
        </a>
        <span class="govuk-caption-l">{intake.name}</span>
        <h1 class="govuk-heading-xl">
          Move this intake {back ? 'back' : 'on'} to version {to.version}?
        </h1>
        <p class="govuk-body">
          It follows version {from.version} now. Version {to.version} was saved on {formatDateTime(to.createdAt)}
          {to.note ? `: “${to.note}”` : ''}. This is what its participants would see change.
        </p>
        <SummaryList rows={rows} />
        {reopened ? <WarningText text={`${reopened} ${reopened === 1 ? 'participant has' : 'participants have'} finished a module that gains activities (${changes.modulesGainingActivities.map((m) => m.text).join('; ')}). They will see it unfinished until they do the new activities.`} /> : null}
        {changes.removed.length ? <InsetText text="What participants did on removed pieces stays recorded, and comes back if the intake is moved to a version that has them again." /> : null}
        <form method="post" action={`/delivery/intakes/${intake.id}/versions/${to.version}`} novalidate>
          <Csrf ctx={ctx} />
          <div class="govuk-button-group">
            <Button text={`Move this intake to version ${to.version}`} preventDoubleClick />
            <a class="govuk-link" href={`/delivery/intakes/${intake.id}`}>
              Cancel
            </a>
          </div>
        </form>
      </Layout>
    ));
  });

  app.post<{ Params: { id: string; version: string } }>('/delivery/intakes/:id/versions/:version', guard, async (req, reply) => {
    const n = versionNumber(req.params.version);
    if (!uuid.safeParse(req.params.id).success || !n) return reply.callNotFound();
    try {
      const { from, to } = await learning.moveIntakeToVersion(req.actor, req.params.id, n);
      reply.flash(`This intake now follows version ${to} of the programme. To undo, move it back to version ${from} under “Move this intake to another version”.`);
    } catch (err) {
      if (err instanceof AppError && err.code === 'same_version') reply.flash(err.message, 'important');
      else throw err;
    }
    return reply.redirect(`/delivery/intakes/${req.params.id}`, 303);
  });

  const PER_PAGE = 50;
  app.get<{ Params: { id: string }; Querystring: { page?: string; q?: string } }>('/delivery/intakes/:id/progress', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { intake, participants } = await learning.progressOfIntake(req.actor, req.params.id);
    const q = one(req.query.q).trim().slice(0, 100);
    const found = q ? participants.filter((p) => `${p.place.fullName} ${p.place.email}`.toLowerCase().includes(q.toLowerCase())) : participants;
    const totalPages = Math.max(1, Math.ceil(found.length / PER_PAGE));
    const page = Math.min(pageNumber(req.query.page), totalPages);
    const shown = found.slice((page - 1) * PER_PAGE, page * PER_PAGE);
    const pagination = paginationFor(page, totalPages, `/delivery/intakes/${intake.id}/progress`, { q });
    const cell = (c: { itemsDone: number; itemsTotal: number; evidencedMinutes: number; expectedMinutes: number } | undefined) => (c ? `${c.itemsDone} of ${c.itemsTotal}; ${hoursAndMinutes(c.evidencedMinutes)} of ${hoursAndMinutes(c.expectedMinutes)} expected` : '');
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title={`Progress: ${intake.name}`}>
        <a class="govuk-back-link" href={`/delivery/intakes/${intake.id}`}>
          Delivery plan
        </a>
        <span class="govuk-caption-l">{intake.name}</span>
        <h1 class="govuk-heading-xl">Participants’ progress</h1>
        <form method="get" action={`/delivery/intakes/${intake.id}/progress`} novalidate>
          <Input id="q" name="q" label={{ text: 'Search by name or email address', classes: 'govuk-label--s' }} value={q} classes="govuk-!-width-one-half" maxlength={100} />
          <Button text="Search" classes="govuk-button--secondary" />
        </form>
        <p class="govuk-body">
          {found.length} {found.length === 1 ? 'participant' : 'participants'}. <a class="govuk-link" href={`/delivery/intakes/${intake.id}/progress.csv`}>Download everyone’s progress (CSV)</a>
        </p>
        {shown.length ? (
          <Table
            caption="Done, and guided learning recorded against what is expected by now"
            captionClasses="govuk-table__caption--s"
            head={[{ text: 'Participant' }, ...(['events', 'online_courses', 'briefings'] as const).map((c) => ({ text: COMPONENT_LABELS[c] }))]}
            rows={shown.map(({ place, progress }) => [{ text: place.fullName }, ...(['events', 'online_courses', 'briefings'] as const).map((c) => ({ text: cell(progress.find((x) => x.component === c)) }))])}
          />
        ) : (
          <InsetText text={q ? 'No participants match your search.' : 'No participants are placed in this intake yet.'} />
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });

  app.get<{ Params: { id: string } }>('/delivery/intakes/:id/progress.csv', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const { intake, participants } = await learning.progressOfIntake(req.actor, req.params.id);
    const components = ['events', 'online_courses', 'briefings'] as const;
    const heading = ['Participant', 'Email', 'Training status', ...components.flatMap((c) => [`${COMPONENT_LABELS[c]}: done`, `${COMPONENT_LABELS[c]}: out of`, `${COMPONENT_LABELS[c]}: minutes recorded`, `${COMPONENT_LABELS[c]}: minutes expected by now`])];
    const rows = participants.map(({ place, progress }) => [place.fullName, place.email, place.trainingStatus, ...components.flatMap((c) => {
      const x = progress.find((p) => p.component === c);
      return [x?.itemsDone, x?.itemsTotal, x?.evidencedMinutes, x?.expectedMinutes];
    })]);
    return sendCsv(reply, `progress-${intake.name}`, [heading, ...rows]);
  });
}
