/** Reads of the gateway assessment: the configuration per NPQ and the reviewers' queue. Queries only. */
import { and, asc, count, eq, ne } from 'drizzle-orm';
import { guardOf } from '../../platform/workflow';
import type { Executor } from '../../db/client';
import { APPLICATION_WORKFLOW } from '../domain/application';
import { selectApplications } from '../applications/applications.repository';
import { applications, gatewayAssessments, gatewayConfigs } from '../enrolment.schema';

export type GatewayConfig = typeof gatewayConfigs.$inferSelect;

/** The gateway configuration of an NPQ (course identifier); undefined when the NPQ has none. */
export async function gatewayConfigOf(db: Executor, course: string): Promise<GatewayConfig | undefined> {
  const [row] = await db.select().from(gatewayConfigs).where(eq(gatewayConfigs.courseIdentifier, course));
  return row;
}

/** Every NPQ's gateway configuration, by course identifier. */
export function allGatewayConfigs(db: Executor): Promise<GatewayConfig[]> {
  return db.select().from(gatewayConfigs).orderBy(asc(gatewayConfigs.courseIdentifier));
}

/**
 * A page (from 1) of applications whose gateway is in `status`, the earliest sent first, and how many
 * there are. Only live applications wait for review: a withdrawn or decided one has nothing left to review.
 */
export async function gatewayQueuePage(db: Executor, status: 'submitted' | 'passed' | 'failed', page: number, perPage: number) {
  const where = and(eq(gatewayAssessments.status, status), status === 'submitted' ? guardOf(APPLICATION_WORKFLOW, 'reviewGateway', applications.status) : ne(applications.status, 'draft'));
  const [rows, [total]] = await Promise.all([
    selectApplications(db).where(where).orderBy(asc(gatewayAssessments.submittedAt)).limit(perPage).offset((page - 1) * perPage),
    db.select({ n: count() }).from(gatewayAssessments).innerJoin(applications, eq(applications.id, gatewayAssessments.applicationId)).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}
