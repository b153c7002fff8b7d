import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNull, sql } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import { accountTokens, recoveryCodes, roleAssignments, sessions, users } from './people.schema';
import { enqueueEmail } from '../mail/outbox';
import { EVERYTHING, type Notifier } from '../platform/notifier';
import type { Clock } from '../platform/clock';
import { randomToken, type SecretBox, sha256 } from '../platform/crypto';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../platform/errors';
import type { Actor } from '../platform/auth/actor';
import { formatRecoveryCode, INVITATION_DAYS, normaliseRecoveryCode, RESET_MINUTES, SESSION_IDLE_HOURS } from './domain/credentials';
import { passwordProblem } from './domain/passwords';
import { mayAssign, mayManageUser, peopleAbilities, userScopeFilter } from './domain/people.policy';
import {
  ACCOUNT_POLICY,
  ACCOUNT_SOURCE,
  addressSource,
  deviceSource,
  minutesUntil,
  SECOND_FACTOR_POLICY,
  SECOND_FACTOR_SOURCE,
  SOURCE_POLICY,
  signInGates,
} from './domain/throttle';
import { ROLE_LABELS, ROLE_SCOPES, type Role, type RoleAssignment, STAFF_ROLES, type ScopeType } from './domain/roles';
import { peopleRepository, type UserFilter } from './people.repository';

export interface PeopleDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  baseUrl: string;
  providerName: string;
  /** Checks a password against a hash; argon2id unless a test counts the checks. */
  verifyPassword?: (hash: string, password: string) => Promise<boolean>;
  /** Tells the other processes of a change to someone's sessions, so their cached sessions go too (docs/adr/0031). */
  notifier?: Notifier;
}

// Algorithm.Argon2id is 2 in @node-rs/argon2 (an ambient const enum, so named here by value).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => hash(password, ARGON2);
// Verifying against this when no account matches keeps the timing of "no such account" and "wrong password" alike.
let decoyHash: Promise<string> | undefined;

export type SignInResult =
  | { outcome: 'signed_in' | 'second_factor' | 'set_up_second_factor'; sessionToken: string; deviceId: string }
  | { outcome: 'failed' }
  | { outcome: 'locked'; retryAfterMinutes: number };

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

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const emailKey = (email: string) => email.trim().toLowerCase();
const needsSecondFactor = (roles: RoleAssignment[]) => roles.some((r) => STAFF_ROLES.has(r.role));

function requireUser(actor: Actor) {
  if (actor.kind !== 'user') throw new UnauthenticatedError();
  return actor;
}

/**
 * Signed-in requests look their session up here first. An entry lives a few seconds, and every change
 * to a person's sessions, roles or second factor made through this service drops theirs at once, so
 * revocation is immediate in this process and at most SESSION_CACHE_MS late in another.
 */
const SESSION_CACHE_MS = 10_000;
const SESSION_CACHE_MAX = 20_000;

export function createPeopleService(deps: PeopleDeps) {
  const { db, clock, secrets } = deps;
  const verifyPassword = deps.verifyPassword ?? verify;
  decoyHash ??= hashPassword(randomToken());
  const sessionCache = new Map<string, { actor: Actor; until: number }>();
  const cachedTokensOf = new Map<string, Set<string>>();
  const forgetHere = (userId: string) => {
    if (userId === EVERYTHING) {
      sessionCache.clear();
      cachedTokensOf.clear();
      return;
    }
    for (const hash of cachedTokensOf.get(userId) ?? []) sessionCache.delete(hash);
    cachedTokensOf.delete(userId);
  };
  // A session revoked, a role or second factor changed in any process is refused in every one at once (docs/adr/0031).
  deps.notifier?.subscribe('sessions', forgetHere);
  const forget = (userId: string) => {
    forgetHere(userId);
    return deps.notifier?.publish('sessions', userId).catch(() => undefined);
  };
  const now = () => clock.now();
  const hoursFromNow = (h: number) => new Date(now().getTime() + h * 3_600_000);

  async function createSession(userId: string, secondFactorDone: boolean, userAgent?: string) {
    const token = randomToken();
    await db.insert(sessions).values({
      tokenHash: sha256(token),
      userId,
      secondFactorDone,
      userAgent: userAgent?.slice(0, 300) ?? null,
      createdAt: now(),
      lastSeenAt: now(),
      expiresAt: hoursFromNow(SESSION_IDLE_HOURS),
    });
    return token;
  }

  function totpFor(secret: string, email: string) {
    return new OTPAuth.TOTP({
      issuer: deps.providerName,
      label: email,
      algorithm: 'SHA1',
      digits: 6,
      period: 30,
      secret: OTPAuth.Secret.fromBase32(secret),
    });
  }

  /** Accepts a TOTP code once: the step it belongs to must be newer than the last one used. */
  function checkTotp(secret: string, email: string, code: string, lastStep: number | null): number | null {
    const token = code.replace(/\s/g, '');
    // Only six ASCII digits can match: anything else ("éééééé", full-width digits) is a wrong code, and
    // must not reach otpauth's byte comparison, which throws on inputs of another byte length.
    if (!/^[0-9]{6}$/.test(token)) return null;
    const totp = totpFor(secret, email);
    const timestamp = now().getTime();
    const delta = totp.validate({ token, timestamp, window: 1 });
    if (delta === null) return null;
    const step = Math.floor(timestamp / 30_000) + delta;
    if (lastStep !== null && step <= lastStep) return null;
    return step;
  }

  async function inviteLink(userId: string, purpose: 'invitation' | 'password_reset', expiresAt: Date, tx: Tx) {
    const token = randomToken();
    await tx.insert(accountTokens).values({ tokenHash: sha256(token), userId, purpose, expiresAt, createdAt: now() });
    return `${deps.baseUrl}/${purpose === 'invitation' ? 'invitations' : 'password-reset'}/${token}`;
  }

  async function validToken(token: string, purpose: 'invitation' | 'password_reset') {
    const row = await peopleRepository.findAccountToken(db, sha256(token), purpose);
    if (!row || row.usedAt || row.expiresAt.getTime() <= now().getTime()) return undefined;
    const user = await peopleRepository.findUser(db, row.userId);
    if (!user || user.deactivatedAt) return undefined;
    return { row, user };
  }

  /** Raises ValidationError { password } when a new password may not be used (src/people/domain/passwords.ts). */
  function checkNewPassword(password: string, user: { name: string; email: string }) {
    const problem = passwordProblem(password, [user.name, user.email]);
    if (problem) throw new ValidationError({ password: problem });
  }

  /**
   * Every way of setting a password ends here. A new password ends every emailed link the account has
   * (invitations, resets, whatever comes later) and every session but the one that set it, in case the
   * old password or a link was known to someone else; waits on the address's sign-in counters end.
   * Returns the ids of the links it ended, for a caller that must have spent its own.
   */
  async function setPassword(tx: Tx, user: { id: string; email: string }, passwordHash: string, keepSessionId?: string): Promise<string[]> {
    const ended = await tx
      .update(accountTokens)
      .set({ usedAt: now() })
      .where(and(eq(accountTokens.userId, user.id), isNull(accountTokens.usedAt)))
      .returning({ id: accountTokens.id });
    await tx.update(users).set({ passwordHash, updatedAt: now() }).where(eq(users.id, user.id));
    await tx
      .update(sessions)
      .set({ revokedAt: now() })
      .where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt), keepSessionId ? sql`${sessions.id} <> ${keepSessionId}` : undefined));
    await peopleRepository.clearFailures(tx, emailKey(user.email), { except: SECOND_FACTOR_SOURCE });
    return ended.map((t) => t.id);
  }

  /**
   * Uses an emailed link once and sets the password. Spending it ends every other link of the account in
   * the same statement, so of two links used at once only one succeeds (the other finds its own spent).
   */
  async function spendLinkAndSetPassword(token: string, purpose: 'invitation' | 'password_reset', password: string, alsoInTransaction: (tx: Tx, user: { id: string; email: string }) => Promise<void>) {
    const expired = () => new AppError('link_expired', 'This link has expired or has already been used', 410);
    const found = await validToken(token, purpose);
    if (!found) throw expired();
    checkNewPassword(password, found.user);
    const passwordHash = await hashPassword(password);
    await db.transaction(async (tx) => {
      const ended = await setPassword(tx, found.user, passwordHash);
      if (!ended.includes(found.row.id)) throw expired();
      await alsoInTransaction(tx, found.user);
    });
    await forget(found.user.id);
  }

  /** Gives a half-signed-in session its second factor under a new cookie value, so a value seen before it was trusted is worth nothing. */
  async function completeSession(tx: Tx, sessionId: string): Promise<string> {
    const token = randomToken();
    await tx.update(sessions).set({ secondFactorDone: true, tokenHash: sha256(token), lastSeenAt: now() }).where(eq(sessions.id, sessionId));
    return token;
  }

  /** Ends every session of the person still waiting for a second factor. */
  async function endHalfSignedIn(tx: Tx | Db, userId: string) {
    await tx.update(sessions).set({ revokedAt: now() }).where(and(eq(sessions.userId, userId), eq(sessions.secondFactorDone, false), isNull(sessions.revokedAt)));
  }

  async function loadManageable(actor: Actor, userId: string) {
    const user = await peopleRepository.findUser(db, userId);
    if (!user) throw new NotFoundError('user');
    const roles = await peopleRepository.rolesOf(db, userId);
    if (!mayManageUser(actor, roles)) throw new NotFoundError('user');
    return { user, roles };
  }

  function authoriseUserManagement(actor: Actor) {
    if (!peopleAbilities(actor).manageUsers) throw new ForbiddenError();
  }

  function checkScope(role: Role, scopeType: ScopeType, scopeId: string | null) {
    if (!ROLE_SCOPES[role].includes(scopeType)) {
      throw new ValidationError({ scopeType: `${ROLE_LABELS[role]} cannot be given at that level` });
    }
    if (scopeType !== 'provider' && !scopeId) throw new ValidationError({ scopeId: 'Select a delivery partner' });
  }

  return {
    /**
     * Password sign-in, throttled per address and source (docs/adr/0019): the attempt is counted before
     * the password is checked and given back when it is right. `ip` is the client's address; `deviceId`
     * the value of a valid device cookie, if the browser sent one. An unknown address costs the same
     * argon2 check as a known one and leaves the same counters, so neither the answer, its timing nor a
     * wait tells whether an account exists. A success returns the device id to keep in the cookie.
     */
    async signIn(input: { email: string; password: string; userAgent?: string; ip?: string; deviceId?: string }): Promise<SignInResult> {
      const key = emailKey(input.email);
      const attempt = { ipSource: addressSource(input.ip ?? 'unknown'), deviceSource: input.deviceId ? deviceSource(input.deviceId) : undefined };
      const rows = await peopleRepository.throttleRows(db, key, [ACCOUNT_SOURCE, attempt.ipSource, ...(attempt.deviceSource ? [attempt.deviceSource] : [])]);
      const gate = signInGates(rows, attempt, now());
      const waitingUntil = (source: string) => rows.find((r) => r.source === source)?.lockedUntil ?? now();
      const own = await peopleRepository.chargeFailure(db, key, gate.source, SOURCE_POLICY, now());
      if (!own) return { outcome: 'locked', retryAfterMinutes: minutesUntil(waitingUntil(gate.source), now()) };
      const ceiling = await peopleRepository.chargeFailure(db, key, ACCOUNT_SOURCE, ACCOUNT_POLICY, now());
      if (!ceiling && gate.ceilingApplies) {
        await peopleRepository.refundFailure(db, key, gate.source, SOURCE_POLICY);
        return { outcome: 'locked', retryAfterMinutes: minutesUntil(waitingUntil(ACCOUNT_SOURCE), now()) };
      }

      const user = await peopleRepository.findUserByEmail(db, key);
      const passwordOk =
        user?.passwordHash && !user.deactivatedAt
          ? await verifyPassword(user.passwordHash, input.password)
          : (await verifyPassword(await decoyHash!, input.password)) && false;
      if (!user || !passwordOk) {
        if (ceiling?.failures === ACCOUNT_POLICY.freeFailures) {
          await audit(db, clock, { kind: 'system', name: 'sign-in' }, { action: 'sign_in.ceiling_reached', entityType: 'email', entityId: key, after: { failures: ceiling.failures, lockedUntil: ceiling.lockedUntil } });
        }
        const until = [own.lockedUntil, gate.ceilingApplies ? ceiling?.lockedUntil : null].filter((d): d is Date => Boolean(d)).sort((a, b) => b.getTime() - a.getTime())[0];
        return until ? { outcome: 'locked', retryAfterMinutes: minutesUntil(until, now()) } : { outcome: 'failed' };
      }

      const deviceId = input.deviceId ?? randomToken();
      if (ceiling) await peopleRepository.refundFailure(db, key, ACCOUNT_SOURCE, ACCOUNT_POLICY);
      await peopleRepository.recordSuccess(db, key, [attempt.ipSource, deviceSource(deviceId)], now());
      const roles = await peopleRepository.rolesOf(db, user.id);
      const staff = needsSecondFactor(roles);
      const sessionToken = await createSession(user.id, !staff, input.userAgent);
      if (!staff) return { outcome: 'signed_in', sessionToken, deviceId };
      return { outcome: user.totpEnabledAt ? 'second_factor' : 'set_up_second_factor', sessionToken, deviceId };
    },

    /**
     * A code from the authenticator app, or one of the recovery codes. Wrong codes are counted per account
     * from every address together: the tenth ends the person's half-signed-in sessions and the account
     * waits (15 minutes, then longer) before any code is checked again; raises SecondFactorLockedError
     * then, ValidationError { code } for a wrong code before it. Returns the session's new cookie value.
     */
    async completeSecondFactor(actor: Actor, code: string): Promise<{ usedRecoveryCode: boolean; recoveryCodesLeft: number; sessionToken: string }> {
      const me = requireUser(actor);
      const user = await peopleRepository.findUser(db, me.userId);
      if (!user?.totpSecret || !user.totpEnabledAt) throw new ForbiddenError('Set up two-factor authentication first');
      const key = emailKey(user.email);
      const charged = await peopleRepository.chargeFailure(db, key, SECOND_FACTOR_SOURCE, SECOND_FACTOR_POLICY, now());
      if (!charged) {
        const [row] = await peopleRepository.throttleRows(db, key, [SECOND_FACTOR_SOURCE]);
        await endHalfSignedIn(db, user.id);
        await forget(user.id);
        throw new SecondFactorLockedError(minutesUntil(row?.lockedUntil ?? now(), now()));
      }
      const succeed = async (recoveryCodeId?: string, totpStep?: number) => {
        const sessionToken = await db.transaction(async (tx) => {
          if (totpStep !== undefined) await tx.update(users).set({ totpLastStep: totpStep }).where(eq(users.id, user.id));
          if (recoveryCodeId) {
            const spent = await tx.update(recoveryCodes).set({ usedAt: now() }).where(and(eq(recoveryCodes.id, recoveryCodeId), isNull(recoveryCodes.usedAt))).returning({ id: recoveryCodes.id });
            if (spent.length === 0) throw new ValidationError({ code: 'That recovery code has already been used. Enter another, or the 6-digit code from your app' });
            await audit(tx, clock, actor, { action: 'user.recovery_code_used', entityType: 'user', entityId: user.id });
          }
          await peopleRepository.clearFailures(tx, key, { only: SECOND_FACTOR_SOURCE });
          return completeSession(tx, me.sessionId);
        });
        await forget(user.id);
        return sessionToken;
      };

      const step = checkTotp(secrets.open(user.totpSecret), user.email, code, user.totpLastStep);
      if (step !== null) {
        const sessionToken = await succeed(undefined, step);
        const left = await peopleRepository.unusedRecoveryCodes(db, user.id);
        return { usedRecoveryCode: false, recoveryCodesLeft: left.length, sessionToken };
      }
      const codes = await peopleRepository.unusedRecoveryCodes(db, user.id);
      const match = codes.find((c) => c.codeHash === sha256(normaliseRecoveryCode(code)));
      if (match) return { usedRecoveryCode: true, recoveryCodesLeft: codes.length - 1, sessionToken: await succeed(match.id) };

      if (charged.lockedUntil) {
        await db.transaction(async (tx) => {
          await endHalfSignedIn(tx, user.id);
          await audit(tx, clock, actor, { action: 'user.second_factor_locked', entityType: 'user', entityId: user.id, after: { failures: charged.failures, lockedUntil: charged.lockedUntil } });
          await enqueueEmail(tx, clock, {
            to: user.email,
            subject: `Too many wrong security codes for your ${deps.providerName} account`,
            body: `Hello ${user.name},\n\nSomeone signed in to your account with your password, then entered ${charged.failures} wrong security codes. We have signed them out, and no code will be accepted for ${minutesUntil(charged.lockedUntil!, now())} minutes.\n\nIf this was you, wait, then sign in again. If it was not, someone knows your password: reset it now at ${deps.baseUrl}/password-reset\n`,
          });
        });
        await forget(user.id);
        throw new SecondFactorLockedError(minutesUntil(charged.lockedUntil, now()));
      }
      const left = SECOND_FACTOR_POLICY.freeFailures - charged.failures;
      throw new ValidationError({ code: `The code is not correct. Enter the 6-digit code from your app, or a recovery code. ${left === 1 ? 'You have 1 more try' : `You have ${left} more tries`} before you are signed out` });
    },

    /** A new secret, kept sealed on the account until a code from it is confirmed. */
    async beginTwoFactorSetup(actor: Actor): Promise<{ secret: string; uri: string }> {
      const me = requireUser(actor);
      const user = await peopleRepository.findUser(db, me.userId);
      if (!user) throw new UnauthenticatedError();
      if (user.totpEnabledAt) throw new ConflictError('two_factor_already_set_up', 'Two-factor authentication is already set up');
      let secret = user.totpSecret ? secrets.open(user.totpSecret) : undefined;
      if (!secret) {
        secret = new OTPAuth.Secret({ size: 20 }).base32;
        await db.update(users).set({ totpSecret: secrets.seal(secret) }).where(eq(users.id, user.id));
      }
      return { secret, uri: totpFor(secret, user.email).toString() };
    },

    /** Turns two-factor on with a code from the new secret; returns the recovery codes and the session's new cookie value. */
    async confirmTwoFactorSetup(actor: Actor, code: string): Promise<{ codes: string[]; sessionToken: string }> {
      const me = requireUser(actor);
      const user = await peopleRepository.findUser(db, me.userId);
      if (!user?.totpSecret || user.totpEnabledAt) throw new ConflictError('two_factor_not_pending', 'Start setting up two-factor authentication again');
      const step = checkTotp(secrets.open(user.totpSecret), user.email, code, null);
      if (step === null) throw new ValidationError({ code: 'The code is not correct. Enter the 6-digit code your app shows now' });
      const codes = Array.from({ length: 10 }, () => formatRecoveryCode(randomBytes(8)));
      const sessionToken = await db.transaction(async (tx) => {
        await tx.update(users).set({ totpEnabledAt: now(), totpLastStep: step, updatedAt: now() }).where(eq(users.id, user.id));
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
        await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: sha256(c) })));
        await audit(tx, clock, actor, { action: 'user.two_factor_enabled', entityType: 'user', entityId: user.id });
        return completeSession(tx, me.sessionId);
      });
      await forget(user.id);
      return { codes, sessionToken };
    },

    async signOut(actor: Actor): Promise<void> {
      if (actor.kind !== 'user') return;
      await db.update(sessions).set({ revokedAt: now() }).where(eq(sessions.id, actor.sessionId));
      await forget(actor.userId);
    },

    async sessionsOf(actor: Actor) {
      const me = requireUser(actor);
      return peopleRepository.sessionsOf(db, me.userId, now());
    },

    async revokeSession(actor: Actor, sessionId: string): Promise<void> {
      const me = requireUser(actor);
      const [session] = await db.select().from(sessions).where(eq(sessions.id, sessionId));
      if (!session) throw new NotFoundError('session');
      if (session.userId !== me.userId) await loadManageable(actor, session.userId);
      await db.transaction(async (tx) => {
        await tx.update(sessions).set({ revokedAt: now() }).where(eq(sessions.id, sessionId));
        await audit(tx, clock, actor, { action: 'session.revoked', entityType: 'user', entityId: session.userId, after: { sessionId } });
      });
      await forget(session.userId);
    },

    /**
     * Invites someone new by email, with one role. An address that already has an account the inviter
     * may see is refused with ValidationError { email } (they can give the role on the person's page).
     * One the inviter may not see (a lead, and an account with roles outside their partners) is answered
     * exactly as a new invitation is, so a lead cannot use this to find out who has an account: nothing
     * changes, the person is told by email, and the audit log keeps it for the provider admin.
     * Returns the new account's id, or undefined in that case.
     */
    async inviteStaff(
      actor: Actor,
      input: { name: string; email: string; role: Role; scopeType: ScopeType; scopeId: string | null },
    ): Promise<{ userId: string | undefined }> {
      authoriseUserManagement(actor);
      checkScope(input.role, input.scopeType, input.scopeId);
      if (!mayAssign(actor, input.role, input.scopeType, input.scopeId)) throw new ForbiddenError('You cannot give that role');
      const existing = await peopleRepository.findUserByEmail(db, input.email);
      if (existing) {
        if (mayManageUser(actor, await peopleRepository.rolesOf(db, existing.id))) {
          throw new ValidationError({ email: 'This person already has an account. Find them in the list of users and give them the role there' });
        }
        await db.transaction(async (tx) => {
          await enqueueEmail(tx, clock, {
            to: existing.email,
            subject: `An invitation to ${deps.providerName}'s NPQ Platform`,
            body: `Hello ${existing.name},\n\n${actor.kind === 'user' ? actor.name : 'Someone'} tried to invite you to NPQ Platform as ${ROLE_LABELS[input.role]}. You already have an account, so nothing has changed.\n\nIf you expect this role, ask your provider admin to add it to your account. You sign in as usual at ${deps.baseUrl}/sign-in\n`,
          });
          await audit(tx, clock, actor, { action: 'user.invitation_to_existing_account', entityType: 'user', entityId: existing.id, after: { role: input.role, scopeType: input.scopeType, scopeId: input.scopeId } });
        });
        return { userId: undefined };
      }
      const userId = await db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({ name: input.name, email: input.email.trim(), createdAt: now(), updatedAt: now() })
          .returning({ id: users.id });
        const assignment = { userId: user!.id, role: input.role, scopeType: input.scopeType, scopeId: input.scopeId };
        await tx.insert(roleAssignments).values(assignment);
        const link = await inviteLink(user!.id, 'invitation', hoursFromNow(24 * INVITATION_DAYS), tx);
        await enqueueEmail(tx, clock, {
          to: input.email,
          subject: `You have been invited to ${deps.providerName}'s NPQ Platform`,
          body: `Hello ${input.name},\n\nYou have been invited to NPQ Platform as ${ROLE_LABELS[input.role]}.\n\nSet your password within ${INVITATION_DAYS} days:\n${link}\n\nIf you were not expecting this, you can ignore this email.\n`,
        });
        await audit(tx, clock, actor, { action: 'user.invited', entityType: 'user', entityId: user!.id, after: { name: input.name, email: input.email, ...assignment } });
        return user!.id;
      });
      return { userId };
    },

    async resendInvitation(actor: Actor, userId: string): Promise<void> {
      authoriseUserManagement(actor);
      const { user } = await loadManageable(actor, userId);
      if (user.passwordHash) throw new ConflictError('already_accepted', 'This person has already set their password');
      await db.transaction(async (tx) => {
        await tx.update(accountTokens).set({ usedAt: now() }).where(and(eq(accountTokens.userId, userId), eq(accountTokens.purpose, 'invitation'), isNull(accountTokens.usedAt)));
        const link = await inviteLink(userId, 'invitation', hoursFromNow(24 * INVITATION_DAYS), tx);
        await enqueueEmail(tx, clock, {
          to: user.email,
          subject: `Your invitation to ${deps.providerName}'s NPQ Platform`,
          body: `Hello ${user.name},\n\nHere is a new link to set your password (valid for ${INVITATION_DAYS} days):\n${link}\n`,
        });
        await audit(tx, clock, actor, { action: 'user.invitation_resent', entityType: 'user', entityId: userId });
      });
    },

    /**
     * Anyone may ask for an applicant's account. The answer never says whether the address already has
     * one: a new address gets a link to choose a password, a known one gets a note on how to sign in.
     */
    async requestApplicantAccount(input: { name: string; email: string }): Promise<void> {
      const email = input.email.trim();
      const existing = await peopleRepository.findUserByEmail(db, email);
      await db.transaction(async (tx) => {
        if (existing) {
          await enqueueEmail(tx, clock, {
            to: existing.email,
            subject: `You already have an account with ${deps.providerName}`,
            body: `Hello ${existing.name},\n\nSomeone, probably you, asked to create an account with this email address. You already have one: sign in at ${deps.baseUrl}/sign-in\n\nForgotten your password? Reset it at ${deps.baseUrl}/password-reset\n`,
          });
          return;
        }
        const [user] = await tx.insert(users).values({ name: input.name.trim(), email, createdAt: now(), updatedAt: now() }).returning({ id: users.id });
        const link = await inviteLink(user!.id, 'invitation', hoursFromNow(24 * INVITATION_DAYS), tx);
        await enqueueEmail(tx, clock, {
          to: email,
          subject: `Finish creating your ${deps.providerName} account`,
          body: `Hello ${input.name.trim()},\n\nTo finish creating your account and start your NPQ application, choose a password within ${INVITATION_DAYS} days:\n${link}\n\nIf you did not ask for this, you can ignore this email.\n`,
        });
        await audit(tx, clock, { kind: 'system', name: 'self-service' }, { action: 'user.account_requested', entityType: 'user', entityId: user!.id, after: { name: input.name, email } });
      });
    },

    async invitationFor(token: string) {
      const found = await validToken(token, 'invitation');
      return found ? { name: found.user.name, email: found.user.email } : undefined;
    },

    async acceptInvitation(token: string, password: string): Promise<void> {
      await spendLinkAndSetPassword(token, 'invitation', password, async (tx, user) => {
        await audit(tx, clock, { kind: 'system', name: 'invitation' }, { action: 'user.invitation_accepted', entityType: 'user', entityId: user.id });
      });
    },

    /**
     * Emails a reset link to an account's address; does nothing for an unknown one. The page answers the
     * same either way, and the route runs this after the response has gone (afterResponse in
     * src/platform/web.tsx), so its timing cannot tell who has an account either.
     */
    async requestPasswordReset(email: string): Promise<void> {
      const user = await peopleRepository.findUserByEmail(db, email);
      if (!user || user.deactivatedAt || !user.passwordHash) return;
      await db.transaction(async (tx) => {
        const link = await inviteLink(user.id, 'password_reset', new Date(now().getTime() + RESET_MINUTES * 60_000), tx);
        await enqueueEmail(tx, clock, {
          to: user.email,
          subject: 'Reset your NPQ Platform password',
          body: `Hello ${user.name},\n\nUse this link within ${RESET_MINUTES} minutes to choose a new password. It works once.\n${link}\n\nIf you did not ask for this, you can ignore this email: your password has not changed.\n`,
        });
        await audit(tx, clock, { kind: 'system', name: 'password reset' }, { action: 'user.password_reset_requested', entityType: 'user', entityId: user.id });
      });
    },

    async passwordResetValid(token: string): Promise<boolean> {
      return Boolean(await validToken(token, 'password_reset'));
    },

    /** Sets a new password from an emailed link; ends every session, every other link, and the waits on sign-in for the address. */
    async resetPassword(token: string, password: string): Promise<void> {
      await spendLinkAndSetPassword(token, 'password_reset', password, async (tx, user) => {
        await audit(tx, clock, { kind: 'system', name: 'password reset' }, { action: 'user.password_reset', entityType: 'user', entityId: user.id });
      });
    },

    /**
     * A signed-in person changes their password: the current one first (ValidationError { currentPassword }),
     * then the new one as every new password is judged (ValidationError { password }). Ends their other
     * sessions and every emailed link of the account, and tells them by email.
     */
    async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
      const me = requireUser(actor);
      if (!me.fullySignedIn) throw new UnauthenticatedError();
      const user = await peopleRepository.findUser(db, me.userId);
      if (!user?.passwordHash || user.deactivatedAt) throw new UnauthenticatedError();
      if (!(await verifyPassword(user.passwordHash, currentPassword))) throw new ValidationError({ currentPassword: 'Your current password is not correct' });
      checkNewPassword(newPassword, user);
      const passwordHash = await hashPassword(newPassword);
      await db.transaction(async (tx) => {
        await setPassword(tx, user, passwordHash, me.sessionId);
        await audit(tx, clock, actor, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
        await enqueueEmail(tx, clock, {
          to: user.email,
          subject: `Your ${deps.providerName} password has been changed`,
          body: `Hello ${user.name},\n\nThe password for your account was changed, and every other device was signed out.\n\nIf you did not do this, reset your password now at ${deps.baseUrl}/password-reset and tell your provider admin.\n`,
        });
      });
      await forget(user.id);
    },

    async listUsers(actor: Actor, filter: Omit<UserFilter, 'partnerIds'>, page: number, perPage = 25) {
      authoriseUserManagement(actor);
      const scope = userScopeFilter(actor);
      const scoped: UserFilter = 'all' in scope ? filter : { ...filter, partnerIds: scope.partnerIds };
      return peopleRepository.listUsers(db, scoped, page, perPage);
    },

    async userDetails(actor: Actor, userId: string) {
      authoriseUserManagement(actor);
      const { user, roles } = await loadManageable(actor, userId);
      const activeSessions = await peopleRepository.sessionsOf(db, userId, now());
      return {
        id: user.id,
        name: user.name,
        email: user.email,
        invited: !user.passwordHash,
        deactivatedAt: user.deactivatedAt,
        twoFactor: Boolean(user.totpEnabledAt),
        roles,
        sessions: activeSessions.map((s) => ({ id: s.id, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, userAgent: s.userAgent })),
      };
    },

    async assignRole(actor: Actor, userId: string, input: { role: Role; scopeType: ScopeType; scopeId: string | null }) {
      authoriseUserManagement(actor);
      await loadManageable(actor, userId);
      checkScope(input.role, input.scopeType, input.scopeId);
      if (!mayAssign(actor, input.role, input.scopeType, input.scopeId)) throw new ForbiddenError('You cannot give that role');
      await db.transaction(async (tx) => {
        const dup = await tx
          .select({ id: roleAssignments.id })
          .from(roleAssignments)
          .where(and(eq(roleAssignments.userId, userId), eq(roleAssignments.role, input.role), eq(roleAssignments.scopeType, input.scopeType), input.scopeId ? eq(roleAssignments.scopeId, input.scopeId) : isNull(roleAssignments.scopeId)));
        if (dup.length) return; // already held: giving it again changes nothing
        const [row] = await tx.insert(roleAssignments).values({ userId, ...input }).returning();
        await audit(tx, clock, actor, { action: 'role.assigned', entityType: 'user', entityId: userId, after: { id: row!.id, ...input } });
      });
      await forget(userId);
    },

    async removeRole(actor: Actor, userId: string, assignmentId: string) {
      authoriseUserManagement(actor);
      const { roles } = await loadManageable(actor, userId);
      const assignment = roles.find((r) => r.id === assignmentId);
      if (!assignment) throw new NotFoundError('role');
      if (!mayAssign(actor, assignment.role, assignment.scopeType, assignment.scopeId)) throw new ForbiddenError('You cannot remove that role');
      if (actor.kind === 'user' && actor.userId === userId && assignment.role === 'provider_admin') {
        throw new ValidationError({ role: 'You cannot remove your own provider admin role; ask another admin' });
      }
      await db.transaction(async (tx) => {
        await tx.delete(roleAssignments).where(eq(roleAssignments.id, assignmentId));
        await audit(tx, clock, actor, { action: 'role.removed', entityType: 'user', entityId: userId, before: assignment });
      });
      await forget(userId);
    },

    async setDeactivated(actor: Actor, userId: string, deactivated: boolean) {
      authoriseUserManagement(actor);
      const { user } = await loadManageable(actor, userId);
      if (actor.kind === 'user' && actor.userId === userId) throw new ValidationError({ form: 'You cannot deactivate your own account' });
      await db.transaction(async (tx) => {
        await tx.update(users).set({ deactivatedAt: deactivated ? now() : null, updatedAt: now() }).where(eq(users.id, userId));
        if (deactivated) {
          // Reactivating must not bring back a session or an emailed link from before.
          await tx.update(sessions).set({ revokedAt: now() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
          await tx.update(accountTokens).set({ usedAt: now() }).where(and(eq(accountTokens.userId, userId), isNull(accountTokens.usedAt)));
        }
        await audit(tx, clock, actor, {
          action: deactivated ? 'user.deactivated' : 'user.reactivated',
          entityType: 'user',
          entityId: userId,
          before: { deactivatedAt: user.deactivatedAt },
          after: { deactivatedAt: deactivated ? now() : null },
        });
      });
      await forget(userId);
    },

    /** Resolves a session cookie to the person behind it; refreshes the idle timeout now and then. */
    async actorForSession(token: string): Promise<Actor | undefined> {
      const hash = sha256(token);
      const cached = sessionCache.get(hash);
      if (cached && cached.until > clock.now().getTime()) return cached.actor;
      const found = await peopleRepository.sessionWithUser(db, hash, now());
      if (!found) return undefined;
      if (now().getTime() - found.lastSeenAt.getTime() > 5 * 60_000) {
        await db
          .update(sessions)
          .set({ lastSeenAt: now(), expiresAt: hoursFromNow(SESSION_IDLE_HOURS) })
          .where(eq(sessions.id, found.sessionId));
      }
      const actor: Actor = {
        kind: 'user',
        userId: found.userId,
        sessionId: found.sessionId,
        name: found.name,
        email: found.email,
        roles: found.roles,
        fullySignedIn: found.secondFactorDone,
      };
      if (sessionCache.size >= SESSION_CACHE_MAX) sessionCache.delete(sessionCache.keys().next().value!);
      sessionCache.set(hash, { actor, until: clock.now().getTime() + SESSION_CACHE_MS });
      const tokens = cachedTokensOf.get(found.userId) ?? new Set<string>();
      tokens.add(hash);
      cachedTokensOf.set(found.userId, tokens);
      return actor;
    },

    /** For the demo and bootstrap: a user with a password and a role, created directly. */
    async createUserDirectly(input: { name: string; email: string; password: string; roles: RoleAssignment[]; totpSecret?: string }) {
      const passwordHash = await hashPassword(input.password);
      return db.transaction(async (tx) => {
        const [user] = await tx
          .insert(users)
          .values({
            name: input.name,
            email: input.email,
            passwordHash,
            totpSecret: input.totpSecret ? secrets.seal(input.totpSecret) : null,
            totpEnabledAt: input.totpSecret ? now() : null,
            createdAt: now(),
            updatedAt: now(),
          })
          .returning({ id: users.id });
        if (input.roles.length) await tx.insert(roleAssignments).values(input.roles.map((r) => ({ userId: user!.id, ...r })));
        await audit(tx, clock, { kind: 'system', name: 'setup' }, { action: 'user.created', entityType: 'user', entityId: user!.id, after: { name: input.name, email: input.email, roles: input.roles } });
        return user!.id;
      });
    },

    async hasTwoFactor(userId: string): Promise<boolean> {
      const user = await peopleRepository.findUser(db, userId);
      return Boolean(user?.totpEnabledAt);
    },

    async countUsers(): Promise<number> {
      const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
      return row?.n ?? 0;
    },
  };
}

export type PeopleService = ReturnType<typeof createPeopleService>;
