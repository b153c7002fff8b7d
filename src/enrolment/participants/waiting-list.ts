import { intakeById } from '../../catalogue/catalogue.queries';
import type { Executor } from '../../db/client';
import { longestWaitingIn, placedIn } from '../applications/applications.repository';
import type { EnrolmentContext } from '../enrolment-context';
import { updateEnrolment } from './enrolment-writes';

/**
 * Inside `tx`: when a place in an intake frees up, the longest-waiting person on its list takes it.
 * Returns who did and the intake as it was, for the caller's event (whose handler tells them); null when
 * nobody did. The caller holds the lock of the intake's cohort (applicationForDecision), so two places
 * freed at once are counted and given one after the other, to two different people.
 */
export async function promoteFromWaitingList(ctx: EnrolmentContext, tx: Executor, intakeId: string): Promise<{ applicationId: string; intake: { id: string; name: string; startDate: string } } | null> {
  const intake = await intakeById(tx, intakeId);
  if (!intake || intake.capacity === null) return null;
  if ((await placedIn(tx, intakeId)) >= intake.capacity) return null;
  const next = await longestWaitingIn(tx, intakeId);
  if (!next) return null;
  await updateEnrolment(tx, next.id, { onWaitingList: false }, ctx.now());
  return { applicationId: next.id, intake: { id: intake.id, name: intake.name, startDate: intake.startDate } };
}
