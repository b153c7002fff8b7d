import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { allQualificationNames, deliveryPartnerNames, intakesByIds, venuesById } from '../../catalogue/catalogue.queries';
import { cohortIdentifiers } from '../../enrolment/enrolment.queries';
import { namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { type RatingSummary, type ResultGrouping, shownToFacilitator, type SurveyKind, summaryOf } from '../domain/feedback';
import { feedbackScope, readsFeedback } from '../domain/feedback.policy';
import type { FeedbackContext } from '../feedback.context';
import { feedbackResponses } from '../feedback.schema';

/** How results are narrowed (every field optional; ids are the records' own). */
export interface FeedbackFilter {
  kind?: SurveyKind | undefined;
  course?: string | undefined;
  cohort?: string | undefined;
  partner?: string | undefined;
}

/** The responses the actor may read and whether each group of them needs FEEDBACK_THRESHOLD: ForbiddenError for roles that read none. */
function scopeOf(actor: Actor): { where: SQL | undefined; thresholded: boolean } {
  if (!readsFeedback(actor)) throw new ForbiddenError();
  const scope = feedbackScope(actor);
  if ('all' in scope) return { where: undefined, thresholded: false };
  // A lead reads their partners' whole; one who only facilitates or coaches reads what they led, with the threshold.
  if (scope.partners.length) return { where: inArray(feedbackResponses.deliveryPartnerId, scope.partners), thresholded: false };
  if (scope.ledBy) return { where: eq(feedbackResponses.facilitatorUserId, scope.ledBy), thresholded: true };
  return { where: sql`false`, thresholded: true };
}

const whereOf = (scope: SQL | undefined, f: FeedbackFilter) =>
  and(scope, f.kind ? eq(feedbackResponses.kind, f.kind) : undefined, f.course ? eq(feedbackResponses.courseIdentifier, f.course) : undefined, f.cohort ? eq(feedbackResponses.cohortId, f.cohort) : undefined, f.partner ? eq(feedbackResponses.deliveryPartnerId, f.partner) : undefined);

/** The column a grouping groups by: a subject is its intake, kind and key together, written as one text. */
const groupColumn = (by: ResultGrouping): SQL<string | null> =>
  by === 'subject'
    ? sql<string>`coalesce(${feedbackResponses.intakeId}::text, '') || '|' || ${feedbackResponses.kind} || '|' || ${feedbackResponses.subjectKey}`
    : by === 'facilitator'
      ? sql<string | null>`${feedbackResponses.facilitatorUserId}::text`
      : by === 'venue'
        ? sql<string | null>`${feedbackResponses.venueId}::text`
        : by === 'partner'
          ? sql<string | null>`${feedbackResponses.deliveryPartnerId}::text`
          : sql<string | null>`${feedbackResponses.cohortId}::text`;

/** One group of results: what it is, and its ratings; hidden (no figures, no comments) when it rests on too few for a thresholded reader. */
export interface ResultRow {
  /** The group's value as the comments' address takes it ('' for none: no venue, say). */
  value: string;
  label: string;
  /** For a subject: its kind and NPQ. */
  kind?: SurveyKind;
  hidden: boolean;
  summary: RatingSummary;
  comments: number;
}

/**
 * Participants' feedback grouped by subject, facilitator, venue, partner or cohort (issue 11 item
 * 5), within `filter`, for those who read feedback (ForbiddenError else): the admin everything, a lead
 * their partners', a facilitator or coach what they led with groups under FEEDBACK_THRESHOLD hidden.
 * Rows in order of label. Never says whose a response is.
 */
export async function feedbackResults(ctx: FeedbackContext, actor: Actor, groupBy: ResultGrouping, filter: FeedbackFilter): Promise<{ rows: ResultRow[]; thresholded: boolean; total: number }> {
  const { where, thresholded } = scopeOf(actor);
  const column = groupColumn(groupBy);
  const groups = await ctx.db
    .select({
      value: column,
      title: sql<string>`min(${feedbackResponses.subjectTitle})`,
      kind: sql<string>`min(${feedbackResponses.kind})`,
      intakeId: sql<string | null>`min(${feedbackResponses.intakeId}::text)`,
      ratings: sql<number[]>`array_agg(${feedbackResponses.rating})`,
      comments: sql<number>`count(*) filter (where ${feedbackResponses.comment} <> '')::int`,
    })
    .from(feedbackResponses)
    .where(whereOf(where, filter))
    .groupBy(column);
  const labels = await labelsFor(ctx, groupBy, groups);
  const rows = groups.map((g): ResultRow => {
    const summary = summaryOf(g.ratings);
    const hidden = thresholded && !shownToFacilitator(summary.responses);
    return { value: g.value ?? '', label: labels(g), ...(groupBy === 'subject' ? { kind: g.kind as SurveyKind } : {}), hidden, summary: hidden ? summaryOf([]) : summary, comments: hidden ? 0 : g.comments };
  });
  rows.sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
  return { rows, thresholded, total: groups.reduce((n, g) => n + g.ratings.length, 0) };
}

/** Names for the groups' values: subjects by title and intake, people, venues, partners and cohorts by their names. */
async function labelsFor(ctx: FeedbackContext, by: ResultGrouping, groups: { value: string | null; title: string; intakeId: string | null }[]) {
  const ids = groups.flatMap((g) => (g.value ? [g.value] : []));
  const none = { facilitator: 'No facilitator named', venue: 'Online or no venue', partner: 'No delivery partner', cohort: 'No cohort', subject: '' }[by];
  if (by === 'subject') {
    const intakes = await intakesByIds(ctx.db, groups.flatMap((g) => (g.intakeId ? [g.intakeId] : [])));
    return (g: { title: string; intakeId: string | null }) => `${g.title}${g.intakeId && intakes.get(g.intakeId) ? `, ${intakes.get(g.intakeId)!.name}` : ''}`;
  }
  const names: Map<string, string> =
    by === 'facilitator'
      ? await namesOfAccounts(ctx.db, ids)
      : by === 'venue'
        ? new Map([...(await venuesById(ctx.db, ids)).values()].map((v) => [v.id, `${v.name}, ${v.town}`]))
        : by === 'partner'
          ? await deliveryPartnerNames(ctx.db)
          : await cohortIdentifiers(ctx.db);
  return (g: { value: string | null }) => (g.value ? (names.get(g.value) ?? 'Not known') : none);
}

/** A comment as the results show it: its words and rating, never who or when. */
export interface ShownComment {
  rating: number;
  comment: string;
}

/**
 * The comments of one group of results (its `value` as feedbackResults gave it), in an order that
 * says nothing of who wrote them or when (by rating, then words). Empty when the group is hidden from
 * the actor. Same scope and refusals as feedbackResults.
 */
export async function feedbackComments(ctx: FeedbackContext, actor: Actor, groupBy: ResultGrouping, value: string, filter: FeedbackFilter): Promise<{ comments: ShownComment[]; hidden: boolean; responses: number }> {
  const { where, thresholded } = scopeOf(actor);
  const column = groupColumn(groupBy);
  const rows = await ctx.db
    .select({ rating: feedbackResponses.rating, comment: feedbackResponses.comment })
    .from(feedbackResponses)
    .where(and(whereOf(where, filter), value ? sql`${column} = ${value}` : sql`${column} is null`));
  const hidden = thresholded && !shownToFacilitator(rows.length);
  const comments = hidden ? [] : rows.filter((r) => r.comment).sort((a, b) => b.rating - a.rating || a.comment.localeCompare(b.comment, 'en-GB'));
  return { comments, hidden, responses: rows.length };
}

/** One response as the CSV gives it. */
export type ExportRow = typeof feedbackResponses.$inferSelect;

/**
 * Every response the actor may read within `filter`, for the CSV, in an order that says nothing of
 * who answered when (day, subject, rating, words); for a thresholded reader only subjects with
 * FEEDBACK_THRESHOLD responses or more. With the names the rows are shown by.
 */
export async function feedbackExport(ctx: FeedbackContext, actor: Actor, filter: FeedbackFilter) {
  const { where, thresholded } = scopeOf(actor);
  const subject = groupColumn('subject');
  const enough = thresholded ? sql`${subject} in (select ${subject} from ${feedbackResponses} where ${whereOf(where, filter) ?? sql`true`} group by 1 having count(*) >= 3)` : undefined;
  const rows = await ctx.db
    .select()
    .from(feedbackResponses)
    .where(and(whereOf(where, filter), enough))
    .orderBy(asc(feedbackResponses.answeredOn), asc(feedbackResponses.subjectTitle), asc(feedbackResponses.rating), asc(feedbackResponses.comment))
    .limit(100_000);
  const [people, venues, partners, cohorts, courses, intakes] = await Promise.all([
    namesOfAccounts(ctx.db, rows.flatMap((r) => (r.facilitatorUserId ? [r.facilitatorUserId] : []))),
    venuesById(ctx.db, rows.flatMap((r) => (r.venueId ? [r.venueId] : []))),
    deliveryPartnerNames(ctx.db),
    cohortIdentifiers(ctx.db),
    allQualificationNames(ctx.db),
    intakesByIds(ctx.db, rows.flatMap((r) => (r.intakeId ? [r.intakeId] : []))),
  ]);
  return { rows, names: { people, venues, partners, cohorts, courses: new Map(courses.map((c) => [c.identifier, c.shortName])), intakes } };
}

/** What results can be filtered by: NPQs, cohorts and (for the admin and leads) partners. */
export async function feedbackChoices(ctx: FeedbackContext, actor: Actor) {
  if (!readsFeedback(actor)) throw new ForbiddenError();
  const scope = feedbackScope(actor);
  const [courses, cohorts, partners] = await Promise.all([allQualificationNames(ctx.db), cohortIdentifiers(ctx.db), deliveryPartnerNames(ctx.db)]);
  return {
    courses: courses.filter((c) => !c.retired).map((c) => ({ id: c.identifier, name: c.name })),
    cohorts: [...cohorts.entries()].map(([id, identifier]) => ({ id, name: identifier })).sort((a, b) => a.name.localeCompare(b.name)),
    partners: [...partners.entries()].map(([id, name]) => ({ id, name })).filter((p) => 'all' in scope || scope.partners.includes(p.id)).sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
  };
}
