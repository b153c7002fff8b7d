import { and, eq, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { touchApplication } from '../gateway/gateway-writes';
import { enrolments } from '../enrolment.schema';

type EnrolmentValues = typeof enrolments.$inferInsert;

/**
 * Inside `tx`: the enrolment an acceptance makes (ADR 0036), one per application (the unique index
 * `enrolments_application_key`). Returns its id, which each line of the status history names.
 */
export async function createEnrolment(tx: Executor, values: Omit<EnrolmentValues, 'id' | 'createdAt' | 'updatedAt'>, at: Date): Promise<string> {
  const [row] = await tx
    .insert(enrolments)
    .values({ ...values, createdAt: at, updatedAt: at })
    .returning({ id: enrolments.id });
  return row!.id;
}

/**
 * Inside `tx`: changes the enrolment of an application, when `guard` (a condition on `enrolments`, e.g.
 * TRAINING_WORKFLOW's guardOf) still holds, and moves the application's `updated_at` with it: DfE's API
 * shows the enrolment's fields on the application (issue 9 item 9). Returns whether a row changed.
 */
export async function updateEnrolment(tx: Executor, applicationId: string, set: Partial<Omit<EnrolmentValues, 'id' | 'applicationId' | 'participantId' | 'createdAt'>>, at: Date, guard?: SQL): Promise<boolean> {
  const changed = await tx
    .update(enrolments)
    .set({ ...set, updatedAt: at })
    .where(and(eq(enrolments.applicationId, applicationId), guard))
    .returning({ id: enrolments.id });
  if (changed.length) await touchApplication(tx, applicationId, at);
  return changed.length > 0;
}
