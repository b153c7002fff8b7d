import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { system } from '../platform/auth/actor';
import { jobs } from '../platform/platform.schema';
import { tokenIn } from '../testing/smtp';
import { eventsOf, outboxTo, useTestApp } from '../testing/test-app';

const t = useTestApp();

const mailTo = (to: string) => outboxTo(t, to);
const events = (type: string) => eventsOf(t, type);

describe("people's emails follow from events, after commit", () => {
  it('a password reset records one event without the token; the email follows once its handler has run, once, with a link that works', async () => {
    await t.services.people.requestPasswordReset('participant@demo.npq.test');
    const [event] = await events('password.reset_requested');
    expect(event!.payload).toMatchObject({ userId: expect.any(String), accountTokenId: expect.any(String), minutes: expect.any(Number) });
    expect(await mailTo('participant@demo.npq.test')).toEqual([]); // not before the handler runs

    await t.services.jobs.runDue();
    const [email] = await mailTo('participant@demo.npq.test');
    const token = tokenIn(email!.body, '/password-reset');
    // The event keeps ids: the link's token is in the email only, never in domain_events.
    expect(JSON.stringify(event!.payload)).not.toContain(token);
    expect(await t.services.people.passwordResetValid(token)).toBe(true);
    await t.services.jobs.runDue();
    expect(await mailTo('participant@demo.npq.test')).toHaveLength(1);
    expect(await t.database.db.select().from(jobs).where(eq(jobs.name, 'password.reset_requested:email'))).toMatchObject([{ attempts: 1 }]);
  });

  it('records nothing for an address without an account, so nothing is sent', async () => {
    await t.services.people.requestPasswordReset('nobody@school.test');
    await t.services.jobs.runDue();
    expect(await events('password.reset_requested')).toHaveLength(1);
    expect(await mailTo('nobody@school.test')).toEqual([]);
  });

  it('an invitation records one event, and a refused one none', async () => {
    const admin = system('test admin');
    await t.services.people.inviteStaff(admin, { name: 'Ivy Invited', email: 'ivy@school.test', role: 'coach', scopeType: 'provider', scopeId: null });
    await expect(t.services.people.inviteStaff(admin, { name: 'Ivy Again', email: 'ivy@school.test', role: 'coach', scopeType: 'provider', scopeId: null })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await events('user.invited')).toHaveLength(1);
    await t.services.jobs.runDue();
    const mails = await mailTo('ivy@school.test');
    expect(mails.map((m) => m.subject)).toEqual([expect.stringMatching(/You have been invited/)]);
    expect(mails[0]!.body).toContain('Hello Ivy Invited');
    expect(JSON.stringify((await events('user.invited'))[0]!.payload)).not.toContain(tokenIn(mails[0]!.body, '/invitations'));
  });
});
