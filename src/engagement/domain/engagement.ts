import { Temporal } from '@js-temporal/polyfill';
import { addMonths, type PlainDate } from '../../platform/clock';

/*
 * Engagement (issue 11 item 3): the guided learning a participant has evidenced against what was
 * expected of them by today, per component, and as one percentage against their NPQ's threshold.
 * Pure functions of what the other capabilities recorded; docs/adr/0057 says why each rule is so.
 */

/** The parts of a programme whose guided learning is evidenced on the platform. */
export const ENGAGEMENT_COMPONENTS = ['events', 'online_courses', 'briefings', 'coaching', 'diagnostic'] as const;
export type EngagementComponent = (typeof ENGAGEMENT_COMPONENTS)[number];

export const ENGAGEMENT_COMPONENT_LABELS: Record<EngagementComponent, string> = {
  events: 'Events attended',
  online_courses: 'Online modules and core tasks',
  briefings: 'Online briefings attended',
  coaching: 'Coaching held',
  diagnostic: '360° diagnostic rounds',
};

/** One component's guided learning, in minutes: expected by today, and evidenced (everything evidenced, even ahead of what is expected). */
export interface ComponentMinutes {
  component: EngagementComponent;
  expectedMinutes: number;
  evidencedMinutes: number;
}

/** A participant's engagement as every page, list, export and the API give it. */
export interface Engagement {
  components: ComponentMinutes[];
  /** All expected by today, in minutes. */
  expectedMinutes: number;
  /** Evidenced and counted: each component's evidence up to what it expects, in minutes. */
  countedMinutes: number;
  /** countedMinutes of expectedMinutes, in whole per cent rounded down; null while nothing is expected yet. */
  percent: number | null;
  thresholdPercent: number;
  /** Below the NPQ's threshold (never while nothing is expected). */
  below: boolean;
}

/**
 * Engagement from each component's minutes. A component counts its evidence only up to what it
 * expects: work done ahead in online modules does not hide missed events, so a participant below the
 * threshold is one falling behind somewhere (docs/adr/0057). Rounded down, so 89.9% is below 90%.
 */
export function engagementOf(components: readonly ComponentMinutes[], thresholdPercent: number): Engagement {
  let expectedMinutes = 0;
  let countedMinutes = 0;
  for (const c of components) {
    expectedMinutes += c.expectedMinutes;
    countedMinutes += Math.min(c.evidencedMinutes, c.expectedMinutes);
  }
  const percent = expectedMinutes > 0 ? Math.floor((countedMinutes * 100) / expectedMinutes) : null;
  return { components: [...components], expectedMinutes, countedMinutes, percent, thresholdPercent, below: percent !== null && percent < thresholdPercent };
}

const daysBetween = (from: PlainDate, to: PlainDate) => Temporal.PlainDate.from(from).until(Temporal.PlainDate.from(to), { largestUnit: 'days' }).days;

/**
 * The coaching expected by `today`, in minutes: the NPQ's coaching spread evenly from the intake's
 * start over its shortest duration in months (the provider's pacing; seed 001 sets none), rounded
 * down. None before the start; all of it from the end.
 */
export function coachingExpectedMinutes(entitledMinutes: number, startDate: PlainDate, durationMonths: number, today: PlainDate): number {
  if (entitledMinutes <= 0 || today <= startDate) return 0;
  const end = addMonths(startDate, Math.max(1, durationMonths));
  if (today >= end) return entitledMinutes;
  return Math.floor((entitledMinutes * daysBetween(startDate, today)) / daysBetween(startDate, end));
}

/**
 * The 360° diagnostic's minutes (its component's guided learning, half for the start round and half
 * for the end): expected for each of the participant's rounds that has closed before `today`,
 * evidenced for each whose self-assessment they sent.
 */
export function diagnosticMinutes(componentMinutes: number, rounds: readonly { closesOn: PlainDate; selfSubmitted: boolean }[], today: PlainDate): { expectedMinutes: number; evidencedMinutes: number } {
  const perRound = Math.floor(componentMinutes / 2);
  return {
    expectedMinutes: perRound * rounds.filter((r) => r.closesOn < today).length,
    evidencedMinutes: perRound * rounds.filter((r) => r.selfSubmitted).length,
  };
}
