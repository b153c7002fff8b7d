import { audit } from '../../audit/audit';
import { enqueueEmail } from '../../mail/outbox';
import { INVITATION_DAYS } from '../domain/credentials';
import { accountAlreadyExistsEmail, finishCreatingAccountEmail } from '../emails/applicant-account';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { users } from '../people.schema';
import { accountLink } from './credentials';

/**
 * Anyone may ask for an applicant's account. The answer never says whether the address already has
 * one: a new address gets a link to choose a password, a known one gets a note on how to sign in.
 */
export async function requestApplicantAccount(ctx: PeopleContext, input: { name: string; email: string }): Promise<void> {
  const email = input.email.trim();
  const name = input.name.trim();
  const existing = await peopleRepository.findUserByEmail(ctx.db, email);
  await ctx.db.transaction(async (tx) => {
    if (existing) {
      await enqueueEmail(tx, ctx.clock, accountAlreadyExistsEmail({ to: existing.email, name: existing.name, providerName: ctx.providerName, baseUrl: ctx.baseUrl }));
      return;
    }
    const [user] = await tx.insert(users).values({ name, email, createdAt: ctx.now(), updatedAt: ctx.now() }).returning({ id: users.id });
    const link = await accountLink(ctx, tx, user!.id, 'invitation', ctx.hoursFromNow(24 * INVITATION_DAYS));
    await enqueueEmail(tx, ctx.clock, finishCreatingAccountEmail({ to: email, name, link, days: INVITATION_DAYS, providerName: ctx.providerName }));
    await audit(tx, ctx.clock, { kind: 'system', name: 'self-service' }, { action: 'user.account_requested', entityType: 'user', entityId: user!.id, after: { name: input.name, email } });
  });
}
