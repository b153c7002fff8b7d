/** Reads of school approvals, each an application's `school_approvals` row. Queries only. */
import { and, asc, eq, gt } from 'drizzle-orm';
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

/**
 * Live applications whose school approval is still open, `limit` at a time in id order after `afterId`:
 * the reminder sweep's work, read in pages so that a provider's 20,000 open approvals are never all in
 * memory at once (read whole, a process's RSS after start was 220–226 MB against 182–186 MB
 * paged, and V8 kept the heap it grew: docs/adr/0037).
 */
export function openApprovals(db: Executor, afterId: string | undefined, limit: number): Promise<ApplicationRow[]> {
  return selectApplications(db)
    .where(and(eq(applications.status, 'pending'), eq(schoolApprovals.status, 'pending'), afterId ? gt(applications.id, afterId) : undefined))
    .orderBy(asc(applications.id))
    .limit(limit);
}
