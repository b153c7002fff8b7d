import { beforeAll, describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../testing/test-app';
import { loadCoachingDemo } from './coaching-demo';
import { loadDemoApplications } from './demo-data';
import { loadProgrammeDemo } from './programme-demo';

const t = useTestApp();
beforeAll(async () => {
  await loadDemoApplications(t.services.applications);
  await loadProgrammeDemo(t.database.db, t.services, t.clock);
  await loadCoachingDemo(t.database.db, t.services, t.clock);
  // A second load finds Pat's coach and does nothing.
  await loadCoachingDemo(t.database.db, t.services, t.clock);
});

describe('the coaching demo (issue 11 item 7)', () => {
  it('has Pat coached by Cora: a session held three weeks ago with agreed actions, one a week ago to record, free times offered', async () => {
    const pat = new Client(t);
    await pat.signIn('participant@demo.npq.test');
    const programme = await pat.get('/programme');
    const coaching = /href="(\/programme\/[0-9a-f-]{36}\/coaching)"/.exec(programme.body)![1]!;
    const page = await pat.get(coaching);
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Your coach Cora Coach');
    expect(text).toContain('55 minutes used of 3 hours, 1 hour booked');
    expect(text).toContain('Left to book 1 hour 5 minutes');
    // The frozen clock's today is Wednesday 25 November 2026: the first weekly hour is Friday 27th.
    expect(text).toContain('Friday 27 November 2026, 16:00 to 17:00');
    expect(text).toContain('Wednesday 18 November 2026, 16:00 to 17:00 Waiting for your coach to record it');
    expect(text).toContain('draft the staff meeting agenda');
    expect(text).not.toContain('anxious');
    expect((page.body.match(/>Book<\/button>/g) ?? []).length).toBe(12);

    const cora = new Client(t);
    await cora.signIn('coach@demo.npq.test');
    const overview = await cora.get('/coaching');
    expect(overview.body).toContain('Pat');
    expect(overview.body).toContain('You have held 55 minutes of coaching sessions.');
    expect(overview.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')).toMatch(/To record Sessions to record When Participant Where Wednesday 18 November 2026, 16:00 to 17:00 Pat Participant/);
  });

  it('has Pat’s question to Cora as tutor, and Cora’s answer, new to Pat', async () => {
    const pat = new Client(t);
    await pat.signIn('participant@demo.npq.test');
    const messages = /href="(\/programme\/[0-9a-f-]{36}\/messages)"/.exec((await pat.get('/programme')).body)![1]!;
    const text = (await pat.get(messages)).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('Read by you and Cora Coach, personal tutor');
    expect(text).toMatch(/You , 21 November 2026 at 7:12pm Hello Cora,/);
    expect(text).toMatch(/New messages Cora Coach , personal tutor, 22 November 2026 at 8:40am New Thanks Pat/);
    const cora = new Client(t);
    await cora.signIn('coach@demo.npq.test');
    expect((await cora.get('/messages')).body).toContain('Pat Participant');
  });
});
