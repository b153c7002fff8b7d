import { describe, expect, it } from 'vitest';
import { useMailHarness } from '../../testing/smtp';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const mail = useMailHarness(t);
const form = { name: 'Ivy Teacher', email: 'Ivy@School.test', courseIdentifier: 'npq-headship', startPreference: 'Not sure yet', role: 'Deputy head', schoolName: 'Oakfield Primary', consent: 'yes' };

describe('expressions of interest', () => {
  it('are registered once however often submitted, and confirmed by email', async () => {
    const c = new Client(t);
    expect((await c.get('/interest?npq=npq-headship')).body).toContain('name="courseIdentifier" value="npq-headship"');
    const first = await c.post('/interest', form);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Thank you: we have your interest');
    await c.get('/interest?npq=npq-headship');
    const again = await c.post('/interest', { ...form, email: 'ivy@school.test', startPreference: 'Not sure yet' });
    // The visitor is told the same either way: whether an address registered before is that person's business.
    expect(again.body.replace(/name="_csrf" value="[^"]+"/g, '')).toBe(first.body.replace(/name="_csrf" value="[^"]+"/g, ''));
    const rows = await t.services.interest.list({ kind: 'system', name: 'test' }, { query: 'ivy@' }, 1);
    expect(rows.total).toBe(1);
    await mail.flush();
    const emails = mail.received.filter((m) => m.to.includes('ivy@school.test'));
    expect(emails.map((m) => m.subject)).toEqual(['Your interest in the NPQH', 'Your interest in the NPQH']);
    // The clock is frozen, so both emails' jobs fall due at the same instant and may go in either order.
    expect(emails.filter((m) => m.text?.includes('We have updated your interest'))).toHaveLength(1);
  });

  it('offer only the chosen NPQ’s intakes, and say when applications are open, with a link to apply', async () => {
    const c = new Client(t);
    const choose = await c.get('/interest');
    expect(choose.body).toContain('Which NPQ are you interested in?');
    expect(choose.body).not.toContain('startPreference');
    const courses = await t.services.catalogue.list();
    const headship = courses.find((q) => q.identifier === 'npq-headship')!;
    const others = courses.filter((q) => q.identifier !== 'npq-headship').flatMap((q) => q.intakes.map((i) => i.id));
    const page = await c.get('/interest?npq=npq-headship');
    const options = [...page.body.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]).filter(Boolean);
    expect(options.length).toBe(new Set(headship.intakes.map((i) => i.name)).size + 1);
    expect(options.at(-1)).toBe('Not sure yet');
    for (const i of headship.intakes) expect(page.body).toContain(i.name);
    expect(others.length).toBeGreaterThan(0);
    // NPQH takes applications now (the demo's January 2027 intake): the page says so and links to apply.
    expect(page.body).toContain('Applications are open');
    expect(page.body).toContain('href="/apply?npq=npq-headship"');
    expect(page.body).not.toContain('we will email you when they open');
    // Another NPQ's start is refused.
    const senco = courses.find((q) => q.identifier === 'npq-senco')!;
    const foreign = senco.intakes.map((i) => i.name).find((n) => !headship.intakes.some((h) => h.name === n));
    if (foreign) {
      const refused = await c.post('/interest', { ...form, email: 'x@school.test', startPreference: `${foreign} (starts 1 January 2027)` });
      expect(refused.statusCode).toBe(422);
      expect(refused.body).toContain('Select one of the NPQH’s start dates');
    }
    const done = await c.post('/interest', { ...form, email: 'open@school.test' });
    expect(done.body).toContain('Applications are open now');
    expect(done.body).toContain('href="/apply?npq=npq-headship"');
    await mail.flush();
    expect(mail.received.find((m) => m.to.includes('open@school.test'))!.text).toContain('Applications are open now');
  });

  it('explain each mistake and keep what was typed', async () => {
    const c = new Client(t);
    await c.get('/interest?npq=npq-headship');
    const res = await c.post('/interest', { name: '', email: 'not-an-email', courseIdentifier: 'npq-headship', startPreference: '', role: 'Head of year' });
    expect(res.statusCode).toBe(422);
    for (const m of ['Enter your full name', 'Enter an email address in the correct format', 'Select when you would like to start', 'Confirm that we may email you about this NPQ']) expect(res.body).toContain(m);
    expect(res.body).toContain('value="Head of year"');
    const noNpq = await c.post('/interest', { ...form, courseIdentifier: '' });
    expect(noNpq.statusCode).toBe(422);
    expect(noNpq.body).toContain('Select the NPQ you are interested in');
  });

  it('are listed, filtered and exported for admins, who invite each person to apply once', async () => {
    const visitor = new Client(t);
    await visitor.get('/interest?npq=npq-senco');
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
    expect((await admin.get(invited.headers.location as string)).body).toContain('2 people invited to apply.');
    const twice = await admin.post('/admin/interest/invite', { course: 'npq-headship' });
    expect((await admin.get(twice.headers.location as string)).body).toContain('already been invited');
    await mail.flush();
    const invitation = mail.received.filter((m) => m.subject === 'Applications are open: NPQH');
    expect(invitation).toHaveLength(2);
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
