import { and, asc, eq, ilike, inArray, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { allQualificationNames, deliveryPartnerNames, intakesForDelivery } from '../../catalogue/catalogue.queries';
import { placesCoachedBy } from '../../coaching/coaching.queries';
import { cohortByIdentifier, cohortIdentifiers, enrolmentIdsOfPartnersQuery } from '../../enrolment/enrolment.queries';
import { namesOfAccounts } from '../../people/people.queries';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError, NotFoundError } from '../../platform/errors';
import { engagementScope, readsEngagement } from '../domain/engagement.policy';
import type { EngagementContext } from '../engagement.context';
import { engagementSnapshots } from '../engagement.schema';

/** How a list is narrowed (every field optional; ids are the records' own). */
export interface EngagementFilter {
  course?: string | undefined;
  cohort?: string | undefined;
  intake?: string | undefined;
  partner?: string | undefined;
  group?: string | undefined;
  facilitator?: string | undefined;
  /** Only those below their NPQ's threshold. */
  below?: boolean | undefined;
  /** Only those flagged at risk (issue 11 item 4). */
  atRisk?: boolean | undefined;
  q?: string | undefined;
}
export const ENGAGEMENT_SORTS = ['name', 'lowest', 'highest'] as const;
export type EngagementSort = (typeof ENGAGEMENT_SORTS)[number];
export type EngagementRow = typeof engagementSnapshots.$inferSelect;

/** Rows a list page shows. */
export const ENGAGEMENT_PER_PAGE = 50;

/** The snapshots the actor may read, as a condition: everyone's (the admin), or their partners' and those they coach (ForbiddenError for other roles). */
async function scopeOf(ctx: EngagementContext, actor: Actor): Promise<SQL | undefined> {
  if (!readsEngagement(actor)) throw new ForbiddenError();
  const scope = engagementScope(actor);
  if ('all' in scope) return undefined;
  const coached = scope.coachUserId ? await placesCoachedBy(ctx.db, scope.coachUserId) : [];
  // Whose a participant is now, from their enrolment: a participant moved to another partner leaves the old one's lists at once, not at the next nightly run.
  const parts = [scope.partners.length ? inArray(engagementSnapshots.enrolmentId, enrolmentIdsOfPartnersQuery(ctx.db, scope.partners)) : undefined, coached.length ? inArray(engagementSnapshots.enrolmentId, coached) : undefined].filter((p): p is SQL => !!p);
  return parts.length ? or(...parts) : sql`false`;
}

function whereOf(scope: SQL | undefined, f: EngagementFilter): SQL | undefined {
  const search = f.q?.trim() ? `%${f.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return and(
    scope,
    f.course ? eq(engagementSnapshots.courseIdentifier, f.course) : undefined,
    f.cohort ? eq(engagementSnapshots.cohortId, f.cohort) : undefined,
    f.intake ? eq(engagementSnapshots.intakeId, f.intake) : undefined,
    f.partner ? eq(engagementSnapshots.deliveryPartnerId, f.partner) : undefined,
    f.group ? (f.group === 'none' ? isNull(engagementSnapshots.groupId) : eq(engagementSnapshots.groupId, f.group)) : undefined,
    f.facilitator ? eq(engagementSnapshots.facilitatorUserId, f.facilitator) : undefined,
    f.below ? eq(engagementSnapshots.below, true) : undefined,
    f.atRisk ? eq(engagementSnapshots.atRisk, true) : undefined,
    search ? ilike(engagementSnapshots.fullName, search) : undefined,
  );
}

const orderOf = (sort: EngagementSort) =>
  sort === 'lowest'
    ? [sql`${engagementSnapshots.percent} asc nulls last`, asc(engagementSnapshots.fullName), asc(engagementSnapshots.enrolmentId)]
    : sort === 'highest'
      ? [sql`${engagementSnapshots.percent} desc nulls last`, asc(engagementSnapshots.fullName), asc(engagementSnapshots.enrolmentId)]
      : [asc(engagementSnapshots.fullName), asc(engagementSnapshots.enrolmentId)];

/** The bands of the chart of engagement: 0–9% … 90–100%, and those of whom nothing is expected yet. */
export const ENGAGEMENT_BANDS = ['0–9%', '10–19%', '20–29%', '30–39%', '40–49%', '50–59%', '60–69%', '70–79%', '80–89%', '90–100%'] as const;

/**
 * A page of participants' engagement (issue 11 item 3) for the admin, partner leads, facilitators
 * and coaches (ForbiddenError for others), each seeing only whom engagementScope gives them, within
 * `filter`, sorted by name or by engagement (lowest or highest first), `perPage` at a time
 * (`page` from 1; past the end gives the last, or none when `pastTheEnd` is 'empty'). With the total,
 * how many are below their threshold and how many flagged at risk (issue 11 item 4),
 * the chart's counts per band (ENGAGEMENT_BANDS, and `notYet`), and when the page's figures were computed.
 */
export async function engagementList(ctx: EngagementContext, actor: Actor, filter: EngagementFilter, sort: EngagementSort = 'name', page = 1, perPage = ENGAGEMENT_PER_PAGE, pastTheEnd: 'last' | 'empty' = 'last') {
  const where = whereOf(await scopeOf(ctx, actor), filter);
  // One grouped count gives the chart, the total and those below: read from an index where one serves (an intake's).
  const bands = await ctx.db
    .select({ band: sql<number | null>`least(${engagementSnapshots.percent} / 10, 9)`, n: sql<number>`count(*)::int`, below: sql<number>`count(*) filter (where ${engagementSnapshots.below})::int`, atRisk: sql<number>`count(*) filter (where ${engagementSnapshots.atRisk})::int` })
    .from(engagementSnapshots)
    .where(where)
    .groupBy(sql`1`);
  const total = bands.reduce((n, b) => n + b.n, 0);
  const pages = Math.max(1, Math.ceil(total / perPage));
  // A page asks for past the end: the list shows its last page; the API answers none, so a client paging until it gets no rows stops.
  const shown = pastTheEnd === 'empty' ? Math.max(1, page) : Math.min(Math.max(1, page), pages);
  const rows = await ctx.db
    .select()
    .from(engagementSnapshots)
    .where(where)
    .orderBy(...orderOf(sort))
    .limit(perPage)
    .offset((shown - 1) * perPage);
  const counts = ENGAGEMENT_BANDS.map((_, i) => bands.find((b) => b.band === i)?.n ?? 0);
  // When the figures shown were computed: the oldest on the page (a participant's own page may have computed theirs since).
  const computedAt = rows.reduce<Date | null>((oldest, r) => (!oldest || r.computedAt < oldest ? r.computedAt : oldest), null);
  return { rows, total, below: bands.reduce((n, b) => n + b.below, 0), atRisk: bands.reduce((n, b) => n + b.atRisk, 0), page: shown, pages, chart: { counts, notYet: bands.find((b) => b.band === null)?.n ?? 0 }, computedAt };
}

/**
 * The whole filtered list for a CSV, walked by key (docs/adr/0044) `size` rows at a time in name
 * order: call with the last row of the page before. Same scope and refusals as engagementList.
 */
export async function engagementExportPage(ctx: EngagementContext, actor: Actor, filter: EngagementFilter, after: { fullName: string; enrolmentId: string } | undefined, size = 1_000): Promise<EngagementRow[]> {
  const where = whereOf(await scopeOf(ctx, actor), filter);
  return ctx.db
    .select()
    .from(engagementSnapshots)
    .where(and(where, after ? sql`(${engagementSnapshots.fullName}, ${engagementSnapshots.enrolmentId}) > (${after.fullName}, ${after.enrolmentId})` : undefined))
    .orderBy(asc(engagementSnapshots.fullName), asc(engagementSnapshots.enrolmentId))
    .limit(size);
}

/**
 * The names a page or export shows rows by (NPQs not retired, cohorts' identifiers, partners' names,
 * by id), for those who may read engagement (ForbiddenError else): what the detail page and the CSV
 * need, without the list's filter choices.
 */
export async function engagementNames(ctx: EngagementContext, actor: Actor) {
  if (!readsEngagement(actor)) throw new ForbiddenError();
  const [courses, cohorts, partners] = await Promise.all([allQualificationNames(ctx.db), cohortIdentifiers(ctx.db), deliveryPartnerNames(ctx.db)]);
  return {
    courses: courses.filter((c) => !c.retired),
    cohorts: [...cohorts.entries()].map(([id, identifier]) => ({ id, identifier })).sort((a, b) => a.identifier.localeCompare(b.identifier)),
    allPartners: partners,
  };
}

/**
 * What a list can be filtered by, within the actor's scope: NPQs, cohorts, intakes (of their
 * partners), partners, the groups of the chosen intake, and the facilitators who lead groups of those
 * they see; with engagementNames for showing rows.
 */
export async function engagementChoices(ctx: EngagementContext, actor: Actor, intakeId?: string) {
  const scope = await scopeOf(ctx, actor);
  const partnersOf = engagementScope(actor);
  const [names, intakes, groups, facilitatorIds] = await Promise.all([
    engagementNames(ctx, actor),
    intakesForDelivery(ctx.db, 'all' in partnersOf ? 'all' : partnersOf.partners),
    intakeId
      ? ctx.db
          .selectDistinct({ id: engagementSnapshots.groupId, name: engagementSnapshots.groupName })
          .from(engagementSnapshots)
          .where(and(scope, eq(engagementSnapshots.intakeId, intakeId), isNotNull(engagementSnapshots.groupId)))
      : Promise.resolve([]),
    ctx.db.selectDistinct({ id: engagementSnapshots.facilitatorUserId }).from(engagementSnapshots).where(and(scope, isNotNull(engagementSnapshots.facilitatorUserId))),
  ]);
  const facilitatorNames = await namesOfAccounts(ctx.db, facilitatorIds.map((f) => f.id!));
  return {
    ...names,
    partners: [...names.allPartners.entries()].map(([id, name]) => ({ id, name })).filter((p) => 'all' in partnersOf || partnersOf.partners.includes(p.id)).sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
    intakes,
    groups: groups.flatMap((g) => (g.id && g.name ? [{ id: g.id, name: g.name }] : [])).sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
    facilitators: [...facilitatorNames.entries()].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name, 'en-GB')),
  };
}

/** A cohort's id by its identifier ("2026a"), for the API's address; NotFoundError when there is none. */
export async function cohortIdOf(ctx: EngagementContext, _actor: Actor, identifier: string): Promise<string> {
  const cohort = await cohortByIdentifier(ctx.db, identifier);
  if (!cohort) throw new NotFoundError('cohort');
  return cohort.id;
}
