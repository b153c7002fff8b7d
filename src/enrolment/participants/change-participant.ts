import { guardOf } from '../../platform/workflow';
import { audit } from '../../audit/audit';
import { intakeById } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { type ApplicationRow, applicationById, applicationForDecision, placedIn } from '../applications/applications.repository';
import { requireManager } from '../authorise';
import { decideParticipantChange, type ParticipantChange, TRAINING_WORKFLOW, type TrainingStatus } from '../domain/application';
import type { EnrolmentContext } from '../enrolment-context';
import { enrolments } from '../enrolment.schema';
import { updateEnrolment } from './enrolment-writes';
import { participantFor, recordStatusChange } from './participant-for';
import { promoteFromWaitingList } from './waiting-list';

const PAST_TENSE = { defer: 'deferred', resume: 'resumed', withdraw: 'withdrawn', move: 'moved' } as const satisfies Record<ParticipantChange, string>;
type ParticipantEventType = `participant.${(typeof PAST_TENSE)[ParticipantChange]}`;

/** The training status a change leads to; raises the refusal (422 with a stable code) or the missing reason otherwise. */
function participantDecision(ctx: EnrolmentContext, app: ApplicationRow, change: ParticipantChange, reason: string | undefined): TrainingStatus {
  const decision = decideParticipantChange(change, app.status === 'accepted' ? (app.trainingStatus as TrainingStatus) : null, reason);
  if (decision.ok) return decision.to;
  if (decision.code === 'reason_required') throw new ValidationError({ reason: decision.message });
  throw ctx.refuse(decision.code, decision.message);
}

/** Checks a change to a participant without making it, for the page that confirms it; raises what `changeParticipant` would. */
export const checkParticipantChange =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, change: ParticipantChange, input: { reason?: string | undefined }): Promise<{ app: ApplicationRow; to: string }> => {
    requireManager(actor);
    const app = await applicationById(ctx.db, id);
    if (!app || app.status === 'draft') throw new NotFoundError('application');
    return { app, to: participantDecision(ctx, app, change, input.reason) };
  };

/**
 * Defer, resume, withdraw or move a participant (reasons are DfE's codes); a freed place goes to the
 * intake's waiting list. Moving needs a different intake in the same cohort with room or a waiting list.
 */
export const changeParticipant =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string, change: ParticipantChange, input: { reason?: string | undefined; intakeId?: string | undefined }): Promise<ApplicationRow> => {
    requireManager(actor);
    // Read before the transaction: see courseOfApplication.
    const course = await ctx.courseOfApplication(id);
    return ctx.write(async (tx) => {
      // The cohort's row first (applicationForDecision): a move counts the target intake's places, and a
      // freed place is given from the waiting list, under the same lock an acceptance takes.
      const locked = await applicationForDecision(tx, id);
      if (!locked || locked.app.status === 'draft') throw new NotFoundError('application');
      const { app, cohort } = locked;
      const to = participantDecision(ctx, app, change, input.reason);
      const at = ctx.now();
      let intakeId = app.intakeId;
      let onWaitingList = app.onWaitingList;
      if (change === 'move') {
        const target = input.intakeId ? await intakeById(tx, input.intakeId) : undefined;
        // An intake belongs to one NPQ: moving into another NPQ's intake would train the participant on a course they were not accepted for.
        if (!target || target.id === app.intakeId || target.cohortIdentifier !== cohort?.identifier || target.qualificationId !== course?.id) throw new ValidationError({ intakeId: 'Choose a different intake of the same NPQ in the same cohort' });
        const placed = await placedIn(tx, target.id);
        if (target.capacity !== null && placed >= target.capacity && !target.waitingList) throw ctx.refuse('intake_full', `${target.name} is full and has no waiting list`);
        onWaitingList = target.capacity !== null && placed >= target.capacity;
        intakeId = target.id;
      }
      const deliveryPartnerId = intakeId === app.intakeId ? app.deliveryPartnerId : (await intakeById(tx, intakeId!))?.deliveryPartnerId;
      await updateEnrolment(
        tx,
        app.id,
        { trainingStatus: to, trainingStatusReason: to === 'active' ? null : (input.reason ?? app.trainingStatusReason), intakeId, deliveryPartnerId, onWaitingList: to === 'withdrawn' ? false : onWaitingList },
        at,
        guardOf(TRAINING_WORKFLOW, change, enrolments.trainingStatus),
      );
      const participantId = app.participantId ?? (await participantFor(tx, { userId: app.userId, email: app.email }, at)).id;
      const reason = to === 'active' ? null : (input.reason ?? null);
      if (to !== app.trainingStatus && app.enrolmentId) await recordStatusChange(tx, { participantId, enrolmentId: app.enrolmentId, from: app.trainingStatus, to, reason, at, by: actor });
      await audit(tx, ctx.clock, actor, { action: `participant.${PAST_TENSE[change]}`, entityType: 'application', entityId: app.id, before: { trainingStatus: app.trainingStatus, intakeId: app.intakeId }, after: { trainingStatus: to, intakeId, reason: input.reason } });
      const placeGiven = app.intakeId && !app.onWaitingList && (change === 'withdraw' || change === 'move') ? await promoteFromWaitingList(ctx, tx, app.intakeId) : null;
      await recordEvent(tx, ctx.clock, { type: `participant.${PAST_TENSE[change]}` as ParticipantEventType, applicationId: app.id, participantId, from: app.trainingStatus as TrainingStatus | null, to, reason, fromIntakeId: app.intakeId, intakeId, placeGiven });
      return (await applicationById(tx, app.id))!;
    });
  };
