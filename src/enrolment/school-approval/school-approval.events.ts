import type { Db } from '../../db/client';
import { enqueueEmail } from '../../mail/outbox';
import type { Clock } from '../../platform/clock';
import type { SecretBox } from '../../platform/crypto';
import type { EventHandlers } from '../../platform/events';
import type { JobContext } from '../../platform/jobs';
import { applicationById } from '../applications/applications.repository';
import type { CourseNamed } from '../applications/applications.events';
import { approvalExpiredEmail } from '../emails/approval-expired';
import { approvalRequestEmail } from '../emails/approval-request';
import { schoolDecidedEmail } from '../emails/school-decided';

declare module '../../platform/events' {
  interface DomainEvents {
    /**
     * The line manager was asked (again) to approve, with a fresh link: a new line manager named, or a
     * link expired or declined, or an application made through the API without the school's approval.
     * The link's token is not here: the approval keeps it sealed, and the handler opens it.
     */
    'school_approval.requested': { applicationId: string; course: CourseNamed };
    /** The sweep reminded the line manager, with the same link; `remindersSent` counts this one. */
    'school_approval.reminded': { applicationId: string; course: CourseNamed; remindersSent: number };
    /** The link ran out unanswered; the applicant is told they may ask again. */
    'school_approval.expired': { applicationId: string; course: CourseNamed };
    /** The line manager approved or declined through the link; the applicant is told. */
    'school_approval.decided': { applicationId: string; course: CourseNamed; decision: 'approved' | 'declined'; approverName: string; comment: string };
  }
}

/** Where the emails link to, and who they are from. */
export interface SchoolApprovalEmailSite {
  baseUrl: string;
  providerName: string;
}

/**
 * What follows a school approval's change, after commit: the line manager's request (when an
 * application is sent, or asked again), reminders, and the applicant's news. Each handler reads the
 * application as it is now: a request or reminder whose approval has since been answered, expired or
 * replaced by another link is not sent (the newer link is). The link's token is opened from the
 * approval's sealed copy, never carried in the event. The email is queued in the transaction that
 * marks the job done, so a handler run twice sends once.
 */
export function schoolApprovalEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock; secrets: SecretBox; site: SchoolApprovalEmailSite }) {
  const { db, clock, secrets, site } = deps;
  const applicationUrl = (id: string) => `${site.baseUrl}/applications/${id}`;
  /** Queues the line manager's request for the application's open approval; none once it is not open. */
  const askLineManager = async (ctx: JobContext, applicationId: string, course: CourseNamed, reminder: boolean) => {
    const app = await applicationById(db, applicationId);
    if (app?.approvalStatus !== 'pending' || !app.approvalTokenSealed || !app.approvalExpiresAt) return;
    const email = approvalRequestEmail({
      to: app.lineManagerEmail ?? '',
      lineManagerName: app.lineManagerName ?? '',
      applicantName: app.fullName,
      providerName: site.providerName,
      courseName: course.name,
      approvalUrl: `${site.baseUrl}/school-approval/${secrets.open(app.approvalTokenSealed)}`,
      expires: app.approvalExpiresAt,
      reminder,
    });
    await ctx.transaction((tx) => enqueueEmail(tx, clock, email));
  };
  events
    .on('application.submitted', 'school-approval-request', ({ payload: p }, ctx) => askLineManager(ctx, p.applicationId, p.course, false))
    .on('school_approval.requested', 'email', ({ payload: p }, ctx) => askLineManager(ctx, p.applicationId, p.course, false))
    .on('school_approval.reminded', 'email', ({ payload: p }, ctx) => askLineManager(ctx, p.applicationId, p.course, true))
    .on('school_approval.expired', 'email', async ({ payload: p }, ctx) => {
      const app = await applicationById(db, p.applicationId);
      if (!app) return;
      const email = approvalExpiredEmail({ to: app.email, fullName: app.fullName, lineManagerName: app.lineManagerName, courseName: p.course.name, applicationUrl: applicationUrl(app.id) });
      await ctx.transaction((tx) => enqueueEmail(tx, clock, email));
    })
    .on('school_approval.decided', 'email', async ({ payload: p }, ctx) => {
      const app = await applicationById(db, p.applicationId);
      if (!app) return;
      const email = schoolDecidedEmail({ to: app.email, fullName: app.fullName, approverName: p.approverName, courseName: p.course.name, decision: p.decision, comment: p.comment, applicationUrl: applicationUrl(app.id) });
      await ctx.transaction((tx) => enqueueEmail(tx, clock, email));
    });
}
