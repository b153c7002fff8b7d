import { hash } from '@node-rs/argon2';
import { and, eq, isNull, sql } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { randomToken, sha256 } from '../../platform/crypto';
import { AppError, ValidationError } from '../../platform/errors';
import { passwordProblem } from '../domain/passwords';
import { SECOND_FACTOR_SOURCE } from '../domain/throttle';
import { emailKey, type PeopleContext, type Tx } from '../people.context';
import { accountTokens, sessions, users } from '../people.schema';
import { peopleRepository } from '../people.repository';

// The steps every account use case shares: passwords, one-time codes, emailed links, sessions' second factor.

// Algorithm.Argon2id is 2 in @node-rs/argon2 (an ambient const enum, so named here by value).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** An argon2id hash of a password (OWASP's parameters). */
export const hashPassword = (password: string) => hash(password, ARGON2);

let decoy: Promise<string> | undefined;
/** Verifying against this when no account matches keeps the timing of "no such account" and "wrong password" alike. */
export const decoyHash = (): Promise<string> => {
  decoy ??= hashPassword(randomToken());
  return decoy;
};

function totpFor(ctx: PeopleContext, secret: string, email: string) {
  return new OTPAuth.TOTP({ issuer: ctx.providerName, label: email, algorithm: 'SHA1', digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

/** The otpauth:// URI an authenticator app reads (as a QR code) for this secret. */
export const totpUri = (ctx: PeopleContext, secret: string, email: string): string => totpFor(ctx, secret, email).toString();

/**
 * Which time step (30-second periods since 1970) a TOTP code belongs to, the current one or either
 * neighbour (clock drift); null for a wrong code. Says nothing of whether it was used: see checkTotp.
 */
export function totpStepOf(ctx: PeopleContext, secret: string, email: string, code: string): number | null {
  const token = code.replace(/\s/g, '');
  // Only six ASCII digits can match: anything else ("éééééé", full-width digits) is a wrong code, and
  // must not reach otpauth's byte comparison, which throws on inputs of another byte length.
  if (!/^[0-9]{6}$/.test(token)) return null;
  const timestamp = ctx.now().getTime();
  const delta = totpFor(ctx, secret, email).validate({ token, timestamp, window: 1 });
  return delta === null ? null : Math.floor(timestamp / 30_000) + delta;
}

/** Accepts a TOTP code once: returns its time step, which must be newer than `lastStep`; null for a wrong or spent code. */
export function checkTotp(ctx: PeopleContext, secret: string, email: string, code: string, lastStep: number | null): number | null {
  const step = totpStepOf(ctx, secret, email, code);
  if (step === null || (lastStep !== null && step <= lastStep)) return null;
  return step;
}

export type LinkPurpose = 'invitation' | 'password_reset';

/**
 * Issues the token of an emailed link (an invitation or a reset), kept as its hash to check it by and
 * sealed (ctx.secrets) so the email, written after commit by an event handler, can show it; returns the
 * token's id, which the event carries instead of the token (docs/adr/0030).
 */
export async function issueAccountToken(ctx: PeopleContext, tx: Tx, userId: string, purpose: LinkPurpose, expiresAt: Date): Promise<string> {
  const token = randomToken();
  const [row] = await tx.insert(accountTokens).values({ tokenHash: sha256(token), tokenSealed: ctx.secrets.seal(token), userId, purpose, expiresAt, createdAt: ctx.now() }).returning({ id: accountTokens.id });
  return row!.id;
}

/** The URL of an emailed link with this (opened) token. */
export const accountLinkUrl = (baseUrl: string, purpose: LinkPurpose, token: string): string => `${baseUrl}/${purpose === 'invitation' ? 'invitations' : 'password-reset'}/${token}`;

/** The unspent, unexpired link and its live account, or undefined. */
export async function validLink(ctx: PeopleContext, token: string, purpose: 'invitation' | 'password_reset') {
  const row = await peopleRepository.findAccountToken(ctx.db, sha256(token), purpose);
  if (!row || row.usedAt || row.expiresAt.getTime() <= ctx.now().getTime()) return undefined;
  const user = await peopleRepository.findUser(ctx.db, row.userId);
  if (!user || user.deactivatedAt) return undefined;
  return { row, user };
}

/** Raises ValidationError { password } when a new password may not be used (src/people/domain/passwords.ts). */
export function checkNewPassword(password: string, user: { name: string; email: string }): void {
  const problem = passwordProblem(password, [user.name, user.email]);
  if (problem) throw new ValidationError({ password: problem });
}

/**
 * Every way of setting a password ends here. A new password ends every emailed link the account has
 * (invitations, resets, whatever comes later) and every session but the one that set it, in case the
 * old password or a link was known to someone else; waits on the address's sign-in counters end.
 * Returns the ids of the links it ended, for a caller that must have spent its own.
 */
export async function setPassword(ctx: PeopleContext, tx: Tx, user: { id: string; email: string }, passwordHash: string, keepSessionId?: string): Promise<string[]> {
  const now = ctx.now();
  const ended = await tx
    .update(accountTokens)
    .set({ usedAt: now })
    .where(and(eq(accountTokens.userId, user.id), isNull(accountTokens.usedAt)))
    .returning({ id: accountTokens.id });
  await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, user.id));
  await tx
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt), keepSessionId ? sql`${sessions.id} <> ${keepSessionId}` : undefined));
  await peopleRepository.clearFailures(tx, emailKey(user.email), { except: SECOND_FACTOR_SOURCE });
  return ended.map((t) => t.id);
}

/**
 * Uses an emailed link once and sets the password. Spending it ends every other link of the account in
 * the same statement, so of two links used at once only one succeeds (the other finds its own spent):
 * AppError link_expired (410) then, or for a link not valid at all.
 */
export async function spendLinkAndSetPassword(
  ctx: PeopleContext,
  token: string,
  purpose: 'invitation' | 'password_reset',
  password: string,
  alsoInTransaction: (tx: Tx, user: { id: string; email: string }) => Promise<void>,
): Promise<void> {
  const expired = () => new AppError('link_expired', 'This link has expired or has already been used', 410);
  const found = await validLink(ctx, token, purpose);
  if (!found) throw expired();
  checkNewPassword(password, found.user);
  const passwordHash = await hashPassword(password);
  await ctx.db.transaction(async (tx) => {
    const ended = await setPassword(ctx, tx, found.user, passwordHash);
    if (!ended.includes(found.row.id)) throw expired();
    await alsoInTransaction(tx, found.user);
  });
  await ctx.forget(found.user.id);
}
