import { eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueEmail } from '../mail/outbox';
import type { Clock, PlainDate } from '../platform/clock';
import type { EventHandlers } from '../platform/events';
import { interestInvitedToApplyEmail } from './emails/interest-invited-to-apply';
import { type EmailSite, interestRegisteredEmail } from './emails/interest-registered';
import { expressionsOfInterest } from './enrolment.schema';

/** The NPQ an event is about, named as it was when the event happened. */
interface CourseNamed {
  identifier: string;
  name: string;
  shortName: string;
}

declare module '../platform/events' {
  interface DomainEvents {
    /** A person registered (or renewed) interest in an NPQ. */
    'interest.registered': {
      interestId: string;
      course: CourseNamed;
      startPreference: string;
      /** They had registered interest in this NPQ before. */
      updated: boolean;
      /** The deadline of the first intake open for applications then; null when none was. */
      applyBy: PlainDate | null;
    };
    /** Everyone interested in an NPQ and not yet invited was invited to apply. */
    'interest.invited_to_apply': {
      course: CourseNamed;
      intake: { name: string; startDate: PlainDate; applicationDeadline: PlainDate };
      interestIds: string[];
    };
  }
}

/**
 * What follows an expression of interest, after commit: the emails. Each handler reads the people it
 * writes to, then queues its mail in the transaction that marks its job done, so a retry never sends twice.
 */
export function interestEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock; site: EmailSite }) {
  const { db, clock, site } = deps;
  const people = (ids: string[]) =>
    ids.length ? db.select({ id: expressionsOfInterest.id, name: expressionsOfInterest.name, email: expressionsOfInterest.email }).from(expressionsOfInterest).where(inArray(expressionsOfInterest.id, ids)) : Promise.resolve([]);
  events
    .on('interest.registered', 'email', async ({ payload }, ctx) => {
      const [person] = await db.select().from(expressionsOfInterest).where(eq(expressionsOfInterest.id, payload.interestId));
      if (!person) return; // Withdrawn since: nobody to write to.
      const email = interestRegisteredEmail({ to: person.email, name: person.name, course: payload.course, startPreference: payload.startPreference, updated: payload.updated, applyBy: payload.applyBy }, site);
      await ctx.transaction((tx) => enqueueEmail(tx, clock, email));
    })
    .on('interest.invited_to_apply', 'email', async ({ payload }, ctx) => {
      const invited = await people(payload.interestIds);
      await ctx.transaction(async (tx) => {
        for (const person of invited) await enqueueEmail(tx, clock, interestInvitedToApplyEmail({ to: person.email, name: person.name, course: payload.course, intake: payload.intake }, site));
      });
    });
}
