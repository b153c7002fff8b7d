import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailHarness } from '../../testing/smtp';
import { Client, createTestApp, type TestApp } from '../../testing/test-app';

let t: TestApp;
let mail: Awaited<ReturnType<typeof startMailHarness>>;
beforeAll(async () => {
  t = await createTestApp();
  mail = await startMailHarness(t.database.db, t.clock);
});
afterAll(async () => {
  await mail.stop();
  await t.close();
});

const form = { name: 'Ivy Teacher', email: 'Ivy@School.test', courseIdentifier: 'npq-headship', startPreference: 'Not sure yet', role: 'Deputy head', schoolName: 'Oakfield Primary', consent: 'yes' };

describe('expressions of interest', () => {
  it('are registered once however often submitted, and confirmed by email', async () => {
    const c = new Client(t);
    expect((await c.get('/interest?npq=npq-headship')).body).toContain('value="npq-headship" selected');
    const first = await c.post('/interest', form);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Thank you: we have your interest');
    await c.get('/interest');
    const again = await c.post('/interest', { ...form, email: 'ivy@school.test', startPreference: 'Not sure yet' });
    expect(again.body).toContain('We have updated your interest');
    await mail.flush();
    expect(mail.received.filter((m) => m.to.includes('ivy@school.test'))).toHaveLength(1);
    expect(mail.received[0]!.subject).toBe('Your interest in the NPQH');
  });

  it('explain each mistake and keep what was typed', async () => {
    const c = new Client(t);
    await c.get('/interest');
    const res = await c.post('/interest', { name: '', email: 'not-an-email', courseIdentifier: '', startPreference: '', role: 'Head of year' });
    expect(res.statusCode).toBe(422);
    for (const m of ['Enter your full name', 'Enter an email address in the correct format', 'Select the NPQ you are interested in', 'Select when you would like to start', 'Confirm that we may email you about this NPQ']) expect(res.body).toContain(m);
    expect(res.body).toContain('value="Head of year"');
  });

  it('are listed, filtered and exported for admins, who invite each person to apply once', async () => {
    const visitor = new Client(t);
    await visitor.get('/interest');
    await visitor.post('/interest', { ...form, name: 'Sam Senco', email: 'sam@school.test', courseIdentifier: 'npq-senco' });
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const list = await admin.get('/admin/interest?course=npq-headship');
    expect(list.body).toContain('ivy@school.test');
    expect(list.body).not.toContain('sam@school.test');
    const csv = await admin.get('/admin/interest.csv?q=sam');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('sam@school.test');
    expect(csv.body).not.toContain('ivy@school.test');

    await admin.get('/admin/interest');
    const invited = await admin.post('/admin/interest/invite', { course: 'npq-headship' });
    expect(invited.statusCode).toBe(303);
    expect((await admin.get(invited.headers.location as string)).body).toContain('1 person invited to apply.');
    const twice = await admin.post('/admin/interest/invite', { course: 'npq-headship' });
    expect((await admin.get(twice.headers.location as string)).body).toContain('already been invited');
    await mail.flush();
    const invitation = mail.received.filter((m) => m.subject === 'Applications are open: NPQH');
    expect(invitation).toHaveLength(1);
    expect(invitation[0]!.text).toContain('January 2027');
    const none = await admin.post('/admin/interest/invite', { course: '' });
    expect(none.body).toContain('Select the NPQ whose applicants to invite');
  });

  it('are not shown to anyone but provider admins', async () => {
    const lead = new Client(t);
    await lead.signIn('lead.midlands@demo.npq.test');
    expect((await lead.get('/admin/interest')).statusCode).toBe(403);
    expect((await lead.get('/admin/interest.csv')).statusCode).toBe(403);
    expect((await new Client(t).get('/admin/interest')).statusCode).toBe(303);
  });
});
