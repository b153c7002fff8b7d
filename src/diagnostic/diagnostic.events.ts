import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { enqueueEmail } from '../mail/outbox';
import { nameOfAccount } from '../people/people.queries';
import type { Clock, PlainDate } from '../platform/clock';
import type { SecretBox } from '../platform/crypto';
import type { EventHandlers } from '../platform/events';
import type { JobContext } from '../platform/jobs';
import { diagnosticRaters } from './diagnostic.schema';
import { raterInvitationEmail } from './emails/rater-invitation';

/** Who asked, and until when the link works (the round's last day as it was then). */
interface RaterAsked {
  /** The participant's account: the email names them as it is when written. */
  participantUserId: string;
  closesOn: PlainDate;
}

declare module '../platform/events' {
  interface DomainEvents {
    /** A participant asked a colleague to rate them in a 360° round. */
    'rater.invited': RaterAsked & { raterId: string };
    /** A participant reminded the colleagues of a round who had neither answered nor declined. */
    'raters.reminded': RaterAsked & { roundId: string; raterIds: string[] };
  }
}

/**
 * What follows the 360°'s changes, after commit: the raters' emails (docs/adr/0030). The event carries
 * the raters' ids; each handler reads them and opens their sealed tokens for the links, then queues the
 * mail in the transaction that marks its job done, so a retry never sends twice.
 */
export function diagnosticEventHandlers(events: EventHandlers, deps: { db: Db; clock: Clock; secrets: SecretBox; site: { baseUrl: string; providerName: string } }) {
  const { db, clock, secrets, site } = deps;
  const send = async (ctx: JobContext, p: RaterAsked, raterIds: string[], reminder: boolean) => {
    const [participant, raters] = await Promise.all([
      nameOfAccount(db, p.participantUserId),
      raterIds.length ? db.select().from(diagnosticRaters).where(inArray(diagnosticRaters.id, raterIds)) : Promise.resolve([]),
    ]);
    if (participant === undefined) return; // The account has gone: nobody to ask on behalf of.
    await ctx.transaction(async (tx) => {
      for (const r of raters) {
        const link = `${site.baseUrl}/rate/${secrets.open(r.tokenSealed)}`;
        await enqueueEmail(tx, clock, raterInvitationEmail({ to: r.email, name: r.name, participant, link, closesOn: p.closesOn, reminder, providerName: site.providerName }));
      }
    });
  };
  events
    .on('rater.invited', 'email', ({ payload }, ctx) => send(ctx, payload, [payload.raterId], false))
    .on('raters.reminded', 'email', ({ payload }, ctx) => send(ctx, payload, payload.raterIds, true));
}
