/** DfE's declaration schedules (docs/domain.md): which an intake may follow depends on the kind of NPQ. */
export const SCHEDULES = [
  'npq-leadership-autumn',
  'npq-leadership-spring',
  'npq-specialist-autumn',
  'npq-specialist-spring',
  'npq-ehco-november',
  'npq-ehco-december',
  'npq-ehco-march',
  'npq-ehco-june',
] as const;
export type Schedule = (typeof SCHEDULES)[number];

/** Leadership NPQs follow leadership schedules, EHCO its own, every other NPQ the specialist ones. */
export function schedulesFor(kind: string): Schedule[] {
  const family = kind === 'leadership' ? 'leadership' : kind === 'coaching' ? 'ehco' : 'specialist';
  return SCHEDULES.filter((s) => s.startsWith(`npq-${family}-`));
}
