import { audit } from '../../audit/audit';
import { randomToken } from '../../platform/crypto';
import { STAFF_ROLES } from '../domain/roles';
import { ACCOUNT_POLICY, ACCOUNT_SOURCE, addressSource, deviceSource, minutesUntil, SOURCE_POLICY, signInGates } from '../domain/throttle';
import { emailKey, type PeopleContext } from '../people.context';
import { peopleRepository } from '../people.repository';
import { openSession } from '../sessions/sessions';
import { decoyHash } from './credentials';

export type SignInResult =
  | { outcome: 'signed_in' | 'second_factor' | 'set_up_second_factor'; sessionToken: string; deviceId: string }
  | { outcome: 'failed' }
  | { outcome: 'locked'; retryAfterMinutes: number };

/**
 * Password sign-in, throttled per address and source (docs/adr/0019): the attempt is counted before
 * the password is checked and given back when it is right. `ip` is the client's address; `deviceId`
 * the value of a valid device cookie, if the browser sent one. An unknown address costs the same
 * argon2 check as a known one and leaves the same counters, so neither the answer, its timing nor a
 * wait tells whether an account exists. A success returns the device id to keep in the cookie; staff
 * (STAFF_ROLES) are then only half signed in until their second factor.
 */
export async function signIn(ctx: PeopleContext, input: { email: string; password: string; userAgent?: string; ip?: string; deviceId?: string }): Promise<SignInResult> {
  const { db, clock } = ctx;
  const now = ctx.now();
  const key = emailKey(input.email);
  const attempt = { ipSource: addressSource(input.ip ?? 'unknown'), deviceSource: input.deviceId ? deviceSource(input.deviceId) : undefined };
  const rows = await peopleRepository.throttleRows(db, key, [ACCOUNT_SOURCE, attempt.ipSource, ...(attempt.deviceSource ? [attempt.deviceSource] : [])]);
  const gate = signInGates(rows, attempt, now);
  const waitingUntil = (source: string) => rows.find((r) => r.source === source)?.lockedUntil ?? now;
  const own = await peopleRepository.chargeFailure(db, key, gate.source, SOURCE_POLICY, now);
  if (!own) return { outcome: 'locked', retryAfterMinutes: minutesUntil(waitingUntil(gate.source), now) };
  const ceiling = await peopleRepository.chargeFailure(db, key, ACCOUNT_SOURCE, ACCOUNT_POLICY, now);
  if (!ceiling && gate.ceilingApplies) {
    await peopleRepository.refundFailure(db, key, gate.source, SOURCE_POLICY);
    return { outcome: 'locked', retryAfterMinutes: minutesUntil(waitingUntil(ACCOUNT_SOURCE), now) };
  }

  const user = await peopleRepository.findUserByEmail(db, key);
  const passwordOk =
    user?.passwordHash && !user.deactivatedAt ? await ctx.verifyPassword(user.passwordHash, input.password) : (await ctx.verifyPassword(await decoyHash(), input.password)) && false;
  if (!user || !passwordOk) {
    if (ceiling?.failures === ACCOUNT_POLICY.freeFailures) {
      await audit(db, clock, { kind: 'system', name: 'sign-in' }, { action: 'sign_in.ceiling_reached', entityType: 'email', entityId: key, after: { failures: ceiling.failures, lockedUntil: ceiling.lockedUntil } });
    }
    const until = [own.lockedUntil, gate.ceilingApplies ? ceiling?.lockedUntil : null].filter((d): d is Date => Boolean(d)).sort((a, b) => b.getTime() - a.getTime())[0];
    return until ? { outcome: 'locked', retryAfterMinutes: minutesUntil(until, now) } : { outcome: 'failed' };
  }

  const deviceId = input.deviceId ?? randomToken();
  if (ceiling) await peopleRepository.refundFailure(db, key, ACCOUNT_SOURCE, ACCOUNT_POLICY);
  await peopleRepository.recordSuccess(db, key, [attempt.ipSource, deviceSource(deviceId)], now);
  const roles = await peopleRepository.rolesOf(db, user.id);
  const staff = roles.some((r) => STAFF_ROLES.has(r.role));
  const sessionToken = await openSession(ctx, user.id, !staff, input.userAgent);
  if (!staff) return { outcome: 'signed_in', sessionToken, deviceId };
  return { outcome: user.totpEnabledAt ? 'second_factor' : 'set_up_second_factor', sessionToken, deviceId };
}
