import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import { allQualificationNames, deliveryPartnerNames, intakesByIds, venuesById } from '../../catalogue/catalogue.queries';
import { cohortIdentifiers } from '../../enrolment/enrolment.queries';
import { namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError } from '../../platform/errors';
import { FEEDBACK_THRESHOLD, type RatingSummary, type ResultGrouping, shownToFacilitator, type SurveyKind, summaryOf } from '../domain/feedback';
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

/** A response's subject as one text: its intake, kind and key (a session or module within its intake, or a coach within it). */
const subjectOf = sql<string>`coalesce(${feedbackResponses.intakeId}::text, '') || '|' || ${feedbackResponses.kind} || '|' || ${feedbackResponses.subjectKey}`;

/** What a thresholded reader (a facilitator or coach, of what they led) may group by: unions of whole subjects, which no grouping or filter can split. */
export const THRESHOLDED_GROUPINGS: readonly ResultGrouping[] = ['subject', 'facilitator'];

/**
 * The responses the actor may read, as a condition, and whether they read with FEEDBACK_THRESHOLD:
 * ForbiddenError for roles that read none. A lead reads their partners' whole. One who only
 * facilitates or coaches reads what they led, and only of subjects with FEEDBACK_THRESHOLD responses
 * or more in all: a threshold per shown group alone could be undone by subtracting one grouping or
 * filter from another (two sessions in one facilitator's row, one cohort out of a session), so what
 * they are shown is built only from whole subjects that reach it, and no filter splits a subject.
 */
function scopeOf(actor: Actor, f: FeedbackFilter): { where: SQL | undefined; thresholded: boolean } {
  if (!readsFeedback(actor)) throw new ForbiddenError();
  const scope = feedbackScope(actor);
  if ('all' in scope) return { where: filterOf(undefined, f), thresholded: false };
  if (scope.partners.length) return { where: filterOf(inArray(feedbackResponses.deliveryPartnerId, scope.partners), f), thresholded: false };
  if (!scope.ledBy) return { where: sql`false`, thresholded: true };
  const mine = and(eq(feedbackResponses.facilitatorUserId, scope.ledBy), wholeSubjectFilter(f));
  const enough = sql`${subjectOf} in (select ${subjectOf} from ${feedbackResponses} where ${mine} group by 1 having count(*) >= ${FEEDBACK_THRESHOLD})`;
  return { where: and(mine, enough), thresholded: true };
}

/** The filters that keep subjects whole (kind, NPQ): all a thresholded reader is given. */
const wholeSubjectFilter = (f: FeedbackFilter) => and(f.kind ? eq(feedbackResponses.kind, f.kind) : undefined, f.course ? eq(feedbackResponses.courseIdentifier, f.course) : undefined);
const filterOf = (scope: SQL | undefined, f: FeedbackFilter) => and(scope, wholeSubjectFilter(f), f.cohort ? eq(feedbackResponses.cohortId, f.cohort) : undefined, f.partner ? eq(feedbackResponses.deliveryPartnerId, f.partner) : undefined);

/** The subjects a thresholded reader led that have too few responses to show: named, nothing more. */
async function hiddenSubjects(ctx: FeedbackContext, actor: Actor, f: FeedbackFilter) {
  const scope = feedbackScope(actor);
  if ('all' in scope || scope.partners.length || !scope.ledBy) return [];
  return ctx.db
    .select({ value: subjectOf, title: sql<string>`min(${feedbackResponses.subjectTitle})`, kind: sql<string>`min(${feedbackResponses.kind})`, intakeId: sql<string | null>`min(${feedbackResponses.intakeId}::text)` })
    .from(feedbackResponses)
    .where(and(eq(feedbackResponses.facilitatorUserId, scope.ledBy), wholeSubjectFilter(f)))
    .groupBy(subjectOf)
    .having(sql`count(*) < ${FEEDBACK_THRESHOLD}`);
}

/** The column a grouping groups by: a subject is its intake, kind and key together, written as one text. */
const groupColumn = (by: ResultGrouping): SQL<string | null> =>
  by === 'subject'
    ? subjectOf
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
 * their partners', a facilitator or coach what they led as scopeOf says (by subject or facilitator
 * only; their subjects under FEEDBACK_THRESHOLD listed as hidden, with nothing of what was said).
 * Rows in order of label. Never says whose a response is. Returns the grouping used.
 */
export async function feedbackResults(ctx: FeedbackContext, actor: Actor, groupBy: ResultGrouping, filter: FeedbackFilter): Promise<{ rows: ResultRow[]; thresholded: boolean; total: number; groupBy: ResultGrouping }> {
  const { where, thresholded } = scopeOf(actor, filter);
  if (thresholded && !THRESHOLDED_GROUPINGS.includes(groupBy)) groupBy = 'subject';
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
    .where(where)
    .groupBy(column);
  // What a thresholded reader led with too few responses: listed by name, with nothing of what was said.
  const hidden = groupBy === 'subject' && thresholded ? await hiddenSubjects(ctx, actor, filter) : [];
  const labels = await labelsFor(ctx, groupBy, [...groups, ...hidden]);
  const rows = [
    ...groups.map((g): ResultRow => ({ value: g.value ?? '', label: labels(g), ...(groupBy === 'subject' ? { kind: g.kind as SurveyKind } : {}), hidden: false, summary: summaryOf(g.ratings), comments: g.comments })),
    ...hidden.map((g): ResultRow => ({ value: g.value, label: labels(g), kind: g.kind as SurveyKind, hidden: true, summary: summaryOf([]), comments: 0 })),
  ];
  rows.sort((a, b) => a.label.localeCompare(b.label, 'en-GB'));
  return { rows, thresholded, total: groups.reduce((n, g) => n + g.ratings.length, 0), groupBy };
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

/** A comment as the results show it: its words, rating and what it is about, never who or when. */
export interface ShownComment {
  rating: number;
  comment: string;
  subject: string;
}

/**
 * The comments of one group of results (its `value` as feedbackResults gave it), in an order that
 * says nothing of who wrote them or when (by rating, then words). Empty when the group is hidden from
 * the actor. Same scope and refusals as feedbackResults.
 */
export async function feedbackComments(ctx: FeedbackContext, actor: Actor, groupBy: ResultGrouping, value: string, filter: FeedbackFilter): Promise<{ comments: ShownComment[]; hidden: boolean; responses: number }> {
  const { where, thresholded } = scopeOf(actor, filter);
  if (thresholded && !THRESHOLDED_GROUPINGS.includes(groupBy)) return { comments: [], hidden: true, responses: 0 };
  const column = groupColumn(groupBy);
  const rows = await ctx.db
    .select({ rating: feedbackResponses.rating, comment: feedbackResponses.comment, subject: feedbackResponses.subjectTitle })
    .from(feedbackResponses)
    .where(and(where, value ? sql`${column} = ${value}` : sql`${column} is null`));
  // Built from whole subjects that reach the threshold, a thresholded reader's group is never small; an empty one is hidden.
  const hidden = thresholded && !shownToFacilitator(rows.length);
  const comments = hidden ? [] : rows.filter((r) => r.comment).sort((a, b) => b.rating - a.rating || a.comment.localeCompare(b.comment, 'en-GB'));
  return { comments, hidden, responses: hidden ? 0 : rows.length };
}

/** One response as the CSV gives it. */
export type ExportRow = typeof feedbackResponses.$inferSelect;

/**
 * Every response the actor may read within `filter`, for the CSV, in an order that says nothing of
 * who answered when (subject, rating, words); with the names the rows are shown by. A thresholded
 * reader's hold only subjects that reach FEEDBACK_THRESHOLD, and say nothing that could split one
 * (`thresholded`: the routes leave out month, cohort and partner).
 */
export async function feedbackExport(ctx: FeedbackContext, actor: Actor, filter: FeedbackFilter) {
  const { where, thresholded } = scopeOf(actor, filter);
  const rows = await ctx.db
    .select()
    .from(feedbackResponses)
    .where(where)
    .orderBy(asc(feedbackResponses.subjectTitle), asc(feedbackResponses.intakeId), desc(feedbackResponses.rating), asc(feedbackResponses.comment))
    .limit(100_000);
  const [people, venues, partners, cohorts, courses, intakes] = await Promise.all([
    namesOfAccounts(ctx.db, rows.flatMap((r) => (r.facilitatorUserId ? [r.facilitatorUserId] : []))),
    venuesById(ctx.db, rows.flatMap((r) => (r.venueId ? [r.venueId] : []))),
    deliveryPartnerNames(ctx.db),
    cohortIdentifiers(ctx.db),
    allQualificationNames(ctx.db),
    intakesByIds(ctx.db, rows.flatMap((r) => (r.intakeId ? [r.intakeId] : []))),
  ]);
  return { rows, thresholded, names: { people, venues, partners, cohorts, courses: new Map(courses.map((c) => [c.identifier, c.shortName])), intakes } };
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
