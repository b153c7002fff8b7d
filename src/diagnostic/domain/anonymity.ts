import { type Answers, type ColleagueGroup, COLLEAGUE_GROUPS, GROUP_LABELS } from './instrument';

/**
 * The one place that decides what of colleagues' answers anyone may see. Every page, export and API
 * response builds from what this returns, never from the raw answers.
 *
 * The promise: no shown figure rests on fewer than `threshold` anonymous raters, and no two shown
 * figures differ by fewer than `threshold` raters (so one cannot be subtracted from another to reveal
 * a small group). Answers are never tied to a person or a time. Reports open only once a round has
 * closed, so reading one before and after one more answer is not possible.
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
  count: number;
  answers: Answers[];
}

export interface VisibleFeedback {
  groups: ShownGroup[];
  /** Everyone whose answers are shown, together; null when nobody's are. */
  allColleagues: { count: number; answers: Answers[] } | null;
  /** Open answers of the anonymous raters shown, without groups, in an order that reveals nothing. */
  comments: Record<string, string[]>;
  /** Named groups' comments, labelled by group. */
  namedComments: { group: string; questionId: string; text: string }[];
  /** How many answers are held back because too few people in a group answered. */
  withheld: number;
}

export function visibleFeedback(responses: readonly ColleagueResponse[], policy: AnonymityPolicy): VisibleFeedback {
  const threshold = Math.max(2, Math.floor(policy.threshold));
  const byGroup = new Map<ColleagueGroup, Answers[]>();
  for (const r of responses) byGroup.set(r.group, [...(byGroup.get(r.group) ?? []), r.answers]);
  // Answers in a canonical order, never the order they arrived in, which could hint at who and when.
  const canonical = (answers: Answers[]) => answers.map((a) => [JSON.stringify(a), a] as const).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, a]) => a);
  for (const [g, answers] of byGroup) byGroup.set(g, canonical(answers));

  const named: ShownGroup[] = [];
  const anonymous: ShownGroup[] = [];
  for (const g of COLLEAGUE_GROUPS) {
    const answers = byGroup.get(g) ?? [];
    if (!answers.length) continue;
    const shown = { key: g, label: GROUP_LABELS[g], named: policy.namedGroups.includes(g), count: answers.length, answers };
    (shown.named ? named : anonymous).push(shown);
  }

  // Small anonymous groups fold into one; while that fold is itself too small, the smallest group
  // shown on its own joins it. If all anonymous answers together are too few, none is shown.
  let visible = anonymous.filter((g) => g.count >= threshold);
  let pooled = anonymous.filter((g) => g.count < threshold);
  const size = (gs: ShownGroup[]) => gs.reduce((n, g) => n + g.count, 0);
  while (pooled.length && size(pooled) < threshold && visible.length) {
    const smallest = [...visible].sort((a, b) => a.count - b.count || a.key.localeCompare(b.key))[0]!;
    visible = visible.filter((g) => g !== smallest);
    pooled = [...pooled, smallest];
  }
  let withheld = 0;
  const groups: ShownGroup[] = [...named, ...visible];
  if (pooled.length) {
    if (size(pooled) >= threshold) {
      groups.push({ key: 'others', label: pooled.length === 1 ? pooled[0]!.label : 'Other colleagues', named: false, count: size(pooled), answers: canonical(pooled.flatMap((g) => g.answers)) });
    } else withheld = size(pooled);
  }

  const shownAnonymous = groups.filter((g) => !g.named).flatMap((g) => g.answers);
  const everyone = groups.flatMap((g) => g.answers);
  const comments: Record<string, string[]> = {};
  for (const a of shownAnonymous) {
    for (const [q, text] of Object.entries(a.comments)) {
      const t = text.trim();
      if (t) comments[q] = [...(comments[q] ?? []), t];
    }
  }
  // Alphabetical: the order says nothing about who wrote what, or when.
  for (const q of Object.keys(comments)) comments[q]!.sort((x, y) => x.localeCompare(y, 'en-GB'));
  const namedComments = named.flatMap((g) => g.answers.flatMap((a) => Object.entries(a.comments).filter(([, t]) => t.trim()).map(([questionId, text]) => ({ group: g.label, questionId, text: text.trim() }))));
  namedComments.sort((x, y) => x.group.localeCompare(y.group) || x.text.localeCompare(y.text, 'en-GB'));

  return { groups, allColleagues: everyone.length ? { count: everyone.length, answers: everyone } : null, comments, namedComments, withheld };
}

/** Per group, how many have answered: the participant may see this while a round is open, never who. */
export function answeredCounts(responses: readonly { group: ColleagueGroup }[]): Record<ColleagueGroup, number> {
  const counts = Object.fromEntries(COLLEAGUE_GROUPS.map((g) => [g, 0])) as Record<ColleagueGroup, number>;
  for (const r of responses) counts[r.group]++;
  return counts;
}
