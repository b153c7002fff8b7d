import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { factoriesFor } from '../../testing/factories';
import { aDeliveryIntake, dateFields as day, type Placed, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Issue 10 item 1: "a reflection to write". A reflection activity is done by writing it; what the
 * participant writes is theirs alone, kept, and rewritten as often as they like.
 */
const t = useTestApp();
const f = factoriesFor(t);
// NPQLT's first module's third activity is a reflection (seed-programmes.ts).
const REFLECTION = 'c1m1a3';

let intakeId: string;
let ann: Placed;
let ben: Placed;
let lead: Client;
const url = (who: Placed, key = REFLECTION) => `/programme/${who.enrolmentId}/reflections/${key}`;
const modulePage = (who: Placed, key = 'c1m1') => `/programme/${who.enrolmentId}/modules/${key}`;

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.83.0.1' });
  ({ intakeId, lead } = setup);
  [ann, ben] = setup.placed as [Placed, Placed];
  expect((await set(lead, intakeId, 'c1m1', day('releasesOn', '2026-11-01'))).statusCode).toBe(303);
});

describe('a reflection', () => {
  it('is done by writing it, not by a button: nothing written is refused and too much is refused with what was written kept', async () => {
    const me = await ann.person.signIn('10.83.0.2');
    const page = await me.get(modulePage(ann));
    expect(page.body).toContain('Your reflection');
    expect(page.body).toContain('Only you can read it. Saving it marks this activity done.');
    // The reading and the video are marked done by a button; the reflection is not.
    expect(page.body.match(/Mark the activity as done/g)).toHaveLength(2);
    await expect(t.services.learning.markDone(ann.person.actor, ann.enrolmentId, REFLECTION, true)).rejects.toMatchObject({ code: 'cannot_mark' });

    const empty = await me.post(url(ann), { text: ' \u200b ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain(`<a href="#reflection-${REFLECTION}">Write your reflection</a>`);
    const long = 'x'.repeat(20_001);
    const tooLong = await me.post(url(ann), { text: long });
    expect(tooLong.statusCode).toBe(422);
    expect(tooLong.body).toContain('Your reflection must be 20,000 characters or fewer: it is 20,001');
    expect(tooLong.body).toContain(long);
  });

  it('is kept, shown to its writer only, marks the activity done, and can be changed', async () => {
    const me = await ann.person.signIn('10.83.0.3');
    await me.get(modulePage(ann));
    const saved = await me.post(url(ann), { text: 'We change too many things at once.\nI will pick one.' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${modulePage(ann)}#${REFLECTION}`);
    const page = await me.get(modulePage(ann));
    expect(page.body).toContain('Your reflection is saved.');
    expect(page.body).toContain('Written on 25 November 2026');
    expect(page.body).toContain('We change too many things at once.\nI will pick one.</textarea>');
    expect(page.body).toContain('1 of 3 activities done.');
    expect((await me.post(url(ann), { text: 'I will pick writing.' })).statusCode).toBe(303);
    expect((await me.get(modulePage(ann))).body).toContain('I will pick writing.</textarea>');

    // Nobody else: another participant, at their own place or at hers; the intake's staff see it done, never the words; the audit keeps no words.
    const him = await ben.person.signIn('10.83.0.4');
    expect((await him.post(url(ann), { text: 'Mine now' }, { follow: false })).statusCode).toBe(404);
    expect((await him.get(modulePage(ben))).body).not.toContain('I will pick writing.');
    const progress = await lead.get(`/delivery/intakes/${intakeId}/progress`);
    expect(progress.statusCode).toBe(200);
    expect(progress.body).not.toContain('I will pick writing.');
    const audited = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'reflection.written'));
    expect(audited).toHaveLength(2);
    expect(JSON.stringify(audited)).not.toContain('pick writing');
  });

  it('is not written for a module not yet released, nor for an activity that is not a reflection', async () => {
    const me = await ann.person.signIn('10.83.0.5');
    await me.get(modulePage(ann));
    expect((await me.post(url(ann, 'c1m2a3'), { text: 'Early' }, { follow: false })).statusCode).toBe(404);
    expect((await me.post(url(ann, 'c1m1a1'), { text: 'A reading' }, { follow: false })).statusCode).toBe(404);
    await expect(t.services.learning.writeReflection(ann.person.actor, ann.enrolmentId, 'c1m2a3', 'Early')).rejects.toMatchObject({ code: 'cannot_write' });
  });
});
