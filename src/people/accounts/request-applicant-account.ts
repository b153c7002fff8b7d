import { audit } from '../../audit/audit';
import { recordEvent } from '../../platform/events';
import { INVITATION_DAYS } from '../domain/credentials';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { users } from '../people.schema';
import { issueAccountToken } from './credentials';

/**
 * Anyone may ask for an applicant's account. The answer never says whether the address already has
 * one: a new address gets a link to choose a password, a known one gets a note on how to sign in (both emailed after commit, people.events.ts).
 */
export async function requestApplicantAccount(ctx: PeopleContext, input: { name: string; email: string }): Promise<void> {
  const email = input.email.trim();
  const name = input.name.trim();
  const existing = await peopleRepository.findUserByEmail(ctx.db, email);
  await ctx.db.transaction(async (tx) => {
    if (existing) {
      await recordEvent(tx, ctx.clock, { type: 'applicant_account.requested_for_existing_account', userId: existing.id });
      return;
    }
    const [user] = await tx.insert(users).values({ name, email, createdAt: ctx.now(), updatedAt: ctx.now() }).returning({ id: users.id });
    const accountTokenId = await issueAccountToken(ctx, tx, user!.id, 'invitation', ctx.hoursFromNow(24 * INVITATION_DAYS));
    await recordEvent(tx, ctx.clock, { type: 'applicant_account.requested', userId: user!.id, accountTokenId, days: INVITATION_DAYS });
    await audit(tx, ctx.clock, { kind: 'system', name: 'self-service' }, { action: 'user.account_requested', entityType: 'user', entityId: user!.id, after: { name: input.name, email } });
  });
}
