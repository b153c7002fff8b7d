/** Reads of school approvals, each an application's `school_approvals` row. Queries only. */
import { and, asc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { type ApplicationRow, selectApplications } from '../applications/applications.repository';
import { applications, schoolApprovals } from '../enrolment.schema';

/** The application whose approval link has this token hash (sha256, hex). */
export async function applicationByApprovalTokenHash(db: Executor, tokenHash: string): Promise<ApplicationRow | undefined> {
  const [row] = await selectApplications(db).where(eq(schoolApprovals.tokenHash, tokenHash));
  return row;
}

/**
 * Live applications waiting for this line manager's answer, matched by the address the link was sent
 * to (any case), oldest request first, at most 50.
 */
export function approvalsAwaitingAddress(db: Executor, email: string): Promise<ApplicationRow[]> {
  return selectApplications(db)
    .where(and(eq(schoolApprovals.requestedOf, email.toLowerCase()), eq(schoolApprovals.status, 'pending'), eq(applications.status, 'pending')))
    .orderBy(asc(schoolApprovals.requestedAt))
    .limit(50);
}

/** Every live application whose school approval is still open: the reminder sweep's work. */
export function openApprovals(db: Executor): Promise<ApplicationRow[]> {
  return selectApplications(db).where(and(eq(applications.status, 'pending'), eq(schoolApprovals.status, 'pending')));
}
