import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ValidationError } from '../../platform/errors';
import { type ApplicationRow, applicationById } from '../applications/applications.repository';
import { findMyApplication } from '../applications/my-applications';
import { allows, GATEWAY_WORKFLOW } from '../domain/application';
import { TEXT_LIMITS, tooLong } from '../domain/text-limits';
import type { EnrolmentContext } from '../enrolment-context';
import { gatewayAssessments } from '../enrolment.schema';
import { touchApplication, whileApplication } from './gateway-writes';

/**
 * Saves the applicant's gateway answers; with `submit`, checks them (each answered, within its word
 * limit) and sends them for review. Answers are kept even when some are wrong. Refused (422
 * `gateway_not_open`) once sent, decided or withdrawn.
 */
export const saveGatewayAnswers =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, answers: Record<string, string>, submit: boolean): Promise<ApplicationRow> => {
    const app = await findMyApplication(ctx)(actor, id);
    if (!allows('answerGateway', app.status)) throw ctx.refuse('gateway_not_open', app.status === 'withdrawn' ? 'You withdrew this application: its gateway assessment is closed' : 'This application has been decided: its gateway assessment is closed');
    if (app.gatewayStatus !== 'awaiting_submission') throw ctx.refuse('gateway_not_open', 'Your gateway answers have already been sent');
    const config = await ctx.gatewayConfig(app.courseIdentifier);
    if (!config) throw ctx.refuse('gateway_not_open', 'This NPQ has no gateway assessment');
    const kept: Record<string, string> = {};
    const errors: Record<string, string> = {};
    for (const q of config.questions) {
      const text = (answers[q.id] ?? '').trim();
      kept[q.id] = text.slice(0, TEXT_LIMITS.gatewayAnswer);
      const words = text ? text.split(/\s+/).length : 0;
      if (text.length > TEXT_LIMITS.gatewayAnswer) errors[q.id] = tooLong('Your answer', TEXT_LIMITS.gatewayAnswer);
      else if (words > q.wordLimit) errors[q.id] = `Your answer is ${words} words: the limit is ${q.wordLimit}`;
      else if (submit && !text) errors[q.id] = `Answer “${q.prompt}”`;
    }
    // Answers are kept even when some are wrong: nothing typed is lost.
    await ctx.write(async (tx) => {
      const saved = await tx
        .update(gatewayAssessments)
        .set({ answers: kept, updatedAt: ctx.now() })
        .where(and(eq(gatewayAssessments.applicationId, app.id), guardOf(GATEWAY_WORKFLOW, 'saveAnswers', gatewayAssessments.status)))
        .returning({ id: gatewayAssessments.applicationId });
      if (saved.length) await touchApplication(tx, app.id, ctx.now());
    });
    if (Object.keys(errors).length) throw new ValidationError(errors);
    if (!submit) return { ...app, gatewayAnswers: kept };
    return ctx.write(async (tx) => {
      const [row] = await tx
        .update(gatewayAssessments)
        .set({ status: 'submitted', submittedAt: ctx.now(), updatedAt: ctx.now() })
        .where(and(eq(gatewayAssessments.applicationId, app.id), guardOf(GATEWAY_WORKFLOW, 'submit', gatewayAssessments.status), whileApplication(tx, app.id, 'answerGateway')))
        .returning({ id: gatewayAssessments.applicationId });
      if (row) await touchApplication(tx, app.id, ctx.now());
      await audit(tx, ctx.clock, actor, { action: 'gateway.submitted', entityType: 'application', entityId: app.id });
      return (await applicationById(tx, app.id)) ?? app;
    });
  };
