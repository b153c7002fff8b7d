import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { jobs } from '../platform/platform.schema';
import { eventsOf, outboxTo, useTestApp } from '../testing/test-app';

const t = useTestApp();

const admin = { kind: 'system', name: 'test' } as const;

describe('expressions of interest send their emails from events', () => {
  it('records one event with the registration, and the email follows once its handler has run, once', async () => {
    const form = { name: 'Eve Event', email: 'eve@school.test', courseIdentifier: 'npq-headship', startPreference: 'Not sure yet', consent: 'yes' };
    const { applicationsOpen } = await t.services.interest.register(form);
    const [event] = await eventsOf(t, 'interest.registered');
    expect(event!.payload).toMatchObject({ course: { identifier: 'npq-headship', shortName: 'NPQH' }, startPreference: 'Not sure yet', updated: false });
    expect(Boolean((event!.payload as { applyBy: string | null }).applyBy)).toBe(applicationsOpen);
    expect(await outboxTo(t, 'eve@school.test')).toEqual([]); // not before the handler runs

    await t.services.jobs.runDue();
    const [email] = await outboxTo(t, 'eve@school.test');
    expect(email!.subject).toBe('Your interest in the NPQH');
    expect(email!.body).toContain('Hello Eve Event');
    // Every job is done, and running the queue again sends nothing twice.
    await t.services.jobs.runDue();
    expect(await outboxTo(t, 'eve@school.test')).toHaveLength(1);
    expect(await t.database.db.select().from(jobs).where(eq(jobs.name, 'interest.registered:email'))).toMatchObject([{ attempts: 1 }]);
  });

  it('records no event for a registration refused', async () => {
    const before = (await eventsOf(t, 'interest.registered')).length;
    await expect(t.services.interest.register({ name: 'No One', email: 'no-one@school.test', courseIdentifier: 'npq-nothing', startPreference: 'Not sure yet', consent: 'yes' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect(await eventsOf(t, 'interest.registered')).toHaveLength(before);
  });

  it('invites everyone not yet invited with one event, and an email each', async () => {
    for (const who of ['ian', 'isla']) await t.services.interest.register({ name: who, email: `${who}@school.test`, courseIdentifier: 'npq-senco', startPreference: 'Not sure yet', consent: 'yes' });
    await t.services.jobs.runDue();
    expect(await t.services.interest.inviteToApply(admin, 'npq-senco')).toBe(2);
    const [event] = await eventsOf(t, 'interest.invited_to_apply');
    expect((event!.payload as { interestIds: string[] }).interestIds).toHaveLength(2);
    await t.services.jobs.runDue();
    const { shortName } = await t.services.catalogue.get('npq-senco');
    for (const who of ['ian', 'isla']) expect((await outboxTo(t, `${who}@school.test`)).map((m) => m.subject).sort()).toEqual([`Applications are open: ${shortName}`, `Your interest in the ${shortName}`]);
    // Nobody is left to invite: no event, no email.
    expect(await t.services.interest.inviteToApply(admin, 'npq-senco')).toBe(0);
    expect(await eventsOf(t, 'interest.invited_to_apply')).toHaveLength(1);
  });
});
