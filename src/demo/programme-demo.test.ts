import { beforeAll, describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../testing/test-app';
import { loadDemoApplications } from './demo-data';
import { loadProgrammeDemo } from './programme-demo';

const t = useTestApp();
beforeAll(async () => {
  await loadDemoApplications(t.services.applications);
  await loadProgrammeDemo(t.database.db, t.services, t.clock);
  // A second load finds the intake and does nothing.
  await loadProgrammeDemo(t.database.db, t.services, t.clock);
});

describe('the programme demo (issue 10 item 9)', () => {
  it('has the demo participant part-way through NPQH: modules done, a core task sent back, the next event tomorrow with its pre-work', async () => {
    const pat = new Client(t);
    await pat.signIn('participant@demo.npq.test');
    const page = await pat.get('/programme');
    expect(page.statusCode).toBe(200);
    const text = page.body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(text).toContain('National Professional Qualification for Headship');
    expect(text).toContain('Autumn 2026, Group A — Birmingham (your facilitator: Fred Facilitator)');
    // The frozen clock's today is Wednesday 25 November 2026: tomorrow is Thursday 26th.
    expect(text).toContain('Your core task for “Transforming the culture for improvement and impact” needs more work.');
    expect(text).toMatch(/What to do next Thursday 26 November 2026, 09:30 to 16:00 Event 2: Strategy &amp; Improvement Room 2, Birmingham Regional Training Centre[^.]*Pre-work: due 26 November 2026/);
    expect(text).toContain('Online course modules 2 of 12');
    const coreTask = await pat.get(`${/href="(\/programme\/[0-9a-f-]{36})\/modules\/c1m1"/.exec(page.body)![1]}/modules/c1m4`);
    expect(coreTask.body).toContain('Needs more work');
    expect(coreTask.body).toContain('Your core task, improved');
    const base = /href="(\/programme\/[0-9a-f-]{36})\/modules\/c1m1"/.exec(page.body)![1];
    expect((await pat.get(`${base}/sessions/e2`)).body).toContain('You will attend');
    expect((await pat.get(`${base}/sessions/b2`)).body).toContain('Watch the recording');
    // The first module holds the qualification handbook, a PDF course material Pat can download.
    const firstModule = await pat.get(`${base}/modules/c1m1`);
    expect(firstModule.body).toMatch(/href="[^"]+\/files\/c1m1a4" download>NPQH-participant-handbook\.pdf<\/a> \(PDF, 1 KB\)/);
    const handbook = await pat.get(`${base}/files/c1m1a4`);
    expect(handbook.statusCode).toBe(200);
    expect(handbook.headers['content-type']).toBe('application/pdf');
    expect(handbook.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('has three early Task 1 accounts sent, one allocated to the demo assessor, who sees it by candidate number only (issue 12 item 4)', async () => {
    const admin = await t.services.assessment.allocationList({ kind: 'system', name: 'test' }, {});
    expect(admin.total).toBe(3);
    expect(admin.unallocated).toBe(2);
    const asa = new Client(t);
    await asa.signIn('assessor@demo.npq.test');
    const marking = await asa.get('/marking');
    expect(marking.statusCode).toBe(200);
    const cn = /href="\/marking\/(C-[A-Z0-9]{6})"/.exec(marking.body)![1]!;
    const script = await asa.get(`/marking/${cn}`);
    expect(script.statusCode).toBe(200);
    for (const row of admin.rows) expect(script.body).not.toContain(row.participant);
  });
});
