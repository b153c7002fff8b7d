import { guardOf } from '../../platform/workflow';
import { and, eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { APPLICATION_WORKFLOW, allows } from '../domain/application';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';
import { type ApplicationRow, applicationById } from './applications.repository';
import { findMyApplication } from './my-applications';

/**
 * The applicant takes back an application they sent by mistake, before the provider decides it: it
 * becomes `withdrawn` (not a rejection), and every form on it closes. Withdrawing again changes nothing.
 * Raises 422 `application_already_accepted` or `application_decided` (ADR 0021).
 */
export const withdrawApplication =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string): Promise<ApplicationRow> => {
    const app = await findMyApplication(ctx)(actor, id);
    if (app.status === 'withdrawn') return app;
    if (!allows('withdraw', app.status))
      throw ctx.refuse(
        app.status === 'accepted' ? 'application_already_accepted' : 'application_decided',
        app.status === 'accepted' ? 'Your application is accepted: ask us to withdraw you from the course instead' : 'Your application has been decided: there is nothing to withdraw',
      );
    return ctx.write(async (tx) => {
      const [row] = await tx
        .update(applications)
        .set({ status: 'withdrawn', decidedAt: ctx.now(), updatedAt: ctx.now() })
        .where(and(eq(applications.id, app.id), guardOf(APPLICATION_WORKFLOW, 'withdraw', applications.status)))
        .returning({ id: applications.id });
      if (!row) {
        // Lost a race: a double click already withdrew it, which answers as withdrawing again does.
        const now = (await applicationById(tx, app.id))!;
        if (now.status === 'withdrawn') return now;
        throw ctx.refuse('application_decided', 'Your application has just been decided: refresh the page');
      }
      await recordEvent(tx, ctx.clock, { type: 'application.withdrawn', applicationId: app.id });
      await audit(tx, ctx.clock, actor, { action: 'application.withdrawn_by_applicant', entityType: 'application', entityId: app.id, before: { status: app.status }, after: { status: 'withdrawn' } });
      return (await applicationById(tx, app.id))!;
    });
  };
