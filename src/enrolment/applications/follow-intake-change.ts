import { and, eq, inArray, ne, notInArray, or } from 'drizzle-orm';
import type { IntakeRow } from '../../catalogue/catalogue.queries';
import type { Executor } from '../../db/client';
import { recordEvent } from '../../platform/events';
import type { EnrolmentContext } from '../enrolment-context';
import { applications, enrolments } from '../enrolment.schema';

/**
 * Inside the catalogue's transaction that changed an intake: when the change alters what DfE's API shows
 * about the intake's applications (their `schedule_identifier` is the intake's schedule), their
 * `updated_at` moves with it, so a client asking `filter[updated_since]` finds them. The intake's
 * applications are those placed in it (their enrolment's intake) and those not yet accepted that chose it.
 * The catalogue calls this through a function it is given (it does not import enrolment). An enrolment
 * keeps its own copy of the intake's delivery partner (copied at acceptance and on a move; a partner
 * lead's scope and the API read it), so a new partner is copied onto the intake's enrolments here too,
 * or the old partner's lead would go on seeing them and the new one's would not. The other related
 * records the API shows move `updated_at` themselves, in their own use cases (enrolment-writes.ts,
 * gateway-writes.ts). The change is recorded as `application.schedule_changed` for DfE. A cohort's
 * funding is not shown on an application (`funded_place` is the enrolment's own). Returns, for the
 * catalogue to run after its commit, the dropping of enrolment's cached pages.
 */
export const followIntakeChange = (ctx: EnrolmentContext) => async (tx: Executor, before: IntakeRow, after: IntakeRow): Promise<(() => Promise<void>) | undefined> => {
  const partnerChanged = before.deliveryPartnerId !== after.deliveryPartnerId;
  const scheduleChanged = before.schedule !== after.schedule;
  if (!scheduleChanged && !partnerChanged) return undefined;
  const at = ctx.now();
  if (partnerChanged) await tx.update(enrolments).set({ deliveryPartnerId: after.deliveryPartnerId, updatedAt: at }).where(eq(enrolments.intakeId, after.id));
  const placed = tx.select({ id: enrolments.applicationId }).from(enrolments).where(eq(enrolments.intakeId, after.id));
  const enrolled = tx.select({ id: enrolments.applicationId }).from(enrolments);
  const moved = await tx
    .update(applications)
    .set({ updatedAt: at })
    .where(and(ne(applications.status, 'draft'), or(inArray(applications.id, placed), and(eq(applications.intakeId, after.id), notInArray(applications.id, enrolled)))))
    .returning({ id: applications.id });
  if (scheduleChanged && moved.length) await recordEvent(tx, ctx.clock, { type: 'application.schedule_changed', intakeId: after.id, from: before.schedule, to: after.schedule, applicationIds: moved.map((a) => a.id) });
  // Cached pages are dropped once the catalogue's transaction has committed: dropped now, a read on
  // another connection before the commit would keep the old schedule as fresh (ADR 0010).
  return ctx.changed;
};
