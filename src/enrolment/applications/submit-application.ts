import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { fieldErrors } from '../../platform/forms';
import { requireApplicant } from '../authorise';
import { APPLICATION_WORKFLOW } from '../domain/workflows';
import { type ApplicationAnswers, firstUnansweredApplicationStep } from '../domain/application-journey';
import { type EnrolmentContext, isUniqueViolation } from '../enrolment-context';
import { applications, gatewayAssessments } from '../enrolment.schema';
import { participantFor } from '../participants/participant-for';
import { requestApproval } from '../school-approval/request-approval';
import { courseNamed } from './applications.events';
import { applicationInputSchema, inputFromAnswers } from './application-input';
import { type ApplicationRow, applicationById, draftOf, latestSentOf } from './applications.repository';
import { assessApplication } from './assess-application';
import { intakeModeFor } from './check-draft-funding';

/**
 * Sends the draft: checks every answer again, records the funding result, asks the line manager to
 * approve. A second submit finds the draft gone and returns the application the first one made.
 * Raises ValidationError for unanswered questions, missing consent, or a second application for the
 * same NPQ in the cohort.
 */
export const submitApplication =
  (ctx: EnrolmentContext) =>
  async (actor: Actor): Promise<ApplicationRow> => {
    const me = requireApplicant(actor);
    const draft = await draftOf(ctx.db, me.userId);
    if (!draft) {
      const latest = await latestSentOf(ctx.db, me.userId);
      if (latest) return latest;
      throw new NotFoundError('application');
    }
    const answers = draft.answers as ApplicationAnswers;
    if (firstUnansweredApplicationStep(answers, await intakeModeFor(ctx)(answers)) !== 'check') throw new ValidationError({ answers: 'Answer every question before you send your application' });
    if (!answers.consent) throw new ValidationError({ consent: 'Confirm that we may share your details with DfE' });
    const parsed = applicationInputSchema.safeParse(inputFromAnswers(answers, me));
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
    const { course, columns, gatewayStatus } = await assessApplication(ctx, parsed.data, { userId: me.userId, accountEmail: me.email, exceptApplicationId: draft.id });
    const at = ctx.now();
    try {
      return await ctx.write(async (tx) => {
        const participant = await participantFor(tx, { userId: me.userId, email: me.email }, at);
        const [row] = await tx
          .update(applications)
          .set({ ...columns, participantId: participant.id, status: 'pending', consentedAt: at, submittedAt: at, updatedAt: at })
          .where(and(eq(applications.id, draft.id), guardOf(APPLICATION_WORKFLOW, 'submit', applications.status)))
          .returning();
        if (!row) return (await applicationById(tx, draft.id))!;
        if (gatewayStatus !== 'not_required') await tx.insert(gatewayAssessments).values({ applicationId: row.id, status: gatewayStatus, createdAt: at, updatedAt: at });
        await requestApproval(ctx, tx, row);
        // Its handlers send the applicant's receipt and the line manager's request.
        await recordEvent(tx, ctx.clock, { type: 'application.submitted', applicationId: row.id, course: courseNamed(course.identifier, course), hasGateway: gatewayStatus === 'awaiting_submission' });
        await audit(tx, ctx.clock, actor, { action: 'application.submitted', entityType: 'application', entityId: row.id, after: { ...columns, gatewayStatus } });
        return (await applicationById(tx, row.id))!;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ValidationError({ course: `You have already applied for the ${course.shortName} in this cohort` });
      throw err;
    }
  };
