import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { timeZoneLabel } from '../../enrolment/domain/time-zones';
import { spanText } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors } from '../../platform/errors';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import type { PageContext } from '../../platform/page-context';
import { hoursAndMinutes } from '../../platform/text';
import { requireSignIn } from '../../platform/web';
import { Button, InsetText, SummaryList, Table, WarningText } from '../../ui/govuk';
import { BOOKING_STATUS_LABELS, inGoodTime } from '../domain/coaching';
import type { CoachingService } from '../coaching.service';
import { COACHING_PAGE_CHANNELS } from '../coaching.context';
import { PersonalPages } from '../../platform/personal-pages';
import { type KeptPages, minuteVersion } from '../../platform/kept-version';
import type { FreeSlot, MyBooking } from '../bookings/bookings';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;

const uuid = z.uuid();
const end = (startsAt: Date, minutes: number) => new Date(startsAt.getTime() + minutes * 60_000);
/** "Tuesday 1 December 2026, 16:00 to 17:00" in the reader's zone. */
export const sessionWhen = (s: { startsAt: Date; minutes: number }, zone: string) => spanText(s.startsAt, end(s.startsAt, s.minutes), zone);
const modeText = (s: Pick<FreeSlot, 'mode' | 'location'>) => (s.mode === 'online' ? 'Online' : `In person: ${s.location ?? ''}`);

/**
 * The free slots as a list of one-button forms: each books (or moves to) its time, and works without
 * JavaScript. A time longer than the hours left is shown without a button; one inside the notice
 * period says that it can no longer be moved and would count if cancelled.
 */
function SlotChoices(p: { ctx: PageContext; slots: FreeSlot[]; zone: string; action: string; verb: string; minutesLeft: number; noticeHours: number; now: Date; id?: string }) {
  return (
    <ul class="govuk-list" id={p.id}>
      {p.slots.map((s) => (
        <li class="govuk-!-margin-bottom-4">
          <form method="post" action={p.action} novalidate>
            <Csrf ctx={p.ctx} />
            <input type="hidden" name="slotId" value={s.id} />
            <p class="govuk-body govuk-!-margin-bottom-1">
              <strong>{sessionWhen(s, p.zone)}</strong>
              <br />
              {`${hoursAndMinutes(s.minutes)}, ${modeText(s)}`}
              {!inGoodTime(s.startsAt, p.now, p.noticeHours) ? (
                <>
                  <br />
                  <span class="govuk-hint">{`Within ${hoursAndMinutes(p.noticeHours * 60)} of now: it could not be moved, and cancelling it would count as used.`}</span>
                </>
              ) : null}
            </p>
            {s.minutes > p.minutesLeft ? (
              <p class="govuk-body govuk-!-margin-bottom-0">{`Longer than the ${hoursAndMinutes(p.minutesLeft)} you have left.`}</p>
            ) : (
              <Button text={p.verb} classes="govuk-button--secondary govuk-!-margin-bottom-0" attributes={{ 'aria-label': `${p.verb}: ${sessionWhen(s, p.zone)}` }} preventDoubleClick />
            )}
          </form>
        </li>
      ))}
    </ul>
  );
}

/**
 * The participant's coaching (issue 11 item 1): their coach and tutor, hours used of hours allocated,
 * sessions to come (move, cancel), past sessions with the actions agreed, and their coach's free
 * times in their own time zone, each booked by one button. Refusals (someone took the time first, no
 * hours left) are told on the page, above the times, with the times still there.
 */
export async function myCoachingRoutes(app: FastifyInstance, opts: { coaching: CoachingService; kept: KeptPages }) {
  const { coaching } = opts;
  const signedIn = { preHandler: requireSignIn };
  const valid = (req: FastifyRequest<{ Params: { eid: string; bid?: string } }>) => uuid.safeParse(req.params.eid).success && (req.params.bid === undefined || uuid.safeParse(req.params.bid).success);

  const pages = new PersonalPages();
  const version = minuteVersion(opts.kept.notifier, COACHING_PAGE_CHANNELS, opts.kept.clock);

  /** The page as its data stands now: kept per person when nothing was refused (GET), rendered afresh with the refusal otherwise. */
  const renderOf = async (req: FastifyRequest<{ Params: { eid: string } }>, errors?: FieldErrors) => {
    const c = await coaching.myCoaching(req.actor, req.params.eid);
    const base = `/programme/${c.place.enrolmentId}/coaching`;
    const upcoming = c.bookings.filter((b) => b.status === 'booked' && b.startsAt > c.now).reverse();
    const past = c.bookings.filter((b) => !upcoming.includes(b));
    const agreed = c.bookings.filter((b) => b.agreedActions);
    const status = (b: MyBooking) => (b.status === 'booked' ? 'Waiting for your coach to record it' : BOOKING_STATUS_LABELS[b.status]);
    return (ctx: PageContext) => (
        <Layout ctx={ctx} title="Your coaching" errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href="/programme">
            Your programme
          </a>
          <h1 class="govuk-heading-xl">Your coaching</h1>
          <SummaryList
            rows={[
              { key: { text: 'Your coach' }, value: { text: c.coach?.name ?? 'Not given yet: your provider will tell you' } },
              { key: { text: 'Your personal tutor' }, value: { text: c.tutor?.name ?? 'Not given yet' } },
              { key: { text: 'Coaching hours' }, value: { text: c.minutes.entitled ? `${hoursAndMinutes(c.minutes.used)} used of ${hoursAndMinutes(c.minutes.entitled)}${c.minutes.booked ? `, ${hoursAndMinutes(c.minutes.booked)} booked` : ''}` : 'Your NPQ includes no coaching sessions' } },
              c.minutes.entitled ? { key: { text: 'Left to book' }, value: { text: hoursAndMinutes(c.minutes.left) } } : null,
              { key: { text: 'Times are shown in' }, value: { text: timeZoneLabel(c.timeZone) } },
            ]}
          />
          {agreed.length ? (
            <>
              <h2 class="govuk-heading-l">What you agreed to do</h2>
              {agreed.map((b) => (
                <div class="govuk-inset-text">
                  <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{`${sessionWhen(b, c.timeZone)}, with ${b.coachName}`}</p>
                  <p class="govuk-body app-prewrap">{b.agreedActions}</p>
                </div>
              ))}
            </>
          ) : null}
          <h2 class="govuk-heading-l">Sessions to come</h2>
          {upcoming.length ? (
            upcoming.map((b) => (
              <div class="govuk-summary-card" data-booking={b.id}>
                <div class="govuk-summary-card__title-wrapper">
                  <h3 class="govuk-summary-card__title">{sessionWhen(b, c.timeZone)}</h3>
                </div>
                <div class="govuk-summary-card__content">
                  <p class="govuk-body">
                    {`With ${b.coachName}, ${hoursAndMinutes(b.minutes)}. `}
                    {b.mode === 'online' && b.joinUrl ? (
                      <a class="govuk-link" href={b.joinUrl} rel="noopener noreferrer">
                        Join online
                      </a>
                    ) : (
                      `In person: ${b.location ?? ''}`
                    )}
                  </p>
                  <p class="govuk-body">
                    {inGoodTime(b.startsAt, c.now, c.noticeHours) ? (
                      <>
                        <a class="govuk-link" href={`${base}/${b.id}/move`}>
                          Move this session<span class="govuk-visually-hidden"> on {sessionWhen(b, c.timeZone)}</span>
                        </a>
                        {' · '}
                      </>
                    ) : (
                      `Too close to move. `
                    )}
                    <a class="govuk-link" href={`${base}/${b.id}/cancel`}>
                      Cancel this session<span class="govuk-visually-hidden"> on {sessionWhen(b, c.timeZone)}</span>
                    </a>
                  </p>
                </div>
              </div>
            ))
          ) : (
            <p class="govuk-body">You have no sessions booked.</p>
          )}
          <p class="govuk-body">{`You can move or cancel a session up to ${hoursAndMinutes(c.noticeHours * 60)} before it starts. A session cancelled later than that, or missed, counts against your coaching hours.`}</p>
          <h2 class="govuk-heading-l" id="slot">
            Book a session
          </h2>
          {!c.coach ? (
            <InsetText text="You can book once you have a coach." />
          ) : c.place.trainingStatus !== 'active' ? (
            <InsetText text="Your place is paused or has ended, so no sessions can be booked." />
          ) : !c.minutes.entitled ? (
            <InsetText text="Your NPQ includes no coaching sessions to book." />
          ) : c.minutes.left === 0 ? (
            <InsetText text="You have booked or used all your coaching hours." />
          ) : c.freeSlots.length ? (
            <>
              <p class="govuk-body">{`${c.coach.name}’s free times in the next four months, in ${timeZoneLabel(c.timeZone)}:`}</p>
              <SlotChoices ctx={ctx} slots={c.freeSlots} zone={c.timeZone} action={`${base}/book`} verb="Book" minutesLeft={c.minutes.left} noticeHours={c.noticeHours} now={c.now} />
            </>
          ) : (
            <InsetText text={`${c.coach.name} has no free times to book just now. Look again soon.`} />
          )}
          {past.length ? (
            <>
              <h2 class="govuk-heading-l">Earlier and cancelled sessions</h2>
              <Table
                caption="Earlier and cancelled sessions"
                captionClasses="govuk-visually-hidden"
                head={[{ text: 'When' }, { text: 'What happened' }]}
                rows={past.map((b) => [{ text: sessionWhen(b, c.timeZone) }, { text: b.status === 'held' && b.heldMinutes ? `Held, ${hoursAndMinutes(b.heldMinutes)}` : status(b) }])}
              />
            </>
          ) : null}
        </Layout>
    );
  };
  const page = async (req: FastifyRequest<{ Params: { eid: string } }>, reply: FastifyReply, errors: FieldErrors) => reply.page(await renderOf(req, errors), 409);

  app.get<{ Params: { eid: string } }>('/programme/:eid/coaching', signedIn, async (req, reply) => (valid(req) ? reply.personalPage(pages, version(), async () => ({ keep: opts.kept.on, render: await renderOf(req) }), `coaching ${req.params.eid}`) : reply.callNotFound()));

  app.post<{ Params: { eid: string } }>('/programme/:eid/coaching/book', signedIn, async (req, reply) => {
    const slotId = one(((req.body ?? {}) as Body).slotId);
    if (!valid(req) || !uuid.safeParse(slotId).success) return reply.callNotFound();
    try {
      await coaching.bookSlot(req.actor, req.params.eid, slotId);
    } catch (err) {
      // Told above the times, which are read again: the one just taken is gone from them.
      if (err instanceof AppError && err.status < 500 && err.status !== 404) return page(req, reply, { slot: err.message });
      throw err;
    }
    reply.flash('Your session is booked. We have emailed you and your coach a calendar entry.');
    return reply.redirect(`/programme/${req.params.eid}/coaching`, 303);
  });

  const cancelPage = async (req: FastifyRequest<{ Params: { eid: string; bid: string } }>, reply: FastifyReply) => {
    const t = await coaching.cancellationTerms(req.actor, req.params.eid, req.params.bid);
    const base = `/programme/${req.params.eid}/coaching`;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Cancel this session">
        <a class="govuk-back-link" href={base}>
          Your coaching
        </a>
        <h1 class="govuk-heading-xl">Cancel this session</h1>
        <p class="govuk-body">
          <strong>{sessionWhen(t.booking, t.timeZone)}</strong>
        </p>
        {t.late ? <WarningText text={`It starts in less than ${hoursAndMinutes(t.noticeHours * 60)}, so if you cancel it now it counts against your coaching hours.`} /> : <p class="govuk-body">It will not count against your coaching hours, and the time will be free for others.</p>}
        <form method="post" action={`${base}/${t.booking.id}/cancel`} novalidate>
          <Csrf ctx={ctx} />
          <div class="govuk-button-group">
            <Button text="Cancel the session" classes="govuk-button--warning" preventDoubleClick />
            <a class="govuk-link" href={base}>
              Keep it
            </a>
          </div>
        </form>
      </Layout>
    ));
  };
  app.get<{ Params: { eid: string; bid: string } }>('/programme/:eid/coaching/:bid/cancel', signedIn, async (req, reply) => (valid(req) ? cancelPage(req, reply) : reply.callNotFound()));
  app.post<{ Params: { eid: string; bid: string } }>('/programme/:eid/coaching/:bid/cancel', signedIn, async (req, reply) => {
    if (!valid(req)) return reply.callNotFound();
    const { late } = await coaching.cancelBooking(req.actor, req.params.eid, req.params.bid);
    reply.flash(late ? 'Your session is cancelled. It was within the notice period, so it counts against your coaching hours.' : 'Your session is cancelled. It does not count against your coaching hours.');
    return reply.redirect(`/programme/${req.params.eid}/coaching`, 303);
  });

  const movePage = async (req: FastifyRequest<{ Params: { eid: string; bid: string } }>, reply: FastifyReply, errors?: FieldErrors) => {
    const [t, c] = await Promise.all([coaching.cancellationTerms(req.actor, req.params.eid, req.params.bid), coaching.myCoaching(req.actor, req.params.eid)]);
    const base = `/programme/${req.params.eid}/coaching`;
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Move this session" errors={errors}>
          <a class="govuk-back-link" href={base}>
            Your coaching
          </a>
          <h1 class="govuk-heading-xl">Move this session</h1>
          <p class="govuk-body">
            {'Now: '}
            <strong>{sessionWhen(t.booking, t.timeZone)}</strong>
          </p>
          {t.late ? (
            <>
              <WarningText text={`It starts in less than ${hoursAndMinutes(t.noticeHours * 60)}, so it can no longer be moved. You can cancel it, but it will count against your coaching hours.`} />
              <p class="govuk-body" id="slot">
                <a class="govuk-link" href={`${base}/${t.booking.id}/cancel`}>
                  Cancel this session
                </a>
              </p>
            </>
          ) : c.freeSlots.length ? (
            <>
              <p class="govuk-body">{`Choose a new time, in ${timeZoneLabel(t.timeZone)}. Your session stays where it is until you do.`}</p>
              <SlotChoices ctx={ctx} slots={c.freeSlots} zone={t.timeZone} action={`${base}/${t.booking.id}/move`} verb="Move to this time" minutesLeft={c.minutes.left + t.booking.minutes} noticeHours={t.noticeHours} now={c.now} id="slot" />
            </>
          ) : (
            <p class="govuk-body" id="slot">
              Your coach has no other free times just now. Your session stays where it is.
            </p>
          )}
        </Layout>
      ),
      errors ? 409 : 200,
    );
  };
  app.get<{ Params: { eid: string; bid: string } }>('/programme/:eid/coaching/:bid/move', signedIn, async (req, reply) => (valid(req) ? movePage(req, reply) : reply.callNotFound()));
  app.post<{ Params: { eid: string; bid: string } }>('/programme/:eid/coaching/:bid/move', signedIn, async (req, reply) => {
    const slotId = one(((req.body ?? {}) as Body).slotId);
    if (!valid(req) || !uuid.safeParse(slotId).success) return reply.callNotFound();
    try {
      await coaching.moveBooking(req.actor, req.params.eid, req.params.bid, slotId);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 404 && err.code !== 'not_changeable') return movePage(req, reply, { slot: err.message });
      throw err;
    }
    reply.flash('Your session has moved. We have emailed you and your coach the new time.');
    return reply.redirect(`/programme/${req.params.eid}/coaching`, 303);
  });
}
