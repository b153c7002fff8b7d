import { z } from 'zod';
import type { DiagnosticService } from '../diagnostic.service';

/**
 * The cohort view and a participant's report as JSON, built from what the anonymity rule lets
 * through: group sizes and averages, never a single rater's answers or anything that names them.
 */
const score = z.number().nullable();
const statement = z.object({ statement_id: z.string(), text: z.string(), behaviour: z.string(), self: score, colleagues: score });
export const reportSchema = z
  .object({
    round: z.object({ id: z.string(), kind: z.enum(['start', 'end']), opens_on: z.string(), closes_on: z.string() }),
    respondents: z.number().int(),
    withheld: z.number().int().meta({ description: 'Answers held back because too few people in their groups answered' }),
    groups: z.array(z.object({ label: z.string(), named: z.boolean(), count: z.number().int() })),
    behaviours: z.array(z.object({ behaviour_id: z.string(), name: z.string(), self: score, colleagues: score, by_group: z.array(z.object({ label: z.string(), score })) })),
    highest: z.array(statement),
    lowest: z.array(statement),
    blind_spots: z.array(statement),
    hidden_strengths: z.array(statement),
    comments: z.record(z.string(), z.array(z.string())).meta({ description: 'Per open question, without names, in alphabetical order; only when the anonymity rule allows (ADR 0013)' }),
    growth: z.array(z.object({ behaviour_id: z.string(), colleagues_start: score, colleagues_end: score, colleagues_change: score, self_change: score })).nullable(),
  })
  .meta({ id: 'DiagnosticReport' });
const distribution = z.object({ participants: z.number().int(), mean: score, min: score, max: score }).meta({ description: 'Mean and range are null when fewer participants than minimum_participants have a figure' });
export const cohortSchema = z
  .object({
    cohort: z.string(),
    rounds: z.number().int(),
    colleagues_asked: z.number().int().meta({ description: 'In rounds whose count of answers may be shown (at least the round’s threshold)' }),
    colleagues_answered: z.number().int().meta({ description: 'In rounds whose count of answers may be shown (at least the round’s threshold)' }),
    rounds_below_threshold: z.number().int().meta({ description: 'Rounds left out of the counts above: fewer than their threshold have answered' }),
    minimum_participants: z.number().int().meta({ description: 'Fewest participants a distribution is shown across' }),
    not_started: z.array(z.string()).meta({ description: 'Participants who have neither rated themselves nor asked anyone' }),
    behaviours: z.array(z.object({ behaviour_id: z.string(), name: z.string(), start: distribution, end: distribution })),
  })
  .meta({ id: 'DiagnosticCohort' });

type CohortView = Awaited<ReturnType<DiagnosticService['cohortView']>>;
type ProviderReport = Awaited<ReturnType<DiagnosticService['reportForProvider']>>;

/** A cohort's 360° view: counts and per-behaviour distributions, as the anonymity rule lets them through. */
export function presentDiagnosticCohort(cohort: string, v: CohortView): z.infer<typeof cohortSchema> {
  return {
    cohort,
    rounds: v.rounds.length,
    colleagues_asked: v.asked,
    colleagues_answered: v.answered,
    rounds_below_threshold: v.roundsBelowThreshold,
    minimum_participants: v.minimum,
    not_started: v.notStarted,
    behaviours: v.behaviours.map((b) => ({ behaviour_id: b.behaviourId, name: b.name, start: { participants: b.start.n, mean: b.start.mean, min: b.start.min, max: b.start.max }, end: { participants: b.end.n, mean: b.end.mean, min: b.end.min, max: b.end.max } })),
  };
}

const presentStatement = (s: { statementId: string; text: string; behaviourName: string; self: number | null; others: number | null }) => ({ statement_id: s.statementId, text: s.text, behaviour: s.behaviourName, self: s.self, colleagues: s.others });

/** A participant's closed-round report for their provider: what the visible (anonymised) report holds, never a rater's own answers. */
export function presentDiagnosticReport(r: ProviderReport): z.infer<typeof reportSchema> {
  return {
    round: { id: r.round.id, kind: r.round.kind as 'start' | 'end', opens_on: r.round.opensOn, closes_on: r.round.closesOn },
    respondents: r.report.respondents,
    withheld: r.visible.withheld,
    groups: r.visible.groups.map((g) => ({ label: g.label, named: g.named, count: g.count })),
    behaviours: r.report.behaviours.map((b) => ({ behaviour_id: b.behaviourId, name: b.name, self: b.self, colleagues: b.others, by_group: b.byGroup.map((g) => ({ label: g.label, score: g.score })) })),
    highest: r.report.highest.map(presentStatement),
    lowest: r.report.lowest.map(presentStatement),
    blind_spots: r.report.blindSpots.map(presentStatement),
    hidden_strengths: r.report.hiddenStrengths.map(presentStatement),
    comments: r.visible.comments,
    growth: r.growth ? r.growth.map((g) => ({ behaviour_id: g.behaviourId, colleagues_start: g.othersStart, colleagues_end: g.othersEnd, colleagues_change: g.othersChange, self_change: g.selfChange })) : null,
  };
}
