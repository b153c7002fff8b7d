import { and, eq, ne } from 'drizzle-orm';
import type { IntakeRow } from '../../catalogue/catalogue.queries';
import type { Executor } from '../../db/client';
import { recordEvent } from '../../platform/events';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';

/**
 * Inside the catalogue's transaction that changed an intake: when the change alters what DfE's API shows
 * about the intake's applications (their `schedule_identifier` is the intake's schedule), their
 * `updated_at` moves with it, so a client asking `filter[updated_since]` finds them. The catalogue
 * calls this through a function it is given (it does not import enrolment). An application keeps its own
 * copy of the intake's delivery partner (copied at acceptance and on a move; a partner lead's scope and the
 * API read it), so a new partner is copied onto the intake's applications here too, or the old partner's
 * lead would go on seeing them and the new one's would not. The other
 * related records the API shows move `updated_at` themselves, in their own use cases: the school's
 * approval and training status are columns of the application, the gateway's writes touch it
 * (gateway-writes.ts). The change is recorded as `application.schedule_changed` for DfE. A cohort's funding is not shown on an application (`funded_place` is its own).
 */
export const followIntakeChange = (ctx: EnrolmentContext) => async (tx: Executor, before: IntakeRow, after: IntakeRow) => {
  const partnerChanged = before.deliveryPartnerId !== after.deliveryPartnerId;
  const scheduleChanged = before.schedule !== after.schedule;
  if (!scheduleChanged && !partnerChanged) return;
  const moved = await tx
    .update(applications)
    .set(partnerChanged ? { deliveryPartnerId: after.deliveryPartnerId, updatedAt: ctx.now() } : { updatedAt: ctx.now() })
    .where(and(eq(applications.intakeId, after.id), ne(applications.status, 'draft')))
    .returning({ id: applications.id });
  if (scheduleChanged && moved.length) await recordEvent(tx, ctx.clock, { type: 'application.schedule_changed', intakeId: after.id, from: before.schedule, to: after.schedule, applicationIds: moved.map((a) => a.id) });
  ctx.changed();
};
