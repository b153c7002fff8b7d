import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, isNull, sql } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import { accountTokens, recoveryCodes, roleAssignments, sessions, signInThrottles, users } from '../db/schema';
import { enqueueEmail } from '../mail/outbox';
import type { Clock } from '../platform/clock';
import { randomToken, type SecretBox, sha256 } from '../platform/crypto';
import { AppError, ConflictError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../platform/errors';
import type { Actor } from './domain/actor';
import {
  afterFailure,
  formatRecoveryCode,
  INVITATION_DAYS,
  isLocked,
  normaliseRecoveryCode,
  RESET_MINUTES,
  SESSION_IDLE_HOURS,
} from './domain/credentials';
import { isProviderAdmin, ledPartners, mayAssign, mayManageUser } from './domain/policy';
import { ROLE_LABELS, ROLE_SCOPES, type Role, type RoleAssignment, STAFF_ROLES, type ScopeType } from './domain/roles';
import { peopleRepository, type UserFilter } from './people.repository';

export interface PeopleDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  baseUrl: string;
  providerName: string;
}

// Algorithm.Argon2id is 2 in @node-rs/argon2 (an ambient const enum, so named here by value).
const ARGON2 = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;
export const hashPassword = (password: string) => hash(password, ARGON2);
// Verifying against this when no account matches keeps the timing of "no such account" and "wrong password" alike.
let decoyHash: Promise<string> | undefined;

export type SignInResult =
  | { outcome: 'signed_in' | 'second_factor' | 'set_up_second_factor'; sessionToken: string }
  | { outcome: 'failed' | 'locked' };

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
  const sessionCache = new Map<string, { actor: Actor; until: number }>();
  const cachedTokensOf = new Map<string, Set<string>>();
  const forget = (userId: string) => {
    for (const hash of cachedTokensOf.get(userId) ?? []) sessionCache.delete(hash);
    cachedTokensOf.delete(userId);
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
    const totp = totpFor(secret, email);
    const timestamp = now().getTime();
    const delta = totp.validate({ token: code.replace(/\s/g, ''), timestamp, window: 1 });
    if (delta === null) return null;
    const step = Math.floor(timestamp / 30_000) + delta;
    if (lastStep !== null && step <= lastStep) return null;
    return step;
  }

  async function inviteLink(userId: string, purpose: 'invitation' | 'password_reset', expiresAt: Date, tx: Parameters<Parameters<Db['transaction']>[0]>[0]) {
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

  /** Uses an emailed link once (a second use, even a concurrent one, is refused) and sets the password. */
  async function spendLinkAndSetPassword(
    token: string,
    purpose: 'invitation' | 'password_reset',
    password: string,
    alsoInTransaction: (tx: Parameters<Parameters<Db['transaction']>[0]>[0], user: { id: string; email: string }) => Promise<void>,
  ) {
    const expired = () => new AppError('link_expired', 'This link has expired or has already been used', 410);
    const found = await validToken(token, purpose);
    if (!found) throw expired();
    const passwordHash = await hashPassword(password);
    await db.transaction(async (tx) => {
      const used = await tx
        .update(accountTokens)
        .set({ usedAt: now() })
        .where(and(eq(accountTokens.id, found.row.id), isNull(accountTokens.usedAt)))
        .returning({ id: accountTokens.id });
      if (used.length === 0) throw expired();
      await tx.update(users).set({ passwordHash, updatedAt: now() }).where(eq(users.id, found.user.id));
      await alsoInTransaction(tx, found.user);
    });
    forget(found.user.id);
  }

  async function loadManageable(actor: Actor, userId: string) {
    const user = await peopleRepository.findUser(db, userId);
    if (!user) throw new NotFoundError('user');
    const roles = await peopleRepository.rolesOf(db, userId);
    if (!mayManageUser(actor, roles)) throw new NotFoundError('user');
    return { user, roles };
  }

  function authoriseUserManagement(actor: Actor) {
    if (!isProviderAdmin(actor) && ledPartners(actor).length === 0) throw new ForbiddenError();
  }

  function checkScope(role: Role, scopeType: ScopeType, scopeId: string | null) {
    if (!ROLE_SCOPES[role].includes(scopeType)) {
      throw new ValidationError({ scopeType: `${ROLE_LABELS[role]} cannot be given at that level` });
    }
    if (scopeType !== 'provider' && !scopeId) throw new ValidationError({ scopeId: 'Select a delivery partner' });
  }

  return {
    async signIn(input: { email: string; password: string; userAgent?: string }): Promise<SignInResult> {
      const key = emailKey(input.email);
      const [throttle] = await db.select().from(signInThrottles).where(eq(signInThrottles.emailKey, key));
      if (isLocked(throttle, now())) return { outcome: 'locked' };
      const user = await peopleRepository.findUserByEmail(db, key);
      decoyHash ??= hashPassword(randomToken());
      const passwordOk =
        user?.passwordHash && !user.deactivatedAt
          ? await verify(user.passwordHash, input.password)
          : (await verify(await decoyHash, input.password)) && false;
      if (!user || !passwordOk) {
        const next = afterFailure(throttle, now());
        await db
          .insert(signInThrottles)
          .values({ emailKey: key, ...next })
          .onConflictDoUpdate({ target: [signInThrottles.emailKey, signInThrottles.source], set: next });
        return { outcome: isLocked(next, now()) ? 'locked' : 'failed' };
      }
      await db.delete(signInThrottles).where(eq(signInThrottles.emailKey, key));
      const roles = await peopleRepository.rolesOf(db, user.id);
      const staff = needsSecondFactor(roles);
      const sessionToken = await createSession(user.id, !staff, input.userAgent);
      if (!staff) return { outcome: 'signed_in', sessionToken };
      return { outcome: user.totpEnabledAt ? 'second_factor' : 'set_up_second_factor', sessionToken };
    },

    /** A code from the authenticator app, or one of the recovery codes. */
    async completeSecondFactor(actor: Actor, code: string): Promise<{ usedRecoveryCode: boolean; recoveryCodesLeft: number }> {
      const me = requireUser(actor);
      const user = await peopleRepository.findUser(db, me.userId);
      if (!user?.totpSecret || !user.totpEnabledAt) throw new ForbiddenError('Set up two-factor authentication first');
      const step = checkTotp(secrets.open(user.totpSecret), user.email, code, user.totpLastStep);
      if (step !== null) {
        await db.transaction(async (tx) => {
          await tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id));
          await tx.update(sessions).set({ secondFactorDone: true }).where(eq(sessions.id, me.sessionId));
        });
        forget(user.id);
        const left = await peopleRepository.unusedRecoveryCodes(db, user.id);
        return { usedRecoveryCode: false, recoveryCodesLeft: left.length };
      }
      const codes = await peopleRepository.unusedRecoveryCodes(db, user.id);
      const match = codes.find((c) => c.codeHash === sha256(normaliseRecoveryCode(code)));
      if (!match) throw new ValidationError({ code: 'The code is not correct. Enter the 6-digit code from your app, or a recovery code' });
      await db.transaction(async (tx) => {
        await tx.update(recoveryCodes).set({ usedAt: now() }).where(and(eq(recoveryCodes.id, match.id), isNull(recoveryCodes.usedAt)));
        await tx.update(sessions).set({ secondFactorDone: true }).where(eq(sessions.id, me.sessionId));
        await audit(tx, clock, actor, { action: 'user.recovery_code_used', entityType: 'user', entityId: user.id });
      });
      forget(user.id);
      return { usedRecoveryCode: true, recoveryCodesLeft: codes.length - 1 };
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

    async confirmTwoFactorSetup(actor: Actor, code: string): Promise<string[]> {
      const me = requireUser(actor);
      const user = await peopleRepository.findUser(db, me.userId);
      if (!user?.totpSecret || user.totpEnabledAt) throw new ConflictError('two_factor_not_pending', 'Start setting up two-factor authentication again');
      const step = checkTotp(secrets.open(user.totpSecret), user.email, code, null);
      if (step === null) throw new ValidationError({ code: 'The code is not correct. Enter the 6-digit code your app shows now' });
      const codes = Array.from({ length: 10 }, () => formatRecoveryCode(randomBytes(8)));
      await db.transaction(async (tx) => {
        await tx.update(users).set({ totpEnabledAt: now(), totpLastStep: step, updatedAt: now() }).where(eq(users.id, user.id));
        await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
        await tx.insert(recoveryCodes).values(codes.map((c) => ({ userId: user.id, codeHash: sha256(c) })));
        await tx.update(sessions).set({ secondFactorDone: true }).where(eq(sessions.id, me.sessionId));
        await audit(tx, clock, actor, { action: 'user.two_factor_enabled', entityType: 'user', entityId: user.id });
      });
      forget(user.id);
      return codes;
    },

    async signOut(actor: Actor): Promise<void> {
      if (actor.kind !== 'user') return;
      await db.update(sessions).set({ revokedAt: now() }).where(eq(sessions.id, actor.sessionId));
      forget(actor.userId);
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
      forget(session.userId);
    },

    async inviteStaff(
      actor: Actor,
      input: { name: string; email: string; role: Role; scopeType: ScopeType; scopeId: string | null },
    ): Promise<{ userId: string }> {
      authoriseUserManagement(actor);
      checkScope(input.role, input.scopeType, input.scopeId);
      if (!mayAssign(actor, input.role, input.scopeType, input.scopeId)) throw new ForbiddenError('You cannot give that role');
      const existing = await peopleRepository.findUserByEmail(db, input.email);
      if (existing) throw new ValidationError({ email: 'Someone with that email address already has an account' });
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

    /** Always answers the same way, so it cannot be used to find out who has an account. */
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

    async resetPassword(token: string, password: string): Promise<void> {
      await spendLinkAndSetPassword(token, 'password_reset', password, async (tx, user) => {
        // A new password ends every session, in case the old one was known to someone else.
        await tx.update(sessions).set({ revokedAt: now() }).where(and(eq(sessions.userId, user.id), isNull(sessions.revokedAt)));
        await tx.delete(signInThrottles).where(eq(signInThrottles.emailKey, emailKey(user.email)));
        await audit(tx, clock, { kind: 'system', name: 'password reset' }, { action: 'user.password_reset', entityType: 'user', entityId: user.id });
      });
    },

    async listUsers(actor: Actor, filter: Omit<UserFilter, 'partnerIds'>, page: number, perPage = 25) {
      authoriseUserManagement(actor);
      const scoped: UserFilter = isProviderAdmin(actor) ? filter : { ...filter, partnerIds: ledPartners(actor) };
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
      forget(userId);
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
      forget(userId);
    },

    async setDeactivated(actor: Actor, userId: string, deactivated: boolean) {
      authoriseUserManagement(actor);
      const { user } = await loadManageable(actor, userId);
      if (actor.kind === 'user' && actor.userId === userId) throw new ValidationError({ form: 'You cannot deactivate your own account' });
      await db.transaction(async (tx) => {
        await tx.update(users).set({ deactivatedAt: deactivated ? now() : null, updatedAt: now() }).where(eq(users.id, userId));
        if (deactivated) await tx.update(sessions).set({ revokedAt: now() }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
        await audit(tx, clock, actor, {
          action: deactivated ? 'user.deactivated' : 'user.reactivated',
          entityType: 'user',
          entityId: userId,
          before: { deactivatedAt: user.deactivatedAt },
          after: { deactivatedAt: deactivated ? now() : null },
        });
      });
      forget(userId);
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
