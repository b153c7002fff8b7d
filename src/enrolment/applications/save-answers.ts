import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/actor';
import { requireApplicant } from '../authorise';
import type { ApplicationAnswers } from '../domain/application-journey';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';

/** Keeps the journey's answers on the applicant's draft as typed, so it can be resumed; nothing when there is no draft. */
export const saveAnswers =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, answers: ApplicationAnswers): Promise<void> => {
    const me = requireApplicant(actor);
    await ctx.db
      .update(applications)
      .set({ answers: answers as Record<string, unknown>, courseIdentifier: answers.course ?? '', fullName: answers.fullName ?? me.name, updatedAt: ctx.now() })
      .where(and(eq(applications.userId, me.userId), eq(applications.status, 'draft')));
    // The draft's NPQ shows on the applicant's home page, kept in every process until a change is told (ADR 0037).
    await ctx.changed();
  };

/** Throws away the applicant's draft. */
export const discardDraft =
  (ctx: EnrolmentContext) =>
  async (actor: Actor): Promise<void> => {
    const me = requireApplicant(actor);
    await ctx.db.delete(applications).where(and(eq(applications.userId, me.userId), eq(applications.status, 'draft')));
    await ctx.changed();
  };
