import { and, asc, desc, eq, inArray, isNull, lte } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { intakeById, qualificationByIdentifier, qualificationByShortName } from '../../catalogue/catalogue.queries';
import type { Executor } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import { holdPlace, placesByEnrolment } from '../../enrolment/enrolment.queries';
import { enqueueEmail } from '../../mail/outbox';
import { type Actor, isSignedIn } from '../../platform/auth/actor';
import { addDays, today } from '../../platform/clock';
import { readDateFields } from '../../platform/date-input';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { one } from '../../platform/forms';
import { clip, hasVisibleText } from '../../platform/text';
import { type AssessmentContext, refuse } from '../assessment.context';
import { markingReviews, participantOutcomes, releasedResults, resultReleases, scriptMarkings, submissions } from '../assessment.schema';
import { assessmentSpecFor } from '../domain/assessment-spec';
import { managesAssessment } from '../domain/assessment.policy';
import { type MarkingRound, outOf } from '../domain/mark-scheme';
import { isReleased, newCertificateCode, outcomeOutAt, nextOnPath, OUTCOME_TEXT_MAX, type OutcomeState, outcomeOf, type ReleaseReadiness, readCertificateCode, readReleaseTerms, type ReleaseTerms, releaseRefusal, resitOffered, REVIEW_DECISIONS, type ReviewDecision, reviewOpen, type ScriptResultState, scriptResultOf } from '../domain/outcome';
import { resultsReleasedEmail, reviewDecidedEmail, reviewRequestedEmail } from '../emails/outcome-emails';
import { assessmentPlaceFor, ownAssessmentPlace } from '../evidence/assessment-place';
import { type ScriptRow, sentScripts } from '../marking/scripts';

export type ResultRelease = typeof resultReleases.$inferSelect;
export type ParticipantOutcome = typeof participantOutcomes.$inferSelect;
export type MarkingReview = typeof markingReviews.$inferSelect;

function adminOf(actor: Actor): string | null {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  return isSignedIn(actor) ? actor.userId : null;
}

const resultOf = (s: ScriptRow) => scriptResultOf({ allocated: Boolean(s.allocation), first: s.marking, sample: s.moderation });

/** Which marking's comments a decided script's feedback is: the first marks unless moderation's replaced them. */
function feedbackRoundOf(s: ScriptRow): MarkingRound {
  if (!s.moderation?.reason) return 'first';
  return s.moderation.status === 'adjusted' ? 'second' : s.moderation.status === 'third_marked' ? 'third' : 'first';
}

/**
 * The outcome a place's released results give (each task's latest released attempt), or null while a
 * task has none; and the latest release day among those results, before which it may not be seen.
 */
async function outcomeFromResults(db: Executor, p: { enrolmentId: string; courseIdentifier: string; startedOn: string }): Promise<{ state: 'passed' | 'failed' | null; resultsOutOn: string | null }> {
  const spec = assessmentSpecFor(p.courseIdentifier, p.startedOn);
  if (!spec) return { state: null, resultsOutOn: null };
  const results = await db.select({ result: releasedResults, releasesOn: resultReleases.releasesOn }).from(releasedResults).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).where(eq(releasedResults.enrolmentId, p.enrolmentId)).orderBy(asc(releasedResults.attempt));
  const latest = new Map(results.map((r) => [r.result.taskKey, r]));
  const resultsOutOn = [...latest.values()].reduce<string | null>((max, r) => (max === null || r.releasesOn > max ? r.releasesOn : max), null);
  return { state: outcomeOf(spec.tasks, new Map([...latest].map(([k, r]) => [k, r.result.result as 'pass' | 'fail']))), resultsOutOn };
}

/** The latest outcome of each place, by enrolment id. */
async function latestOutcomes(db: Executor, enrolmentIds: readonly string[]): Promise<Map<string, ParticipantOutcome>> {
  if (!enrolmentIds.length) return new Map();
  const rows = await db.select().from(participantOutcomes).where(inArray(participantOutcomes.enrolmentId, [...new Set(enrolmentIds)])).orderBy(asc(participantOutcomes.seq));
  return new Map(rows.map((r) => [r.enrolmentId, r]));
}

/**
 * Appends a place's outcome when its released results now give a different one (docs/dfe-api.md:
 * outcomes are append-only): passed with a new certificate code, or failed. Each task's latest
 * released attempt counts. Runs in the caller's transaction; returns the state appended, if any.
 */
async function appendOutcomeIfChanged(tx: Executor, ctx: AssessmentContext, p: { enrolmentId: string; courseIdentifier: string; startedOn: string; completionDate: string; releaseId: string | null; recordedBy: string | null; note: string | null }): Promise<OutcomeState | null> {
  await holdPlace(tx, p.enrolmentId);
  const { state, resultsOutOn } = await outcomeFromResults(tx, p);
  const [current] = await tx.select().from(participantOutcomes).where(eq(participantOutcomes.enrolmentId, p.enrolmentId)).orderBy(desc(participantOutcomes.seq)).limit(1);
  // A void stands until the admin puts the outcome back: no later release or review lifts it.
  if (!state || current?.state === state || current?.state === 'voided') return null;
  // 60 random bits: a clash is not looked for beyond the unique index, which would refuse the release and let it be tried again.
  await tx.insert(participantOutcomes).values({ enrolmentId: p.enrolmentId, releaseId: p.releaseId, state, completionDate: p.completionDate, certificateCode: state === 'passed' ? newCertificateCode() : null, note: p.note, recordedBy: p.recordedBy, createdAt: ctx.clock.now(), outAt: outcomeOutAt(ctx.clock.now(), { resultsOutOn, previousOutAt: current?.outAt ?? null }) });
  return state;
}

/** How far an intake's scripts are from release, and the results decided and not released before, which a release now would give out. */
function readinessOf(scripts: readonly ScriptRow[], releasedIds: ReadonlySet<string>): { readiness: ReleaseReadiness; toRelease: { s: ScriptRow; total: number; result: 'pass' | 'fail' }[] } {
  const readiness: ReleaseReadiness = { not_allocated: 0, marking: 0, awaiting_draw: 0, in_moderation: 0, decided: 0, toRelease: 0 };
  const toRelease: { s: ScriptRow; total: number; result: 'pass' | 'fail' }[] = [];
  for (const s of scripts) {
    const r = resultOf(s);
    readiness[r.state as ScriptResultState] += 1;
    if (r.state === 'decided' && !releasedIds.has(s.submission.id)) {
      readiness.toRelease += 1;
      toRelease.push({ s, total: r.total, result: r.result });
    }
  }
  return { readiness, toRelease };
}

/** The refusal of a release that cannot be made (AppError moderation_not_ended, nothing_to_release), or nothing when it can. */
function refuseReleaseIfNotReady(readiness: ReleaseReadiness, scripts: number): void {
  const refusal = releaseRefusal(readiness);
  if (refusal) throw refuse(readiness.toRelease || readiness.decided < scripts ? 'moderation_not_ended' : 'nothing_to_release', refusal);
}

/** The release form's terms (releasesOn, reviewDays, resitDueOn) read against today; ValidationError by field. */
function readReleaseForm(ctx: AssessmentContext, body: unknown): ReleaseTerms {
  const b = (body ?? {}) as Record<string, unknown>;
  const typed = readDateFields(b, { releasesOn: { label: 'the date results are released' }, resitDueOn: { label: 'the date resits are due', optional: true } });
  const read = readReleaseTerms({ releasesOn: typed.dates.releasesOn, reviewDays: one(b.reviewDays), resitDueOn: typed.dates.resitDueOn ?? null }, today(ctx.clock));
  // The date fields' own messages (a month of 13) come first; the release's rules (not in the past) after.
  const errors = { ...read.errors, ...typed.errors };
  if (!read.terms || Object.keys(errors).length) throw new ValidationError(errors);
  return read.terms;
}

/**
 * Each intake with accounts sent, as the provider's admin releases its results (issue 12 item 6):
 * how many scripts are at each stage, why a release is refused if it is, and its releases so far
 * (each with how many results it gave out). ForbiddenError for anyone but the provider's admin.
 */
export async function releasesList(ctx: AssessmentContext, actor: Actor) {
  adminOf(actor);
  const [scripts, releases, released] = await Promise.all([sentScripts(ctx), ctx.db.select().from(resultReleases).orderBy(asc(resultReleases.releasesOn)), ctx.db.select({ submissionId: releasedResults.submissionId, releaseId: releasedResults.releaseId }).from(releasedResults)]);
  const releasedIds = new Set(released.map((r) => r.submissionId));
  const perRelease = new Map<string, number>();
  for (const r of released) perRelease.set(r.releaseId, (perRelease.get(r.releaseId) ?? 0) + 1);
  const byIntake = new Map<string, ScriptRow[]>();
  for (const s of scripts) {
    const of = byIntake.get(s.intakeId);
    if (of) of.push(s);
    else byIntake.set(s.intakeId, [s]);
  }
  const intakes = [...byIntake.values()].map((of) => ({ intakeId: of[0]!.intakeId, intake: of[0]!.intake, readiness: readinessOf(of, releasedIds).readiness }));
  const now = ctx.clock.now();
  return intakes
    .map((i) => ({ ...i, refusal: releaseRefusal(i.readiness), releases: releases.filter((r) => r.intakeId === i.intakeId).map((r) => ({ ...r, results: perRelease.get(r.id) ?? 0, released: isReleased(r.releasesOn, now) })) }))
    .sort((a, b) => a.intake.localeCompare(b.intake, 'en-GB'));
}

/**
 * Releases an intake's decided results on a day the admin sets (issue 12 item 6: "not before
 * moderation ends"): every script of the intake must be decided (AppError moderation_not_ended,
 * nothing_to_release). Each result decided and not released before is given out with this release;
 * each place whose tasks all have results gets its outcome appended (passed with a certificate code,
 * or failed). Participants see them, and are emailed, from the start of the release day.
 * ValidationError on releasesOn, reviewDays, resitDueOn. Audited. Returns the release, its results
 * (tasks passed and not), the NPQ outcomes it made (passed, failed), and whether it is out today.
 */
export async function releaseResults(ctx: AssessmentContext, actor: Actor, intakeId: string, body: unknown): Promise<{ release: ResultRelease; results: number; tasksPassed: number; tasksFailed: number; passed: number; failed: number; today: boolean }> {
  const by = adminOf(actor);
  const terms = readReleaseForm(ctx, body);
  const intake = await intakeById(ctx.db, intakeId);
  if (!intake) throw new NotFoundError('intake');
  const scripts = (await sentScripts(ctx)).filter((s) => s.intakeId === intakeId);
  const places = await placesByEnrolment(ctx.db, scripts.map((s) => s.enrolmentId));
  const now = ctx.clock.now();
  const outcome = await ctx.db.transaction(async (tx) => {
    // Releases of one intake wait for each other: the second sees what the first gave out.
    await tx.select({ id: submissions.id }).from(submissions).where(inArray(submissions.id, scripts.length ? scripts.map((s) => s.submission.id) : ['00000000-0000-0000-0000-000000000000'])).for('update');
    const releasedIds = new Set((await tx.select({ id: releasedResults.submissionId }).from(releasedResults).where(inArray(releasedResults.submissionId, scripts.length ? scripts.map((s) => s.submission.id) : ['00000000-0000-0000-0000-000000000000']))).map((r) => r.id));
    const { readiness, toRelease } = readinessOf(scripts, releasedIds);
    refuseReleaseIfNotReady(readiness, scripts.length);
    const [release] = await tx.insert(resultReleases).values({ intakeId, releasesOn: terms.releasesOn, reviewDays: terms.reviewDays, resitDueOn: terms.resitDueOn, setBy: by, createdAt: now }).returning();
    await tx.insert(releasedResults).values(toRelease.map(({ s, total, result }) => ({ submissionId: s.submission.id, releaseId: release!.id, enrolmentId: s.enrolmentId, taskKey: s.task.key, attempt: s.submission.attempt, total, result, feedbackRound: feedbackRoundOf(s) })));
    let passed = 0;
    let failed = 0;
    // Only the places this release gives results to: anyone else's outcome is not this release's to change.
    const given = new Set(toRelease.map((t) => t.s.enrolmentId));
    for (const place of places.filter((p) => given.has(p.enrolmentId))) {
      const state = await appendOutcomeIfChanged(tx, ctx, { enrolmentId: place.enrolmentId, courseIdentifier: place.courseIdentifier, startedOn: intake.startDate, completionDate: terms.releasesOn, releaseId: release!.id, recordedBy: by, note: null });
      if (state === 'passed') passed += 1;
      if (state === 'failed') failed += 1;
    }
    await audit(tx, ctx.clock, actor, { action: 'results.released', entityType: 'intake', entityId: intakeId, after: { releaseId: release!.id, ...terms, results: toRelease.length, passed, failed } });
    return { release: release!, results: toRelease.length, tasksPassed: toRelease.filter((r) => r.result === 'pass').length, tasksFailed: toRelease.filter((r) => r.result === 'fail').length, passed, failed, today: terms.releasesOn === today(ctx.clock) };
  });
  return outcome;
}

/**
 * What releasing an intake's results on these terms would give out, without releasing them: for the
 * admin to confirm a release on today's date first, as participants see it at once and it cannot be
 * called off. Refused as releaseResults refuses (ValidationError on releasesOn, reviewDays,
 * resitDueOn; AppError moderation_not_ended, nothing_to_release). Returns the intake's name, the
 * terms, the results to give out (tasks passed and not), how many participants they go to, and
 * whether the day is today. What is released may differ if marking changes before the release.
 */
export async function releasePreview(ctx: AssessmentContext, actor: Actor, intakeId: string, body: unknown): Promise<{ intake: string; terms: ReleaseTerms; results: number; tasksPassed: number; tasksFailed: number; participants: number; today: boolean }> {
  adminOf(actor);
  const terms = readReleaseForm(ctx, body);
  const intake = await intakeById(ctx.db, intakeId);
  if (!intake) throw new NotFoundError('intake');
  const scripts = (await sentScripts(ctx)).filter((s) => s.intakeId === intakeId);
  const released = scripts.length ? await ctx.db.select({ id: releasedResults.submissionId }).from(releasedResults).where(inArray(releasedResults.submissionId, scripts.map((s) => s.submission.id))) : [];
  const { readiness, toRelease } = readinessOf(scripts, new Set(released.map((r) => r.id)));
  refuseReleaseIfNotReady(readiness, scripts.length);
  const tasksPassed = toRelease.filter((r) => r.result === 'pass').length;
  // Named as the results page names it (the NPQ with the intake), scripts being there once refusal has passed.
  return { intake: scripts[0]?.intake ?? intake.name, terms, results: toRelease.length, tasksPassed, tasksFailed: toRelease.length - tasksPassed, participants: new Set(toRelease.map((r) => r.s.enrolmentId)).size, today: terms.releasesOn === today(ctx.clock) };
}

/**
 * Calls off a release whose day has not come (nobody has seen it): its results and the outcomes it
 * made go with it, to be released again. AppError already_released once the day has begun;
 * NotFoundError for no such release. Audited.
 */
export async function cancelRelease(ctx: AssessmentContext, actor: Actor, releaseId: string): Promise<void> {
  adminOf(actor);
  const [release] = await ctx.db.select().from(resultReleases).where(eq(resultReleases.id, releaseId));
  if (!release) throw new NotFoundError('release');
  await ctx.db.transaction(async (tx) => {
    const [held] = await tx.select().from(resultReleases).where(eq(resultReleases.id, releaseId)).for('update');
    if (!held) throw new NotFoundError('release');
    if (isReleased(held.releasesOn, ctx.clock.now())) throw refuse('already_released', 'These results are out already, so the release cannot be called off. Void an outcome, or record a review of marking, instead.');
    await tx.delete(resultReleases).where(eq(resultReleases.id, releaseId));
    await audit(tx, ctx.clock, actor, { action: 'results.release_cancelled', entityType: 'intake', entityId: held.intakeId, before: { releaseId, releasesOn: held.releasesOn } });
  });
}

/**
 * An intake's participants with their released results and outcome, for the provider's admin (issue
 * 12 item 6): every place with a result, its outcome (and whether out yet), and its certificate code.
 */
export async function intakeOutcomes(ctx: AssessmentContext, actor: Actor, intakeId: string) {
  adminOf(actor);
  const intake = await intakeById(ctx.db, intakeId);
  if (!intake) throw new NotFoundError('intake');
  const rows = await ctx.db.select({ result: releasedResults, release: resultReleases }).from(releasedResults).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).where(eq(resultReleases.intakeId, intakeId));
  const enrolmentIds = [...new Set(rows.map((r) => r.result.enrolmentId))];
  const [places, outcomes] = await Promise.all([placesByEnrolment(ctx.db, enrolmentIds), latestOutcomes(ctx.db, enrolmentIds)]);
  const now = ctx.clock.now();
  return {
    intake,
    participants: places
      .map((p) => {
        const tasks = assessmentSpecFor(p.courseIdentifier, intake.startDate)?.tasks ?? [];
        const results = rows.filter((r) => r.result.enrolmentId === p.enrolmentId).map((r) => ({ ...r.result, taskTitle: tasks.find((t) => t.key === r.result.taskKey)?.title ?? r.result.taskKey, releasesOn: r.release.releasesOn, out: isReleased(r.release.releasesOn, now) }));
        return { place: p, results, outcome: outcomes.get(p.enrolmentId) ?? null };
      })
      .sort((a, b) => a.place.fullName.localeCompare(b.place.fullName, 'en-GB')),
  };
}

/**
 * Voids a place's outcome (issue 12 item 6: "passed, failed … or voided"), with the admin's reason:
 * its certificate no longer verifies. Or, with `reinstate`, puts back the outcome voided by mistake
 * (a pass gets a new certificate code: the voided one stays void). AppError nothing_to_void /
 * not_voided; ValidationError on reason. Audited.
 */
export async function setOutcomeVoided(ctx: AssessmentContext, actor: Actor, enrolmentId: string, body: unknown, reinstate: boolean): Promise<OutcomeState> {
  const by = adminOf(actor);
  const reason = one((body as Record<string, unknown> | undefined)?.reason).trim();
  if (!hasVisibleText(reason)) throw new ValidationError({ reason: reinstate ? 'Say why the outcome is put back' : 'Say why the outcome is voided' });
  if (reason.length > OUTCOME_TEXT_MAX) throw new ValidationError({ reason: `The reason must be ${OUTCOME_TEXT_MAX.toLocaleString('en-GB')} characters or fewer` });
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place) throw new NotFoundError('programme');
  const intake = place.intakeId ? await intakeById(ctx.db, place.intakeId) : undefined;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    // Two voids (or two put-backs) at once: the second waits, then sees the first's row.
    await holdPlace(tx, enrolmentId);
    const history = await tx.select({ outcome: participantOutcomes, releasesOn: resultReleases.releasesOn }).from(participantOutcomes).leftJoin(resultReleases, eq(resultReleases.id, participantOutcomes.releaseId)).where(eq(participantOutcomes.enrolmentId, enrolmentId)).orderBy(desc(participantOutcomes.seq));
    const current = history[0]?.outcome;
    if (!reinstate && (!current || current.state === 'voided')) throw refuse('nothing_to_void', current ? 'This outcome is voided already.' : 'There is no outcome to void yet.');
    // Before its release day nobody has seen it: the release is called off instead, and a void would go with it.
    if (!reinstate && current!.outAt > now) throw refuse('not_out', 'This outcome is not out yet. Call off the release instead, and release the results again once they are right.');
    if (reinstate && current?.state !== 'voided') throw refuse('not_voided', 'This outcome is not voided.');
    // Put back as the released results give it now (a review may have changed them while it was void).
    const fromResults = await outcomeFromResults(tx, { enrolmentId, courseIdentifier: place.courseIdentifier, startedOn: intake?.startDate ?? today(ctx.clock) });
    const before = reinstate ? (fromResults.state ?? history.find((h) => h.outcome.state !== 'voided')?.outcome.state) : current!.state;
    if (!before) throw refuse('not_voided', 'There is no outcome to put back.');
    const state = (reinstate ? before : 'voided') as OutcomeState;
    await tx.insert(participantOutcomes).values({ enrolmentId, releaseId: current!.releaseId, state, completionDate: current!.completionDate, certificateCode: state === 'passed' ? newCertificateCode() : null, note: clip(reason, OUTCOME_TEXT_MAX), recordedBy: by, createdAt: now, outAt: outcomeOutAt(now, { resultsOutOn: reinstate ? fromResults.resultsOutOn : history[0]!.releasesOn, previousOutAt: current!.outAt }) });
    await audit(tx, ctx.clock, actor, { action: reinstate ? 'outcome.reinstated' : 'outcome.voided', entityType: 'enrolment', entityId: enrolmentId, before: { state: current!.state }, after: { state, reason } });
    return state;
  });
}

/**
 * A participant's results (issue 12 item 6), for them or staff who read their evidence: each task's
 * released results (those whose day has come), with the total, the result, the marker's comments as
 * feedback, whether a resit is offered and until when, and any review asked for; the outcome that
 * stands once out, its certificate code, the master's credits it may earn with the partner
 * university, and the NPQ to suggest next. NotFoundError for anyone else.
 */
export async function myResults(ctx: AssessmentContext, actor: Actor, enrolmentId: string) {
  const at = await assessmentPlaceFor(ctx, actor, enrolmentId);
  const now = ctx.clock.now();
  const [rows, reviews, outcomes, qualification] = await Promise.all([
    ctx.db.select({ result: releasedResults, release: resultReleases }).from(releasedResults).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).where(eq(releasedResults.enrolmentId, enrolmentId)).orderBy(asc(releasedResults.attempt)),
    ctx.db.select().from(markingReviews).where(eq(markingReviews.enrolmentId, enrolmentId)).orderBy(asc(markingReviews.requestedAt)),
    ctx.db.select({ outcome: participantOutcomes, releasesOn: resultReleases.releasesOn }).from(participantOutcomes).leftJoin(resultReleases, eq(resultReleases.id, participantOutcomes.releaseId)).where(eq(participantOutcomes.enrolmentId, enrolmentId)).orderBy(asc(participantOutcomes.seq)),
    qualificationByIdentifier(ctx.db, at.place.courseIdentifier),
  ]);
  const out = rows.filter((r) => isReleased(r.release.releasesOn, now));
  const markings = out.length ? await ctx.db.select().from(scriptMarkings).where(inArray(scriptMarkings.submissionId, out.map((r) => r.result.submissionId))) : [];
  // An outcome is theirs to read from its release day; one recorded later (a void, a review) from when it was recorded.
  const seen = outcomes.filter((o) => o.outcome.outAt <= now);
  const outcome = seen.at(-1)?.outcome ?? null;
  // A voided outcome (malpractice, say) offers no resit.
  const voided = outcome?.state === 'voided';
  const tasks = at.spec.tasks.map((task) => {
    const attempts = out.filter((r) => r.result.taskKey === task.key);
    const latest = attempts.at(-1);
    return {
      task,
      attempts: attempts.map((r) => {
        const feedback = markings.find((m) => m.submissionId === r.result.submissionId && m.round === r.result.feedbackRound) ?? null;
        return {
          submissionId: r.result.submissionId,
          attempt: r.result.attempt,
          total: r.result.total,
          result: r.result.result as 'pass' | 'fail',
          releasesOn: r.release.releasesOn,
          feedback: feedback ? { marks: feedback.marks, overall: feedback.overallComment } : null,
          /** The last UK day a review may be asked for, when any may. */
          reviewLastDay: r.release.reviewDays > 0 ? addDays(r.release.releasesOn, r.release.reviewDays) : null,
          reviewOpen: reviewOpen(r.release, now) && !reviews.some((v) => v.submissionId === r.result.submissionId),
          reviews: reviews.filter((v) => v.submissionId === r.result.submissionId),
        };
      }),
      resit: latest && latest.result.result === 'fail' && resitOffered(task, latest.result.attempt) && !voided ? { dueOn: latest.release.resitDueOn } : null,
    };
  });
  const nextShort = outcome?.state === 'passed' && qualification ? nextOnPath(qualification.shortName, qualification.kind) : null;
  const next = nextShort ? await qualificationByShortName(ctx.db, nextShort) : undefined;
  return {
    ...at,
    qualification,
    tasks,
    outcome,
    verifyUrl: outcome?.certificateCode ? `${ctx.baseUrl}/verify/${outcome.certificateCode}` : null,
    credits: outcome?.state === 'passed' && qualification?.mastersCredits ? { upTo: qualification.mastersCredits, university: ctx.university.name, award: ctx.university.award } : null,
    next: next && !next.retired ? next : null,
  };
}

/** What a certificate or transcript prints: the participant's name, the NPQ, the date passed, the code and where it is verified, and the credits. NotFoundError unless the place's outcome that stands is a pass that is out. */
export async function certificateOf(ctx: AssessmentContext, actor: Actor, enrolmentId: string) {
  const r = await myResults(ctx, actor, enrolmentId);
  if (r.outcome?.state !== 'passed' || !r.outcome.certificateCode || !r.qualification) throw new NotFoundError('certificate');
  return { name: r.place.fullName, qualification: r.qualification.name, shortName: r.qualification.shortName, passedOn: r.outcome.completionDate, code: r.outcome.certificateCode, verifyUrl: `${ctx.baseUrl}/verify/${r.outcome.certificateCode}`, providerName: ctx.providerName, credits: r.credits, tasks: r.tasks.flatMap((t) => (t.attempts.at(-1)?.result === 'pass' ? [{ title: t.task.title, total: t.attempts.at(-1)!.total, outOf: outOf(t.task.markScheme) }] : [])) };
}

/**
 * Asks for a review of the marking of one released result (issue 12 item 6), with the participant's
 * reason, within the release's window. AppError review_closed, review_asked (one at a time per
 * result); ValidationError on reason; NotFoundError for a result not theirs or not out. Emailed
 * receipt; audited.
 */
export async function requestReview(ctx: AssessmentContext, actor: Actor, enrolmentId: string, submissionId: string, body: unknown): Promise<void> {
  const at = await ownAssessmentPlace(ctx, actor, enrolmentId);
  const reason = one((body as Record<string, unknown> | undefined)?.reason).trim();
  const [row] = await ctx.db.select({ result: releasedResults, release: resultReleases }).from(releasedResults).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).where(and(eq(releasedResults.submissionId, submissionId), eq(releasedResults.enrolmentId, enrolmentId)));
  const now = ctx.clock.now();
  if (!row || !isReleased(row.release.releasesOn, now)) throw new NotFoundError('result');
  if (!reviewOpen(row.release, now)) throw refuse('review_closed', row.release.reviewDays ? 'The time to ask for a review of this result has passed.' : 'Your provider does not take requests for a review of these results.');
  if (!hasVisibleText(reason)) throw new ValidationError({ reason: 'Say why you think the marking should be reviewed' });
  if (reason.length > OUTCOME_TEXT_MAX) throw new ValidationError({ reason: `Your reason must be ${OUTCOME_TEXT_MAX.toLocaleString('en-GB')} characters or fewer` });
  const task = at.spec.tasks.find((t) => t.key === row.result.taskKey);
  await ctx.db.transaction(async (tx) => {
    const [asked] = await tx.select({ id: markingReviews.id }).from(markingReviews).where(eq(markingReviews.submissionId, submissionId));
    if (asked) throw refuse('review_asked', 'You have asked for a review of this result already.');
    await tx
      .insert(markingReviews)
      .values({ submissionId, enrolmentId, reason: clip(reason, OUTCOME_TEXT_MAX), requestedAt: now })
      .catch((err: unknown) => {
        if (isUniqueViolation(err)) throw refuse('review_asked', 'You have asked for a review of this result already.');
        throw err;
      });
    await enqueueEmail(tx, ctx.clock, reviewRequestedEmail({ to: at.place.email, participant: at.place.fullName, task: task?.title ?? 'your task', link: `${ctx.baseUrl}/programme/${enrolmentId}/assessment/results`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: 'review.requested', entityType: 'enrolment', entityId: enrolmentId, after: { submissionId } });
  });
}

/** Reviews of marking for the provider's admin: those waiting first, then those decided; with whose, which task, and the result in question. */
export async function reviewsList(ctx: AssessmentContext, actor: Actor) {
  adminOf(actor);
  const rows = await ctx.db.select({ review: markingReviews, result: releasedResults, intakeId: resultReleases.intakeId }).from(markingReviews).innerJoin(releasedResults, eq(releasedResults.submissionId, markingReviews.submissionId)).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).orderBy(asc(markingReviews.requestedAt));
  const places = new Map((await placesByEnrolment(ctx.db, rows.map((r) => r.review.enrolmentId))).map((p) => [p.enrolmentId, p]));
  const starts = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.intakeId))) starts.set(id, (await intakeById(ctx.db, id))?.startDate ?? today(ctx.clock));
  return rows
    .flatMap((r) => {
      const place = places.get(r.review.enrolmentId);
      const task = place && assessmentSpecFor(place.courseIdentifier, starts.get(r.intakeId)!)?.tasks.find((t) => t.key === r.result.taskKey);
      return place ? [{ ...r, place, taskTitle: task?.title ?? r.result.taskKey }] : [];
    })
    .sort((a, b) => Number(a.review.decision !== null) - Number(b.review.decision !== null));
}

/**
 * Records what a review of marking found (issue 12 item 6): upheld, or changed to the reviewer's
 * total and result, which replace the released result; the place's outcome is appended anew when it
 * changes (a pass gets a certificate). ValidationError on decision, total, result, note; AppError
 * review_decided. Emailed to the participant; audited.
 */
export async function decideReview(ctx: AssessmentContext, actor: Actor, reviewId: string, body: unknown): Promise<ReviewDecision> {
  const by = adminOf(actor);
  const b = (body ?? {}) as Record<string, unknown>;
  const decision = one(b.decision) as ReviewDecision;
  const note = one(b.note).trim();
  const errors: Record<string, string> = {};
  if (!REVIEW_DECISIONS.includes(decision)) errors.decision = 'Choose whether the result stands or changes';
  if (!hasVisibleText(note)) errors.note = 'Say what the review found: the participant reads this';
  else if (note.length > OUTCOME_TEXT_MAX) errors.note = `The note must be ${OUTCOME_TEXT_MAX.toLocaleString('en-GB')} characters or fewer`;
  const [row] = await ctx.db.select({ review: markingReviews, result: releasedResults, release: resultReleases }).from(markingReviews).innerJoin(releasedResults, eq(releasedResults.submissionId, markingReviews.submissionId)).innerJoin(resultReleases, eq(resultReleases.id, releasedResults.releaseId)).where(eq(markingReviews.id, reviewId));
  if (!row) throw new NotFoundError('review');
  const [place] = await placesByEnrolment(ctx.db, [row.review.enrolmentId]);
  if (!place) throw new NotFoundError('review');
  const intake = await intakeById(ctx.db, row.release.intakeId);
  const spec = assessmentSpecFor(place.courseIdentifier, intake?.startDate ?? today(ctx.clock));
  const task = spec?.tasks.find((t) => t.key === row.result.taskKey);
  const most = task ? outOf(task.markScheme) : 0;
  let total = row.result.total;
  let result = row.result.result;
  if (decision === 'changed') {
    const typed = one(b.total).trim();
    total = /^\d{1,3}$/.test(typed) ? Number(typed) : Number.NaN;
    if (!(total >= 0 && total <= most)) errors.total = `Enter the total the review gives, from 0 to ${most}`;
    result = one(b.result);
    if (result !== 'pass' && result !== 'fail') errors.result = 'Choose the result the review gives';
    else if (result === 'pass' && task && !errors.total && total < task.markScheme.passMark) errors.result = `A pass needs at least ${task.markScheme.passMark} marks: give the total that earns it, or choose fail`;
    else if (!errors.total && total === row.result.total && result === row.result.result) errors.total = 'The total and result are as released: choose that the result stands instead';
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(markingReviews)
      .set({ decision, was: { total: row.result.total, result: row.result.result }, total, result, note: clip(note, OUTCOME_TEXT_MAX), decidedBy: by, decidedAt: now })
      .where(and(eq(markingReviews.id, reviewId), isNull(markingReviews.decision)))
      .returning({ id: markingReviews.id });
    if (!moved) throw refuse('review_decided', 'This review is decided already.');
    if (decision === 'changed') {
      await tx.update(releasedResults).set({ total, result }).where(eq(releasedResults.submissionId, row.result.submissionId));
      await appendOutcomeIfChanged(tx, ctx, { enrolmentId: place.enrolmentId, courseIdentifier: place.courseIdentifier, startedOn: intake?.startDate ?? today(ctx.clock), completionDate: today(ctx.clock), releaseId: null, recordedBy: by, note: 'After a review of marking' });
    }
    await enqueueEmail(tx, ctx.clock, reviewDecidedEmail({ to: place.email, participant: place.fullName, task: task?.title ?? 'your task', changed: decision === 'changed', link: `${ctx.baseUrl}/programme/${place.enrolmentId}/assessment/results`, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: `review.${decision}`, entityType: 'enrolment', entityId: place.enrolmentId, before: { total: row.result.total, result: row.result.result }, after: { reviewId, total, result } });
  });
  return decision;
}

/**
 * What the public verification page says of a code (issue 12 item 6: "confirms it without showing
 * more than name, NPQ and date"): valid with those three, or not valid (never said why beyond
 * "withdrawn", so nothing else is learned). Anyone may ask; the route limits the rate.
 */
export async function verifyCertificate(ctx: AssessmentContext, typed: string): Promise<{ valid: true; code: string; name: string; qualification: string; passedOn: string } | { valid: false; code: string | null; withdrawn: boolean }> {
  const code = readCertificateCode(typed);
  if (!code) return { valid: false, code: null, withdrawn: false };
  const now = ctx.clock.now();
  const [row] = await ctx.db.select({ outcome: participantOutcomes }).from(participantOutcomes).where(eq(participantOutcomes.certificateCode, code));
  if (!row || row.outcome.outAt > now) return { valid: false, code, withdrawn: false };
  // The outcome that stands is the latest out: one appended for a release still to come does not withdraw it yet.
  const [latest] = await ctx.db
    .select({ id: participantOutcomes.id })
    .from(participantOutcomes)
    .where(and(eq(participantOutcomes.enrolmentId, row.outcome.enrolmentId), lte(participantOutcomes.outAt, now)))
    .orderBy(desc(participantOutcomes.seq))
    .limit(1);
  const [place] = await placesByEnrolment(ctx.db, [row.outcome.enrolmentId]);
  const qualification = place ? await qualificationByIdentifier(ctx.db, place.courseIdentifier) : undefined;
  if (latest?.id !== row.outcome.id || !place || !qualification) return { valid: false, code, withdrawn: true };
  return { valid: true, code, name: place.fullName, qualification: qualification.name, passedOn: row.outcome.completionDate };
}

/**
 * Emails each participant whose results came out today or before and were not announced (the jobs
 * runner's hourly sweep): once per release, marked in the same transaction. Returns how many emails
 * were queued.
 */
export async function announceReleasedResults(ctx: AssessmentContext): Promise<number> {
  const due = await ctx.db.select().from(resultReleases).where(and(isNull(resultReleases.announcedAt), lte(resultReleases.releasesOn, today(ctx.clock))));
  let sent = 0;
  for (const release of due) {
    const rows = await ctx.db.select({ enrolmentId: releasedResults.enrolmentId }).from(releasedResults).where(eq(releasedResults.releaseId, release.id));
    const places = await placesByEnrolment(ctx.db, rows.map((r) => r.enrolmentId));
    const names = new Map<string, string>();
    for (const p of places) if (!names.has(p.courseIdentifier)) names.set(p.courseIdentifier, (await qualificationByIdentifier(ctx.db, p.courseIdentifier))?.name ?? 'NPQ');
    sent += await ctx.db.transaction(async (tx) => {
      const [mine] = await tx.update(resultReleases).set({ announcedAt: ctx.clock.now() }).where(and(eq(resultReleases.id, release.id), isNull(resultReleases.announcedAt))).returning({ id: resultReleases.id });
      if (!mine) return 0;
      for (const p of places) await enqueueEmail(tx, ctx.clock, resultsReleasedEmail({ to: p.email, participant: p.fullName, qualification: names.get(p.courseIdentifier)!, link: `${ctx.baseUrl}/programme/${p.enrolmentId}/assessment/results`, providerName: ctx.providerName }));
      return places.length;
    });
  }
  return sent;
}
