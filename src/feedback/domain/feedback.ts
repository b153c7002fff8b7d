/*
 * Participant feedback and quality (issue 11 item 5): a short survey after each session, module and
 * coaching session, a rating and a comment, which a participant may skip; results for the provider.
 * Pure rules; docs/adr/0059 says why each is so.
 */

/** What a survey is about: a session (an event or a briefing) or a module of the programme, or a coaching session. */
export const SURVEY_KINDS = ['session', 'module', 'coaching'] as const;
export type SurveyKind = (typeof SURVEY_KINDS)[number];
export const SURVEY_KIND_LABELS: Record<SurveyKind, string> = { session: 'Event or briefing', module: 'Online module', coaching: 'Coaching session' };

/** The ratings, 1 to 5, with their words. */
export const RATINGS = [5, 4, 3, 2, 1] as const;
export type Rating = (typeof RATINGS)[number];
export const RATING_LABELS: Record<Rating, string> = { 5: 'Very good', 4: 'Good', 3: 'Neither good nor poor', 2: 'Poor', 1: 'Very poor' };

/** The longest comment, in characters. */
export const COMMENT_MAX = 1_000;

/** How long after the session, module or coaching session its survey stays open, in days: asked soon, or not at all. */
export const SURVEY_OPEN_DAYS = 30;

/**
 * The fewest responses a facilitator or coach sees results of, for anything they led (as the 360°'s
 * threshold: docs/adr/0012): fewer, and who said what could be guessed from who was there. The
 * provider's admin and partner leads see every result, never whose.
 */
export const FEEDBACK_THRESHOLD = 3;

/** What a set of responses comes to: how many, the mean rating (one decimal place, null for none), and how many gave each rating. */
export interface RatingSummary {
  responses: number;
  average: number | null;
  counts: Record<Rating, number>;
}

/** Summarises ratings (1–5). */
export function summaryOf(ratings: readonly number[]): RatingSummary {
  const counts: Record<Rating, number> = { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 };
  for (const r of ratings) if (r in counts) counts[r as Rating]++;
  const responses = ratings.length;
  return { responses, average: responses ? Math.round((ratings.reduce((a, b) => a + b, 0) * 10) / responses) / 10 : null, counts };
}

/** Whether results resting on `responses` may be shown to a viewer who sees only with the threshold (a facilitator or coach, of what they led). */
export const shownToFacilitator = (responses: number): boolean => responses >= FEEDBACK_THRESHOLD;

/** A survey is open from when its subject finished until SURVEY_OPEN_DAYS after. */
export const surveyOpen = (finishedAt: Date, now: Date): boolean => finishedAt.getTime() <= now.getTime() && now.getTime() - finishedAt.getTime() <= SURVEY_OPEN_DAYS * 86_400_000;

/** What results are grouped by (issue 11 item 5: "results per event, facilitator, venue, partner and cohort"). */
export const RESULT_GROUPINGS = ['subject', 'facilitator', 'venue', 'partner', 'cohort'] as const;
export type ResultGrouping = (typeof RESULT_GROUPINGS)[number];
export const GROUPING_LABELS: Record<ResultGrouping, string> = { subject: 'Session, module or coaching', facilitator: 'Facilitator or coach', venue: 'Venue', partner: 'Delivery partner', cohort: 'Cohort' };

/**
 * The key a survey is recorded as answered or skipped under (feedback_requests): a session or module
 * within its intake (`<intake>/<key>`: a moved participant's new intake has its own), a coaching
 * session by its booking.
 */
export const requestKeyOf = (kind: string, subjectKey: string, intakeId: string | null): string => (kind === 'coaching' ? subjectKey : `${intakeId ?? ''}/${subjectKey}`);
