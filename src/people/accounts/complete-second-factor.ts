import { and, eq, isNull } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { sha256 } from '../../platform/crypto';
import { AppError, ForbiddenError, ValidationError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { normaliseRecoveryCode } from '../domain/credentials';
import { minutesUntil, SECOND_FACTOR_POLICY, SECOND_FACTOR_SOURCE } from '../domain/throttle';
import { emailKey, type PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { recoveryCodes, users } from '../people.schema';
import { completeSession, endHalfSignedIn } from '../sessions/sessions';
import { checkTotp, totpStepOf } from './credentials';
import { requireSignedIn } from '../../platform/auth/require-signed-in';

/** Raised when an account's second factor is waiting after too many wrong codes; its half-signed-in sessions have ended. */
export class SecondFactorLockedError extends AppError {
  constructor(readonly retryAfterMinutes: number) {
    super(
      'second_factor_locked',
      `You entered too many wrong security codes, so we have signed you out to protect your account. Wait ${retryAfterMinutes} minutes, then sign in again. If you did not try to sign in, someone may know your password: reset it.`,
      429,
    );
  }
}

/**
 * A code from the authenticator app, or one of the recovery codes. Wrong codes are counted per account
 * from every address together: the tenth ends the person's half-signed-in sessions and the account
 * waits (15 minutes, then longer) before any code is checked again; raises SecondFactorLockedError
 * then, ValidationError { code } for a wrong code before it. A right app code already used is refused
 * with its own message and not counted. Returns the session's new cookie value.
 */
export async function completeSecondFactor(ctx: PeopleContext, actor: Actor, code: string): Promise<{ usedRecoveryCode: boolean; recoveryCodesLeft: number; sessionToken: string }> {
  const { db, clock } = ctx;
  const me = requireSignedIn(actor);
  const user = await peopleRepository.findUser(db, me.userId);
  if (!user?.totpSecret || !user.totpEnabledAt) throw new ForbiddenError('Set up two-factor authentication first');
  const key = emailKey(user.email);
  const charged = await peopleRepository.chargeFailure(db, key, SECOND_FACTOR_SOURCE, SECOND_FACTOR_POLICY, ctx.now());
  if (!charged) {
    const [row] = await peopleRepository.throttleRows(db, key, [SECOND_FACTOR_SOURCE]);
    await endHalfSignedIn(ctx, db, user.id);
    await ctx.forget(user.id);
    throw new SecondFactorLockedError(minutesUntil(row?.lockedUntil ?? ctx.now(), ctx.now()));
  }
  const succeed = async (recoveryCodeId?: string, totpStep?: number) => {
    const sessionToken = await db.transaction(async (tx) => {
      if (totpStep !== undefined) await tx.update(users).set({ totpLastStep: totpStep }).where(eq(users.id, user.id));
      if (recoveryCodeId) {
        const spent = await tx.update(recoveryCodes).set({ usedAt: ctx.now() }).where(and(eq(recoveryCodes.id, recoveryCodeId), isNull(recoveryCodes.usedAt))).returning({ id: recoveryCodes.id });
        if (spent.length === 0) throw new ValidationError({ code: 'That recovery code has already been used. Enter another, or the 6-digit code from your app' });
        await audit(tx, clock, actor, { action: 'user.recovery_code_used', entityType: 'user', entityId: user.id });
      }
      await peopleRepository.clearFailures(tx, key, { only: SECOND_FACTOR_SOURCE });
      return completeSession(ctx, tx, me.sessionId);
    });
    await ctx.forget(user.id);
    return sessionToken;
  };

  const secret = ctx.secrets.open(user.totpSecret);
  const step = checkTotp(ctx, secret, user.email, code, user.totpLastStep);
  if (step !== null) {
    const sessionToken = await succeed(undefined, step);
    const left = await peopleRepository.unusedRecoveryCodes(db, user.id);
    return { usedRecoveryCode: false, recoveryCodesLeft: left.length, sessionToken };
  }
  const codes = await peopleRepository.unusedRecoveryCodes(db, user.id);
  const match = codes.find((c) => c.codeHash === sha256(normaliseRecoveryCode(code)));
  if (match) return { usedRecoveryCode: true, recoveryCodesLeft: codes.length - 1, sessionToken: await succeed(match.id) };
  // A right code already spent (typed again within its 30 seconds, or sent twice) is not a guess: it is
  // given back, not counted towards the wait, and the person is told to wait for the next code. Who sends
  // it knows a code the app showed moments ago, so it tells them nothing; and it never signs anyone in.
  const spent = totpStepOf(ctx, secret, user.email, code);
  if (spent !== null && user.totpLastStep !== null && spent <= user.totpLastStep) {
    await peopleRepository.refundFailure(db, key, SECOND_FACTOR_SOURCE, SECOND_FACTOR_POLICY);
    throw new ValidationError({ code: 'That code has been used already. Wait for your app to show a new code, then enter it' });
  }

  if (charged.lockedUntil) {
    const minutes = minutesUntil(charged.lockedUntil, ctx.now());
    await db.transaction(async (tx) => {
      await endHalfSignedIn(ctx, tx, user.id);
      await audit(tx, clock, actor, { action: 'user.second_factor_locked', entityType: 'user', entityId: user.id, after: { failures: charged.failures, lockedUntil: charged.lockedUntil } });
      // The person is told by email (people.events.ts), after commit.
      await recordEvent(tx, clock, { type: 'second_factor.locked', userId: user.id, failures: charged.failures, minutes });
    });
    await ctx.forget(user.id);
    throw new SecondFactorLockedError(minutes);
  }
  const left = SECOND_FACTOR_POLICY.freeFailures - charged.failures;
  throw new ValidationError({ code: `The code is not correct. Enter the 6-digit code from your app, or a recovery code. ${left === 1 ? 'You have 1 more try' : `You have ${left} more tries`} before you are signed out` });
}
