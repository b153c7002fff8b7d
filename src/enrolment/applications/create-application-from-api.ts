import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { ValidationError } from '../../platform/errors';
import { fieldErrors } from '../../platform/forms';
import { requireManager } from '../authorise';
import { type EnrolmentContext, isUniqueViolation } from '../enrolment-context';
import { applications, gatewayAssessments, schoolApprovals } from '../enrolment.schema';
import { participantFor } from '../participants/participant-for';
import { requestApproval } from '../school-approval/request-approval';
import { applicationInputSchema } from './application-input';
import { courseNamed } from './applications.events';
import { type ApplicationRow, accountByEmail, applicationById, liveApplicationOf } from './applications.repository';
import { assessApplication } from './assess-application';

/**
 * The provider enters an application (API or direct-entry form): a pending application, owned by the
 * account with its email address if there is one. The same person, NPQ and cohort again returns the
 * first one (`created: false`). Raises ValidationError keyed by the API's field names.
 */
export const createApplicationFromApi =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, raw: unknown): Promise<{ created: boolean; application: ApplicationRow }> => {
    requireManager(actor);
    const parsed = applicationInputSchema.safeParse(raw);
    if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
    const holder = await accountByEmail(ctx.db, parsed.data.email);
    const { course, cohort, columns, gatewayStatus } = await assessApplication(ctx, parsed.data, { userId: holder?.id, accountEmail: holder?.email });
    const findLive = () => liveApplicationOf(ctx.db, columns.email, course.identifier, cohort.id);
    const existing = await findLive();
    if (existing) return { created: false, application: existing };
    const at = ctx.now();
    try {
      const application = await ctx.write(async (tx) => {
        const participant = await participantFor(tx, { userId: holder?.id ?? null, email: columns.email }, at);
        const [row] = await tx
          .insert(applications)
          .values({
            ...columns,
            userId: holder?.id ?? null,
            participantId: participant.id,
            status: 'pending',
            submittedAt: at,
            createdAt: at,
            updatedAt: at,
          })
          .returning();
        // The school's approval obtained outside this service: recorded as given, no email sent.
        if (parsed.data.school_approved) await tx.insert(schoolApprovals).values({ applicationId: row!.id, status: 'approved', decidedAt: at, comment: 'The school’s approval was recorded by the provider', createdAt: at, updatedAt: at });
        if (gatewayStatus !== 'not_required') await tx.insert(gatewayAssessments).values({ applicationId: row!.id, status: gatewayStatus, createdAt: at, updatedAt: at });
        if (!parsed.data.school_approved) {
          await requestApproval(ctx, tx, row!);
          await recordEvent(tx, ctx.clock, { type: 'school_approval.requested', applicationId: row!.id, course: courseNamed(course.identifier, course) });
        }
        await audit(tx, ctx.clock, actor, { action: 'application.created', entityType: 'application', entityId: row!.id, after: { ...columns, gatewayStatus } });
        return (await applicationById(tx, row!.id))!;
      });
      return { created: true, application };
    } catch (err) {
      if (isUniqueViolation(err)) {
        const again = await findLive();
        if (again) return { created: false, application: again };
      }
      throw err;
    }
  };
