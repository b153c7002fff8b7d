import { desc, eq } from 'drizzle-orm';
import { describe, expect, it, vi } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { outboundEmails } from '../../mail/mail.schema';
import { DEMO_PASSWORD } from '../../demo/demo-data';
import { afterResponsesSettled } from '../../platform/web';
import { factoriesFor } from '../../testing/factories';
import { Client, currentCode, deliverEvents, useTestApp } from '../../testing/test-app';
import { tokenIn } from '../../testing/smtp';
import { system } from '../../platform/auth/actor';
import { peopleRepository } from '../people.repository';
import { createPeopleService, SecondFactorLockedError } from '../people.service';

const t = useTestApp();

const GOOD = 'tractor marble ocean kettle';
let serial = 0;
/** An address of its own for each browser: the forms' per-address rate limits must not mix tests up. */
const fresh = () => `10.0.${Math.floor(++serial / 250)}.${serial % 250}`;
/**
 * A person of their own for each test, so that counters and sessions from one test never touch another:
 * a participant, or (for the second factor) an assessor.
 */
const { aParticipantUser, aStaffMember } = factoriesFor(t);
const aParticipant = () => aParticipantUser({ roles: [{ role: 'participant', scopeType: 'provider', scopeId: null }] });
const anAssessor = () => aStaffMember({ role: 'assessor' });
const mailTo = async (address: string) => {
  await deliverEvents(t);
  return t.database.db.select().from(outboundEmails).where(eq(outboundEmails.to, address)).orderBy(desc(outboundEmails.createdAt));
};
const fieldError = (body: string, field: string) => body.match(new RegExp(`<a href="#${field}">([^<]+)</a>`))?.[1];
const withoutTokens = (body: string) => body.replace(/name="_csrf" value="[^"]+"/g, '').replace(/person\d+@school\.test|ghost\d*@school\.test/g, 'ADDRESS');

describe('sign-in throttling (docs/adr/0019)', () => {
  it('guessing from one address holds back that address only: the owner signs in from another', async () => {
    const { email } = await aParticipant();
    const attacker = new Client(t, '203.0.113.50');
    await attacker.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await attacker.post('/sign-in', { email, password: `guess number ${i}` })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429, 429]);
    const held = await attacker.post('/sign-in', { email, password: DEMO_PASSWORD });
    expect(held.statusCode).toBe(429);
    expect(fieldError(held.body, 'email')).toMatch(/^Too many failed attempts to sign in with this email address\. Wait \d+ minutes?, then try again/);

    const owner = new Client(t, '198.51.100.20');
    expect((await owner.signIn(email)).headers.location).toBe('/home');
  });

  it('waits grow with each failure past the free ones, and end', async () => {
    const { email } = await aParticipant();
    const people = t.services.people;
    const ip = '203.0.113.51';
    for (let i = 0; i < 5; i++) await people.signIn({ email, password: 'wrong', ip });
    expect(await people.signIn({ email, password: 'wrong', ip })).toEqual({ outcome: 'locked', retryAfterMinutes: 1 });
    t.clock.advance(61_000);
    expect(await people.signIn({ email, password: 'wrong', ip })).toEqual({ outcome: 'locked', retryAfterMinutes: 2 });
    t.clock.advance(121_000);
    expect(await people.signIn({ email, password: 'wrong', ip })).toEqual({ outcome: 'locked', retryAfterMinutes: 4 });
    t.clock.advance(241_000);
    expect((await people.signIn({ email, password: DEMO_PASSWORD, ip })).outcome).toBe('signed_in');
  });

  it('guessing from many addresses reaches the account’s ceiling, which does not hold back the owner’s browser or an address they used before', async () => {
    const { email } = await aParticipant();
    const people = t.services.people;
    const owner = new Client(t, '198.51.100.30');
    await owner.signIn(email); // leaves a device cookie, and makes this address known
    await owner.post('/sign-out');
    const audited = (await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'sign_in.ceiling_reached'))).length;

    for (let source = 0; source < 12; source++) {
      for (let i = 0; i < 5; i++) await people.signIn({ email, password: `guess ${i}`, ip: `192.0.2.${source}` });
    }
    // A stranger at a new address is held back now, even with the right password…
    expect((await people.signIn({ email, password: DEMO_PASSWORD, ip: '192.0.2.200' })).outcome).toBe('locked');
    // …the owner's browser is not, from anywhere…
    const travelling = new Client(t, '192.0.2.201');
    (travelling as unknown as { cookies: Map<string, string> }).cookies.set('npq_device', (owner as unknown as { cookies: Map<string, string> }).cookies.get('npq_device')!);
    expect((await travelling.signIn(email)).headers.location).toBe('/home');
    // …nor an address the owner signed in from before, in a browser without the cookie.
    const sameOffice = new Client(t, '198.51.100.30');
    expect((await sameOffice.signIn(email)).headers.location).toBe('/home');
    // A forged device cookie is worth nothing.
    const forged = new Client(t, '192.0.2.202');
    (forged as unknown as { cookies: Map<string, string> }).cookies.set('npq_device', 'abcdefghijklmnopqrstuvwxyz.forged');
    expect((await forged.signIn(email)).statusCode).toBe(429);
    expect((await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'sign_in.ceiling_reached'))).length).toBe(audited + 1);
  });

  it('attempts at the same moment cannot slip past the count (it is taken in the database before the check)', async () => {
    const { email } = await aParticipant();
    const outcomes = await Promise.all(Array.from({ length: 15 }, (_, i) => t.services.people.signIn({ email, password: `parallel ${i}`, ip: '203.0.113.52' })));
    expect(outcomes.filter((o) => o.outcome === 'failed').length).toBeLessThanOrEqual(4);
    expect(outcomes.filter((o) => o.outcome === 'locked').length).toBeGreaterThanOrEqual(11);
    const [row] = await peopleRepository.throttleRows(t.database.db, email, ['account']);
    expect(row!.failures).toBe(5);
  });

  it('an unknown address costs the same password check and leaves the same counters as a known one', async () => {
    const checks: string[] = [];
    const people = createPeopleService({
      db: t.database.db,
      clock: t.clock,
      secrets: { seal: (s: string) => s, open: (s: string) => s },
      baseUrl: 'http://npq.test',
      providerName: 'Test',
      verifyPassword: async (hash, password) => {
        checks.push(hash.slice(0, 9));
        const { verify } = await import('@node-rs/argon2');
        return verify(hash, password);
      },
    });
    const { email } = await aParticipant();
    const known = await people.signIn({ email, password: 'wrong', ip: '203.0.113.53' });
    const unknown = await people.signIn({ email: 'ghost@school.test', password: 'wrong', ip: '203.0.113.53' });
    expect(known).toEqual(unknown);
    expect(checks).toEqual(['$argon2id', '$argon2id']);
    const rows = async (e: string) => (await peopleRepository.throttleRows(t.database.db, e, ['account'])).map((r) => r.failures);
    expect(await rows(email)).toEqual(await rows('ghost@school.test'));
  });
});

describe('second factor', () => {
  it('ten wrong codes from any number of addresses end the half-signed-in sessions and the account waits', async () => {
    const { email, userId } = await anAssessor();
    const statuses: number[] = [];
    let last = '';
    for (let i = 0; i < 10; i++) {
      const c = new Client(t, `192.0.2.${100 + (i % 8)}`);
      await c.get('/sign-in');
      expect((await c.post('/sign-in', { email, password: DEMO_PASSWORD })).headers.location).toBe('/sign-in/two-factor');
      await c.get('/sign-in/two-factor');
      const res = await c.post('/sign-in/two-factor', { code: String(100000 + i) });
      statuses.push(res.statusCode);
      last = res.body;
      if (i === 9) expect(res.cookies.find((k) => k.name === 'npq_session')?.value).toBe('');
    }
    expect(statuses).toEqual([422, 422, 422, 422, 422, 422, 422, 422, 422, 429]);
    expect(last).toContain('You entered too many wrong security codes, so we have signed you out');
    expect(last).toContain('Wait 15 minutes, then sign in again');
    expect(await t.services.people.sessionsOf({ kind: 'user', userId, sessionId: '', name: '', email, roles: [], fullySignedIn: true })).toEqual([]);

    // Even the right code is not checked while the account waits, from a fresh session…
    const people = t.services.people;
    const again = await people.signIn({ email, password: DEMO_PASSWORD, ip: '192.0.2.99' });
    const half = (await people.actorForSession((again as { sessionToken: string }).sessionToken))!;
    await expect(people.completeSecondFactor(half, currentCode(t))).rejects.toBeInstanceOf(SecondFactorLockedError);
    // …and the owner is told by email, and the audit log keeps it.
    expect((await mailTo(email))[0]!.subject).toMatch(/Too many wrong security codes/);
    expect((await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, userId))).map((e) => e.action)).toContain('user.second_factor_locked');

    t.clock.advance(16 * 60_000);
    const later = await people.signIn({ email, password: DEMO_PASSWORD, ip: '192.0.2.99' });
    const ok = await people.completeSecondFactor((await people.actorForSession((later as { sessionToken: string }).sessionToken))!, currentCode(t));
    expect(ok.usedRecoveryCode).toBe(false);
    t.clock.advance(30_000);
  });

  it('says how many tries are left', async () => {
    const { email } = await anAssessor();
    const c = new Client(t, fresh());
    await c.get('/sign-in');
    await c.post('/sign-in', { email, password: DEMO_PASSWORD });
    await c.get('/sign-in/two-factor');
    expect(fieldError((await c.post('/sign-in/two-factor', { code: '123456' })).body, 'code')).toMatch(/You have 9 more tries before you are signed out$/);
  });

  it('says a code used already is used, to wait for the next, and does not count it as a try however often it is sent', async () => {
    const { email } = await anAssessor();
    const first = new Client(t, fresh());
    await first.get('/sign-in');
    await first.post('/sign-in', { email, password: DEMO_PASSWORD });
    await first.get('/sign-in/two-factor');
    const code = currentCode(t);
    expect((await first.post('/sign-in/two-factor', { code }, { follow: false })).statusCode).toBe(303);

    // Eleven times, more than the ten tries a wrong code has, from two addresses (each may post ten
    // times a minute): none of them is counted.
    let again = first;
    for (const times of [6, 5]) {
      again = new Client(t, fresh());
      await again.get('/sign-in');
      await again.post('/sign-in', { email, password: DEMO_PASSWORD });
      for (let i = 0; i < times; i++) {
        await again.get('/sign-in/two-factor');
        const res = await again.post('/sign-in/two-factor', { code });
        expect(res.statusCode).toBe(422);
        expect(fieldError(res.body, 'code')).toBe('That code has been used already. Wait for your app to show a new code, then enter it');
      }
    }
    await again.get('/sign-in/two-factor');
    expect(fieldError((await again.post('/sign-in/two-factor', { code: '123456' })).body, 'code')).toMatch(/You have 9 more tries before you are signed out$/);
    t.clock.advance(30_000);
    await again.get('/sign-in/two-factor');
    expect((await again.post('/sign-in/two-factor', { code: currentCode(t) }, { follow: false })).statusCode).toBe(303);
    t.clock.advance(30_000);
  });
});

describe('a second-factor code that is not six digits', () => {
  it('is a wrong code, never a server error: letters, accented and full-width characters, at sign-in and at set-up', async () => {
    const { email } = await anAssessor();
    for (const code of ['éééééé', '１２３４５６', '€€€€€€', '12345６']) {
      const c = new Client(t, fresh());
      await c.get('/sign-in');
      await c.post('/sign-in', { email, password: DEMO_PASSWORD });
      await c.get('/sign-in/two-factor');
      const res = await c.post('/sign-in/two-factor', { code });
      expect(res.statusCode).toBe(422);
      expect(fieldError(res.body, 'code')).toBeTruthy();
    }
    const approver = new Client(t, fresh());
    await approver.signIn('approver@demo.npq.test');
    await approver.get('/two-factor/set-up');
    const setUp = await approver.post('/two-factor/set-up', { code: 'éééééé' });
    expect(setUp.statusCode).toBeLessThan(500);
  });
});

describe('CSRF tokens are replaced when the session changes', () => {
  it('a token minted before sign-in, before the second factor, or before sign-out no longer validates', async () => {
    const { email } = await anAssessor();
    const c = new Client(t, fresh());
    await c.get('/sign-in');
    const beforeSignIn = c.csrf;
    await c.post('/sign-in', { email, password: DEMO_PASSWORD });
    await c.get('/sign-in/two-factor');
    const beforeSecondFactor = c.csrf;
    expect(beforeSecondFactor).not.toBe(beforeSignIn);
    const stale = async (token: string) => {
      const fresh = c.csrf;
      c.csrf = token;
      const res = await c.post('/account/password', { currentPassword: 'x', password: GOOD, confirmation: GOOD });
      c.csrf = fresh;
      return res.statusCode;
    };
    await c.post('/sign-in/two-factor', { code: currentCode(t) });
    t.clock.advance(30_000);
    await c.get('/account/password');
    expect(await stale(beforeSignIn)).toBe(403);
    expect(await stale(beforeSecondFactor)).toBe(403);
    const signedIn = c.csrf;
    expect((await c.post('/account/password', { currentPassword: 'not it', password: GOOD, confirmation: GOOD })).statusCode).toBe(422);

    await c.post('/sign-out');
    await c.get('/sign-in');
    const res = await (async () => {
      c.csrf = signedIn;
      return c.post('/sign-in', { email, password: DEMO_PASSWORD });
    })();
    expect(res.statusCode).toBe(403);
  });
});

describe('every new password ends every emailed link and the other sessions', () => {
  const requestReset = async (email: string) => {
    t.clock.advance(1_000); // so that the newest email is the last one made
    const c = new Client(t, fresh());
    await c.get('/password-reset');
    await c.post('/password-reset', { email });
    await afterResponsesSettled();
    return tokenIn((await mailTo(email))[0]!.body, '/password-reset');
  };

  it('using a newer reset link ends an older one', async () => {
    const { email } = await aParticipant();
    const older = await requestReset(email);
    const newer = await requestReset(email);
    expect(older).not.toBe(newer);
    await t.services.people.resetPassword(newer, GOOD);
    await expect(t.services.people.resetPassword(older, 'lantern copper meadow violin')).rejects.toMatchObject({ code: 'link_expired', status: 410 });
    const c = new Client(t, fresh());
    expect((await c.get(`/password-reset/${older}`)).statusCode).toBe(410);
    expect((await t.services.people.signIn({ email, password: GOOD })).outcome).toBe('signed_in');
  });

  it('using an older one ends the newer one too', async () => {
    const { email } = await aParticipant();
    const older = await requestReset(email);
    const newer = await requestReset(email);
    await t.services.people.resetPassword(older, GOOD);
    expect(await t.services.people.passwordResetValid(newer)).toBe(false);
  });

  it('changing the password in account settings ends the other sessions and outstanding reset links, keeps this one, and says so', async () => {
    const { email, userId } = await aParticipant();
    const elsewhere = new Client(t, '198.51.100.40');
    await elsewhere.signIn(email);
    const link = await requestReset(email);
    const here = new Client(t, fresh());
    await here.signIn(email);
    await here.get('/account/password');
    const weak = await here.post('/account/password', { currentPassword: DEMO_PASSWORD, password: 'password1234', confirmation: 'password1234' });
    expect(weak.statusCode).toBe(422);
    expect(fieldError(weak.body, 'password')).toMatch(/common password/);
    const wrong = await here.post('/account/password', { currentPassword: 'not my password', password: GOOD, confirmation: GOOD });
    expect(fieldError(wrong.body, 'currentPassword')).toBe('Your current password is not correct');
    const done = await here.post('/account/password', { currentPassword: DEMO_PASSWORD, password: GOOD, confirmation: GOOD });
    expect(done.headers.location).toBe('/account/sessions');
    expect((await here.get('/account/sessions')).body).toContain('You have been signed out everywhere else');
    expect((await elsewhere.get('/home')).statusCode).toBe(303);
    expect(await t.services.people.passwordResetValid(link)).toBe(false);
    expect((await mailTo(email)).map((m) => m.subject)).toContainEqual(expect.stringMatching(/password has been changed/));
    expect((await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, userId))).map((e) => e.action)).toContain('user.password_changed');
  });

  it('an invitation link sent again ends the first, and is itself spent by choosing a password', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(system('test'));
    const { userId } = await t.services.people.inviteStaff(system('test'), { name: 'Ina Vite', email: 'ina.vite@school.test', role: 'facilitator', scopeType: 'delivery_partner', scopeId: partners[0]!.id });
    const first = tokenIn((await mailTo('ina.vite@school.test'))[0]!.body, '/invitations');
    t.clock.advance(1_000);
    await t.services.people.resendInvitation(system('test'), userId!);
    const second = tokenIn((await mailTo('ina.vite@school.test'))[0]!.body, '/invitations');
    expect(await t.services.people.invitationFor(first)).toBeUndefined();
    await expect(t.services.people.acceptInvitation(first, GOOD)).rejects.toMatchObject({ code: 'link_expired' });
    await t.services.people.acceptInvitation(second, GOOD);
    await expect(t.services.people.acceptInvitation(second, 'lantern copper meadow violin')).rejects.toMatchObject({ code: 'link_expired' });
  });

  it('deactivating ends outstanding links, so reactivating does not bring them back', async () => {
    const { email, userId } = await aParticipant();
    const link = await requestReset(email);
    await t.services.people.setDeactivated(system('test'), userId, true);
    await t.services.people.setDeactivated(system('test'), userId, false);
    expect(await t.services.people.passwordResetValid(link)).toBe(false);
  });
});

describe('common passwords are refused wherever a password is chosen', () => {
  it('on an invitation, a reset link, and the account-creation link, with the message next to the field', async () => {
    const c = new Client(t, fresh());
    await c.get('/account/create');
    await c.post('/account/create', { name: 'Nia New', email: 'nia.new@school.test' });
    await afterResponsesSettled();
    const create = tokenIn((await mailTo('nia.new@school.test'))[0]!.body, '/invitations');
    const { email } = await aParticipant();
    const reset = await (async () => {
      await c.get('/password-reset');
      await c.post('/password-reset', { email });
      await afterResponsesSettled();
      return tokenIn((await mailTo(email))[0]!.body, '/password-reset');
    })();
    for (const path of [`/invitations/${create}`, `/password-reset/${reset}`]) {
      await c.get(path);
      for (const weak of ['password1234', 'Password123!', 'qwertyuiop123']) {
        const res = await c.post(path, { password: weak, confirmation: weak });
        expect(res.statusCode, `${path} ${weak}`).toBe(422);
        expect(res.body).toContain('govuk-error-summary');
        expect(fieldError(res.body, 'password')).toMatch(/common password/);
        expect(res.body).toMatch(/id="password-error"/);
      }
      const short = await c.post(path, { password: 'short', confirmation: 'short' });
      expect(fieldError(short.body, 'password')).toBe('Password must be 12 characters or more');
      // A refused password does not spend the link.
      expect((await c.post(path, { password: GOOD, confirmation: GOOD })).statusCode).toBe(303);
    }
  });
});

describe('nobody can find out who has an account', () => {
  it('a password reset answers alike and does its work after answering, for a known and an unknown address', async () => {
    const { email } = await aParticipant();
    const order: string[] = [];
    const original = peopleRepository.findUserByEmail;
    const lookup = vi.spyOn(peopleRepository, 'findUserByEmail').mockImplementation(async (...args) => {
      order.push('lookup');
      return original.apply(peopleRepository, args);
    });
    const answer = async (address: string) => {
      const c = new Client(t, fresh());
      await c.get('/password-reset');
      order.length = 0;
      const res = await c.post('/password-reset', { email: address });
      order.push('answered');
      await afterResponsesSettled();
      return { res, order: [...order] };
    };
    const { res: known, order: knownOrder } = await answer(email);
    const { res: unknown, order: unknownOrder } = await answer('ghost@school.test');
    lookup.mockRestore();
    expect(withoutTokens(known.body)).toBe(withoutTokens(unknown.body));
    expect(known.statusCode).toBe(unknown.statusCode);
    // The response is written before the address is even looked up, whichever it is.
    expect(knownOrder).toEqual(['answered', 'lookup']);
    expect(unknownOrder).toEqual(knownOrder);
    expect(await mailTo(email)).toHaveLength(1);
    expect(await mailTo('ghost@school.test')).toHaveLength(0);
  });

  it('creating an account answers alike for a new address and a known one', async () => {
    const { email } = await aParticipant();
    const c = new Client(t, fresh());
    await c.get('/account/create');
    const known = await c.post('/account/create', { name: 'Someone', email });
    const brandNew = await c.post('/account/create', { name: 'Someone', email: 'ghost2@school.test' });
    await afterResponsesSettled();
    expect(withoutTokens(known.body)).toBe(withoutTokens(brandNew.body));
    expect((await mailTo(email))[0]!.subject).toMatch(/already have an account/);
    expect((await mailTo('ghost2@school.test'))[0]!.subject).toMatch(/Finish creating/);
  });

  it('a delivery partner lead’s invitation, search and CSV answer alike for an address with an account outside their partner and one with none', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(system('test'));
    const midlands = partners.find((p) => p.name.includes('Midlands'))!;
    const lead = new Client(t, fresh());
    await lead.signIn('lead.midlands@demo.npq.test');
    await lead.get('/admin/users/new');
    const invite = (address: string) => lead.post('/admin/users/new', { name: 'Xan Someone', email: address, role: 'facilitator', partner: midlands.id });
    const outside = await invite('admin@demo.npq.test');
    const nobody = await invite('brand.new.person@school.test');
    expect(outside.statusCode).toBe(nobody.statusCode);
    expect(outside.headers.location).toBe(nobody.headers.location);
    const flash = async () => (await lead.get('/admin/users')).body.match(/Invitation sent to [^<]+/)?.[0];
    await invite('participant@demo.npq.test');
    const outsideFlash = await flash();
    await invite('another.new.person@school.test');
    expect(outsideFlash?.replace('participant@demo.npq.test', 'X')).toBe((await flash())?.replace('another.new.person@school.test', 'X'));
    // Nothing changed for the existing account, which is told; the admin can follow it up in the audit log.
    expect((await mailTo('admin@demo.npq.test'))[0]!.subject).toMatch(/An invitation/);
    expect((await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'user.invitation_to_existing_account'))).length).toBeGreaterThanOrEqual(2);

    const search = async (q: string) => withoutTokens((await lead.get(`/admin/users?q=${encodeURIComponent(q)}`)).body).split(encodeURIComponent(q)).join('Q').split(q).join('Q');
    expect(await search('admin@demo.npq.test')).toBe(await search('nobody.at.all@school.test'));
    const csv = async (q: string) => (await lead.get(`/admin/users.csv?q=${encodeURIComponent(q)}`)).body;
    expect(await csv('admin@demo.npq.test')).toBe(await csv('nobody.at.all@school.test'));
  });

  it('an admin inviting an address that has an account is told so, since they can see everyone', async () => {
    const admin = new Client(t, fresh());
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/users/new');
    const res = await admin.post('/admin/users/new', { name: 'Pat', email: 'participant@demo.npq.test', role: 'coach', partner: '' });
    expect(res.statusCode).toBe(422);
    expect(fieldError(res.body, 'email')).toMatch(/already has an account/);
  });
});

describe('the users list and its CSV', () => {
  it('show each person’s roles and where they hold them', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(system('test'));
    const north = partners.find((p) => p.name.includes('North'))!;
    const cohort = (await t.services.cohorts.list(system('test')))[0]!;
    await t.services.people.createUserDirectly({
      name: 'Rolf Roles',
      email: 'rolf.roles@school.test',
      password: DEMO_PASSWORD,
      roles: [
        { role: 'facilitator', scopeType: 'cohort', scopeId: cohort.id },
        { role: 'coach', scopeType: 'delivery_partner', scopeId: north.id },
      ],
    });
    const admin = new Client(t, fresh());
    await admin.signIn('admin@demo.npq.test');
    const list = (await admin.get('/admin/users?q=demo.npq.test')).body;
    const rowOf = (html: string, name: string) => html.split('<tr').find((r) => r.includes(name)) ?? '';
    expect(rowOf(list, 'Ada Admin')).toContain('Provider admin (whole provider)');
    expect(rowOf(list, 'Nora Lead')).toContain(`Delivery partner lead (${north.name})`);
    const rolf = rowOf((await admin.get('/admin/users?q=rolf')).body, 'Rolf Roles');
    expect(rolf).toContain(`Facilitator (cohort ${cohort.identifier})`);
    expect(rolf).toContain(`Coach or personal tutor (${north.name})`);

    const csv = (await admin.get('/admin/users.csv')).body.split('\r\n');
    expect(csv.find((l) => l.startsWith('Ada Admin'))).toContain('provider_admin:whole provider');
    expect(csv.find((l) => l.startsWith('Rolf Roles'))).toContain(`facilitator:cohort ${cohort.identifier}`);
    expect(csv.find((l) => l.startsWith('Rolf Roles'))).toContain(`coach:${north.name}`);
    expect(csv.find((l) => l.startsWith('Nora Lead'))).toContain(`delivery_partner_lead:${north.name}`);
  });
});
