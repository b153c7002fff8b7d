import { bindUseCases } from '../platform/use-cases';
import type { FeedbackDeps } from './feedback.context';
import { feedbackChoices, feedbackComments, feedbackExport, feedbackResults } from './results/feedback-results';
import { answerSurvey, mySurvey, mySurveys, skipSurvey, surveyClosed } from './surveys/surveys';

/** Feedback's use cases (issue 11 item 5), bound to one context so routes keep one object to call. */
export function createFeedbackService(deps: FeedbackDeps) {
  return bindUseCases(deps, { mySurveys, mySurvey, surveyClosed, answerSurvey, skipSurvey, feedbackResults, feedbackComments, feedbackExport, feedbackChoices });
}
export type FeedbackService = ReturnType<typeof createFeedbackService>;
