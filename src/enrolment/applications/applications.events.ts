import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { type Email, enqueueEmail } from '../../mail/outbox';
import type { Clock, PlainDate } from '../../platform/clock';
import type { EventHandlers } from '../../platform/events';
import type { JobContext } from '../../platform/jobs';
import { applicationAcceptedEmail } from '../emails/application-accepted';
import { applicationReceivedEmail } from '../emails/application-received';
import { applicationRejectedEmail } from '../emails/application-rejected';
import { gatewayReviewedEmail } from '../emails/gateway-reviewed';
import { transferredInEmail } from '../emails/transferred-in';
import { applications } from '../enrolment.schema';

/** The NPQ an event is about, named as it was when the event happened. */
export interface CourseNamed {
  identifier: string;
  name: string;
  shortName: string;
}

/** The NPQ `identifier` as an event names it: the catalogue's names, or the identifier and "NPQ" for one it no longer lists. */
export function courseNamed(identifier: string, course: { name: string; shortName: string } | undefined): CourseNamed {
  return { identifier, name: course?.name ?? identifier, shortName: course?.shortName ?? 'NPQ' };
}

declare module '../../platform/events' {
  interface DomainEvents {
    /** The applicant sent their application; it waits for the school's approval (and the gateway, when `hasGateway`). */
    'application.submitted': { applicationId: string; course: CourseNamed; hasGateway: boolean };
    /** The provider accepted an application into an intake (or into its cohort when none was named); DfE is told later. */
    'application.accepted': {
      applicationId: string;
      participantId: string;
      course: CourseNamed;
      /** The intake accepted into, as it was then; null when none. */
      intake: { id: string; name: string; startDate: PlainDate } | null;
      onWaitingList: boolean;
      /** DfE funds the place (true), does not (false), or the cohort does not ask (null). */
      fundedPlace: boolean | null;
      /** The same person's pending applications in the cohort, rejected with DfE's reason by this acceptance. */
      otherApplicationsRejected: string[];
    };
    /**
     * DfE moved an accepted place from another provider to this one (docs/dfe-api.md §4.4) and the DfE
     * sync took it in: accepted, placed in `intake` (null: none fitted, the admin places them), active.
     * Nothing is sent to DfE: DfE made the change.
     */
    'application.transferred_in': { applicationId: string; participantId: string; course: CourseNamed; intake: { id: string; name: string; startDate: PlainDate } | null; fundedPlace: boolean | null };
    /** The provider gave an accepted participant a funded place, or took it away; DfE is told later. */
    'application.funded_place_changed': { applicationId: string; fundedPlace: boolean };
    /** The provider rejected a pending application with its reason, told to the applicant. */
    'application.rejected': { applicationId: string; course: CourseNamed; reason: string };
    /** The applicant took back a pending application before the provider decided it. */
    'application.withdrawn': { applicationId: string };
    /** The provider undid a rejection: the application is pending again. */
    'application.reopened': { applicationId: string; reasonForRejection: string | null };
    /**
     * An intake's DfE schedule changed, so every sent application in it now shows `to` as its
     * `schedule_identifier` (the catalogue's change; DfE is told later).
     */
    'application.schedule_changed': { intakeId: string; from: string | null; to: string | null; applicationIds: string[] };
    /** A reviewer recorded the gateway assessment's result and feedback, told to the applicant. */
    'application.gateway_reviewed': { applicationId: string; course: CourseNamed; result: 'passed' | 'failed'; feedback: string };
  }
}

/** Where the emails link to: the platform's address. */
export interface ApplicationEmailSite {
  baseUrl: string;
}

/**
 * What follows a decision on an application, after commit: the applicant's email. Each handler reads
 * the applicant's name and address, then queues the mail in the transaction that marks its job done,
 * so a handler run twice sends once.
 */
export function applicationEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock; site: ApplicationEmailSite }) {
  const { db, clock, site } = deps;
  const applicationUrl = (id: string) => `${site.baseUrl}/applications/${id}`;
  /** Queues the email `write` makes for the applicant of `applicationId`; none when the application is gone. */
  const toApplicant = async (ctx: JobContext, applicationId: string, write: (applicant: { to: string; fullName: string; applicationUrl: string }) => Email) => {
    const [applicant] = await db.select({ to: applications.email, fullName: applications.fullName }).from(applications).where(eq(applications.id, applicationId));
    if (!applicant) return;
    const email = write({ ...applicant, applicationUrl: applicationUrl(applicationId) });
    await ctx.transaction((tx) => enqueueEmail(tx, clock, email));
  };
  events
    .on('application.submitted', 'email', async ({ payload: p }, ctx) => {
      const [app] = await db.select({ lineManagerName: applications.lineManagerName }).from(applications).where(eq(applications.id, p.applicationId));
      await toApplicant(ctx, p.applicationId, (a) => applicationReceivedEmail({ ...a, courseName: p.course.name, courseShortName: p.course.shortName, lineManagerName: app?.lineManagerName ?? null, hasGateway: p.hasGateway }));
    })
    .on('application.accepted', 'email', ({ payload: p }, ctx) =>
      toApplicant(ctx, p.applicationId, (a) =>
        applicationAcceptedEmail({ ...a, courseName: p.course.name, courseShortName: p.course.shortName, intake: p.intake ?? undefined, onWaitingList: p.onWaitingList, fundedPlace: p.fundedPlace }),
      ),
    )
    .on('application.transferred_in', 'email', ({ payload: p }, ctx) => toApplicant(ctx, p.applicationId, (a) => transferredInEmail({ ...a, courseName: p.course.name, courseShortName: p.course.shortName, intake: p.intake ?? undefined })))
    .on('application.rejected', 'email', ({ payload: p }, ctx) =>
      toApplicant(ctx, p.applicationId, (a) => applicationRejectedEmail({ to: a.to, fullName: a.fullName, courseName: p.course.name, courseShortName: p.course.shortName, reason: p.reason })),
    )
    .on('application.gateway_reviewed', 'email', ({ payload: p }, ctx) =>
      toApplicant(ctx, p.applicationId, (a) => gatewayReviewedEmail({ ...a, courseShortName: p.course.shortName, result: p.result, feedback: p.feedback })),
    );
}
