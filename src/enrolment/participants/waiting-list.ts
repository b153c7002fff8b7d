import { eq } from 'drizzle-orm';
import { intakeById } from '../../catalogue/catalogue.queries';
import type { Executor } from '../../db/client';
import { enqueueEmail } from '../../mail/outbox';
import { longestWaitingIn, placedIn } from '../applications/applications.repository';
import { placeFromWaitingListEmail } from '../emails/place-from-waiting-list';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';

/**
 * Inside `tx`: when a place in an intake frees up, the longest-waiting person on its list takes it and is told.
 * The caller holds the lock of the intake's cohort (applicationForDecision), so two places freed at once are
 * counted and given one after the other, to two different people.
 */
export async function promoteFromWaitingList(ctx: EnrolmentContext, tx: Executor, intakeId: string): Promise<void> {
  const intake = await intakeById(tx, intakeId);
  if (!intake || intake.capacity === null) return;
  if ((await placedIn(tx, intakeId)) >= intake.capacity) return;
  const next = await longestWaitingIn(tx, intakeId);
  if (!next) return;
  await tx.update(applications).set({ onWaitingList: false, updatedAt: ctx.now() }).where(eq(applications.id, next.id));
  await enqueueEmail(tx, ctx.clock, placeFromWaitingListEmail({ to: next.email, fullName: next.fullName, intake }));
}
