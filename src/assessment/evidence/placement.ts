import { and, asc, desc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../audit/audit';
import { placesByEnrolment, schoolByUrn, schoolUrnOfPlace } from '../../enrolment/enrolment.queries';
import { enqueueEmail } from '../../mail/outbox';
import type { Actor } from '../../platform/auth/actor';
import { addDaysTo, formatDate } from '../../platform/clock';
import { randomToken, sha256 } from '../../platform/crypto';
import { readDateFields } from '../../platform/date-input';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { asArray, one } from '../../platform/forms';
import { characterCount, clip, hasVisibleText } from '../../platform/text';
import { type AssessmentContext, refuse } from '../assessment.context';
import { placementConfirmations, placementPeriods, placements } from '../assessment.schema';
import { tasksNeeding } from '../domain/assessment-spec';
import { CONTRAST_REASONS, type ContrastReason, EVIDENCE_LINK_VALID_DAYS, EVIDENCE_TEXT_MAX, HOST_ANSWERS, type HostAnswer, placementDaysSummary } from '../domain/evidence';
import { calendarDaysIn, LONGEST_PERIOD_DAYS, workingDaysIn, workingDaysOf } from '../domain/working-days';
import { placementAnsweredEmail, placementConfirmationEmail } from '../emails/evidence-emails';
import { type AssessmentPlace, assessmentPlaceFor, ownAssessmentPlace } from './assessment-place';

const email = z.email();

/** The task of the place's assessment that needs a placement, by key; NotFoundError for any other. */
function placementTask(at: AssessmentPlace, taskKey: string) {
  const task = tasksNeeding(at.spec, 'placement').find((t) => t.key === taskKey);
  if (!task) throw new NotFoundError('placement');
  return task;
}

/**
 * A place's placement for one task (issue 12 item 2), for its participant or staff who read its
 * evidence: the placement as recorded (or null), its host school, each period with its working days,
 * the host confirmations asked, and the days summary (recorded, confirmed, awaiting, least asked).
 * NotFoundError for anyone else, or a task that needs no placement.
 */
export async function myPlacement(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string) {
  return placementOf(ctx, await assessmentPlaceFor(ctx, actor, enrolmentId), taskKey);
}

/** A place's placement for one task, for a place already read and authorised (myPlacement; the assessment overview). */
export async function placementOf(ctx: AssessmentContext, at: AssessmentPlace, taskKey: string) {
  const enrolmentId = at.place.enrolmentId;
  const task = placementTask(at, taskKey);
  const [placement] = await ctx.db.select().from(placements).where(and(eq(placements.enrolmentId, enrolmentId), eq(placements.taskKey, taskKey)));
  const [host, periods, confirmations] = placement
    ? await Promise.all([
        schoolByUrn(ctx.db, placement.hostUrn),
        ctx.db.select().from(placementPeriods).where(eq(placementPeriods.placementId, placement.id)).orderBy(asc(placementPeriods.fromDate)),
        ctx.db.select().from(placementConfirmations).where(eq(placementConfirmations.placementId, placement.id)).orderBy(asc(placementConfirmations.requestedAt)),
      ])
    : [undefined, [], []];
  const now = ctx.clock.now();
  const answered = (a: HostAnswer) => confirmations.filter((c) => c.answer === a).flatMap((c) => c.days);
  const awaiting = confirmations.filter((c) => !c.answer && c.expiresAt > now).flatMap((c) => c.days);
  const recorded = workingDaysOf(periods.map((p) => ({ from: p.fromDate, to: p.toDate })));
  const summary = placementDaysSummary(recorded, answered('confirmed'), awaiting, task.minimumPlacementDays ?? 0);
  const stateOf = (confirmationId: string | null) => {
    const c = confirmations.find((x) => x.id === confirmationId);
    if (!c) return 'not_asked' as const;
    if (c.answer) return c.answer as HostAnswer;
    return c.expiresAt > now ? ('awaiting' as const) : ('expired' as const);
  };
  const owning = new Set(periods.map((p) => p.confirmationId));
  return {
    ...at,
    task,
    placement: placement ?? null,
    host: host ?? null,
    periods: periods.map((p) => ({ ...p, workingDays: workingDaysIn(p.fromDate, p.toDate), state: stateOf(p.confirmationId) })),
    confirmations,
    /** The host's disputes the participant has still to act on: those whose days are not yet put to the host again. */
    disputes: confirmations.filter((c) => c.answer === 'disputed' && owning.has(c.id)),
    /** The request waiting for the host's answer, if any: it can be sent again. */
    awaitingRequest: confirmations.find((c) => !c.answer && c.expiresAt > now) ?? null,
    summary,
  };
}

/**
 * Records or changes where the placement is (issue 12 item 2): the host school by URN (GIAS; not the
 * participant's own school), why it contrasts (CONTRAST_REASONS, one at least, and the participant's
 * words), and the host contact who will confirm the days. ValidationError on `hostUrn`, `contrasts`,
 * `contrastNote`, `hostContactName`, `hostContactEmail`. Audited with what it was before.
 */
export async function recordPlacement(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, body: unknown): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  placementTask(at, taskKey);
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const urn = Number(one(b.hostUrn));
  const [host, ownUrn] = await Promise.all([/^\d{1,9}$/.test(one(b.hostUrn)) ? schoolByUrn(ctx.db, urn) : undefined, schoolUrnOfPlace(ctx.db, enrolmentId)]);
  if (!host) errors.hostUrn = 'Search for the placement school and choose it from the results';
  else if (host.urn === ownUrn) errors.hostUrn = 'Choose a school other than your own: the placement must be in a contrasting school';
  const contrasts = [...new Set(asArray(b.contrasts))].filter((c): c is ContrastReason => (CONTRAST_REASONS as readonly string[]).includes(c));
  if (!contrasts.length) errors.contrasts = 'Select how the placement school contrasts with your own';
  const contrastNote = one(b.contrastNote).replace(/\r\n?/g, '\n').trim();
  if (characterCount(contrastNote) > EVIDENCE_TEXT_MAX) errors.contrastNote = `Say how it contrasts in ${EVIDENCE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  const hostContactName = one(b.hostContactName).trim();
  if (!hasVisibleText(hostContactName)) errors.hostContactName = 'Enter the name of your contact at the placement school';
  else if (characterCount(hostContactName) > 200) errors.hostContactName = 'Their name must be 200 characters or fewer';
  const hostContactEmail = one(b.hostContactEmail).trim().toLowerCase();
  if (!hostContactEmail) errors.hostContactEmail = 'Enter your contact’s email address';
  else if (hostContactEmail.length > 254 || !email.safeParse(hostContactEmail).success) errors.hostContactEmail = 'Enter an email address in the correct format, like head@school.org.uk';
  else if (actor.kind === 'user' && hostContactEmail === actor.email.toLowerCase()) errors.hostContactEmail = 'Enter your contact’s email address, not your own: they confirm your days';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const values = { hostUrn: host!.urn, contrasts, contrastNote, hostContactName, hostContactEmail };
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(placements).where(and(eq(placements.enrolmentId, enrolmentId), eq(placements.taskKey, taskKey))).for('update');
    if (before) {
      const asked = await tx.select().from(placementConfirmations).where(eq(placementConfirmations.placementId, before.id));
      // Days a host confirmed, or has to confirm, were spent at that school: they cannot move to another.
      if (before.hostUrn !== values.hostUrn && asked.some((c) => !isOpen(c, now))) {
        throw new ValidationError({ hostUrn: 'Your host has confirmed days, or has days to confirm, at the school recorded, so it cannot be changed here. If your placement has moved to another school, ask your provider.' });
      }
      // A new contact: the request sent to the old one stops working, so its days can be put to the new one.
      if (before.hostContactEmail !== values.hostContactEmail) {
        await tx.update(placementConfirmations).set({ expiresAt: now }).where(and(eq(placementConfirmations.placementId, before.id), isNull(placementConfirmations.answer), gt(placementConfirmations.expiresAt, now)));
      }
      await tx.update(placements).set({ ...values, updatedAt: now }).where(eq(placements.id, before.id));
    }
    else await tx.insert(placements).values({ enrolmentId, taskKey, ...values }).onConflictDoUpdate({ target: [placements.enrolmentId, placements.taskKey], set: { ...values, updatedAt: now } });
    await audit(tx, ctx.clock, actor, { action: before ? 'placement.changed' : 'placement.recorded', entityType: 'enrolment', entityId: enrolmentId, before: before ? { taskKey, hostUrn: before.hostUrn, contrasts: before.contrasts, hostContactEmail: before.hostContactEmail } : undefined, after: { taskKey, hostUrn: values.hostUrn, contrasts, hostContactEmail } });
  });
}

/** The place's placement for the task, locked for the change; AppError no_placement when the school is not recorded yet. */
async function placementForChange(tx: Parameters<Parameters<AssessmentContext['db']['transaction']>[0]>[0], enrolmentId: string, taskKey: string) {
  const [placement] = await tx.select().from(placements).where(and(eq(placements.enrolmentId, enrolmentId), eq(placements.taskKey, taskKey))).for('update');
  if (!placement) throw refuse('no_placement', 'Record the placement school first, then the days you spent there');
  return placement;
}

/** The most stretches of days one placement may have: nine days need at most nine, and a page of them stays quick to read. */
export const MAX_PERIODS = 40;

/**
 * Records days spent on placement as a period, from and to (UK dates, inclusive; one day is from and
 * to the same): its working days are counted without weekends and England's bank holidays. Days must
 * fall from the NPQ's start to today, the period at most LONGEST_PERIOD_DAYS long, hold a working day
 * and none already recorded. ValidationError on `from`, `to`, `note`; AppError no_placement,
 * too_many_periods (MAX_PERIODS). Audited. Returns its working days.
 */
export async function addPlacementPeriod(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, body: unknown): Promise<number> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  placementTask(at, taskKey);
  const b = (body ?? {}) as Record<string, unknown>;
  const past = { date: at.today, text: 'today', orSame: true };
  const started = { date: at.startedOn, text: `the start of your NPQ (${formatDate(at.startedOn)})`, orSame: true };
  const { dates, errors } = readDateFields(b, { from: { label: 'the first day', after: started, before: past }, to: { label: 'the last day', optional: true, before: past } });
  const from = dates.from;
  const to = dates.to ?? from;
  if (from && to && !errors.to) {
    if (to < from) errors.to = 'The last day must be the same as or after the first day';
    else if (calendarDaysIn(from, to) > LONGEST_PERIOD_DAYS) errors.to = `Record at most ${LONGEST_PERIOD_DAYS} days at a time: record a longer placement as several stretches`;
    else if (!workingDaysIn(from, to).length) errors.from = 'Those days are all weekends or bank holidays: record the working days you spent there';
  }
  const note = one(b.note).replace(/\r\n?/g, '\n').trim();
  if (characterCount(note) > 500) errors.note = 'Your note must be 500 characters or fewer';
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const days = workingDaysIn(from!, to!).length;
  await ctx.db.transaction(async (tx) => {
    const placement = await placementForChange(tx, enrolmentId, taskKey);
    const existing = await tx.select({ fromDate: placementPeriods.fromDate, toDate: placementPeriods.toDate }).from(placementPeriods).where(eq(placementPeriods.placementId, placement.id));
    if (existing.length >= MAX_PERIODS) throw refuse('too_many_periods', `You have recorded ${MAX_PERIODS} stretches of days: remove one recorded by mistake before adding another.`);
    const recorded = new Set(workingDaysOf(existing.map((p) => ({ from: p.fromDate, to: p.toDate }))));
    const twice = workingDaysIn(from!, to!).filter((d) => recorded.has(d));
    if (twice.length) throw new ValidationError({ from: `You have already recorded ${twice.length === 1 ? formatDate(twice[0]!) : `${twice.length} of these days, from ${formatDate(twice[0]!)}`}: record only days not recorded yet` });
    await tx.insert(placementPeriods).values({ placementId: placement.id, fromDate: from!, toDate: to!, note });
    await audit(tx, ctx.clock, actor, { action: 'placement.days_added', entityType: 'enrolment', entityId: enrolmentId, after: { taskKey, from, to, workingDays: days } });
  });
  return days;
}

/**
 * Whether days under this confirmation (or none) are the participant's to change and put to the host
 * again: never asked, disputed by the host, or asked by a link that expired unanswered. Days
 * confirmed, or waiting for an answer, are fixed.
 */
function isOpen(confirmation: { answer: string | null; expiresAt: Date } | undefined, now: Date): boolean {
  return !confirmation || confirmation.answer === 'disputed' || (!confirmation.answer && confirmation.expiresAt <= now);
}

/**
 * Removes a period of placement days not yet put to the host, put and disputed, or put by a link that
 * expired unanswered. AppError period_sent while the host is asked or once confirmed;
 * NotFoundError for a period not on this placement. Audited.
 */
export async function removePlacementPeriod(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, periodId: string): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  placementTask(at, taskKey);
  await ctx.db.transaction(async (tx) => {
    const placement = await placementForChange(tx, enrolmentId, taskKey);
    const [period] = await tx.select().from(placementPeriods).where(and(eq(placementPeriods.id, periodId), eq(placementPeriods.placementId, placement.id)));
    // Removed already (a second press, another tab): said plainly.
    if (!period) throw refuse('already_removed', 'Those days were already removed.');
    const [confirmation] = period.confirmationId ? await tx.select().from(placementConfirmations).where(eq(placementConfirmations.id, period.confirmationId)) : [];
    if (!isOpen(confirmation, ctx.clock.now())) throw refuse('period_sent', 'These days are with your host to confirm, or confirmed: they cannot be removed. If they are wrong, your host can say so.');
    await tx.delete(placementPeriods).where(eq(placementPeriods.id, periodId));
    await audit(tx, ctx.clock, actor, { action: 'placement.days_removed', entityType: 'enrolment', entityId: enrolmentId, before: { taskKey, from: period.fromDate, to: period.toDate } });
  });
}

/** How long after one request to a host another may be sent, in minutes. */
export const ASK_AGAIN_AFTER_MINUTES = 10;

/**
 * Asks the host contact to confirm the placement days not yet put to them (issue 12 item 2): one
 * emailed link (no account), valid EVIDENCE_LINK_VALID_DAYS days, its token kept only as a hash. The
 * periods asked about are then fixed until the host answers. AppError no_placement, nothing_to_confirm.
 * The email is sent with the change (outbox). Audited. Returns how many working days were put.
 */
export async function askHostToConfirm(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, again = false): Promise<number> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  placementTask(at, taskKey);
  const token = randomToken();
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const placement = await placementForChange(tx, enrolmentId, taskKey);
    const [latest] = await tx.select({ requestedAt: placementConfirmations.requestedAt }).from(placementConfirmations).where(eq(placementConfirmations.placementId, placement.id)).orderBy(desc(placementConfirmations.requestedAt)).limit(1);
    // A second press, or a host asked over and over: one email in ASK_AGAIN_AFTER_MINUTES.
    if (latest && now.getTime() - latest.requestedAt.getTime() < ASK_AGAIN_AFTER_MINUTES * 60_000) throw refuse('just_asked', `We emailed your host in the last ${ASK_AGAIN_AFTER_MINUTES} minutes. Give them time to answer before asking again.`);
    // Asked again: the link waiting for an answer stops working, and its days go into the new one.
    if (again) await tx.update(placementConfirmations).set({ expiresAt: now }).where(and(eq(placementConfirmations.placementId, placement.id), isNull(placementConfirmations.answer), gt(placementConfirmations.expiresAt, now)));
    const [periods, asked] = await Promise.all([
      tx.select().from(placementPeriods).where(eq(placementPeriods.placementId, placement.id)),
      tx.select({ id: placementConfirmations.id, days: placementConfirmations.days, answer: placementConfirmations.answer, expiresAt: placementConfirmations.expiresAt }).from(placementConfirmations).where(eq(placementConfirmations.placementId, placement.id)),
    ]);
    const open = periods.filter((p) => isOpen(asked.find((c) => c.id === p.confirmationId), now));
    // Days already confirmed or awaiting an answer are not asked again, even when a new period overlaps them.
    const covered = new Set(asked.filter((c) => !isOpen(c, now)).flatMap((c) => c.days));
    const days = workingDaysOf(open.map((p) => ({ from: p.fromDate, to: p.toDate }))).filter((d) => !covered.has(d));
    if (!open.length || !days.length) throw refuse('nothing_to_confirm', 'There are no new days to confirm: record the days you spent there first');
    const [confirmation] = await tx
      .insert(placementConfirmations)
      .values({ placementId: placement.id, days, sentTo: placement.hostContactEmail, tokenHash: sha256(token), requestedAt: now, expiresAt: addDaysTo(now, EVIDENCE_LINK_VALID_DAYS) })
      .returning({ id: placementConfirmations.id, expiresAt: placementConfirmations.expiresAt });
    await tx.update(placementPeriods).set({ confirmationId: confirmation!.id }).where(inArray(placementPeriods.id, open.map((p) => p.id)));
    const host = await schoolByUrn(tx, placement.hostUrn);
    await enqueueEmail(tx, ctx.clock, placementConfirmationEmail({ to: placement.hostContactEmail, hostName: placement.hostContactName, participant: at.place.fullName, school: host?.name ?? 'your school', days, link: `${ctx.baseUrl}/placement-days/${token}`, until: formatDate(confirmation!.expiresAt), providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: 'placement.confirmation_requested', entityType: 'enrolment', entityId: enrolmentId, after: { taskKey, sentTo: placement.hostContactEmail, days } });
    return days.length;
  });
}

/** The confirmation a link's token names, with its placement; undefined for a token that names none. */
async function confirmationByToken(ctx: AssessmentContext, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const [row] = await ctx.db.select({ c: placementConfirmations, p: placements }).from(placementConfirmations).innerJoin(placements, eq(placements.id, placementConfirmations.placementId)).where(eq(placementConfirmations.tokenHash, sha256(token)));
  return row;
}

/**
 * What a host's link shows (no account): the participant's name, the placement school and the days
 * put to them, and whether it is answered or expired. NotFoundError for a token that names none.
 */
export async function hostConfirmationRequest(ctx: AssessmentContext, token: string) {
  const row = await confirmationByToken(ctx, token);
  if (!row) throw new NotFoundError('link');
  const [[place], host] = await Promise.all([placesByEnrolment(ctx.db, [row.p.enrolmentId]), schoolByUrn(ctx.db, row.p.hostUrn)]);
  return { participant: place?.fullName ?? '', hostContact: row.p.hostContactName, school: host?.name ?? '', days: row.c.days, answer: row.c.answer as HostAnswer | null, answeredBy: row.c.answeredBy, expired: !row.c.answer && row.c.expiresAt <= ctx.clock.now() };
}

/**
 * The host's answer by their link (issue 12 item 2): the days confirmed, or not as recorded with a
 * comment saying what is wrong (the periods are then open for the participant to correct and ask
 * again). Their name is required. ValidationError on `answer`, `name`, `comment`; AppError
 * link_expired, already_answered (409); NotFoundError for a token that names none. The participant
 * is told by email. Audited as the host.
 */
export async function answerHostConfirmation(ctx: AssessmentContext, token: string, body: unknown): Promise<HostAnswer> {
  const row = await confirmationByToken(ctx, token);
  if (!row) throw new NotFoundError('link');
  const b = (body ?? {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const answer = one(b.answer) as HostAnswer;
  if (!HOST_ANSWERS.includes(answer)) errors.answer = 'Select whether these days are right';
  const name = one(b.name).trim();
  if (!hasVisibleText(name)) errors.name = 'Enter your name';
  else if (characterCount(name) > 200) errors.name = 'Your name must be 200 characters or fewer';
  const comment = one(b.comment).replace(/\r\n?/g, '\n').trim();
  if (answer === 'disputed' && !hasVisibleText(comment)) errors.comment = 'Say which days are wrong, so they can correct them';
  else if (characterCount(comment) > EVIDENCE_TEXT_MAX) errors.comment = `Your comment must be ${EVIDENCE_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const now = ctx.clock.now();
  if (!row.c.answer && row.c.expiresAt <= now) throw refuse('link_expired', 'This link has expired. Ask the participant to send you a new one.');
  const [place] = await placesByEnrolment(ctx.db, [row.p.enrolmentId]);
  await ctx.db.transaction(async (tx) => {
    const [done] = await tx.update(placementConfirmations).set({ answer, answeredBy: name, comment, answeredAt: now }).where(and(eq(placementConfirmations.id, row.c.id), isNull(placementConfirmations.answer))).returning({ id: placementConfirmations.id });
    if (!done) throw refuse('already_answered', 'You have already answered for these days. Thank you.', 409);
    if (place) await enqueueEmail(tx, ctx.clock, placementAnsweredEmail({ to: place.email, participant: place.fullName, host: name, answer, comment, days: row.c.days.length, link: `${ctx.baseUrl}/programme/${place.enrolmentId}/assessment/placement/${row.p.taskKey}`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, { kind: 'system', name: `placement host ${clip(name, 100)}` }, { action: `placement.days_${answer}`, entityType: 'enrolment', entityId: row.p.enrolmentId, after: { taskKey: row.p.taskKey, days: row.c.days, answeredBy: name, comment } });
  });
  return answer;
}
