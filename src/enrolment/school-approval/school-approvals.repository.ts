/** Reads of school approvals (still columns of `applications`). Queries only. */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { type ApplicationRow, selectApplications } from '../applications/applications.repository';
import { applications } from '../enrolment.schema';

/** The application whose approval link has this token hash (sha256, hex). */
export async function applicationByApprovalTokenHash(db: Executor, tokenHash: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db).where(eq(applications.approvalTokenHash, tokenHash));
  return row;
}

/**
 * Live applications waiting for this line manager's answer, matched by email address (any case),
 * oldest request first, at most 50.
 */
export function approvalsAwaitingAddress(db: Executor, email: string): Promise<ApplicationRow[]> {
  return selectApplications(db)
    .where(and(sql`lower(${applications.lineManagerEmail}) = ${email.toLowerCase()}`, eq(applications.approvalStatus, 'pending'), eq(applications.status, 'pending')))
    .orderBy(asc(applications.approvalRequestedAt))
    .limit(50);
}

/** Every live application whose school approval is still open: the reminder sweep's work. */
export function openApprovals(db: Executor): Promise<ApplicationRow[]> {
  return selectApplications(db).where(and(eq(applications.status, 'pending'), eq(applications.approvalStatus, 'pending')));
}
