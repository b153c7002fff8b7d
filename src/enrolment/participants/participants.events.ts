import type { Db } from '../../db/client';
import { enqueueEmail } from '../../mail/outbox';
import type { Clock, PlainDate } from '../../platform/clock';
import type { EventHandlers } from '../../platform/events';
import { applicationById } from '../applications/applications.repository';
import type { TrainingStatus } from '../domain/application';
import { placeFromWaitingListEmail } from '../emails/place-from-waiting-list';

/** What a change to a participant's training records: DfE is told of each later. */
interface ParticipantChanged {
  applicationId: string;
  participantId: string;
  from: TrainingStatus | null;
  to: TrainingStatus;
  /** DfE's reason code, when the change takes one. */
  reason: string | null;
  /** The intake before and after (they differ only for a move). */
  fromIntakeId: string | null;
  intakeId: string | null;
  /** The longest-waiting application given the place this change freed, and that intake as it was; null when none was. */
  placeGiven: { applicationId: string; intake: { id: string; name: string; startDate: PlainDate } } | null;
}

declare module '../../platform/events' {
  interface DomainEvents {
    'participant.deferred': ParticipantChanged;
    'participant.resumed': ParticipantChanged;
    'participant.withdrawn': ParticipantChanged;
    /** Moved to another intake of the same cohort (on its waiting list when it is full). */
    'participant.moved': ParticipantChanged;
  }
}

/**
 * What follows a change to a participant, after commit: when it freed a place that went to someone on
 * the waiting list, their email. Queued in the transaction that marks the job done, so it is sent once.
 */
export function participantEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;
  for (const type of ['participant.withdrawn', 'participant.moved'] as const) {
    events.on(type, 'waiting-list-email', async ({ payload: { placeGiven } }, ctx) => {
      const next = placeGiven && (await applicationById(db, placeGiven.applicationId));
      if (!placeGiven || !next) return;
      const email = placeFromWaitingListEmail({ to: next.email, fullName: next.fullName, intake: placeGiven.intake });
      await ctx.transaction((tx) => enqueueEmail(tx, clock, email));
    });
  }
}
