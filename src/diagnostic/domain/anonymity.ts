import { type Answers, type ColleagueGroup, COLLEAGUE_GROUPS, GROUP_LABELS } from './instrument';

/**
 * The one place that decides what of colleagues' answers anyone may see. Every page, export and API
 * response builds from what this returns, never from the raw answers.
 *
 * The promise: no shown figure rests on fewer than `threshold` anonymous raters who gave a figure for
 * it, and no two shown figures differ by fewer than `threshold` raters (so one cannot be subtracted
 * from another to reveal a small group). Answers are never tied to a person or a time. Reports open
 * only once a round has closed, so reading one before and after one more answer is not possible.
 * ADR 0012 (the rule), ADR 0013 ("not able to say", the round's own rule, progress, comments).
 */
export interface AnonymityPolicy {
  threshold: number;
  /** Groups whose raters are told their answers are shown as a named group (the line manager, say). */
  namedGroups: readonly ColleagueGroup[];
}
export const DEFAULT_POLICY: AnonymityPolicy = { threshold: 3, namedGroups: [] };

export interface ColleagueResponse {
  group: ColleagueGroup;
  answers: Answers;
}

export interface ShownGroup {
  key: ColleagueGroup | 'others';
  label: string;
  named: boolean;
  /** Raters in the group who gave at least one figure: "not able to say" throughout counts for nothing. */
  count: number;
  /** The raters' own groups folded into this one; never displayed (it would say who is in a fold). */
  members: ColleagueGroup[];
  /**
   * Statement id → the figures shown for it, in ascending order: only when at least the threshold in
   * the group gave a figure for that statement (a named group's, whatever their number).
   */
  figures: Record<string, number[]>;
}

export interface VisibleFeedback {
  groups: ShownGroup[];
  /**
   * Everyone shown, together: statement id → the figures that may be pooled (see `pooledFigures`);
   * null when nobody's are.
   */
  allColleagues: { count: number; figures: Record<string, number[]> } | null;
  /** Open answers of the anonymous raters shown, without groups, in an order that reveals nothing. */
  comments: Record<string, string[]>;
  /** Named groups' comments, labelled by group. */
  namedComments: { group: string; questionId: string; text: string }[];
  /** How many answers are not shown: too few people in their groups gave a figure. */
  withheld: number;
}

/** The threshold as applied: a whole number, never below 2 (a "group" of one is a person). */
export const effectiveThreshold = (policy: AnonymityPolicy) => Math.max(2, Math.floor(policy.threshold));

/** A rater counts only if they gave at least one figure: "not able to say" throughout is no answer. */
export const gaveAFigure = (a: Answers) => Object.values(a.ratings).some((v) => typeof v === 'number');
const ascending = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** Per statement, each rater's figure (no "not able to say"), in ascending order, so order says nothing. */
function figuresByStatement(answers: readonly Answers[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const a of answers) for (const [id, v] of Object.entries(a.ratings)) if (typeof v === 'number') out[id] = [...(out[id] ?? []), v];
  for (const id of Object.keys(out)) out[id] = ascending(out[id]!);
  return out;
}

/**
 * The colleagues' figure for a statement, pooled over the shown groups. Figures a group gave that are
 * too few to show on their own join the pool only when together they are at least the threshold: so
 * the pool minus the shown groups' figures is never a group too small to show.
 */
function pooledFigures(groups: { figures: Record<string, number[]>; all: Record<string, number[]> }[], threshold: number): Record<string, number[]> {
  const ids = new Set(groups.flatMap((g) => Object.keys(g.all)));
  const out: Record<string, number[]> = {};
  for (const id of ids) {
    const shown = groups.flatMap((g) => g.figures[id] ?? []);
    const rest = groups.flatMap((g) => (g.figures[id] ? [] : (g.all[id] ?? [])));
    const pool = rest.length >= threshold ? [...shown, ...rest] : shown;
    if (pool.length) out[id] = ascending(pool);
  }
  return out;
}

export function visibleFeedback(responses: readonly ColleagueResponse[], policy: AnonymityPolicy): VisibleFeedback {
  const threshold = effectiveThreshold(policy);
  const counted = responses.filter((r) => gaveAFigure(r.answers));

  interface Draft {
    key: ColleagueGroup | 'others';
    label: string;
    named: boolean;
    members: ColleagueGroup[];
    raters: ColleagueResponse[];
  }
  const named: Draft[] = [];
  const anonymous: Draft[] = [];
  for (const g of COLLEAGUE_GROUPS) {
    const raters = counted.filter((r) => r.group === g);
    if (!raters.length) continue;
    const d = { key: g, label: GROUP_LABELS[g], named: policy.namedGroups.includes(g), members: [g], raters };
    (d.named ? named : anonymous).push(d);
  }

  // Small anonymous groups fold into one; while that fold is itself too small, the smallest group
  // shown on its own joins it. If all anonymous answers together are too few, none is shown.
  let visible = anonymous.filter((g) => g.raters.length >= threshold);
  let pooled = anonymous.filter((g) => g.raters.length < threshold);
  const size = (gs: Draft[]) => gs.reduce((n, g) => n + g.raters.length, 0);
  while (pooled.length && size(pooled) < threshold && visible.length) {
    const smallest = [...visible].sort((a, b) => a.raters.length - b.raters.length || a.key.localeCompare(b.key))[0]!;
    visible = visible.filter((g) => g !== smallest);
    pooled = [...pooled, smallest];
  }
  const drafts: Draft[] = [...named, ...visible];
  if (pooled.length && size(pooled) >= threshold) {
    drafts.push({ key: 'others', label: pooled.length === 1 ? pooled[0]!.label : 'Other colleagues', named: false, members: pooled.flatMap((g) => g.members).sort(), raters: pooled.flatMap((g) => g.raters) });
  }

  const built = drafts.map((d) => {
    const all = figuresByStatement(d.raters.map((r) => r.answers));
    const figures = Object.fromEntries(Object.entries(all).filter(([, xs]) => (d.named ? xs.length >= 1 : xs.length >= threshold)));
    const group: ShownGroup = { key: d.key, label: d.label, named: d.named, count: d.raters.length, members: d.members, figures };
    return { group, all, raters: d.raters };
  });
  const groups = built.map((b) => b.group);
  const shownCount = groups.reduce((n, g) => n + g.count, 0);

  const comments = anonymousComments(
    built.filter((b) => !b.group.named).flatMap((b) => b.raters),
    threshold,
  );
  const namedComments = built
    .filter((b) => b.group.named)
    .flatMap((b) => b.raters.flatMap((r) => Object.entries(r.answers.comments).filter(([, t]) => t.trim()).map(([questionId, text]) => ({ group: b.group.label, questionId, text: text.trim() }))));
  namedComments.sort((x, y) => x.group.localeCompare(y.group) || x.text.localeCompare(y.text, 'en-GB'));

  return {
    groups,
    allColleagues: shownCount ? { count: shownCount, figures: pooledFigures(built.map((b) => ({ figures: b.group.figures, all: b.all })), threshold) } : null,
    comments,
    namedComments,
    withheld: responses.length - shownCount,
  };
}

/**
 * Comments may be shown only when at least the threshold of anonymous colleagues are shown, and, per
 * question, only when at least the threshold of them wrote one (only people who gave an answer count,
 * as for figures: one invented comment beside a line manager's must not unlock his) and the groups the
 * comments come from hold at least the threshold of those colleagues: a lone line manager's comment,
 * folded in with people who wrote nothing, is his alone.
 * Sorted alphabetically: the order says nothing about who wrote what, or when.
 */
function anonymousComments(raters: readonly ColleagueResponse[], threshold: number): Record<string, string[]> {
  if (raters.length < threshold) return {};
  const perGroup = new Map<ColleagueGroup, number>();
  for (const r of raters) perGroup.set(r.group, (perGroup.get(r.group) ?? 0) + 1);
  const byQuestion = new Map<string, { text: string; origin: ColleagueGroup }[]>();
  for (const r of raters) {
    for (const [q, text] of Object.entries(r.answers.comments)) {
      const t = text.trim();
      if (t) byQuestion.set(q, [...(byQuestion.get(q) ?? []), { text: t, origin: r.group }]);
    }
  }
  const out: Record<string, string[]> = {};
  for (const [q, cs] of byQuestion) {
    const from = new Set(cs.map((c) => c.origin));
    const couldHaveWritten = [...from].reduce((n, g) => n + (perGroup.get(g) ?? 0), 0);
    if (cs.length >= threshold && couldHaveWritten >= threshold) out[q] = cs.map((c) => c.text).sort((x, y) => x.localeCompare(y, 'en-GB'));
  }
  return out;
}

/**
 * What a participant or facilitator may see of colleagues' answers while a round is open: the total
 * that have sent, once it is at least the threshold; before that, null ("fewer than N so far"). Never
 * per group and never who declined (ADR 0013): a per-group count, or its change, says which group sent.
 */
export function progressShown(answered: number, policy: AnonymityPolicy): number | null {
  return answered >= effectiveThreshold(policy) ? answered : null;
}

/**
 * A cohort's distribution of one figure across participants (each already through the rule above):
 * the number of participants always; the mean and range only when there are at least `minimum`, as
 * one participant's figure would otherwise be on show.
 */
export function cohortDistribution(values: readonly number[], minimum: number) {
  const n = values.length;
  if (n < Math.max(2, minimum)) return { n, mean: null, min: null, max: null };
  return { n, mean: Math.round((values.reduce((a, b) => a + b, 0) / n) * 10) / 10, min: Math.min(...values), max: Math.max(...values) };
}
