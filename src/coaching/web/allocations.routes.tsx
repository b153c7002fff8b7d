import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { pageNumber, paginationFor, requireAbility, sendCsv } from '../../platform/admin';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { FormPage } from '../../platform/form-page';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { hoursAndMinutes } from '../../platform/text';
import { Button, Input, InsetText, Pagination, Radios, Select, Table } from '../../ui/govuk';
import { escapeHtml } from '../../ui/govuk/core';
import { type AllocationKind, ALLOCATION_KINDS, ALLOCATION_LABELS } from '../domain/coaching';
import { allocatesCoaches } from '../domain/coaching.policy';
import type { AllocationFilter } from '../allocations/allocations';
import type { CoachingService } from '../coaching.service';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
const uuid = z.uuid();
const PER_PAGE = 50;
const BASE = '/coaching/allocations';

/** The list's filters from a query string (or a form that carried them), each checked: a value that is not one is ignored. */
function filterOf(q: Body): AllocationFilter & { page: number } {
  const partner = one(q.partner);
  const without = one(q.without);
  return {
    partner: uuid.safeParse(partner).success ? partner : undefined,
    course: /^[a-z0-9-]{1,80}$/.test(one(q.course)) ? one(q.course) : undefined,
    q: one(q.q).trim().slice(0, 100) || undefined,
    without: (ALLOCATION_KINDS as readonly string[]).includes(without) ? (without as AllocationKind) : undefined,
    page: pageNumber(q.page),
  };
}
const queryOf = (f: AllocationFilter & { page?: number }) => ({ partner: f.partner, course: f.course, q: f.q, without: f.without });

/**
 * Allocating coaches and personal tutors (issue 11 item 1), for the admin (every partner) and a
 * partner's lead (their own): participants in training, filtered (partner, NPQ, search, without a
 * coach or tutor), 50 a page, each with a coach and tutor to choose and their coaching hours; a CSV of
 * the whole filtered list; spreading a partner's unallocated participants evenly across its coaches;
 * each coach's load and capacity; and (the admin) the notice period for cancelling a session.
 */
export async function allocationsRoutes(app: FastifyInstance, opts: { coaching: CoachingService }) {
  const { coaching } = opts;
  const guard = { preHandler: requireAbility(allocatesCoaches) };

  const listPage = async (req: FastifyRequest, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const f = filterOf(typed ?? ((req.query ?? {}) as Body));
    const first = await coaching.allocationsList(req.actor, f, { limit: PER_PAGE, offset: (f.page - 1) * PER_PAGE });
    const totalPages = Math.max(1, Math.ceil(first.total / PER_PAGE));
    const page = Math.min(f.page, totalPages);
    const l = page === f.page ? first : await coaching.allocationsList(req.actor, f, { limit: PER_PAGE, offset: (page - 1) * PER_PAGE });
    const pagination = paginationFor(page, totalPages, BASE, queryOf(f));
    const filtered = Boolean(f.partner || f.course || f.q || f.without);
    const csv = `${BASE}.csv?${new URLSearchParams(Object.entries(queryOf(f)).filter((e): e is [string, string] => Boolean(e[1])))}`;
    const choicesFor = (partnerId: string | null) => l.coachAccounts.filter((c) => c.deliveryPartnerId === null || c.deliveryPartnerId === partnerId).filter((c, i, all) => all.findIndex((x) => x.id === c.id) === i);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title="Coaches and tutors" errors={errors}>
          <Flash ctx={ctx} />
          <h1 class="govuk-heading-xl">Coaches and tutors</h1>
          <form method="get" action={BASE} novalidate>
            <div class="govuk-grid-row">
              <div class="govuk-grid-column-one-half">
                <Select id="partner" name="partner" label={{ text: 'Delivery partner', classes: 'govuk-label--s' }} value={f.partner ?? ''} items={[{ value: '', text: 'All' }, ...l.partners.map((p) => ({ value: p.id, text: p.name }))]} />
                <Select id="course" name="course" label={{ text: 'NPQ', classes: 'govuk-label--s' }} value={f.course ?? ''} items={[{ value: '', text: 'All' }, ...l.qualifications.map((q) => ({ value: q.identifier, text: q.name }))]} />
              </div>
              <div class="govuk-grid-column-one-half">
                <Select id="without" name="without" label={{ text: 'Show', classes: 'govuk-label--s' }} value={f.without ?? ''} items={[{ value: '', text: 'Everyone' }, { value: 'coach', text: 'Without a coach' }, { value: 'tutor', text: 'Without a personal tutor' }]} />
                <Input id="q" name="q" label={{ text: 'Name or email address', classes: 'govuk-label--s' }} value={f.q ?? ''} maxlength={100} />
              </div>
            </div>
            <FilterButtons clearHref={BASE} filtered={filtered} csvHref={csv} />
          </form>
          <p class="govuk-body">{`${l.total.toLocaleString('en-GB')} ${l.total === 1 ? 'participant' : 'participants'}${filtered ? (l.total === 1 ? ' matches' : ' match') : ' in training'}.`}</p>
          {l.rows.length ? (
            <form method="post" action={BASE} novalidate>
              <Csrf ctx={ctx} />
              {Object.entries(queryOf(f)).map(([k, v]) => (v ? <input type="hidden" name={k} value={v} /> : null))}
              <input type="hidden" name="page" value={String(page)} />
              <Table
                caption="Participants"
                captionClasses="govuk-visually-hidden"
                head={[{ text: 'Participant' }, { text: 'Coach' }, { text: 'Personal tutor' }, { text: 'Coaching used of allocated', format: 'numeric' }]}
                rows={l.rows.map((r) => {
                  const choices = choicesFor(r.place.deliveryPartnerId);
                  const select = (kind: AllocationKind, current: string | null) => {
                    const name = `${kind}-${r.place.enrolmentId}`;
                    const value = typed?.[name] ?? current ?? '';
                    const error = errors?.[name];
                    return `<div class="govuk-form-group${error ? ' govuk-form-group--error' : ''} govuk-!-margin-bottom-0"><label class="govuk-label govuk-visually-hidden" for="${name}">${ALLOCATION_LABELS[kind]} for ${escapeHtml(r.place.fullName)}</label>${error ? `<p id="${name}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> ${escapeHtml(error)}</p>` : ''}<select class="govuk-select${error ? ' govuk-select--error' : ''}" id="${name}" name="${name}"${error ? ` aria-describedby="${name}-error"` : ''}><option value="">Nobody</option>${choices.map((c) => `<option value="${c.id}"${c.id === value ? ' selected' : ''}>${escapeHtml(c.name)}</option>`).join('')}</select></div>`;
                  };
                  return [
                    { html: `${escapeHtml(r.place.fullName)}<br><span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(r.place.courseIdentifier)}, ${escapeHtml(l.partnerNames.get(r.place.deliveryPartnerId ?? '') ?? 'no partner')}</span>` },
                    { html: select('coach', r.coachUserId) },
                    { html: select('tutor', r.tutorUserId) },
                    { text: r.minutes.entitled ? `${hoursAndMinutes(r.minutes.used)} of ${hoursAndMinutes(r.minutes.entitled)}` : 'None in this NPQ', format: 'numeric' },
                  ];
                })}
              />
              <Button text="Save the coaches and tutors" preventDoubleClick />
            </form>
          ) : (
            <InsetText text={filtered ? 'Nobody matches these filters.' : 'No participants are in training yet.'} />
          )}
          {pagination ? <Pagination {...pagination} /> : null}
          <h2 class="govuk-heading-l">Spread evenly</h2>
          <form method="post" action={`${BASE}/spread`} novalidate>
            <Csrf ctx={ctx} />
            <p class="govuk-body">Gives everyone at a delivery partner who has none a coach (or tutor): each goes to whoever has fewest, never past a coach’s capacity.</p>
            <Select id="spread-partner" name="partner" label={{ text: 'Delivery partner', classes: 'govuk-label--s' }} value={typed?.form === 'spread' ? typed.partner : (f.partner ?? '')} errorMessage={errors?.['spread-partner'] ? { text: errors['spread-partner'] } : undefined} items={[{ value: '', text: 'Choose a partner' }, ...l.partners.map((p) => ({ value: p.id, text: p.name }))]} />
            <Radios
              name="kind"
              idPrefix="kind"
              classes="govuk-radios--inline"
              fieldset={{ legend: { text: 'Give them a', classes: 'govuk-fieldset__legend--s' } }}
              value={typed?.form === 'spread' ? typed.kind : 'coach'}
              errorMessage={errors?.kind ? { text: errors.kind } : undefined}
              items={ALLOCATION_KINDS.map((k) => ({ value: k, text: ALLOCATION_LABELS[k].toLowerCase() }))}
            />
            <Button text="Spread evenly" classes="govuk-button--secondary" preventDoubleClick />
          </form>
          <h2 class="govuk-heading-l">Coaches</h2>
          {l.coaches.length ? (
            <Table
              caption="Coaches"
              captionClasses="govuk-visually-hidden"
              head={[{ text: 'Coach' }, { text: 'Coaching', format: 'numeric' }, { text: 'Capacity', format: 'numeric' }, { text: 'Tutoring', format: 'numeric' }, { text: 'Held', format: 'numeric' }, { text: '', html: '<span class="govuk-visually-hidden">Actions</span>' }]}
              rows={l.coaches.map((c) => [
                { text: c.name },
                { text: String(c.coaching), format: 'numeric' },
                { text: c.capacity === null ? 'No limit' : String(c.capacity), format: 'numeric' },
                { text: String(c.tutoring), format: 'numeric' },
                { text: hoursAndMinutes(c.heldMinutes), format: 'numeric' },
                { html: c.mayChangeCapacity ? `<a class="govuk-link" href="/coaching/coaches/${c.id}">Change capacity<span class="govuk-visually-hidden"> of ${escapeHtml(c.name)}</span></a>` : '' },
              ])}
            />
          ) : (
            <InsetText text="Nobody has the coach role yet. Give it under People: across the provider, or for one delivery partner." />
          )}
          {l.maySetNotice ? (
            <form method="post" action="/coaching/notice" novalidate>
              <Csrf ctx={ctx} />
              <h2 class="govuk-heading-l">Notice to cancel or move a session</h2>
              <Input id="noticeHours" name="noticeHours" inputmode="numeric" label={{ text: 'Hours before a session', classes: 'govuk-label--s' }} hint={{ text: 'A session cancelled later than this counts against the participant’s hours, and can no longer be moved.' }} classes="govuk-input--width-3" suffix={{ text: 'hours' }} value={typed?.form === 'notice' ? typed.noticeHours : String(l.noticeHours)} errorMessage={errors?.noticeHours ? { text: errors.noticeHours } : undefined} />
              <Button text="Save the notice period" classes="govuk-button--secondary" preventDoubleClick />
            </form>
          ) : null}
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  app.get(BASE, guard, async (req, reply) => listPage(req, reply));

  app.get(`${BASE}.csv`, guard, async (req, reply) => {
    const f = filterOf((req.query ?? {}) as Body);
    // Refused (another partner's filter) before the download starts, as the list is.
    const first = await coaching.allocationsList(req.actor, f, { limit: 1000, offset: 0 });
    const name = new Map(first.coaches.map((c) => [c.id, c.name]));
    const rowsOf = (l: typeof first) => l.rows.map((r) => [r.place.fullName, r.place.email, r.place.courseIdentifier, l.partnerNames.get(r.place.deliveryPartnerId ?? '') ?? '', r.coachUserId ? (name.get(r.coachUserId) ?? '') : '', r.tutorUserId ? (name.get(r.tutorUserId) ?? '') : '', r.minutes.entitled, r.minutes.used, r.minutes.booked]);
    // Walked by name and id (docs/adr/0044): a participant added or changed while it downloads is neither lost nor listed twice.
    async function* rows() {
      yield [['Participant', 'Email', 'NPQ', 'Delivery partner', 'Coach', 'Personal tutor', 'Coaching minutes allocated', 'Minutes used', 'Minutes booked']];
      let l = first;
      for (;;) {
        yield rowsOf(l);
        const last = l.rows.at(-1);
        if (l.rows.length < 1000 || !last) return;
        l = await coaching.allocationsList(req.actor, f, { limit: 1000, offset: 0, after: { fullName: last.place.fullName, enrolmentId: last.place.enrolmentId } });
      }
    }
    return sendCsv(reply, 'coaches-and-tutors.csv', rows());
  });

  app.post(BASE, guard, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const changes: { enrolmentId: string; kind: AllocationKind; coachUserId: string }[] = [];
    for (const [field, value] of Object.entries(b)) {
      const m = /^(coach|tutor)-(.+)$/.exec(field);
      if (!m) continue;
      // A field no page of ours sent names no participant.
      if (!uuid.safeParse(m[2]).success) return reply.callNotFound();
      const coachUserId = one(value);
      if (coachUserId && !uuid.safeParse(coachUserId).success) return reply.callNotFound();
      changes.push({ kind: m[1] as AllocationKind, enrolmentId: m[2]!, coachUserId });
    }
    let n: number;
    try {
      n = await coaching.saveAllocations(req.actor, changes);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors, b);
      throw err;
    }
    reply.flash(n ? `Saved: ${n} ${n === 1 ? 'change' : 'changes'}.` : 'Nothing had changed.');
    const back = new URLSearchParams(Object.entries({ ...queryOf(filterOf(b)), page: one(b.page) }).filter((e): e is [string, string] => Boolean(e[1]) && e[1] !== '1'));
    return reply.redirect(`${BASE}${back.size ? `?${back}` : ''}`, 303);
  });

  app.post(`${BASE}/spread`, guard, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const partner = one(b.partner);
    const kind = one(b.kind);
    if (!uuid.safeParse(partner).success) return listPage(req, reply, { 'spread-partner': 'Choose the delivery partner' }, { ...b, form: 'spread' });
    if (!(ALLOCATION_KINDS as readonly string[]).includes(kind)) return listPage(req, reply, { kind: 'Choose a coach or a personal tutor' }, { ...b, form: 'spread' });
    let result: { given: number; left: number };
    try {
      result = await coaching.spreadAcrossCoaches(req.actor, partner, kind as AllocationKind);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors, { ...b, form: 'spread' });
      if (err instanceof AppError && err.status < 500 && err.status !== 404) return listPage(req, reply, { 'spread-partner': err.message }, { ...b, form: 'spread' });
      throw err;
    }
    const label = ALLOCATION_LABELS[kind as AllocationKind].toLowerCase();
    const full = `every coach there is at capacity: raise a capacity or add a coach`;
    // Nobody given one although some wait: told as a problem, beside the form, not as a success.
    if (!result.given && result.left) return listPage(req, reply, { 'spread-partner': `Nobody could be given a ${label}: ${full}` }, { ...b, form: 'spread' });
    reply.flash(`${result.given} ${result.given === 1 ? 'participant was' : 'participants were'} given a ${label}.${result.left ? ` ${result.left} could not be: ${full}.` : ''}`);
    return reply.redirect(`${BASE}?partner=${partner}`, 303);
  });

  app.post('/coaching/notice', guard, async (req, reply) => {
    const b = (req.body ?? {}) as Body;
    const typedHours = one(b.noticeHours).trim();
    try {
      await coaching.setNoticeHours(req.actor, /^\d{1,4}$/.test(typedHours) ? Number(typedHours) : Number.NaN);
    } catch (err) {
      if (err instanceof ValidationError) return listPage(req, reply, err.fieldErrors, { ...b, form: 'notice' });
      throw err;
    }
    reply.flash(`The notice period is ${typedHours} hours.`);
    return reply.redirect(BASE, 303);
  });

  const capacityPage = async (req: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, errors?: FieldErrors, typed?: Body) => {
    const l = await coaching.allocationsList(req.actor, {}, { limit: 0, offset: 0 });
    const coach = l.coaches.find((c) => c.id === req.params.id);
    if (!coach?.mayChangeCapacity) return reply.callNotFound();
    return reply.page(
      (ctx: PageContext) => (
        <FormPage ctx={ctx} title={`Capacity of ${coach.name}`} back={BASE} errors={errors}>
          <form method="post" action={`/coaching/coaches/${coach.id}`} novalidate>
            <Csrf ctx={ctx} />
            <p class="govuk-body">{`${coach.name} coaches ${coach.coaching} ${coach.coaching === 1 ? 'participant' : 'participants'} now.`}</p>
            <Input id="capacity" name="capacity" inputmode="numeric" label={{ text: 'How many participants they may coach', classes: 'govuk-label--s' }} hint={{ text: '0 takes nobody new; leave it empty for no limit' }} classes="govuk-input--width-3" value={typed?.capacity ?? (coach.capacity === null ? '' : String(coach.capacity))} errorMessage={errors?.capacity ? { text: errors.capacity } : undefined} />
            <Button text="Save" preventDoubleClick />
          </form>
        </FormPage>
      ),
      errors ? 422 : 200,
    );
  };
  app.get<{ Params: { id: string } }>('/coaching/coaches/:id', guard, async (req, reply) => (uuid.safeParse(req.params.id).success ? capacityPage(req, reply) : reply.callNotFound()));
  app.post<{ Params: { id: string } }>('/coaching/coaches/:id', guard, async (req, reply) => {
    if (!uuid.safeParse(req.params.id).success) return reply.callNotFound();
    const b = (req.body ?? {}) as Body;
    const typed = one(b.capacity).trim();
    try {
      await coaching.setCoachCapacity(req.actor, req.params.id, typed === '' ? null : /^\d{1,4}$/.test(typed) ? Number(typed) : Number.NaN);
    } catch (err) {
      if (err instanceof ValidationError) return capacityPage(req, reply, err.fieldErrors, b);
      throw err;
    }
    reply.flash('The capacity is saved.');
    return reply.redirect(BASE, 303);
  });
}
