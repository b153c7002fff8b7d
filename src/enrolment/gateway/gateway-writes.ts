import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { guardOf } from '../../platform/workflow';
import { APPLICATION_WORKFLOW } from '../domain/workflows';
import { applications, gatewayAssessments } from '../enrolment.schema';

/**
 * The condition, on a gateway_assessments update, that its application still allows `event`
 * (APPLICATION_WORKFLOW): a withdrawal or decision racing the gateway wins, and the update does nothing.
 * The application's row is locked (FOR UPDATE): without it PostgreSQL reads the status before a
 * withdrawal still being written commits, and the gateway's write lands on a withdrawn application.
 */
export function whileApplication(tx: Executor, applicationId: string, event: 'answerGateway' | 'reviewGateway'): SQL {
  return inArray(
    gatewayAssessments.applicationId,
    tx
      .select({ id: applications.id })
      .from(applications)
      .where(and(eq(applications.id, applicationId), guardOf(APPLICATION_WORKFLOW, event, applications.status)))
      .for('update'),
  );
}

/** Inside `tx`: the application's `updated_at` moves with its gateway, which DfE's API shows on it. */
export async function touchApplication(tx: Executor, applicationId: string, at: Date): Promise<void> {
  await tx.update(applications).set({ updatedAt: at }).where(eq(applications.id, applicationId));
}
