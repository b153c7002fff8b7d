import { beforeAll, describe, expect, it } from 'vitest';
import { diagnosticFactoriesFor, type UserActor } from '../testing/factories';
import { tokenIn } from '../testing/smtp';
import { eventsOf, outboxTo, useTestApp } from '../testing/test-app';

const t = useTestApp();
const { a360Participant, a360Window } = diagnosticFactoriesFor(t);
let pat: UserActor;
beforeAll(async () => {
  pat = (await a360Participant({ name: 'Pat Participant' })).actor;
  await a360Window({ cohort: '2026a', kind: 'start', opensOn: '2026-11-25', closesOn: '2026-12-09' });
});

const mailTo = (to: string) => outboxTo(t, to);
const events = (type: string) => eventsOf(t, type);

describe("the 360°'s emails follow from events, after commit", () => {
  it('asking a colleague records one event without their token; the email follows once, and reminders follow one event for everyone due', async () => {
    const d = t.services.diagnostic;
    const { round } = (await d.myRounds(pat))[0]!;
    await d.nominate(pat, round.id, { group: 'peer', name: 'Rae', email: 'rae@school.test' });
    const [invited] = await events('rater.invited');
    expect(invited!.payload).toMatchObject({ raterId: expect.any(String), participantUserId: pat.userId, closesOn: '2026-12-09' });
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
