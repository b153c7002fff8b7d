import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { enrolments } from '../../enrolment/enrolment.schema';
import { roleAssignments } from '../../people/people.schema';
import { aPdf } from '../../testing/documents';
import { factoriesFor, type Person } from '../../testing/factories';
import { aDeliveryIntake, type Placed } from '../../testing/plan-form';
import { useMailHarness } from '../../testing/smtp';
import { type Client, useTestApp } from '../../testing/test-app';
import { supportMessages } from '../coaching.schema';

/**
 * Issue 11 item 2, through the pages: a participant writes to her personal tutor and her group's
 * facilitator; both are emailed over SMTP that a message waits, never what it says, and once per
 * stretch of unread messages; files go both ways under the rules of materials; a slip is withdrawn;
 * nobody else reads the conversation or its files (another participant, another group's facilitator,
 * a tutor reassigned away, the admin); a participant who has withdrawn reads but cannot send.
 */
const t = useTestApp();
const f = factoriesFor(t);
const mail = useMailHarness(t);

let ann: Placed;
let ben: Placed;
let tutor: Person;
let newTutor: Person;
let fiona: Person;
let gary: Person;
let lead: Client;
let ip = 0;
const nextIp = () => `10.112.0.${++ip}`;
const annUrl = () => `/programme/${ann.enrolmentId}/messages`;
const staffUrl = () => `/messages/${ann.enrolmentId}`;
/** Sends a form and, on success, reads the page it leads to (post/redirect/get), as a browser would. */
const follow = async (c: Client, res: Awaited<ReturnType<Client['upload']>>) => (res.statusCode === 303 && res.headers.location ? c.get(String(res.headers.location)) : res);
const messagesOf = () => t.database.db.select().from(supportMessages).where(eq(supportMessages.enrolmentId, ann.enrolmentId));

beforeAll(async () => {
  const setup = await aDeliveryIntake(t, f, { participants: 2, remoteAddress: '10.112.1.1' });
  lead = setup.lead;
  [ann, ben] = setup.placed as [Placed, Placed];
  const partner = { scopeType: 'delivery_partner' as const, scopeId: setup.partnerId };
  tutor = await f.aStaffMember({ role: 'coach', scope: partner, name: 'Tia Tutor' });
  newTutor = await f.aStaffMember({ role: 'coach', scope: partner, name: 'Nell New' });
  fiona = await f.aStaffMember({ role: 'facilitator', scope: partner, name: 'Fiona Facilitator' });
  gary = await f.aStaffMember({ role: 'facilitator', scope: partner, name: 'Gary Group-B' });
  const leadActor = (await f.aStaffMember({ role: 'delivery_partner_lead', scope: partner })).actor;
  const groupA = await t.services.learning.saveGroup(leadActor, setup.intakeId, null, { name: 'Group A', facilitatorUserId: fiona.userId });
  const groupB = await t.services.learning.saveGroup(leadActor, setup.intakeId, null, { name: 'Group B', facilitatorUserId: gary.userId });
  await t.services.learning.assignGroups(leadActor, setup.intakeId, { [ann.enrolmentId]: groupA, [ben.enrolmentId]: groupB });
});

describe('before anyone supports her', () => {
  it('the page says there is nobody to write to yet, and a message sent anyway is refused plainly', async () => {
    // A place in no group, with no tutor.
    const lone = await f.anAcceptedApplication({ course: 'npq-leading-teaching' });
    const her = await lone.participant.signIn(nextIp());
    const page = await her.get(`/programme/${lone.application.id}/messages`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You do not have a personal tutor or a group facilitator yet');
    expect(page.body).not.toContain('Send the message');
    const refused = await her.upload(`/programme/${lone.application.id}/messages`, { body: 'Hello?' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('there is nobody to send a message to');
    expect(refused.body).toContain('Hello?');
    // Ann already has her group's facilitator to write to.
    expect((await (await ann.person.signIn(nextIp())).get(annUrl())).body).toContain('Fiona Facilitator, facilitator of Group A');
  });
});

describe('a conversation with a tutor and a facilitator', () => {
  let annPage: Client;
  let tutorPage: Client;

  it('the lead gives Ann a personal tutor, who then sees her among their conversations', async () => {
    const saved = await lead.post('/coaching/allocations', { [`tutor-${ann.enrolmentId}`]: tutor.userId }, { follow: false });
    expect(saved.statusCode).toBe(303);
    tutorPage = await tutor.signIn(nextIp());
    const inbox = await tutorPage.get('/messages');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain(ann.person.name);
    expect(inbox.body).toContain('Personal tutor');
    expect(inbox.body).not.toContain(ben.person.name);
  });

  it('refuses an empty message and one too long, keeping what was typed', async () => {
    annPage = await ann.person.signIn(nextIp());
    const empty = await annPage.upload(annUrl(), { body: ' \u200b ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter your message, or choose a file to send');
    const long = await annPage.upload(annUrl(), { body: 'x'.repeat(5_001) });
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('Your message must be 5,000 characters or fewer: it is 5,001');
    expect(long.body).toContain('x'.repeat(200));
    expect(await messagesOf()).toHaveLength(0);
  });

  it('Ann writes; her tutor and facilitator are each emailed over SMTP that a message waits, without its words', async () => {
    const sent = await follow(annPage, await annPage.upload(annUrl(), { body: 'My headteacher has asked me to lead the curriculum review — can we talk about my project?' }));
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Your message is sent.');
    expect(sent.body).toContain('can we talk about my project?');
    await mail.flush();
    for (const who of [tutor, fiona]) {
      const [email] = await mail.to(who.email);
      expect(email?.subject).toBe(`New message about ${ann.person.name}`);
      expect(email?.text).toContain(`${ann.person.name} has sent you a message.`);
      expect(email?.text).toContain(`/messages/${ann.enrolmentId}`);
      expect(email?.text).not.toContain('curriculum review');
    }
  });

  it('a second message before they read the first sends no more email; the same words sent twice are one message', async () => {
    for (let i = 0; i < 2; i++) await annPage.upload(annUrl(), { body: 'Also: is the deadline for the core task fixed?' });
    expect((await messagesOf()).filter((m) => m.body.startsWith('Also'))).toHaveLength(1);
    await mail.flush();
    expect(await mail.to(tutor.email)).toHaveLength(1);
    expect(await mail.to(fiona.email)).toHaveLength(1);
  });

  it('the tutor reads her messages, marked new, and answers with a file; Ann is emailed once, and downloads it', async () => {
    const inbox = await tutorPage.get('/messages?show=unread');
    expect(inbox.body).toContain('2 new');
    const page = await tutorPage.get(staffUrl());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('New messages');
    expect(page.body).toContain('is the deadline for the core task fixed?');
    // Read now: nothing new on the list.
    expect((await tutorPage.get('/messages?show=unread')).body).toContain('No conversations match these filters.');
    t.clock.advance(60_000);
    const answered = await follow(tutorPage, await tutorPage.upload(staffUrl(), { body: 'Yes, let us talk. Here is the guide.' }, { name: 'Project guide.pdf', content: aPdf(), type: 'application/pdf' }));
    expect(answered.statusCode).toBe(200);
    expect(answered.body).toContain('Project guide.pdf');
    await mail.flush();
    const [email, ...more] = (await mail.to(ann.person.email)).filter((m) => m.subject.startsWith('New message'));
    expect(more).toHaveLength(0);
    expect(email?.subject).toBe('New message from Tia Tutor (personal tutor)');
    expect(email?.text).not.toContain('Here is the guide');
    expect(email?.text).not.toContain('Project guide');
    expect(email?.text).toContain(`/programme/${ann.enrolmentId}/messages`);
    // Fiona has not read Ann's messages yet: the tutor's reply is more of the same stretch for her.
    expect(await mail.to(fiona.email)).toHaveLength(1);

    const mine = await annPage.get(annUrl());
    expect(mine.body).toContain('Tia Tutor');
    const id = (await messagesOf()).find((m) => m.fileKey)!.id;
    const file = await annPage.get(`${annUrl()}/${id}/file`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');
    expect(file.headers['content-disposition']).toContain('attachment; filename="Project guide.pdf"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(aPdf())).toBe(true);
  });

  it('refuses a file that is not what its name says, keeping the words, under the materials’ rules', async () => {
    const refused = await annPage.upload(annUrl(), { body: 'Here is my plan' }, { name: 'plan.pdf', content: 'MZ this is a program', type: 'application/pdf' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('“plan.pdf” is not a PDF, Word, PowerPoint, Excel, PNG image or JPEG image file');
    expect(refused.body).toContain('Here is my plan');
    expect(refused.body).toContain('If you had chosen a file, choose it again');
    expect((await messagesOf()).filter((m) => m.body === 'Here is my plan')).toHaveLength(0);
  });

  it('Ann withdraws a slip within 30 minutes, for everyone; after that it stays', async () => {
    await annPage.upload(annUrl(), { body: 'Sent to the wrong person, sorry' });
    const slip = (await messagesOf()).find((m) => m.body === 'Sent to the wrong person, sorry')!;
    // Nobody else may withdraw it.
    const notHers = await tutorPage.post(`${staffUrl()}/${slip.id}/withdraw`, {});
    expect(notHers.statusCode).toBe(422);
    expect(notHers.body).toContain('You can withdraw only your own messages');
    const withdrawn = await follow(annPage, await annPage.post(`${annUrl()}/${slip.id}/withdraw`, {}, { follow: false }));
    expect(withdrawn.body).toContain('Your message is withdrawn.');
    expect(withdrawn.body).toContain('This message was withdrawn by you.');
    const seen = await tutorPage.get(staffUrl());
    expect(seen.body).not.toContain('Sent to the wrong person');
    expect(seen.body).toContain('This message was withdrawn by its writer.');

    await annPage.upload(annUrl(), { body: 'Thank you, that helps' });
    const kept = (await messagesOf()).find((m) => m.body === 'Thank you, that helps')!;
    t.clock.advance(31 * 60_000);
    annPage = await ann.person.signIn(nextIp());
    expect((await annPage.get(annUrl())).body).not.toContain(`/${kept.id}/withdraw`);
    const late = await annPage.post(`${annUrl()}/${kept.id}/withdraw`, {});
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('A message can be withdrawn only within 30 minutes of sending it');
  });

  it('keeps the words out of the audit log, which the admin reads', async () => {
    const rows = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'message.sent'));
    expect(rows.length).toBeGreaterThan(2);
    expect(JSON.stringify(rows)).not.toContain('curriculum review');
    expect(rows.map((r) => (r.after as { role: string }).role)).toEqual(expect.arrayContaining(['participant', 'tutor']));
  });
});

describe('what trying to break it found', () => {
  let annPage: Client;
  let fionaPage: Client;
  beforeAll(async () => {
    annPage = await ann.person.signIn(nextIp());
    fionaPage = await fiona.signIn(nextIp());
  });

  it('a NUL or a broken character in a message is refused as in any form, never a server error, and not stored', async () => {
    const res = await annPage.upload(annUrl(), { body: 'x\u0000y' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('contains a character that is not allowed');
    const named = await annPage.upload(annUrl(), { body: 'with a file' }, { name: 'a\u0000b.pdf', content: aPdf(), type: 'application/pdf' });
    expect(named.statusCode).toBe(400);
    // The same for the other forms that take files (core tasks).
    const coreTask = await annPage.upload(`/programme/${ann.enrolmentId}/core-tasks/c1m3a4`, { text: 'bad\u0000text' });
    expect(coreTask.statusCode).toBe(400);
    expect((await messagesOf()).some((m) => m.body.includes('\u0000') || m.body === 'with a file')).toBe(false);
  });

  it('the same words as an answer to someone else’s message are sent, not taken for a repeat', async () => {
    t.clock.advance(60_000);
    await annPage.upload(annUrl(), { body: 'Yes, that works' });
    t.clock.advance(10_000);
    await fionaPage.upload(staffUrl(), { body: 'And can you also do Thursday at 4?' });
    t.clock.advance(10_000);
    await annPage.upload(annUrl(), { body: 'Yes, that works' });
    expect((await messagesOf()).filter((m) => m.body === 'Yes, that works')).toHaveLength(2);
  });

  it('a message withdrawn and then sent again is a new message', async () => {
    t.clock.advance(60_000);
    await annPage.upload(annUrl(), { body: 'Resent after a slip' });
    const first = (await messagesOf()).find((m) => m.body === 'Resent after a slip')!;
    await annPage.post(`${annUrl()}/${first.id}/withdraw`, {}, { follow: false });
    await annPage.upload(annUrl(), { body: 'Resent after a slip' });
    expect((await messagesOf()).filter((m) => m.body === 'Resent after a slip' && !m.withdrawnAt)).toHaveLength(1);
  });

  it('the same message with the same file sent twice at once is one message; another file is another message', async () => {
    t.clock.advance(60_000);
    const send = (content: Buffer) => annPage.upload(annUrl(), { body: 'Here is the plan' }, { name: 'plan.pdf', content, type: 'application/pdf' });
    await Promise.all([send(aPdf('Plan one')), send(aPdf('Plan one')), send(aPdf('Plan one'))]);
    expect((await messagesOf()).filter((m) => m.body === 'Here is the plan')).toHaveLength(1);
    await send(aPdf('Plan two'));
    expect((await messagesOf()).filter((m) => m.body === 'Here is the plan')).toHaveLength(2);
  });

  it('two people writing at once to a tutor who has read everything: one email to the tutor', async () => {
    const tia = await tutor.signIn(nextIp());
    await tia.get(staffUrl());
    await mail.flush();
    const before = (await mail.to(tutor.email)).length;
    t.clock.advance(60_000);
    await Promise.all([annPage.upload(annUrl(), { body: 'From Ann at once' }), fionaPage.upload(staffUrl(), { body: 'From Fiona at once' })]);
    await mail.flush();
    expect((await mail.to(tutor.email)).length).toBe(before + 1);
  });

  it('a withdrawal refused is said at the message, and the audit log keeps neither words nor file names', async () => {
    const old = (await messagesOf()).find((m) => m.body === 'Yes, that works')!;
    t.clock.advance(31 * 60_000);
    annPage = await ann.person.signIn(nextIp());
    fionaPage = await fiona.signIn(nextIp());
    const late = await annPage.post(`${annUrl()}/${old.id}/withdraw`, {});
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain(`href="#message-${old.id}"`);
    const rows = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'message.sent'));
    expect(JSON.stringify(rows)).not.toContain('plan.pdf');
    expect(JSON.stringify(rows)).not.toContain('Project guide');
  });

  it('a message that arrives while the writer types stays new to them: sending marks read only what their page showed', async () => {
    const tia = await tutor.signIn(nextIp());
    const shown = await tia.get(staffUrl());
    const seen = /name="seen" value="([0-9a-f-]{36})"/.exec(shown.body)![1]!;
    t.clock.advance(60_000);
    await annPage.upload(annUrl(), { body: 'Arrived while Tia typed' });
    t.clock.advance(60_000);
    await tia.upload(staffUrl(), { body: 'Reply written before seeing it', seen });
    const after = await tia.get(staffUrl());
    expect(after.body).toMatch(/id="new">New messages<\/p>[\s\S]*Arrived while Tia typed/);
  });

  it('an empty file is called empty', async () => {
    const res = await annPage.upload(annUrl(), {}, { name: 'empty.pdf', content: Buffer.alloc(0), type: 'application/pdf' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('The file you chose is empty');
  });

  it('a page answered with an error is shown again only to the session it was made for', async () => {
    const refused = await fionaPage.post(staffUrl(), { body: 'x'.repeat(5_001) }, { follow: false });
    expect(refused.statusCode).toBe(303);
    const cookie = (refused.cookies as { name: string; value: string }[]).find((c) => c.name === 'npq_form')!;
    const stranger = await t.app.inject({ method: 'GET', url: staffUrl(), headers: { accept: 'text/html', cookie: `npq_form=${cookie.value}` } });
    expect(stranger.body).not.toContain('can we talk about my project?');
    expect(stranger.statusCode).not.toBe(422);
  });

  it('a tutor whose coach role is taken away supports nobody: no list, no conversation, no files, not named to the participant', async () => {
    const other = await f.aStaffMember({ role: 'coach', scope: { scopeType: 'delivery_partner', scopeId: (await t.database.db.select().from(enrolments).where(eq(enrolments.applicationId, ben.enrolmentId)))[0]!.deliveryPartnerId! }, name: 'Rita Removed' });
    expect((await lead.post('/coaching/allocations', { [`tutor-${ben.enrolmentId}`]: other.userId }, { follow: false })).statusCode).toBe(303);
    const benPage = await ben.person.signIn(nextIp());
    await benPage.upload(`/programme/${ben.enrolmentId}/messages`, { body: 'Hello Rita' });
    expect((await (await other.signIn(nextIp())).get(`/messages/${ben.enrolmentId}`)).statusCode).toBe(200);
    await t.database.db.delete(roleAssignments).where(and(eq(roleAssignments.userId, other.userId), eq(roleAssignments.role, 'coach')));
    const rita = await other.signIn(nextIp());
    expect((await rita.get(`/messages/${ben.enrolmentId}`)).statusCode).toBe(403);
    expect((await rita.upload(`/messages/${ben.enrolmentId}`, { body: 'still here' })).statusCode).toBe(403);
    expect((await benPage.get(`/programme/${ben.enrolmentId}/messages`)).body).not.toContain('Rita Removed, personal tutor');
  });
});

describe('nobody else reads it', () => {
  it('refuses another participant, another group’s facilitator, another coach and the admin, the conversation and its files', async () => {
    const file = (await messagesOf()).find((m) => m.fileKey)!;
    const bens = await ben.person.signIn(nextIp());
    const garys = await gary.signIn(nextIp());
    const other = await newTutor.signIn(nextIp());
    const admin = await (await f.aStaffMember({})).signIn(nextIp());
    for (const c of [bens, garys, other]) {
      expect((await c.get(annUrl())).statusCode).toBe(404);
      expect((await c.get(`${annUrl()}/${file.id}/file`)).statusCode).toBe(404);
      expect((await c.upload(annUrl(), { body: 'let me in' })).statusCode).toBe(404);
    }
    for (const c of [garys, other]) {
      expect((await c.get(staffUrl())).statusCode).toBe(404);
      expect((await c.get(`${staffUrl()}/${file.id}/file`)).statusCode).toBe(404);
      expect((await c.get('/messages')).body).not.toContain(ann.person.name);
    }
    // The admin holds no role that writes to participants: the inbox is not theirs, and nor is Ann's conversation.
    expect((await admin.get('/messages')).statusCode).toBe(403);
    expect((await admin.get(staffUrl())).statusCode).toBe(403);
    expect((await admin.get(`${annUrl()}/${file.id}/file`)).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: `${annUrl()}/${file.id}/file`, headers: { accept: 'text/html' } })).statusCode).toBe(303);
    // Ann at the staff address, the tutor at Ann's: each side has its own.
    expect((await (await ann.person.signIn(nextIp())).get(staffUrl())).statusCode).toBe(403);
    expect((await (await tutor.signIn(nextIp())).get(annUrl())).statusCode).toBe(404);
    expect((await messagesOf()).some((m) => m.body === 'let me in')).toBe(false);
  });

  it('a new tutor takes over the conversation; the one reassigned away no longer reads it', async () => {
    expect((await lead.post('/coaching/allocations', { [`tutor-${ann.enrolmentId}`]: newTutor.userId }, { follow: false })).statusCode).toBe(303);
    const nell = await newTutor.signIn(nextIp());
    const page = await nell.get(staffUrl());
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('can we talk about my project?');
    expect((await (await tutor.signIn(nextIp())).get(staffUrl())).statusCode).toBe(404);
  });

  it('a participant who has withdrawn reads her messages but cannot send', async () => {
    await t.database.db.update(enrolments).set({ trainingStatus: 'withdrawn' }).where(eq(enrolments.applicationId, ann.enrolmentId));
    const me = await ann.person.signIn(nextIp());
    const page = await me.get(annUrl());
    expect(page.body).toContain('can we talk about my project?');
    expect(page.body).toContain('you can read your messages but not send new ones');
    const refused = await me.upload(annUrl(), { body: 'One more thing' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('You have withdrawn from this NPQ');
  });
});
