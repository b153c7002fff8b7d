import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { COMMON_TIME_ZONES, timeZoneChoices, timeZoneLabel } from '../../enrolment/domain/time-zones';
import { requireAbility } from '../../platform/admin';
import { formatDate } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { DateField } from '../../platform/date-field';
import { readDateFields } from '../../platform/date-input';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { hoursAndMinutes } from '../../platform/text';
import { Button, Input, InsetText, Radios, Select, SummaryList, Table, Textarea } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import { BOOKING_STATUS_LABELS, MAX_REPEAT_WEEKS, NOTES_MAX_CHARACTERS, SLOT_MINUTES } from '../domain/coaching';
import { coaches } from '../domain/coaching.policy';
import type { CoachingService } from '../coaching.service';
import { LOCATION_MAX } from '../slots/slots';
import { sessionWhen } from './my-coaching.routes';
import type { KeptPages } from '../../platform/kept-version';
import { COACHING_PAGE_CHANNELS } from '../coaching.context';
import { PersonalPages } from '../../platform/personal-pages';
import { minuteVersion } from '../../platform/kept-version';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();

/**
 * A coach's pages (issue 11 item 1): their participants with hours used against hours allocated,
 * sessions to come and to record; their slots (publish once or weekly in their own time zone, remove
 * an unbooked one or the rest of a series); one session, recorded as held, missed or moved, with their
 * private notes and the actions agreed.
 */
export async function coachRoutes(app: FastifyInstance, opts: { coaching: CoachingService; kept: KeptPages }) {
  const { coaching } = opts;
  const guard = { preHandler: requireAbility(coaches) };

  const pages = new PersonalPages();
  const version = minuteVersion(opts.kept.notifier, COACHING_PAGE_CHANNELS, opts.kept.clock);

  const overviewOf = async (req: FastifyRequest) => {
    const o = await coaching.coachOverview(req.actor);
    const row = (s: (typeof o.upcoming)[number]) => [{ html: `<a class="govuk-link" href="/coaching/sessions/${s.id}">${escapeHtml(sessionWhen(s, o.timeZone))}</a>` }, { text: s.fullName }, { text: s.mode === 'online' ? 'Online' : 'In person' }];
    return (ctx: PageContext) => (
      <Layout ctx={ctx} title="Your coaching">
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">Your coaching</h1>
        <p class="govuk-body">
          {`Times are shown in ${timeZoneLabel(o.timeZone)}. You have held ${hoursAndMinutes(o.heldMinutes)} of coaching sessions. `}
          <a class="govuk-link" href="/coaching/slots">
            Publish and manage your free times
          </a>
        </p>
        <h2 class="govuk-heading-l">To record</h2>
        {o.toRecord.length ? (
          <Table caption="Sessions to record" captionClasses="govuk-visually-hidden" head={[{ text: 'When' }, { text: 'Participant' }, { text: 'Where' }]} rows={o.toRecord.map(row)} />
        ) : (
          <p class="govuk-body">Nothing to record.</p>
        )}
        <h2 class="govuk-heading-l">Sessions to come</h2>
        {o.upcoming.length ? (
          <Table caption="Sessions to come" captionClasses="govuk-visually-hidden" head={[{ text: 'When' }, { text: 'Participant' }, { text: 'Where' }]} rows={o.upcoming.map(row)} />
        ) : (
          <p class="govuk-body">No sessions are booked yet.</p>
        )}
        <h2 class="govuk-heading-l">Recorded sessions</h2>
        {o.recent.length ? (
          <Table
            caption="Recorded sessions"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'When' }, { text: 'Participant' }, { text: 'Recorded as' }]}
            rows={o.recent.map((x) => [{ html: `<a class="govuk-link" href="/coaching/sessions/${x.id}">${escapeHtml(sessionWhen(x, o.timeZone))}</a>` }, { text: x.fullName }, { text: x.status === 'held' && x.heldMinutes ? `Held, ${hoursAndMinutes(x.heldMinutes)}` : BOOKING_STATUS_LABELS[x.status] }])}
          />
        ) : (
          <p class="govuk-body">None yet. Open a session to change what you recorded.</p>
        )}
        <h2 class="govuk-heading-l">Your participants</h2>
        <p class="govuk-body">Used counts held sessions by their length, and missed sessions and late cancellations by the time booked.</p>
        {o.participants.length ? (
          <Table
            caption="Your participants"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'You are their' }, { text: 'NPQ' }, { text: 'Used', format: 'numeric' }, { text: 'Booked', format: 'numeric' }, { text: 'Allocated', format: 'numeric' }]}
            rows={o.participants.map((p) => [
              { text: p.place.fullName },
              { text: p.kinds.length === 2 ? 'Coach and personal tutor' : p.kinds[0] === 'coach' ? 'Coach' : 'Personal tutor' },
              { text: p.npq },
              { text: hoursAndMinutes(p.minutes.used), format: 'numeric' },
              { text: hoursAndMinutes(p.minutes.booked), format: 'numeric' },
              { text: p.minutes.entitled ? hoursAndMinutes(p.minutes.entitled) : 'None', format: 'numeric' },
            ])}
          />
        ) : (
          <InsetText text="Nobody is allocated to you yet. Your provider or delivery partner allocates participants to coaches." />
        )}
      </Layout>
    );
  };
  app.get('/coaching', guard, async (req, reply) => reply.personalPage(pages, version(), async () => ({ keep: opts.kept.on, render: await overviewOf(req) }), 'coaching'));

  const slotsOf = async (req: FastifyRequest, errors?: FieldErrors, typed?: Body) => {
    const s = await coaching.mySlots(req.actor);
    const zoneItems = [...COMMON_TIME_ZONES.map((z) => ({ value: z.zone, text: z.label })), ...timeZoneChoices().filter((z) => !COMMON_TIME_ZONES.some((c) => c.zone === z.zone)).map((z) => ({ value: z.zone, text: z.label }))];
    const v = typed?.form === 'publish' ? typed : undefined;
    return (ctx: PageContext) => (
        <Layout ctx={ctx} title="Your free times" errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/coaching">
            Your coaching
          </a>
          <h1 class="govuk-heading-xl">Your free times</h1>
          <form method="post" action="/coaching/slots/time-zone" novalidate>
            <Csrf ctx={ctx} />
            <Select id="timeZone" name="timeZone" label={{ text: 'Your time zone', classes: 'govuk-label--s' }} hint={{ text: 'You publish and read times in it. Participants see them in their own.' }} value={typed?.form === 'zone' ? typed.timeZone : s.timeZone} items={zoneItems} errorMessage={errors?.timeZone ? { text: errors.timeZone } : undefined} />
            <Button text="Save the time zone" classes="govuk-button--secondary" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-l">Publish a free time</h2>
          <form method="post" action="/coaching/slots" novalidate>
            <Csrf ctx={ctx} />
            <DateField name="date" legend="Date" hint="For example, 1 12 2026. For a weekly time, the first week." values={v} error={errors?.date} />
            <Input id="time" name="time" label={{ text: 'Start time', classes: 'govuk-label--s' }} hint={{ text: `24-hour, like 16:00, in ${timeZoneLabel(s.timeZone)}` }} classes="govuk-input--width-5" value={v?.time ?? ''} errorMessage={errors?.time ? { text: errors.time } : undefined} />
            <Input id="minutes" name="minutes" inputmode="numeric" label={{ text: 'Length in minutes', classes: 'govuk-label--s' }} hint={{ text: `From ${SLOT_MINUTES.min} to ${SLOT_MINUTES.max}` }} classes="govuk-input--width-3" suffix={{ text: 'minutes' }} value={v?.minutes ?? '60'} errorMessage={errors?.minutes ? { text: errors.minutes } : undefined} />
            <Input id="weeks" name="weeks" inputmode="numeric" label={{ text: 'Repeat weekly for how many weeks', classes: 'govuk-label--s' }} hint={{ text: `1 for once only; up to ${MAX_REPEAT_WEEKS}. Each week keeps the same time in your time zone, when the clocks change too.` }} classes="govuk-input--width-3" suffix={{ text: 'weeks' }} value={v?.weeks ?? '1'} errorMessage={errors?.weeks ? { text: errors.weeks } : undefined} />
            <Radios
              name="mode"
              fieldset={{ legend: { text: 'Where', classes: 'govuk-fieldset__legend--s' } }}
              value={v?.mode ?? 'online'}
              errorMessage={errors?.mode ? { text: errors.mode } : undefined}
              items={[
                { value: 'online', text: 'Online' },
                { value: 'in_person', text: 'In person' },
              ]}
            />
            <Input id="joinUrl" name="joinUrl" type="url" label={{ text: 'Join link (online)', classes: 'govuk-label--s' }} hint={{ text: 'Starts with https://' }} value={v?.joinUrl ?? ''} errorMessage={errors?.joinUrl ? { text: errors.joinUrl } : undefined} spellcheck={false} />
            <Input id="location" name="location" label={{ text: 'Where you will meet (in person)', classes: 'govuk-label--s' }} maxlength={LOCATION_MAX} value={v?.location ?? ''} errorMessage={errors?.location ? { text: errors.location } : undefined} />
            <Button text="Publish" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-l" id="published">
            Published
          </h2>
          {s.slots.length ? (
            <Table
              caption="Your free and booked times"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'When' }, { text: 'Where' }, { text: 'Booked by' }, { text: '', html: '<span class="govuk-visually-hidden">Actions</span>' }]}
              rows={s.slots.map((x) => [
                { text: sessionWhen(x, s.timeZone) },
                { text: x.mode === 'online' ? 'Online' : `In person: ${x.location ?? ''}` },
                { html: x.booking ? `<a class="govuk-link" href="/coaching/sessions/${x.booking.id}">${escapeHtml(x.booking.fullName)}</a>` : 'Free' },
                {
                  html: x.booking
                    ? ''
                    : `<form method="post" action="/coaching/slots/${x.id}/remove" novalidate><input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrfToken)}"><div class="govuk-button-group govuk-!-margin-bottom-0"><button class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" data-module="govuk-button">Remove<span class="govuk-visually-hidden"> ${escapeHtml(sessionWhen(x, s.timeZone))}</span></button>${x.seriesId ? `<button class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0" name="series" value="yes" data-module="govuk-button">Remove this and later weeks<span class="govuk-visually-hidden"> from ${escapeHtml(sessionWhen(x, s.timeZone))}</span></button>` : ''}</div></form>`,
                },
              ])}
            />
          ) : (
            <p class="govuk-body">You have no free times published.</p>
          )}
          {s.more ? <p class="govuk-body">Only your next 200 times are shown.</p> : null}
        </Layout>
    );
  };
  const slotsPage = async (req: FastifyRequest, reply: FastifyReply, errors: FieldErrors, typed?: Body) => reply.page(await slotsOf(req, errors, typed), 422);

  app.get('/coaching/slots', guard, async (req, reply) => reply.personalPage(pages, version(), async () => ({ keep: opts.kept.on, render: await slotsOf(req) }), 'coaching slots'));

  app.post('/coaching/slots', guard, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const { dates, errors: dateErrors } = readDateFields(b, { date: { label: 'the date' } });
    let result: Awaited<ReturnType<CoachingService['publishSlots']>>;
    try {
      result = await coaching.publishSlots(req.actor, { date: dates.date, time: one(b.time), minutes: one(b.minutes), weeks: one(b.weeks), mode: one(b.mode), joinUrl: one(b.joinUrl), location: one(b.location) });
    } catch (err) {
      // Every field's error at once: a date that cannot be read is said as the date fields say it.
      if (err instanceof ValidationError) return slotsPage(req, reply, { ...err.fieldErrors, ...(dateErrors.date ? { date: dateErrors.date } : {}) }, { ...b, form: 'publish' });
      throw err;
    }
    const zone = (await coaching.mySlots(req.actor, 0)).timeZone;
    const notes = [
      result.passed ? `${result.passed === 1 ? 'The first week was' : `${result.passed} weeks were`} left out: that time has passed today.` : '',
      result.skipped.length ? `${result.skipped.map((d) => formatDate(d)).join(', ')} left out: that time does not exist there when the clocks go forward.` : '',
      result.clashes.length ? `${result.clashes.map((d) => formatDate(d, zone)).join(', ')} left out: ${result.clashes.length === 1 ? 'it overlaps a time' : 'they overlap times'} you already have.` : '',
    ].filter(Boolean);
    reply.flash(`${result.published} ${result.published === 1 ? 'free time' : 'free times'} published.${notes.length ? ` ${notes.join(' ')}` : ''}`);
    return reply.redirect('/coaching/slots', 303);
  });

  app.post('/coaching/slots/time-zone', guard, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    try {
      await coaching.setMyTimeZone(req.actor, one(b.timeZone));
    } catch (err) {
      if (err instanceof ValidationError) return slotsPage(req, reply, err.fieldErrors, { ...b, form: 'zone' });
      throw err;
    }
    reply.flash(`Your time zone is ${timeZoneLabel(one(b.timeZone))}. Times you publish from now on are in it.`);
    return reply.redirect('/coaching/slots', 303);
  });

  app.post<{ Params: { id: string } }>('/coaching/slots/:id/remove', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    let n: number;
    try {
      n = await coaching.removeSlot(req.actor, req.params.id, one(((req.body ?? {}) as Body).series) === 'yes');
    } catch (err) {
      if (err instanceof AppError && err.status !== 404 && err.status < 500) return slotsPage(req, reply, { published: err.message });
      throw err;
    }
    reply.flash(n === 1 ? 'The free time is removed.' : `${n} free times are removed.`);
    return reply.redirect('/coaching/slots', 303);
  });

  const sessionPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const s = await coaching.coachingSession(req.actor, req.params.id);
    const b = s.booking;
    const recorded = b.status === 'held' || b.status === 'missed' || b.status === 'moved';
    const changeable = b.status === 'booked' || recorded;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={`Coaching: ${s.place.fullName}`} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/coaching">
            Your coaching
          </a>
          <span class="govuk-caption-l">{s.place.fullName}</span>
          <h1 class="govuk-heading-xl">{sessionWhen(s.slot, s.timeZone)}</h1>
          <SummaryList
            rows={[
              { key: { text: 'Participant' }, value: { text: `${s.place.fullName} (${s.place.courseIdentifier})` } },
              { key: { text: 'Their time zone' }, value: { text: timeZoneLabel(s.place.timeZone ?? 'Europe/London') } },
              { key: { text: 'Where' }, value: s.slot.mode === 'online' && s.slot.joinUrl ? { html: `<a class="govuk-link" href="${escapeHtml(s.slot.joinUrl)}" rel="noopener noreferrer">Join online</a>` } : { text: `In person: ${s.slot.location ?? ''}` } },
              { key: { text: 'Status' }, value: { text: b.status === 'held' && b.heldMinutes ? `Held, ${hoursAndMinutes(b.heldMinutes)}` : BOOKING_STATUS_LABELS[b.status] } },
            ]}
          />
          {s.earlierActions.length ? (
            <>
              <h2 class="govuk-heading-m">Actions agreed before</h2>
              <ul class="govuk-list govuk-list--spaced">
                {s.earlierActions.map((a) => (
                  <li>
                    <strong>{formatDate(a.startsAt, s.timeZone)}</strong>
                    <br />
                    <span class="app-prewrap">{a.agreedActions}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {b.status === 'booked' && !s.started ? (
            <>
              <h2 class="govuk-heading-l" id="slot">
                Move it to another of your times
              </h2>
              {s.freeSlots.length ? (
                <ul class="govuk-list">
                  {s.freeSlots.slice(0, 20).map((x) => (
                    <li class="govuk-!-margin-bottom-4">
                      <form method="post" action={`/coaching/sessions/${b.id}/move`} novalidate>
                        <Csrf ctx={ctx} />
                        <input type="hidden" name="slotId" value={x.id} />
                        <p class="govuk-body govuk-!-margin-bottom-1">
                          <strong>{sessionWhen(x, s.timeZone)}</strong>
                        </p>
                        <Button text="Move to this time" classes="govuk-button--secondary govuk-!-margin-bottom-0" attributes={{ 'aria-label': `Move to ${sessionWhen(x, s.timeZone)}` }} preventDoubleClick />
                      </form>
                    </li>
                  ))}
                </ul>
              ) : (
                <p class="govuk-body">
                  You have no other free times. <a class="govuk-link" href="/coaching/slots">Publish one</a>, then move the session to it.
                </p>
              )}
              <form method="post" action={`/coaching/sessions/${b.id}`} novalidate>
                <Csrf ctx={ctx} />
                <input type="hidden" name="outcome" value="moved" />
                <h2 class="govuk-heading-l">Or: it cannot happen at this time</h2>
                <p class="govuk-body">The participant is told to book another time; nothing counts against their hours, and this time is taken off your free times.</p>
                {errors?.outcome ? <p class="govuk-error-message" id="outcome">{errors.outcome}</p> : null}
                <Button text="Cancel it: ask them to book again" classes="govuk-button--warning" preventDoubleClick />
              </form>
            </>
          ) : changeable ? (
            <form method="post" action={`/coaching/sessions/${b.id}`} novalidate>
              <Csrf ctx={ctx} />
              <h2 class="govuk-heading-l">{recorded ? 'Change the record' : 'Record the session'}</h2>
              <Radios
                name="outcome"
                fieldset={{ legend: { text: 'What happened', classes: 'govuk-fieldset__legend--s' } }}
                value={typed?.outcome ?? (recorded ? b.status : '')}
                errorMessage={errors?.outcome ? { text: errors.outcome } : undefined}
                items={[
                  { value: 'held', text: 'Held', hint: { text: 'Counts the length below against their hours' } },
                  { value: 'missed', text: 'Missed', hint: { text: 'They did not come: counts as used' } },
                  { value: 'moved', text: 'Moved', hint: { text: 'It could not happen at this time: not counted; they are asked to book another' } },
                ]}
              />
              <Input id="heldMinutes" name="heldMinutes" inputmode="numeric" label={{ text: 'How long it lasted, if held', classes: 'govuk-label--s' }} hint={{ text: `At most ${s.slot.minutes} minutes, the length booked` }} classes="govuk-input--width-3" suffix={{ text: 'minutes' }} value={typed?.heldMinutes ?? String(b.heldMinutes ?? s.slot.minutes)} errorMessage={errors?.heldMinutes ? { text: errors.heldMinutes } : undefined} />
              <Textarea id="agreedActions" name="agreedActions" label={{ text: 'Agreed actions', classes: 'govuk-label--s' }} hint={{ text: 'What you both agreed to do. The participant sees these, and so does any coach they have later.' }} value={typed?.agreedActions ?? b.agreedActions} errorMessage={errors?.agreedActions ? { text: errors.agreedActions } : undefined} maxlength={NOTES_MAX_CHARACTERS} rows={5} />
              <Textarea id="privateNotes" name="privateNotes" label={{ text: 'Your private notes', classes: 'govuk-label--s' }} hint={{ text: 'Only you can read these: not the participant, not another coach, not staff.' }} value={typed?.privateNotes ?? b.privateNotes} errorMessage={errors?.privateNotes ? { text: errors.privateNotes } : undefined} maxlength={NOTES_MAX_CHARACTERS} rows={5} />
              <input type="hidden" name="wasRecorded" value={recorded ? 'yes' : ''} />
              <Button text="Save" preventDoubleClick />
            </form>
          ) : b.status === 'late_cancelled' ? (
            <form method="post" action={`/coaching/sessions/${b.id}/waive`} novalidate>
              <Csrf ctx={ctx} />
              <p class="govuk-body">The participant cancelled within the notice period, so it counts against their hours. If there was good reason (illness, an emergency at school), you can let it go.</p>
              <Button text="Do not count it against their hours" classes="govuk-button--secondary" preventDoubleClick />
            </form>
          ) : (
            <InsetText text="The participant cancelled or moved this session, so there is nothing to record." />
          )}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>('/coaching/sessions/:id', guard, async (req, reply) => (uuid.safeParse(req.params.id).success ? sessionPage(req, reply) : reply.callNotFound()));

  app.post<{ Params: { id: string } }>('/coaching/sessions/:id', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    try {
      await coaching.recordSession(req.actor, req.params.id, { outcome: one(b.outcome), heldMinutes: one(b.heldMinutes), privateNotes: one(b.privateNotes), agreedActions: one(b.agreedActions) });
    } catch (err) {
      if (err instanceof ValidationError) return sessionPage(req, reply, err.fieldErrors, b);
      // A refusal (not started yet; cancelled a moment ago; past their hours) is told beside the choice, with the notes as typed.
      if (err instanceof AppError && err.status !== 404 && err.status < 500) return sessionPage(req, reply, { outcome: err.message }, b);
      throw err;
    }
    reply.flash(one(b.outcome) === 'moved' ? 'Recorded as moved. The participant is asked to book another time.' : one(b.wasRecorded) === 'yes' ? 'The record is changed.' : 'The session is recorded.');
    return reply.redirect(`/coaching/sessions/${req.params.id}`, 303);
  });

  app.post<{ Params: { id: string } }>('/coaching/sessions/:id/move', guard, async (req, reply) => {
    const slotId = one(((req.body ?? {}) as Body).slotId);
    if (!uuid.safeParse(req.params.id).success || !uuid.safeParse(slotId).success) return reply.callNotFound();
    let moved: string;
    try {
      moved = await coaching.rescheduleSession(req.actor, req.params.id, slotId);
    } catch (err) {
      if (err instanceof AppError && err.status !== 404 && err.status < 500) return sessionPage(req, reply, { slot: err.message });
      throw err;
    }
    reply.flash('The session is moved. The participant has been emailed the new time.');
    return reply.redirect(`/coaching/sessions/${moved}`, 303);
  });

  app.post<{ Params: { id: string } }>('/coaching/sessions/:id/waive', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    await coaching.waiveLateCancellation(req.actor, req.params.id);
    reply.flash('The late cancellation no longer counts against their hours.');
    return reply.redirect(`/coaching/sessions/${req.params.id}`, 303);
  });
}
