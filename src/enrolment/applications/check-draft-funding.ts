import type { Actor } from '../../platform/auth/actor';
import { ValidationError } from '../../platform/errors';
import { requireApplicant } from '../authorise';
import type { ApplicationAnswers } from '../domain/application-journey';
import { toQuestion } from '../domain/funding-journey';
import type { EnrolmentContext } from '../enrolment-context';
import type { FundingAnswer } from '../funding.service';

/**
 * What DfE's rules say about the signed-in applicant's draft as it stands (for the funding page), their
 * own history included; undefined while the answers are not enough to ask.
 */
export const checkDraftFunding =
  (ctx: EnrolmentContext) =>
  async (actor: Actor, answers: ApplicationAnswers): Promise<FundingAnswer | undefined> => {
    const me = requireApplicant(actor);
    if (!answers.intakeId || !answers.course) return undefined;
    const intake = await ctx.intakeById(answers.intakeId);
    if (!intake?.cohortIdentifier) return undefined;
    try {
      const fundedBefore = await ctx.deps.funding.previouslyFunded({ trn: answers.noTrn ? null : answers.trn, userId: me.userId }, answers.course);
      return await ctx.deps.funding.check(toQuestion({ ...answers, cohort: intake.cohortIdentifier }), { previouslyFunded: fundedBefore });
    } catch (err) {
      if (err instanceof ValidationError) return undefined;
      throw err;
    }
  };

/** How the intake the answers chose is delivered: the journey asks the time zone only for distance learning. */
export const intakeModeFor = (ctx: EnrolmentContext) => async (answers: ApplicationAnswers) => {
  const intake = answers.intakeId ? await ctx.intakeById(answers.intakeId) : undefined;
  return (id: string) => (intake && intake.id === id ? intake.deliveryMode : undefined);
};
