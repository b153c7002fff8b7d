import './domain/enrolment.permissions';
import { and, asc, count, desc, eq, ilike, isNotNull, isNull, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit/audit';
import type { PublicCatalogue } from '../catalogue/catalogue.queries';
import type { Db } from '../db/client';
import { expressionsOfInterest } from './enrolment.schema';
import type { Actor } from '../platform/auth/actor';
import { can } from '../platform/auth/permissions';
import { type Clock, formatDate, ukDate } from '../platform/clock';
import { recordEvent } from '../platform/events';
import { ForbiddenError, ValidationError } from '../platform/errors';
import { fieldErrors } from '../platform/forms';
import { whenMissing } from '../platform/zod-messages';
import { openForApplications } from './domain/application';

const courseNamed = (c: { identifier: string; name: string; shortName: string }) => ({ identifier: c.identifier, name: c.name, shortName: c.shortName });

/** The start a person may choose when no intake suits them yet. */
export const NOT_SURE = 'Not sure yet';

export const interestInputSchema = z.object({
  name: z.string({ error: whenMissing('Enter your full name') }).trim().min(1, 'Enter your full name').max(200, 'Name must be 200 characters or fewer'),
  email: z.string({ error: whenMissing('Enter your email address') }).trim().toLowerCase().email('Enter an email address in the correct format, like name@school.org.uk').max(254),
  courseIdentifier: z.string({ error: whenMissing('Select the NPQ you are interested in') }).trim().min(1, 'Select the NPQ you are interested in'),
  startPreference: z.string({ error: whenMissing('Select when you would like to start') }).trim().min(1, 'Select when you would like to start').max(100),
  role: z.string().trim().max(200, 'Role must be 200 characters or fewer').default(''),
  schoolName: z.string().trim().max(200, 'School name must be 200 characters or fewer').default(''),
  consent: z.literal('yes', { error: 'Confirm that we may email you about this NPQ' }),
});
export type InterestInput = z.infer<typeof interestInputSchema>;

export interface InterestFilter {
  course?: string | undefined;
  invited?: 'yes' | 'no' | undefined;
  query?: string | undefined;
}

/** Where a walk through the interest list (newest first, then id) has got to: the last one read. */
export type InterestListKey = { createdAt: string; id: string };

/** Expressions of interest: registering, listing and inviting; their emails follow from events (interest.events.ts). */
export function createInterestService(deps: { db: Db; clock: Clock; catalogue: PublicCatalogue }) {
  const { db, clock, catalogue } = deps;
  const authorise = (actor: Actor) => {
    if (!can(actor, 'applications:manage')) throw new ForbiddenError();
  };
  const whereOf = (f: InterestFilter): SQL | undefined => {
    const where: SQL[] = [];
    if (f.course) where.push(eq(expressionsOfInterest.courseIdentifier, f.course));
    if (f.invited === 'yes') where.push(isNotNull(expressionsOfInterest.invitedAt));
    if (f.invited === 'no') where.push(isNull(expressionsOfInterest.invitedAt));
    if (f.query) {
      const q = `%${f.query.replace(/[%_\\]/g, '\\$&')}%`;
      where.push(or(ilike(expressionsOfInterest.name, q), ilike(expressionsOfInterest.email, q))!);
    }
    return where.length ? and(...where) : undefined;
  };

  /**
   * What a person interested in one NPQ may choose: that NPQ's coming intakes (never another NPQ's),
   * and whether applications are open now, with the intakes that take them.
   */
  async function startsFor(courseIdentifier: string | undefined) {
    const course = (await catalogue.list()).find((q) => q.identifier === courseIdentifier);
    if (!course) return undefined;
    const today = ukDate(clock.now());
    const open = course.intakes.filter((i) => openForApplications(i, today));
    return { course, choices: [...new Set(course.intakes.map((i) => `${i.name} (starts ${formatDate(i.startDate)})`)), NOT_SURE], open };
  }

  return {
    startsFor,

    /**
     * Anyone may register interest; asking again for the same NPQ updates, never duplicates. The answer
     * is the same whether or not the address had registered before (nothing about another person's
     * records is told to an anonymous visitor); only the email to that address says which.
     */
    async register(raw: unknown): Promise<{ applicationsOpen: boolean }> {
      const parsed = interestInputSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
      const input = parsed.data;
      const starts = await startsFor(input.courseIdentifier);
      if (!starts) throw new ValidationError({ courseIdentifier: 'Select the NPQ you are interested in' });
      const { course } = starts;
      if (!starts.choices.includes(input.startPreference)) throw new ValidationError({ startPreference: `Select one of the ${course.shortName}’s start dates, or “${NOT_SURE}”` });
      const firstOpen = starts.open[0];
      const now = clock.now();
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(expressionsOfInterest)
          .values({ name: input.name, email: input.email, courseIdentifier: input.courseIdentifier, startPreference: input.startPreference, role: input.role, schoolName: input.schoolName, createdAt: now, updatedAt: now })
          .onConflictDoUpdate({
            target: [expressionsOfInterest.email, expressionsOfInterest.courseIdentifier],
            set: { name: input.name, startPreference: input.startPreference, role: input.role, schoolName: input.schoolName, updatedAt: now },
          })
          // xmax is 0 only on a row this statement inserted: anything else was an update.
          .returning({ id: expressionsOfInterest.id, inserted: sql<boolean>`(xmax = 0)` });
        // The confirmation email follows from the event (interest.events.ts), after commit.
        await recordEvent(tx, clock, {
          type: 'interest.registered',
          interestId: row!.id,
          course: courseNamed(course),
          startPreference: input.startPreference,
          updated: !row!.inserted,
          applyBy: firstOpen?.applicationDeadline ?? null,
        });
        return { applicationsOpen: Boolean(firstOpen) };
      });
    },

    async list(actor: Actor, filter: InterestFilter, page: number, perPage = 50) {
      authorise(actor);
      const where = whereOf(filter);
      const [rows, [total]] = await Promise.all([
        db.select().from(expressionsOfInterest).where(where).orderBy(desc(expressionsOfInterest.createdAt), asc(expressionsOfInterest.id)).limit(perPage).offset((page - 1) * perPage),
        db.select({ n: count() }).from(expressionsOfInterest).where(where),
      ]);
      return { rows, total: total?.n ?? 0 };
    },

    /**
     * Up to `perPage` expressions of interest matching `filter` after `after` in `list`'s order (newest
     * first, then id), from the first when `after` is undefined, and the key to go on from (undefined
     * once a page comes back short). By key, not offset, so the export walked page by page lists each
     * person once while others register (docs/adr/0044). `createdAt` in the key is PostgreSQL's own
     * text, to the microsecond a JavaScript Date would round away.
     */
    async listAfter(actor: Actor, filter: InterestFilter, after: InterestListKey | undefined, perPage: number) {
      authorise(actor);
      const where = whereOf(filter);
      const t = expressionsOfInterest;
      const rows = await db
        .select({ row: t, key: sql<string>`${t.createdAt}::text` })
        .from(t)
        .where(after ? and(where, sql`(${t.createdAt} < ${after.createdAt}::timestamptz or (${t.createdAt} = ${after.createdAt}::timestamptz and ${t.id} > ${after.id}::uuid))`) : where)
        .orderBy(desc(t.createdAt), asc(t.id))
        .limit(perPage);
      const last = rows.at(-1);
      return { rows: rows.map((r) => r.row), next: rows.length === perPage && last ? { createdAt: last.key, id: last.row.id } : undefined };
    },

    /** Emails everyone interested in an NPQ who has not been invited yet; each person once. */
    async inviteToApply(actor: Actor, courseIdentifier: string): Promise<number> {
      authorise(actor);
      const course = (await catalogue.list()).find((q) => q.identifier === courseIdentifier);
      if (!course) throw new ValidationError({ course: 'Select the NPQ whose applicants to invite' });
      if (!course.intakes.length) throw new ValidationError({ course: `The ${course.shortName} has no intake open for applications: add one first` });
      const next = course.intakes[0]!;
      return db.transaction(async (tx) => {
        const invited = await tx
          .update(expressionsOfInterest)
          .set({ invitedAt: clock.now() })
          .where(and(eq(expressionsOfInterest.courseIdentifier, courseIdentifier), isNull(expressionsOfInterest.invitedAt)))
          .returning({ id: expressionsOfInterest.id });
        if (invited.length) {
          await recordEvent(tx, clock, {
            type: 'interest.invited_to_apply',
            course: courseNamed(course),
            intake: { name: next.name, startDate: next.startDate, applicationDeadline: next.applicationDeadline },
            interestIds: invited.map((p) => p.id),
          });
        }
        await audit(tx, clock, actor, { action: 'interest.invited_to_apply', entityType: 'qualification', entityId: courseIdentifier, after: { invited: invited.length } });
        return invited.length;
      });
    },
  };
}
export type InterestService = ReturnType<typeof createInterestService>;
