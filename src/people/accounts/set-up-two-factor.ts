import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { sha256 } from '../../platform/crypto';
import { ConflictError, UnauthenticatedError, ValidationError } from '../../platform/errors';
import { formatRecoveryCode } from '../domain/credentials';
import type { PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { recoveryCodes, users } from '../people.schema';
import { completeSession } from '../sessions/sessions';
import { checkTotp, totpUri } from './credentials';
import { requireSignedIn } from '../../platform/auth/require-signed-in';

/** A new secret, kept sealed on the account until a code from it is confirmed; ConflictError when two-factor is already on. */
export async function beginTwoFactorSetup(ctx: PeopleContext, actor: Actor): Promise<{ secret: string; uri: string }> {
  const me = requireSignedIn(actor);
  const user = await peopleRepository.findUser(ctx.db, me.userId);
  if (!user) throw new UnauthenticatedError();
  if (user.totpEnabledAt) throw new ConflictError('two_factor_already_set_up', 'Two-factor authentication is already set up');
  let secret = user.totpSecret ? ctx.secrets.open(user.totpSecret) : undefined;
  if (!secret) {
    secret = new OTPAuth.Secret({ size: 20 }).base32;
    await ctx.db.update(users).set({ totpSecret: ctx.secrets.seal(secret) }).where(eq(users.id, user.id));
  }
  return { secret, uri: totpUri(ctx, secret, user.email) };
}

/**
 * Turns two-factor on with a code from the new secret (ValidationError { code } for a wrong one);
 * returns ten new recovery codes, shown once, and the session's new cookie value.
 */
export async function confirmTwoFactorSetup(ctx: PeopleContext, actor: Actor, code: string): Promise<{ codes: string[]; sessionToken: string }> {
  const me = requireSignedIn(actor);
  const user = await peopleRepository.findUser(ctx.db, me.userId);
  if (!user?.totpSecret || user.totpEnabledAt) throw new ConflictError('two_factor_not_pending', 'Start setting up two-factor authentication again');
  const step = checkTotp(ctx, ctx.secrets.open(user.totpSecret), user.email, code, null);
  if (step === null) throw new ValidationError({ code: 'The code is not correct. Enter the 6-digit code your app shows now' });
  const codes = Array.from({ length: 10 }, () => formatRecoveryCode(randomBytes(8)));
  const sessionToken = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabledAt: ctx.now(), totpLastStep: step, updatedAt: ctx.now() }).where(eq(users.id, user.id));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: sha256(c) })));
    await audit(tx, ctx.clock, actor, { action: 'user.two_factor_enabled', entityType: 'user', entityId: user.id });
    return completeSession(ctx, tx, me.sessionId);
  });
  await ctx.forget(user.id);
  return { codes, sessionToken };
}
