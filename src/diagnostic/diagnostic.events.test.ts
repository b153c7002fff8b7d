import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoApplications } from '../demo/demo-data';
import { users } from '../people/people.schema';
import { type Actor, system } from '../platform/auth/actor';
import { tokenIn } from '../testing/smtp';
import { createTestApp, eventsOf, outboxTo, type TestApp } from '../testing/test-app';

let t: TestApp;
let pat: Actor;
beforeAll(async () => {
  t = await createTestApp();
  await loadDemoApplications(t.services.applications);
  const [u] = await t.database.db.select().from(users).where(eq(users.email, 'participant@demo.npq.test'));
  pat = { kind: 'user', userId: u!.id, sessionId: 's', name: u!.name, email: u!.email, roles: [], fullySignedIn: true };
  await t.services.diagnostic.setWindow(system('test admin'), { cohort: '2026a', kind: 'start', opensOn: '2026-11-25', closesOn: '2026-12-09' });
});
afterAll(() => t.close());

const mailTo = (to: string) => outboxTo(t, to);
const events = (type: string) => eventsOf(t, type);

describe("the 360°'s emails follow from events, after commit", () => {
  it('asking a colleague records one event without their token; the email follows once, and reminders follow one event for everyone due', async () => {
    const d = t.services.diagnostic;
    const { round } = (await d.myRounds(pat))[0]!;
    await d.nominate(pat, round.id, { group: 'peer', name: 'Rae', email: 'rae@school.test' });
    const [invited] = await events('rater.invited');
    expect(invited!.payload).toMatchObject({ raterId: expect.any(String), participantUserId: pat.kind === 'user' ? pat.userId : '', closesOn: '2026-12-09' });
    expect(await mailTo('rae@school.test')).toEqual([]); // not before the handler runs

    await t.services.jobs.runDue();
    const [email] = await mailTo('rae@school.test');
    expect(email!.subject).toBe('Pat Participant asks for your view of their leadership');
    const token = tokenIn(email!.body, '/rate');
    expect(JSON.stringify(invited!.payload)).not.toContain(token);
    expect((await d.raterByToken(token))?.participant).toBe('Pat Participant');

    await d.nominate(pat, round.id, { group: 'peer', name: 'Rob', email: 'rob@school.test' });
    await d.remind(pat, round.id);
    const [reminded] = await events('raters.reminded');
    expect((reminded!.payload as { raterIds: string[] }).raterIds).toHaveLength(2);
    await t.services.jobs.runDue();
    await t.services.jobs.runDue();
    expect((await mailTo('rae@school.test')).map((m) => m.subject)).toEqual(['Pat Participant asks for your view of their leadership', 'Reminder: Pat Participant asks for your view of their leadership']);
    expect(await mailTo('rob@school.test')).toHaveLength(2);
  });
});
