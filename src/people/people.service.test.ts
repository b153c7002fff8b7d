import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../audit/audit.schema';
import { users } from './people.schema';
import { system } from '../platform/auth/actor';
import type { Actor } from '../platform/auth/actor';
import { currentCode, useTestApp } from '../testing/test-app';
import { linkIn, useMailHarness } from '../testing/smtp';

const t = useTestApp();
const mail = useMailHarness(t);
const admin = (): Actor => system('test admin');

describe('signing in', () => {
  it('asks staff for a second factor and lets participants straight in', async () => {
    expect((await t.services.people.signIn({ email: 'admin@demo.npq.test', password: 'demo-password-2026' })).outcome).toBe('second_factor');
    expect((await t.services.people.signIn({ email: 'PARTICIPANT@demo.npq.test', password: 'demo-password-2026' })).outcome).toBe('signed_in');
  });

  it('says the same for an unknown address as for a wrong password, and slows both alike after five tries from one address', async () => {
    const people = t.services.people;
    for (const email of ['coach@demo.npq.test', 'nobody@demo.npq.test']) {
      const outcomes: string[] = [];
      for (let i = 0; i < 6; i++) outcomes.push((await people.signIn({ email, password: 'wrong password!', ip: '198.51.100.7' })).outcome);
      expect(outcomes).toEqual(['failed', 'failed', 'failed', 'failed', 'locked', 'locked']);
    }
    // The wait holds even the right password from that address, for a minute…
    expect(await people.signIn({ email: 'coach@demo.npq.test', password: 'demo-password-2026', ip: '198.51.100.7' })).toEqual({ outcome: 'locked', retryAfterMinutes: 1 });
    t.clock.advance(61_000);
    expect((await people.signIn({ email: 'coach@demo.npq.test', password: 'demo-password-2026', ip: '198.51.100.7' })).outcome).toBe('second_factor');
  });

  it('accepts an authenticator code only once', async () => {
    const people = t.services.people;
    const first = await people.signIn({ email: 'moderator@demo.npq.test', password: 'demo-password-2026' });
    const actor = (await people.actorForSession((first as { sessionToken: string }).sessionToken))!;
    expect(actor.kind === 'user' && actor.fullySignedIn).toBe(false);
    const code = currentCode(t);
    await people.completeSecondFactor(actor, code);
    const again = await people.signIn({ email: 'moderator@demo.npq.test', password: 'demo-password-2026' });
    const second = (await people.actorForSession((again as { sessionToken: string }).sessionToken))!;
    await expect(people.completeSecondFactor(second, code)).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('inviting staff', () => {
  it('emails a link over SMTP; the new person sets a password, then must set up two-factor', async () => {
    const people = t.services.people;
    const { userId } = await people.inviteStaff(admin(), { name: 'Ivy Invitee', email: 'ivy@school.test', role: 'facilitator', scopeType: 'delivery_partner', scopeId: (await t.services.catalogue.partnersAndVenues(admin())).partners[0]!.id });
    await mail.flush();
    const message = mail.received.find((m) => m.to.includes('ivy@school.test'))!;
    expect(message.subject).toMatch(/invited/);
    const token = linkIn(message.text, '/invitations').split('/').pop()!;
    expect(await people.invitationFor(token)).toEqual({ name: 'Ivy Invitee', email: 'ivy@school.test' });
    await people.acceptInvitation(token, 'a long new password');
    await expect(people.acceptInvitation(token, 'another long password')).rejects.toMatchObject({ code: 'link_expired' });
    const signIn = await people.signIn({ email: 'ivy@school.test', password: 'a long new password' });
    expect(signIn.outcome).toBe('set_up_second_factor');
    const actor = (await people.actorForSession((signIn as { sessionToken: string }).sessionToken))!;
    const { secret } = await people.beginTwoFactorSetup(actor);
    const OTPAuth = await import('otpauth');
    const code = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() });
    const { codes } = await people.confirmTwoFactorSetup(actor, code);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    // A recovery code stands in for the phone once, typed however the person types it.
    const later = await people.signIn({ email: 'ivy@school.test', password: 'a long new password' });
    expect(later.outcome).toBe('second_factor');
    const halfway = (await people.actorForSession((later as { sessionToken: string }).sessionToken))!;
    const recovered = await people.completeSecondFactor(halfway, ` ${codes[0]!.toUpperCase().replace('-', ' ')} `);
    expect(recovered).toEqual({ usedRecoveryCode: true, recoveryCodesLeft: 9, sessionToken: expect.any(String) });
    // The session goes on under a new cookie value: the one seen before the second factor is worth nothing.
    const whole = await people.actorForSession(recovered.sessionToken);
    expect(whole?.kind === 'user' && whole.fullySignedIn).toBe(true);
    expect(await people.actorForSession((later as { sessionToken: string }).sessionToken)).toBeUndefined();
    const again = await people.signIn({ email: 'ivy@school.test', password: 'a long new password' });
    const second = (await people.actorForSession((again as { sessionToken: string }).sessionToken))!;
    await expect(people.completeSecondFactor(second, codes[0]!)).rejects.toMatchObject({ code: 'validation_failed' });
    const [row] = await t.database.db.select().from(users).where(eq(users.id, userId!));
    expect(row!.totpEnabledAt).not.toBeNull();
    expect(row!.totpSecret).not.toContain(secret); // sealed, not stored as typed
    const events = await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, userId!));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['user.invited', 'user.invitation_accepted', 'user.two_factor_enabled']));
    expect(JSON.stringify(events)).not.toMatch(/\$argon2id/);
  });

  it('refuses an invitation link once it has expired', async () => {
    const people = t.services.people;
    await people.inviteStaff(admin(), { name: 'Late Larry', email: 'larry@school.test', role: 'assessor', scopeType: 'provider', scopeId: null });
    await mail.flush();
    const token = linkIn(mail.received.find((m) => m.to.includes('larry@'))!.text, '/invitations').split('/').pop()!;
    t.clock.advance(8 * 24 * 3_600_000);
    expect(await people.invitationFor(token)).toBeUndefined();
  });
});

describe('password reset', () => {
  it('sends a single-use link that ends every session', async () => {
    const people = t.services.people;
    const before = await people.signIn({ email: 'participant@demo.npq.test', password: 'demo-password-2026' });
    await people.requestPasswordReset('participant@demo.npq.test');
    await people.requestPasswordReset('no-account@demo.npq.test'); // says nothing, sends nothing
    await mail.flush();
    expect(mail.received.some((m) => m.to.includes('no-account'))).toBe(false);
    const token = linkIn(mail.received.find((m) => m.subject.includes('Reset'))!.text, '/password-reset').split('/').pop()!;
    await people.resetPassword(token, 'brand new password');
    expect(await people.actorForSession((before as { sessionToken: string }).sessionToken)).toBeUndefined();
    await expect(people.resetPassword(token, 'brand new password 2')).rejects.toMatchObject({ status: 410 });
    expect((await people.signIn({ email: 'participant@demo.npq.test', password: 'brand new password' })).outcome).toBe('signed_in');
  });

  it('expires after an hour', async () => {
    const people = t.services.people;
    const sent = mail.received.length;
    await people.requestPasswordReset('approver@demo.npq.test');
    await mail.flush();
    const token = linkIn(mail.received[sent]!.text, '/password-reset').split('/').pop()!;
    t.clock.advance(61 * 60_000);
    expect(await people.passwordResetValid(token)).toBe(false);
  });
});

describe('deactivating', () => {
  it('signs the person out everywhere and stops sign-in until reactivated', async () => {
    const people = t.services.people;
    const s = await people.signIn({ email: 'approver@demo.npq.test', password: 'demo-password-2026' });
    const approver = (await people.actorForSession((s as { sessionToken: string }).sessionToken))!;
    const userId = (approver as { userId: string }).userId;
    await people.setDeactivated(admin(), userId, true);
    expect(await people.actorForSession((s as { sessionToken: string }).sessionToken)).toBeUndefined();
    expect((await people.signIn({ email: 'approver@demo.npq.test', password: 'demo-password-2026' })).outcome).toBe('failed');
    await people.setDeactivated(admin(), userId, false);
    expect((await people.signIn({ email: 'approver@demo.npq.test', password: 'demo-password-2026' })).outcome).toBe('signed_in');
  });
});
