import type { Actor } from '../../platform/auth/actor';
import { requireApplicant } from '../authorise';
import type { ApplicationAnswers } from '../domain/application-journey';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';
import { type ApplicationRow, draftOf } from './applications.repository';

/**
 * Opens the applicant's draft, starting one if there is none; at most one exists per person (a unique
 * index), so two tabs starting at once end with the same draft. `course` is kept only if we offer it.
 */
export const startDraft =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, course?: string): Promise<ApplicationRow> => {
    const me = requireApplicant(actor);
    const existing = await draftOf(ctx.db, me.userId);
    if (existing) return existing;
    const validCourse = course && (await ctx.courseNamed(course)) ? course : undefined;
    const answers: ApplicationAnswers = { fullName: me.name, ...(validCourse ? { course: validCourse } : {}) };
    const at = ctx.now();
    await ctx.db
      .insert(applications)
      .values({ userId: me.userId, status: 'draft', answers: answers as Record<string, unknown>, fullName: me.name, email: me.email, courseIdentifier: validCourse ?? '', createdAt: at, updatedAt: at })
      .onConflictDoNothing();
    // A new draft shows on the applicant's home page, kept in every process until a change is told (ADR 0037).
    await ctx.changed();
    return (await draftOf(ctx.db, me.userId))!;
  };
