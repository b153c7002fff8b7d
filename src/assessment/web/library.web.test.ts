import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { schoolByUrn } from '../../enrolment/enrolment.queries';
import { factoriesFor, type Person } from '../../testing/factories';
import { Client, outboxTo, useTestApp } from '../../testing/test-app';
import { libraryEntries, releasedResults } from '../assessment.schema';
import { givenReleasedResults, headshipPlaces } from './assessment-web.testkit';

/**
 * Issue 12 item 7, through the pages: two NPQH participants whose results are out, one who passed
 * both projects and one who failed Task 2. The first shares Task 1 (refused until every field and
 * consent is given, keeping what was typed); the admin returns it with a note, then publishes it
 * once changed; anyone finds it by words, NPQ, phase and theme; the participant withdraws it and
 * shares it again; a voided outcome takes it out of the library. Everyone else is refused.
 */
const t = useTestApp();
const f = factoriesFor(t);

let passer: { person: Person; eid: string };
let failer: { person: Person; eid: string };
let me: Client;
let admin: Client;
let ip = 0;
const nextIp = () => `10.125.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/&amp;/g, '&').replace(/\s+/g, ' ');
const share = (eid: string, task: string) => `/programme/${eid}/assessment/library/${task}`;
const entryOf = async (eid: string, task = 'task-1') => (await t.database.db.select().from(libraryEntries).where(and(eq(libraryEntries.enrolmentId, eid), eq(libraryEntries.taskKey, task))))[0];
/** The admin's decision on an entry as its page sends it: with when they read it (`seen`). */
const decide = async (id: string, decision: Record<string, string>) => {
  const [entry] = await t.database.db.select().from(libraryEntries).where(eq(libraryEntries.id, id));
  return admin.post(`/assessment/library/${id}`, { ...decision, seen: String(entry!.updatedAt.getTime()) });
};
const good = {
  title: 'Fluent readers in every class',
  summary: 'We taught reading fluency daily in every class from Year 2 to Year 6, and trained every teacher to model it.',
  impact: 'Fluency rose in every year group; teachers now plan reading together each week.',
  phase: 'primary',
  themes: ['reading', 'teacher_development'],
  nameSchool: 'yes',
  noPupilData: 'yes',
  consent: 'yes',
};

beforeAll(async () => {
  const made = await headshipPlaces(t, f, 2);
  [passer, failer] = made.places as [typeof passer, typeof failer];
  await givenReleasedResults(t, { eid: passer.eid, intakeId: made.intakeId, results: { 'task-1': 'pass', 'task-2': 'pass' }, releasesOn: '2026-11-20' });
  await givenReleasedResults(t, { eid: failer.eid, intakeId: made.intakeId, results: { 'task-1': 'pass', 'task-2': 'fail' }, releasesOn: '2026-11-20' });
  me = await passer.person.signIn(nextIp());
  admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
}, 120_000);

describe('sharing a project', () => {
  it('offers each passed project on the results page, and no failed one', async () => {
    const page = text((await me.get(`/programme/${passer.eid}/assessment/results`)).body);
    expect(page).toContain('School Improvement Library');
    expect((await me.get(`/programme/${passer.eid}/assessment/results`)).body).toContain(`href="${share(passer.eid, 'task-2')}"`);
    const them = await failer.person.signIn(nextIp());
    expect((await them.get(`/programme/${failer.eid}/assessment/results`)).body).not.toContain(share(failer.eid, 'task-2'));
    expect((await them.get(share(failer.eid, 'task-2'))).statusCode).toBe(404);
    expect((await them.get(share(failer.eid, 'task-1'))).statusCode).toBe(200);
  });

  it('refuses a form without what it needs, saying so next to each field and keeping what was typed', async () => {
    const empty = await me.post(share(passer.eid, 'task-1'), {});
    expect(empty.statusCode).toBe(422);
    const words = text(empty.body);
    for (const message of ['Enter a title for your project', 'Say what your project set out to do', 'Select the phase of your school', 'Select at least one theme', 'Say what difference the project made', 'Say whether your school may be named', 'Confirm that no pupil can be identified', 'Give your consent to publish']) expect(words).toContain(message);
    expect(empty.body).toContain('href="#themes"');
    const partial = await me.post(share(passer.eid, 'task-1'), { ...good, title: 'x'.repeat(121), themes: ['reading', 'mathematics', 'send', 'wellbeing'], consent: '' });
    expect(partial.statusCode).toBe(422);
    expect(text(partial.body)).toContain('The title must be 120 characters or fewer');
    expect(text(partial.body)).toContain('Select up to 3 themes');
    expect(partial.body).toContain(good.summary);
    expect(await entryOf(passer.eid)).toBeUndefined();
  });

  it('sends it for review: not in the library until the admin publishes it', async () => {
    const sent = await me.post(share(passer.eid, 'task-1'), good);
    expect(sent.statusCode).toBe(303);
    expect(text((await me.get(sent.headers.location as string)).body)).toContain('Your project is sent for review');
    const entry = (await entryOf(passer.eid))!;
    expect(entry).toMatchObject({ state: 'in_review', title: good.title, themes: good.themes, courseIdentifier: 'npq-headship' });
    const school = await schoolByUrn(t.database.db, 140002);
    expect(entry.schoolName).toBe(school?.name ?? null);
    expect(text((await new Client(t, nextIp()).get('/library')).body)).not.toContain(good.title);
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(404);
    expect(await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'library.shared'), eq(auditEvents.entityId, entry.id)))).toHaveLength(1);
  });

  it('two sends at once make one entry', async () => {
    const both = await Promise.all([me.post(share(passer.eid, 'task-2'), { ...good, title: 'Placement one' }), me.post(share(passer.eid, 'task-2'), { ...good, title: 'Placement two' })]);
    expect(both.map((r) => r.statusCode)).toEqual([303, 303]);
    expect(await t.database.db.select().from(libraryEntries).where(and(eq(libraryEntries.enrolmentId, passer.eid), eq(libraryEntries.taskKey, 'task-2')))).toHaveLength(1);
  });
});

describe('the admin’s review', () => {
  it('returns an entry with a note the participant is emailed and sees; changed, it waits again', async () => {
    const entry = (await entryOf(passer.eid))!;
    expect(text((await admin.get('/assessment/library')).body)).toContain(good.title);
    const noNote = await admin.post(`/assessment/library/${entry.id}`, { decision: 'return', note: '' });
    expect(noNote.statusCode).toBe(422);
    expect(text(noNote.body)).toContain('Say what the participant should change');
    const back = await admin.post(`/assessment/library/${entry.id}`, { decision: 'return', note: 'Leave out the Year 2 class name.', seen: String(entry.updatedAt.getTime()) });
    expect(back.statusCode).toBe(303);
    expect((await entryOf(passer.eid))!.state).toBe('returned');
    const mail = (await outboxTo(t, passer.person.email)).find((m) => m.subject.startsWith('Your library entry needs a change'));
    expect(mail?.body).toContain('Leave out the Year 2 class name.');
    expect(text((await me.get(share(passer.eid, 'task-1'))).body)).toContain('Leave out the Year 2 class name.');
    expect((await me.post(share(passer.eid, 'task-1'), { ...good, summary: `${good.summary} Changed.` })).statusCode).toBe(303);
    expect((await entryOf(passer.eid))!.state).toBe('in_review');
  });

  it('refuses a decision on what the admin did not read: a change sent since is read first', async () => {
    const before = (await entryOf(passer.eid))!;
    t.clock.advance(60_000);
    await me.post(share(passer.eid, 'task-1'), { ...good, summary: `${good.summary} Changed again.` });
    const stale = await admin.post(`/assessment/library/${before.id}`, { decision: 'publish', seen: String(before.updatedAt.getTime()) });
    expect(text((await admin.get(stale.headers.location as string)).body)).toContain('This entry has changed since you opened it');
    expect((await entryOf(passer.eid))!.state).toBe('in_review');
    // A form that does not say when it was read, or says a time no database holds, is refused the same way, never a 500.
    for (const seen of [undefined, '', 'yesterday', '999999999999999', '99999999999999', '-1']) {
      const unsaid = await admin.post(`/assessment/library/${before.id}`, { decision: 'publish', ...(seen === undefined ? {} : { seen }) });
      expect(unsaid.statusCode).toBe(303);
      expect(text((await admin.get(unsaid.headers.location as string)).body)).toContain('changed since you opened it: read it again');
    }
    expect((await entryOf(passer.eid))!.state).toBe('in_review');
  });

  it('refuses a second admin’s decision on what the first has decided since', async () => {
    const read = (await entryOf(passer.eid, 'task-2'))!;
    t.clock.advance(60_000);
    expect((await decide(read.id, { decision: 'return', note: 'Say which school hosted it.' })).statusCode).toBe(303);
    await me.post(share(passer.eid, 'task-2'), { ...good, title: 'Placement, hosted' });
    const read2 = (await entryOf(passer.eid, 'task-2'))!;
    t.clock.advance(60_000);
    expect((await decide(read2.id, { decision: 'publish' })).statusCode).toBe(303);
    const late = await admin.post(`/assessment/library/${read2.id}`, { decision: 'return', note: 'Shorten it.', seen: String(read2.updatedAt.getTime()) });
    expect(text((await admin.get(late.headers.location as string)).body)).toContain('This entry has changed since you opened it');
    expect((await entryOf(passer.eid, 'task-2'))!.state).toBe('published');
    // Back to waiting for review, as the later tests find it.
    await me.post(share(passer.eid, 'task-2'), { ...good, title: 'Placement, hosted' });
  });

  it('publishes it: anyone finds it by words, NPQ, phase and theme, and reads it without the participant’s name', async () => {
    const entry = (await entryOf(passer.eid))!;
    expect((await admin.post(`/assessment/library/${entry.id}`, { decision: 'publish', seen: String(entry.updatedAt.getTime()) })).statusCode).toBe(303);
    expect((await outboxTo(t, passer.person.email)).some((m) => m.subject.startsWith('Your project is in the School Improvement Library') && m.body.includes(`/library/${entry.id}`))).toBe(true);
    const visitor = new Client(t, nextIp());
    const shown = (url: string) => visitor.get(url).then((r) => text(r.body));
    expect(await shown('/library')).toContain(good.title);
    // English stemming: "readers" is found by "reading".
    expect(await shown('/library?q=reading')).toContain(good.title);
    expect(await shown('/library?q=algebra')).not.toContain(good.title);
    expect(await shown('/library?npq=npq-headship&phase=primary&theme=reading')).toContain(good.title);
    expect(await shown('/library?phase=secondary')).not.toContain(good.title);
    expect(await shown('/library?theme=mathematics')).not.toContain(good.title);
    expect(await shown('/library?npq=not-an-npq')).toContain('is not one of the choices');
    // An NPQ with no entries yet finds none, and says so without calling it a mistake.
    expect(await shown('/library?npq=npq-middle-leadership')).toContain('No projects match these filters');
    expect(await shown('/library?npq=npq-middle-leadership')).not.toContain('is not one of the choices');
    // Search text that is not a query (quotes, operators) is still only words.
    expect((await visitor.get('/library?q=%22%27%29%28%21%7C%26')).statusCode).toBe(200);
    const page = await shown(`/library/${entry.id}`);
    expect(page).toContain(good.impact);
    expect(page).not.toContain(passer.person.name);
  });

  it('takes a published entry down, returned with a note', async () => {
    const entry = (await entryOf(passer.eid))!;
    await decide(entry.id, { decision: 'return', note: 'A parent asked us to take it down.' });
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(404);
    await me.post(share(passer.eid, 'task-1'), good);
    const again = (await entryOf(passer.eid))!;
    await decide(again.id, { decision: 'publish' });
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(200);
  });
});

describe('consent and voids', () => {
  it('withdrawn by its participant, it leaves the library at once, and can be shared again', async () => {
    const entry = (await entryOf(passer.eid))!;
    const out = await me.post(`${share(passer.eid, 'task-1')}/withdraw`, {});
    expect(text((await me.get(out.headers.location as string)).body)).toContain('Your entry is withdrawn from the library');
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(404);
    const twice = await me.post(`${share(passer.eid, 'task-1')}/withdraw`, {});
    expect(text((await me.get(twice.headers.location as string)).body)).toContain('withdrawn from the library already');
    await me.post(share(passer.eid, 'task-1'), good);
    await decide(entry.id, { decision: 'publish' });
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(200);
  });

  it('an outcome voided takes the entry out of the library, and it cannot be published; its participant can still withdraw it', async () => {
    const entry = (await entryOf(passer.eid))!;
    await admin.post(`/assessment/outcomes/${passer.eid}/void`, { reason: 'Malpractice.' });
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(404);
    expect(text((await new Client(t, nextIp()).get('/library')).body)).not.toContain(good.title);
    // Their page offers no sharing, only withdrawing what stands.
    const page = await me.get(share(passer.eid, 'task-1'));
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain('This project can no longer be shared');
    expect(page.body).not.toContain('Send the changes for review');
    expect(page.body).toContain('Withdraw my entry');
    expect((await me.post(share(passer.eid, 'task-1'), good)).statusCode).toBe(404);
    const two = (await entryOf(passer.eid, 'task-2'))!;
    const refused = await decide(two.id, { decision: 'publish' });
    expect(text((await admin.get(refused.headers.location as string)).body)).toContain('outcome is voided');
    const out = await me.post(`${share(passer.eid, 'task-2')}/withdraw`, {});
    expect(text((await me.get(out.headers.location as string)).body)).toContain('Your entry is withdrawn from the library');
    expect((await entryOf(passer.eid, 'task-2'))!.state).toBe('withdrawn');
    // Withdrawn while voided, nothing of it is left to show.
    expect((await me.get(share(passer.eid, 'task-2'))).statusCode).toBe(404);
    await admin.post(`/assessment/outcomes/${passer.eid}/reinstate`, { reason: 'Not malpractice after all.' });
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(200);
    // Put back, the outcome does not put back what its participant withdrew.
    expect((await entryOf(passer.eid, 'task-2'))!.state).toBe('withdrawn');
  });

  it('a project whose result a review changed to a fail leaves the library and cannot be published', async () => {
    const entry = (await entryOf(passer.eid))!;
    // As a review of marking records it (outcomes.ts decideReview): the released result is changed in place.
    const ofTask = and(eq(releasedResults.enrolmentId, passer.eid), eq(releasedResults.taskKey, 'task-1'));
    await t.database.db.update(releasedResults).set({ result: 'fail' }).where(ofTask);
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(404);
    expect(text((await new Client(t, nextIp()).get('/library')).body)).not.toContain(good.title);
    expect(text((await me.get(share(passer.eid, 'task-1'))).body)).toContain('This project can no longer be shared');
    expect((await me.post(share(passer.eid, 'task-1'), good)).statusCode).toBe(404);
    await t.database.db.update(libraryEntries).set({ state: 'in_review' }).where(eq(libraryEntries.id, entry.id));
    expect(text((await admin.get(`/assessment/library/${entry.id}`)).body)).toContain('no longer a pass');
    const refused = await decide(entry.id, { decision: 'publish' });
    expect(text((await admin.get(refused.headers.location as string)).body)).toContain('result is no longer a pass');
    expect((await entryOf(passer.eid))!.state).toBe('in_review');
    await t.database.db.update(releasedResults).set({ result: 'pass' }).where(ofTask);
    expect((await decide(entry.id, { decision: 'publish' })).statusCode).toBe(303);
    expect((await new Client(t, nextIp()).get(`/library/${entry.id}`)).statusCode).toBe(200);
  });
});

describe('who may do what', () => {
  it('refuses another participant’s project, the admin’s pages to everyone else, and asks the anonymous to sign in', async () => {
    const them = await failer.person.signIn(nextIp());
    expect((await them.get(share(passer.eid, 'task-1'))).statusCode).toBe(404);
    expect((await them.post(share(passer.eid, 'task-1'), good)).statusCode).toBe(404);
    expect((await them.post(`${share(passer.eid, 'task-1')}/withdraw`, {})).statusCode).toBe(404);
    const entry = (await entryOf(passer.eid))!;
    const assessor = await (await f.aStaffMember({ role: 'assessor' })).signIn(nextIp());
    for (const who of [them, assessor]) {
      expect((await who.get('/assessment/library')).statusCode).toBe(403);
      expect((await who.get(`/assessment/library/${entry.id}`)).statusCode).toBe(403);
      expect((await who.post(`/assessment/library/${entry.id}`, { decision: 'return', note: 'No.' })).statusCode).toBe(403);
    }
    // The admin reads a participant's results but does not share for them.
    expect((await admin.get(share(passer.eid, 'task-1'))).statusCode).toBe(404);
    const anonymous = new Client(t, nextIp());
    const res = await anonymous.get(share(passer.eid, 'task-1'));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('/sign-in');
    expect((await anonymous.get('/library/not-an-id')).statusCode).toBe(404);
    expect((await anonymous.get('/library?page=99999999999')).statusCode).toBe(200);
  });
});
