import { guardOf } from '../../platform/workflow';
import { and, eq, ne } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { intakeById } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { recordEvent } from '../../platform/events';
import { courseNamed } from './applications.events';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { requireManager } from '../authorise';
import { schedulesFor } from '../../catalogue/domain/schedules';
import { APPLICATION_WORKFLOW, type ApplicationStatus, type ApprovalStatus, decideAcceptance, decideSchedule, type GatewayStatus } from '../domain/application';
import { createEnrolment } from '../participants/enrolment-writes';
import { participantFor, recordStatusChange } from '../participants/participant-for';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';
import { applicationById, type DecidedApplication, applicationForDecision, fundedPlacesTaken, otherAcceptedInCohort, placedIn, samePersonAs } from './applications.repository';

/**
 * Accepts into an intake, making the application's enrolment (ADR 0036) in the same transaction. The cohort row is locked for the decision (before the application's: applicationForDecision) so two acceptances at once cannot
 * both take the last funded place or the last seat. Accepting again with the same terms changes nothing.
 * Pending applications of the same person in the cohort are rejected with DfE's reason, and one is
 * refused (422 `other_application_accepted`) while another of the person's in the cohort is accepted. A
 * `scheduleIdentifier` (DfE's, optional) must fit the course and the intake (decideSchedule), even
 * when accepting again; the same acceptance again answers `unchanged`. Refusals are 422 with decideSchedule's and decideAcceptance's stable codes.
 */
export const acceptApplication =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, input: { fundedPlace?: boolean | undefined; intakeId?: string | undefined; scheduleIdentifier?: string | null | undefined }): Promise<DecidedApplication> => {
    requireManager(actor);
    // Read before the transaction: see courseOfApplication.
    const course = await ctx.courseOfApplication(id);
    return ctx.write(async (tx) => {
      const locked = await applicationForDecision(tx, id);
      if (!locked || locked.app.status === 'draft') throw new NotFoundError('application');
      const { app, cohort } = locked;
      if (!cohort) throw ctx.refuse('no_cohort', 'The application has no cohort');
      // The same acceptance again (funded_place only counts in a capped cohort) returns what was done,
      // once any schedule named is checked: a wrong one is refused however often it is sent.
      const sameFunding = input.fundedPlace === undefined || cohort.funding !== 'capped' || input.fundedPlace === app.fundedPlace;
      const again = app.status === 'accepted' && sameFunding && (!input.intakeId || input.intakeId === app.intakeId);
      if (again && input.scheduleIdentifier == null) return { ...app, unchanged: true };
      const intakeId = input.intakeId ?? app.intakeId;
      const intake = intakeId ? await intakeById(tx, intakeId) : undefined;
      if (intakeId && !intake) throw new ValidationError({ intakeId: 'Choose an intake' });
      if (intake && intake.cohortIdentifier !== cohort.identifier) throw new ValidationError({ intakeId: `Choose an intake in cohort ${cohort.identifier}` });
      // An intake belongs to one NPQ: accepting into another NPQ's intake would place the person on a course they did not apply for.
      if (intake && intake.qualificationId !== course?.id) throw new ValidationError({ intakeId: `Choose one of the ${course?.shortName ?? app.courseIdentifier}’s intakes` });
      const schedule = decideSchedule(input.scheduleIdentifier, course ? schedulesFor(course.kind) : [], intake?.schedule ?? null);
      if (!schedule.ok) throw ctx.refuse(schedule.code, schedule.message);
      if (again) return { ...app, unchanged: true };
      // Under the cohort's lock, so two acceptances at once cannot both pass it.
      if (await otherAcceptedInCohort(tx, app)) throw ctx.refuse('other_application_accepted', 'Another of this person’s applications in the cohort is accepted: withdraw that one first');
      const decision = decideAcceptance({
        status: app.status as ApplicationStatus,
        approvalStatus: app.approvalStatus as ApprovalStatus,
        gatewayStatus: app.gatewayStatus as GatewayStatus,
        cohortFunding: cohort.funding as 'none' | 'capped' | 'full',
        eligibleForFunding: app.eligibleForFunding,
        requestedFundedPlace: input.fundedPlace,
        fundedPlacesTaken: await fundedPlacesTaken(tx, cohort.id, app.courseIdentifier),
        fundedPlaceLimit: cohort.fundedPlaceLimits[app.courseIdentifier] ?? 0,
        intake: intake ? { capacity: intake.capacity, placed: await placedIn(tx, intake.id), waitingList: intake.waitingList } : null,
      });
      if (!decision.ok) throw ctx.refuse(decision.code, decision.message);
      const at = ctx.now();
      const participantId = app.participantId ?? (await participantFor(tx, { userId: app.userId, email: app.email }, at)).id;
      await tx
        .update(applications)
        .set({ participantId, status: 'accepted', deliveryMode: intake?.deliveryMode ?? app.deliveryMode, decidedAt: at, updatedAt: at })
        .where(and(eq(applications.id, app.id), guardOf(APPLICATION_WORKFLOW, 'accept', applications.status)));
      // The enrolment is made in the same transaction: the application is accepted exactly when it has one (ADR 0036).
      const enrolmentId = await createEnrolment(
        tx,
        { applicationId: app.id, participantId, intakeId: intake?.id ?? null, deliveryPartnerId: intake?.deliveryPartnerId ?? app.deliveryPartnerId, fundedPlace: decision.fundedPlace, trainingStatus: 'active', onWaitingList: decision.onWaitingList },
        at,
      );
      const others = await tx
        .update(applications)
        .set({ status: 'rejected', reasonForRejection: 'other_application_in_this_cohort_accepted', decidedAt: at, updatedAt: at })
        .where(and(eq(applications.cohortId, cohort.id), guardOf(APPLICATION_WORKFLOW, 'reject', applications.status), ne(applications.id, app.id), samePersonAs(app)))
        .returning({ id: applications.id });
      await recordStatusChange(tx, { participantId, enrolmentId, from: null, to: 'active', reason: null, at, by: actor });
      await recordEvent(tx, ctx.clock, {
        type: 'application.accepted',
        applicationId: app.id,
        participantId,
        course: courseNamed(app.courseIdentifier, course),
        intake: intake ? { id: intake.id, name: intake.name, startDate: intake.startDate } : null,
        onWaitingList: decision.onWaitingList,
        fundedPlace: decision.fundedPlace,
        otherApplicationsRejected: others.map((o) => o.id),
      });
      await audit(tx, ctx.clock, actor, {
        action: 'application.accepted',
        entityType: 'application',
        entityId: app.id,
        before: { status: app.status },
        after: { status: 'accepted', fundedPlace: decision.fundedPlace, intakeId: intake?.id, onWaitingList: decision.onWaitingList, otherApplicationsRejected: others.map((o) => o.id) },
      });
      return (await applicationById(tx, app.id))!;
    });
  };
