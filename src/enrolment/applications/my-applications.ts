import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { requireApplicant } from '../authorise';
import type { EnrolmentContext } from '../enrolment-context';
import { type ApplicationRow, applicationOf, draftOf, preparedApplicationsOf } from './applications.repository';

/** One of the signed-in applicant's own applications; another person's is "not found" (404). */
export const findMyApplication =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, id: string): Promise<ApplicationRow> => {
    const me = requireApplicant(actor);
    const row = await applicationOf(ctx.db, me.userId, id);
    if (!row) throw new NotFoundError('application');
    return row;
  };

/** The signed-in applicant's applications, drafts included, newest first. */
export const listMyApplications = (ctx: EnrolmentContext) => {
  const mine = preparedApplicationsOf(ctx.db);
  return async (actor: Actor): Promise<ApplicationRow[]> => mine(requireApplicant(actor).userId);
};

/** The signed-in applicant's open draft, if any. */
export const findMyDraft =
  (ctx: EnrolmentContext) =>
  async (actor: Actor): Promise<ApplicationRow | undefined> =>
    draftOf(ctx.db, requireApplicant(actor).userId);
