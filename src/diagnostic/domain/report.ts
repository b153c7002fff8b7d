import type { VisibleFeedback } from './anonymity';
import { type Answers, type Instrument, statementsOf } from './instrument';

/** Scores computed only from what the anonymity rule lets through. */
export interface BehaviourScore {
  behaviourId: string;
  name: string;
  self: number | null;
  others: number | null;
  byGroup: { key: string; label: string; score: number | null }[];
}

export interface StatementScore {
  statementId: string;
  text: string;
  behaviourName: string;
  self: number | null;
  others: number | null;
}

export interface Report {
  behaviours: BehaviourScore[];
  statements: StatementScore[];
  highest: StatementScore[];
  lowest: StatementScore[];
  /** Self rated well above others: where the participant may not see themselves as others do. */
  blindSpots: StatementScore[];
  /** Others rated well above self: strengths the participant underrates. */
  hiddenStrengths: StatementScore[];
  respondents: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
function mean(values: (number | null | undefined)[]): number | null {
  const xs = values.filter((v): v is number => typeof v === 'number');
  return xs.length ? round1(xs.reduce((a, b) => a + b, 0) / xs.length) : null;
}
/** The figures the rule lets through for these statements, pooled: a behaviour rests only on statements shown. */
const shownOf = (figures: Record<string, number[]>, ids: string[]) => ids.flatMap((id) => figures[id] ?? []);

/** The gap (in scale points) at which self and others are said to disagree. */
export const DISAGREEMENT = 1;

/**
 * The participant's report from their own answers and what `visibleFeedback` lets through: a colleague
 * figure (statement, behaviour, group) exists only where the rule shows one, so highest, lowest, blind
 * spots and hidden strengths never rest on a statement too few people rated. Scores are means on the
 * instrument's scale, to one decimal place.
 */
export function buildReport(instrument: Instrument, self: Answers | null, visible: VisibleFeedback): Report {
  const others = visible.allColleagues?.figures ?? {};
  const behaviours = instrument.behaviours.map((b) => {
    const ids = b.statements.map((s) => s.id);
    return {
      behaviourId: b.id,
      name: b.name,
      self: self ? mean(ids.map((id) => self.ratings[id])) : null,
      others: mean(shownOf(others, ids)),
      byGroup: visible.groups.map((g) => ({ key: g.key, label: g.label, score: mean(shownOf(g.figures, ids)) })),
    };
  });
  const statements = statementsOf(instrument).map((s) => ({ statementId: s.id, text: s.text, behaviourName: s.behaviourName, self: self ? (self.ratings[s.id] ?? null) : null, others: mean(others[s.id] ?? []) }));
  const rated = statements.filter((s) => s.others !== null);
  const byOthers = [...rated].sort((a, b) => b.others! - a.others! || a.statementId.localeCompare(b.statementId));
  const gap = (s: StatementScore) => (s.self ?? 0) - (s.others ?? 0);
  const comparable = rated.filter((s) => s.self !== null);
  return {
    behaviours,
    statements,
    highest: byOthers.slice(0, 3),
    lowest: byOthers.slice(-3).reverse(),
    blindSpots: comparable.filter((s) => gap(s) >= DISAGREEMENT).sort((a, b) => gap(b) - gap(a)).slice(0, 3),
    hiddenStrengths: comparable.filter((s) => -gap(s) >= DISAGREEMENT).sort((a, b) => gap(a) - gap(b)).slice(0, 3),
    respondents: visible.allColleagues?.count ?? 0,
  };
}

/** Start against end, per behaviour, each from its own report (so each under its own round's rule): the change in others' and in self ratings. */
export function growth(start: Report, end: Report) {
  return end.behaviours.map((e) => {
    const s = start.behaviours.find((b) => b.behaviourId === e.behaviourId);
    const change = (a: number | null | undefined, b: number | null) => (a === null || a === undefined || b === null ? null : round1(b - a));
    return { behaviourId: e.behaviourId, name: e.name, othersStart: s?.others ?? null, othersEnd: e.others, othersChange: change(s?.others, e.others), selfStart: s?.self ?? null, selfEnd: e.self, selfChange: change(s?.self, e.self) };
  });
}
