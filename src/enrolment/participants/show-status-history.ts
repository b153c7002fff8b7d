import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { type ApplicationRow, submittedApplicationById } from '../applications/applications.repository';
import { abilitiesFor } from '../domain/enrolment.policy';
import type { EnrolmentContext } from '../enrolment-context';
import { type ParticipantStatusChangeRow, statusHistoryOfEnrolment } from './participants.repository';

/**
 * A participant's training-status history on one enrolment, for staff (ADR 0036): each change's date,
 * from → to, DfE reason and who made it, oldest first, with the application it belongs to. Enrolment's
 * policy decides who reads it (`viewStatusHistory`: the provider's staff, a delivery partner lead only
 * their own partners' participants); anyone else, and an application not accepted, is "not found"
 * (404), as the application's own page answers, so its existence is not given away.
 */
export const showStatusHistory =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, applicationId: string): Promise<{ app: ApplicationRow; history: ParticipantStatusChangeRow[] }> => {
    const app = await submittedApplicationById(ctx.db, applicationId);
    if (!app?.enrolmentId || !abilitiesFor(actor, app).viewStatusHistory) throw new NotFoundError('application');
    return { app, history: await statusHistoryOfEnrolment(ctx.db, app.enrolmentId) };
  };
