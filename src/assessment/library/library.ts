import { and, arrayContains, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { allQualificationNames } from '../../catalogue/catalogue.queries';
import { placesByEnrolment, schoolByUrn, schoolUrnOfPlace } from '../../enrolment/enrolment.queries';
import { enqueueEmail } from '../../mail/outbox';
import { type Actor, isSignedIn } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError } from '../../platform/errors';
import { one } from '../../platform/forms';
import { guardOf } from '../../platform/workflow';
import { type AssessmentContext, refuse } from '../assessment.context';
import { libraryEntries, participantOutcomes, releasedResults } from '../assessment.schema';
import type { AssessmentTask } from '../domain/assessment-spec';
import { managesAssessment } from '../domain/assessment.policy';
import { isProject, LIBRARY_WORKFLOW, type LibraryPhase, type LibraryState, type LibraryTheme, readLibraryDecision, readLibraryEntry } from '../domain/library';
import { libraryEntryPublishedEmail, libraryEntryReturnedEmail } from '../emails/library-emails';
import { myResults } from '../outcomes/outcomes';

export type LibraryEntry = typeof libraryEntries.$inferSelect;

/** An entry whose place's outcome is voided (malpractice, say) is never shown, whatever its state. */
const outcomeNotVoided: SQL = sql`(select ${participantOutcomes.state} from ${participantOutcomes} where ${participantOutcomes.enrolmentId} = ${libraryEntries.enrolmentId} order by ${participantOutcomes.seq} desc limit 1) is distinct from 'voided'`;
/** Nor one whose project no longer stands as a pass: its latest released result (a review of marking can change it) must be one. */
const projectStillPassed: SQL = sql`(select ${releasedResults.result} from ${releasedResults} where ${releasedResults.enrolmentId} = ${libraryEntries.enrolmentId} and ${releasedResults.taskKey} = ${libraryEntries.taskKey} order by ${releasedResults.attempt} desc limit 1) = 'pass'`;
const isPublic = and(eq(libraryEntries.state, 'published'), outcomeNotVoided, projectStillPassed)!;

/**
 * The projects of a place in the School Improvement Library (issue 12 item 7), each with its entry if
 * shared before: every project task (isProject) whose latest released result is a pass, unless the
 * outcome is voided, may be shared; one that no longer may (voided, or a review changed its result)
 * is listed while its entry stands, so its participant can still withdraw it. For the participant, or
 * staff who read their results (myResults); NotFoundError for anyone else.
 */
export async function shareableProjects(ctx: AssessmentContext, actor: Actor, enrolmentId: string): Promise<{ own: boolean; tasks: { task: AssessmentTask; entry: LibraryEntry | null; shareable: boolean }[] }> {
  const r = await myResults(ctx, actor, enrolmentId);
  const passed = new Set(r.outcome?.state === 'voided' ? [] : r.tasks.filter((t) => isProject(t.task) && t.attempts.at(-1)?.result === 'pass').map((t) => t.task.key));
  const entries = await ctx.db.select().from(libraryEntries).where(eq(libraryEntries.enrolmentId, enrolmentId));
  const tasks = r.spec.tasks.filter(isProject).flatMap((task) => {
    const entry = entries.find((e) => e.taskKey === task.key) ?? null;
    const shareable = passed.has(task.key);
    return shareable || (entry && entry.state !== 'withdrawn') ? [{ task, entry, shareable }] : [];
  });
  return { own: r.own, tasks };
}

/**
 * One project of the participant's own place as its sharing page shows it (shareableProjects): the
 * task, its entry if any, whether it may be shared, and the school a consent would name. NotFoundError
 * unless it is theirs and either shareable or shared.
 */
export async function myLibraryEntry(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string) {
  const { own, tasks } = await shareableProjects(ctx, actor, enrolmentId);
  const found = tasks.find((t) => t.task.key === taskKey);
  if (!own || !found) throw new NotFoundError('project');
  const urn = await schoolUrnOfPlace(ctx.db, enrolmentId);
  const school = urn ? await schoolByUrn(ctx.db, urn) : undefined;
  return { ...found, school: school?.name ?? null };
}

/**
 * Shares (or shares again, changed) a passed project of the participant's own place in the library
 * (issue 12 item 7): the fields and consents readLibraryEntry reads; the school named only if they
 * agreed. It waits for the admin's review: a published entry changed leaves the library until it is
 * published again. ValidationError per field; NotFoundError for a project not theirs or not passed.
 * Audited.
 */
export async function shareProject(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string, body: unknown): Promise<void> {
  const { school, shareable } = await myLibraryEntry(ctx, actor, enrolmentId, taskKey);
  if (!shareable) throw new NotFoundError('project');
  const fields = readLibraryEntry((body ?? {}) as Record<string, unknown>);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  const now = ctx.clock.now();
  const values = { title: fields.title, summary: fields.summary, impact: fields.impact, phase: fields.phase, themes: fields.themes, schoolName: fields.nameSchool ? school : null, consentedAt: now, state: 'in_review' as const, reviewNote: null, reviewedBy: null, reviewedAt: null, publishedAt: null, updatedAt: now };
  await ctx.db.transaction(async (tx) => {
    // Two sends at once make one entry: the second changes what the first made.
    const [row] = await tx
      .insert(libraryEntries)
      .values({ enrolmentId, taskKey, courseIdentifier: place!.courseIdentifier, createdAt: now, ...values })
      .onConflictDoUpdate({ target: [libraryEntries.enrolmentId, libraryEntries.taskKey], set: values })
      .returning({ id: libraryEntries.id });
    await audit(tx, ctx.clock, actor, { action: 'library.shared', entityType: 'library_entry', entityId: row!.id, after: { title: fields.title, schoolNamed: fields.nameSchool } });
  });
}

/**
 * Takes back the participant's consent: their entry leaves the library (or the review queue) at once
 * and stays until they share it again. AppError library_not_shared when there is nothing to withdraw;
 * NotFoundError for a project not theirs. Audited.
 */
export async function withdrawProject(ctx: AssessmentContext, actor: Actor, enrolmentId: string, taskKey: string): Promise<void> {
  const { entry } = await myLibraryEntry(ctx, actor, enrolmentId, taskKey);
  if (!entry) throw refuse('library_not_shared', 'This project is not in the library.');
  await ctx.db.transaction(async (tx) => {
    const moved = await tx
      .update(libraryEntries)
      .set({ state: 'withdrawn', updatedAt: ctx.clock.now() })
      .where(and(eq(libraryEntries.id, entry.id), guardOf(LIBRARY_WORKFLOW, 'withdraw', libraryEntries.state)))
      .returning({ id: libraryEntries.id });
    if (!moved.length) throw refuse('library_not_shared', 'This project is withdrawn from the library already.');
    await audit(tx, ctx.clock, actor, { action: 'library.withdrawn', entityType: 'library_entry', entityId: entry.id, before: { state: entry.state } });
  });
}

function adminOnly(actor: Actor): string | null {
  if (!managesAssessment(actor)) throw new ForbiddenError();
  return isSignedIn(actor) ? actor.userId : null;
}

/**
 * The library's entries for the provider's admin to review (issue 12 item 7), in one state (waiting
 * for review unless asked), oldest change first, a page at a time (`page` from 1), each with its
 * participant's name and NPQ. ForbiddenError for anyone else.
 */
export async function libraryReviewList(ctx: AssessmentContext, actor: Actor, state: LibraryState, page: number, perPage: number) {
  adminOnly(actor);
  const where = eq(libraryEntries.state, state);
  const [rows, [counted], names] = await Promise.all([
    ctx.db
      .select()
      .from(libraryEntries)
      .where(where)
      .orderBy(state === 'in_review' ? asc(libraryEntries.updatedAt) : desc(libraryEntries.updatedAt), asc(libraryEntries.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    ctx.db.select({ n: count() }).from(libraryEntries).where(where),
    qualificationNames(ctx),
  ]);
  const places = new Map((await placesByEnrolment(ctx.db, rows.map((r) => r.enrolmentId))).map((p) => [p.enrolmentId, p]));
  return { rows: rows.map((entry) => ({ entry, participant: places.get(entry.enrolmentId)?.fullName ?? '', qualification: names.get(entry.courseIdentifier) ?? entry.courseIdentifier })), total: counted?.n ?? 0 };
}

/**
 * One entry as the admin reviews it: the entry, its participant and NPQ, whether its outcome is voided
 * and whether its project still stands as a pass (it cannot be published otherwise). ForbiddenError
 * for anyone but the admin; NotFoundError for none.
 */
export async function libraryEntryForReview(ctx: AssessmentContext, actor: Actor, id: string) {
  adminOnly(actor);
  const [entry] = await ctx.db.select({ entry: libraryEntries, notVoided: outcomeNotVoided.mapWith(Boolean), passed: sql`coalesce(${projectStillPassed}, false)`.mapWith(Boolean) }).from(libraryEntries).where(eq(libraryEntries.id, id));
  if (!entry) throw new NotFoundError('library entry');
  const [[place], names] = await Promise.all([placesByEnrolment(ctx.db, [entry.entry.enrolmentId]), qualificationNames(ctx)]);
  return { entry: entry.entry, voided: !entry.notVoided, passed: entry.passed, participant: place?.fullName ?? '', qualification: names.get(entry.entry.courseIdentifier) ?? entry.entry.courseIdentifier };
}

// The latest a page's `seen` may say: the end of year 9999 (a later one is no time the database holds).
const LAST_SEEN_MS = 253_402_300_799_999;

/** When the admin's page read the entry (`seen`: milliseconds since 1970, as the page's hidden field gives it), or null when it does not say. */
function seenAtOf(body: unknown): Date | null {
  const seen = one((body as Record<string, unknown> | null)?.seen);
  if (!/^\d{1,15}$/.test(seen) || Number(seen) > LAST_SEEN_MS) return null;
  return new Date(Number(seen));
}

/**
 * The admin's decision on an entry (readLibraryDecision): publish one waiting for review, or return
 * one (waiting, or published: taken down) with a note saying what to change. AppError
 * library_changed when the entry has moved on since the page was read (its participant changed or
 * withdrew it, another admin decided) or the form does not say when it was read (`seen`);
 * outcome_voided when its outcome is voided; result_not_pass when its project's result is no longer a
 * pass. The participant is emailed. Audited.
 */
export async function reviewLibraryEntry(ctx: AssessmentContext, actor: Actor, id: string, body: unknown): Promise<'publish' | 'return'> {
  const by = adminOnly(actor);
  const { decision, note } = readLibraryDecision((body ?? {}) as Record<string, unknown>);
  const { entry, voided, passed } = await libraryEntryForReview(ctx, actor, id);
  if (decision === 'publish' && voided) throw refuse('outcome_voided', 'This participant’s outcome is voided, so their project cannot be published.');
  if (decision === 'publish' && !passed) throw refuse('result_not_pass', 'This project’s result is no longer a pass, so it cannot be published.');
  // What the admin read is what they decide on: a change sent since, or another admin's decision, is read first.
  const seenAt = seenAtOf(body);
  if (!seenAt) throw refuse('library_changed', 'This entry may have changed since you opened it: read it again before deciding.');
  const [place] = await placesByEnrolment(ctx.db, [entry.enrolmentId]);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const moved = await tx
      .update(libraryEntries)
      .set({ ...(decision === 'publish' ? { state: 'published' as const, publishedAt: now } : { state: 'returned' as const }), reviewNote: note, reviewedBy: by, reviewedAt: now, updatedAt: now })
      .where(and(eq(libraryEntries.id, id), guardOf(LIBRARY_WORKFLOW, decision, libraryEntries.state), eq(libraryEntries.updatedAt, seenAt)))
      .returning({ id: libraryEntries.id });
    if (!moved.length) throw refuse('library_changed', 'This entry has changed since you opened it: read it again before deciding.');
    const link = `${ctx.baseUrl}/programme/${entry.enrolmentId}/assessment/library/${entry.taskKey}`;
    if (place) await enqueueEmail(tx, ctx.clock, decision === 'publish' ? libraryEntryPublishedEmail({ to: place.email, participant: place.fullName, title: entry.title, link: `${ctx.baseUrl}/library/${id}`, providerName: ctx.providerName }) : libraryEntryReturnedEmail({ to: place.email, participant: place.fullName, title: entry.title, note: note ?? '', link, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, actor, { action: decision === 'publish' ? 'library.published' : 'library.returned', entityType: 'library_entry', entityId: id, before: { state: entry.state }, after: { note } });
  });
  return decision;
}

/** What the public library is filtered by: words (searched in title, summary and impact, as English words), an NPQ, a phase, a theme. */
export interface LibraryFilter {
  q?: string | undefined;
  course?: string | undefined;
  phase?: LibraryPhase | undefined;
  theme?: LibraryTheme | undefined;
}

/**
 * The School Improvement Library as anyone reads it (issue 12 item 7): published entries whose
 * outcome is not voided, matching the filter, the best matches first when words are given (newest
 * first otherwise), a page at a time (`page` from 1).
 * No participant's name is ever given; the school only when its participant agreed.
 */
export async function publicLibrary(ctx: AssessmentContext, filter: LibraryFilter, page: number, perPage: number) {
  const words = filter.q?.trim() ? sql`websearch_to_tsquery('english', ${filter.q.trim()})` : null;
  const document = sql`to_tsvector('english', ${libraryEntries.title} || ' ' || ${libraryEntries.summary} || ' ' || ${libraryEntries.impact})`;
  const where = and(
    isPublic,
    words ? sql`${document} @@ ${words}` : undefined,
    filter.course ? eq(libraryEntries.courseIdentifier, filter.course) : undefined,
    filter.phase ? eq(libraryEntries.phase, filter.phase) : undefined,
    filter.theme ? arrayContains(libraryEntries.themes, [filter.theme]) : undefined,
  );
  const [rows, [counted], names] = await Promise.all([
    ctx.db
      .select()
      .from(libraryEntries)
      .where(where)
      .orderBy(...(words ? [sql`ts_rank(${document}, ${words}) desc`] : []), desc(libraryEntries.publishedAt), asc(libraryEntries.id))
      .limit(perPage)
      .offset((page - 1) * perPage),
    ctx.db.select({ n: count() }).from(libraryEntries).where(where),
    qualificationNames(ctx),
  ]);
  return { rows: rows.map((entry) => ({ entry, qualification: names.get(entry.courseIdentifier) ?? entry.courseIdentifier })), total: counted?.n ?? 0 };
}

/** The NPQs the library is filtered by: every NPQ in the catalogue, by name, as "Name (short name)". */
export async function libraryQualifications(ctx: AssessmentContext): Promise<{ identifier: string; name: string }[]> {
  return [...(await qualificationNames(ctx))].map(([identifier, name]) => ({ identifier, name }));
}

/** One published entry as anyone reads it, with its NPQ's name; NotFoundError for one not published (or withdrawn, or whose outcome is voided). */
export async function publicLibraryEntry(ctx: AssessmentContext, id: string) {
  const [entry] = await ctx.db.select().from(libraryEntries).where(and(eq(libraryEntries.id, id), isPublic));
  if (!entry) throw new NotFoundError('library entry');
  return { entry, qualification: (await qualificationNames(ctx)).get(entry.courseIdentifier) ?? entry.courseIdentifier };
}

async function qualificationNames(ctx: AssessmentContext): Promise<Map<string, string>> {
  return new Map((await allQualificationNames(ctx.db)).map((q) => [q.identifier, `${q.name} (${q.shortName})`]));
}
