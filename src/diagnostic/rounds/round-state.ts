import type { RoundState } from '../domain/diagnostic.policy';

export const ROUND_KINDS = ['start', 'end'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

/** Where a round is in its dates, on a given day (YYYY-MM-DD). */
export function roundState(round: { opensOn: string; closesOn: string; closedEarlyOn?: string | null }, today: string): RoundState {
  // Closed early is closed, whatever the planned dates say: they stay as they were, for the record.
  if (round.closedEarlyOn && today >= round.closedEarlyOn) return 'closed';
  if (today < round.opensOn) return 'not_open';
  return today > round.closesOn ? 'closed' : 'open';
}
