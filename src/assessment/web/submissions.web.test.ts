import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { dateFields } from '../../testing/plan-form';
import { type Client, FROZEN_NOW, outboxTo, useTestApp } from '../../testing/test-app';
import { submissions } from '../assessment.schema';
import { fodt, h, libreOffice, p } from '../submissions/libreoffice.testkit';

/**
 * Issue 12 item 3, through the pages: the admin sets when Task 1's accounts are due (refused when
 * the dates are the wrong way round); an NPQH participant uploads a Word account, sees its words
 * counted under the rule (headings and references left out), sends it and is emailed a receipt;
 * withdraws it before the deadline and sends another; after the deadline cannot withdraw; a late
 * account is taken and marked late; the admin gives one person more time. The lists show the
 * admin everything, a partner's lead their partner's only; other participants see nothing.
 */
const t = useTestApp();
const f = factoriesFor(t);

let eid: string;
let participant: Person;
let late: { person: Person; eid: string };
let intakeId: string;
let partnerId: string;
let admin: Client;
let account: Buffer;
let pdf: Buffer;
let ip = 0;
const nextIp = () => `10.121.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const submit = (e = eid) => `/programme/${e}/assessment/submit/task-1`;

beforeAll(async () => {
  const lo = libreOffice();
  const files = lo.write({
    account: fodt([h(1, 'Leading reading across the school'), p('We changed how reading is taught in every class, and measured fluency each half term.'), h(1, 'References'), p('EEF (2021) Improving Literacy in Key Stage 2.')]),
  });
  account = readFileSync(lo.convert([files.account!], 'docx')[0]!);
  pdf = readFileSync(lo.convert([files.account!], 'pdf')[0]!);
  partnerId = (await t.services.catalogue.partnersAndVenues(setUp)).partners[0]!.id;
  t.clock.set('2026-07-20T10:00:00Z');
  intakeId = (await f.anIntake({ course: 'npq-headship', startDate: '2026-09-07', applicationDeadline: '2026-08-01', deliveryPartnerId: partnerId })).id;
  const a = await f.anAcceptedApplication({ course: 'npq-headship', intakeId });
  participant = a.participant;
  eid = a.application.id;
  const b = await f.anAcceptedApplication({ course: 'npq-headship', intakeId });
  late = { person: b.participant, eid: b.application.id };
  t.clock.set(FROZEN_NOW);
  admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.121.1.1');
}, 180_000);

describe('sending a written account', () => {
  it('is not open until the admin sets the dates, which are refused the wrong way round', async () => {
    const me = await participant.signIn(nextIp());
    expect(text((await me.get(submit())).body)).toContain('Your provider has not opened submissions for this task yet.');
    const wrong = await admin.post(`/assessment/intakes/${intakeId}/task-1`, { ...dateFields('opensOn', '2026-11-20'), ...dateFields('dueOn', '2026-11-10') });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('The due date must be the same as or after the date submissions open');
    expect(wrong.body).toContain('href="#task-1-dueOn-day"');
    const saved = await admin.post(`/assessment/intakes/${intakeId}/task-1`, { ...dateFields('opensOn', '2026-11-01'), ...dateFields('dueOn', '2026-11-30'), ...dateFields('lateUntil', '2026-12-07') });
    expect(saved.statusCode).toBe(303);
    expect(text((await me.get(submit())).body)).toContain('Due by the end of 30 November 2026.');
  });

  it('refuses a file that is not Word or PDF, then counts a Word account under the rule before it is sent', async () => {
    const me = await participant.signIn(nextIp());
    const wrong = await me.upload(submit(), {}, { name: 'account.docx', content: 'not a word document' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('is not a Word or PDF file');
    const uploaded = await me.upload(submit(), {}, { name: 'My account.docx', content: account });
    expect(uploaded.statusCode).toBe(303);
    const page = text((await me.get(submit())).body);
    // 15 words of body; the two headings (6 words) and the reference (8) are left out by NPQH's rule.
    expect(page).toContain('15 words counted of the 4,000 allowed (29 in all; left out: headings 6, references 8)');
    expect(page).toContain('Send this account');
    const [draft] = await t.database.db.select().from(submissions).where(eq(submissions.enrolmentId, eid));
    expect(draft!.status).toBe('draft');
    const sent = await me.post(`${submit()}/confirm`, { draft: draft!.id });
    expect(text((await me.get(sent.headers.location as string)).body)).toContain('Your account is sent. We have emailed you a receipt.');
    const [receipt] = await outboxTo(t, participant.email);
    expect(receipt!.subject).toBe('We have your account: Task 1: a whole-school change programme');
    expect(receipt!.body).toContain('Words counted: 15 (the limit is 4,000)');
    expect(receipt!.body).toContain('You can withdraw it and send another until the end of 30 November 2026');
    // Sent once: a second press is told so, plainly, and nothing is sent twice.
    const again = await me.post(`${submit()}/confirm`, { draft: draft!.id });
    expect(text((await me.get(again.headers.location as string)).body)).toContain('Your account is already sent. We emailed you a receipt.');
    expect(await outboxTo(t, participant.email)).toHaveLength(1);
  });

  it('withdraws before the deadline and sends another, then cannot withdraw after it', async () => {
    const me = await participant.signIn(nextIp());
    await me.post(`${submit()}/withdraw`, {});
    expect(text((await me.get(submit())).body)).toContain('Your account is withdrawn. Send another before the deadline.');
    await me.upload(submit(), {}, { name: 'account.pdf', content: pdf });
    const [draft] = await t.database.db.select().from(submissions).where(eq(submissions.status, 'draft'));
    expect(draft!.fileType).toBe('pdf');
    await me.post(`${submit()}/confirm`, { draft: draft!.id });
    t.clock.set('2026-12-02T09:00:00Z');
    try {
      const after = await participant.signIn(nextIp());
      const refused = await after.post(`${submit()}/withdraw`, {});
      expect(text((await after.get(refused.headers.location as string)).body)).toContain('The deadline has passed, so your account can no longer be withdrawn.');
    } finally {
      t.clock.set(FROZEN_NOW);
    }
    const rows = await t.database.db.select().from(submissions).where(eq(submissions.enrolmentId, eid));
    expect(rows.map((r) => r.status).sort()).toEqual(['submitted', 'withdrawn']);
  });

  it('takes a late account marked late, refuses one after the late period, and lets the admin give one person more time', async () => {
    t.clock.set('2026-12-03T09:00:00Z');
    try {
      const me = await late.person.signIn(nextIp());
      expect(text((await me.get(submit(late.eid))).body)).toContain('has passed. Your provider takes late accounts until the end of 7 December 2026');
      await me.upload(submit(late.eid), {}, { name: 'late.docx', content: account });
      const [draft] = await t.database.db.select().from(submissions).where(eq(submissions.enrolmentId, late.eid));
      await me.post(`${submit(late.eid)}/confirm`, { draft: draft!.id });
      const [sent] = await t.database.db.select().from(submissions).where(eq(submissions.id, draft!.id));
      expect(sent).toMatchObject({ status: 'submitted', late: true });
      const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
      const list = text((await admin.get('/assessment/submissions?show=late')).body);
      expect(list).toContain(late.person.name);
      expect(list).not.toContain(participant.name);
      // More time for the other participant, with a reason.
      const noReason = await admin.post(`/assessment/extensions/${eid}/task-1`, dateFields('dueOn', '2026-12-20'));
      expect(text(noReason.body)).toContain('Enter the reason for the extension');
      const tooLate = await admin.post(`/assessment/extensions/${eid}/task-1`, { ...dateFields('dueOn', '9999-12-31'), reason: 'Typed in error.' });
      expect(text(tooLate.body)).toContain('The new due date must be the same as or before the date their final assessment must be passed by (7 March 2028)');
      const given = await admin.post(`/assessment/extensions/${eid}/task-1`, { ...dateFields('dueOn', '2026-12-20'), reason: 'Bereavement: agreed with the programme lead.' });
      expect(given.statusCode).toBe(303);
      expect(text((await (await participant.signIn(nextIp())).get(submit())).body)).toContain('Due by the end of 20 December 2026 (your extension)');
      expect((await outboxTo(t, participant.email)).map((m) => m.subject)).toContain('More time for Task 1: a whole-school change programme');
    } finally {
      t.clock.set(FROZEN_NOW);
    }
    t.clock.set('2026-12-08T09:00:00Z');
    try {
      const closed = text((await (await late.person.signIn(nextIp())).get(submit(late.eid))).body);
      expect(closed).toContain('Submissions closed at the end of 7 December 2026');
      expect(closed).not.toContain('Upload and count the words');
    } finally {
      t.clock.set(FROZEN_NOW);
    }
  });
});

describe('who sees the accounts', () => {
  it('lists every account for the admin, with a CSV; a partner’s lead only their partner’s; nobody else', async () => {
    const list = text((await admin.get('/assessment/submissions')).body);
    expect(list).toContain('3 accounts');
    const csv = (await admin.get('/assessment/submissions.csv')).body;
    expect(csv.split('\r\n')[0]).toBe('\uFEFFparticipant,intake,task,status,sent_at,late,words_counted,words_total,word_limit,over_limit,file');
    expect(csv).toContain(participant.name);
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    expect(text((await lead.get('/assessment/submissions')).body)).toContain('3 accounts');
    expect((await lead.get(`/assessment/intakes/${intakeId}`)).statusCode).toBe(403);
    const otherPartner = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((x) => x.id !== partnerId)!.id;
    const otherLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: otherPartner } })).signIn(nextIp());
    expect(text((await otherLead.get('/assessment/submissions')).body)).toContain('0 accounts');
    const facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    expect((await facilitator.get('/assessment/submissions')).statusCode).toBe(403);
    const [sent] = await t.database.db.select().from(submissions).where(eq(submissions.enrolmentId, eid));
    const other = await late.person.signIn(nextIp());
    expect((await other.get(submit())).statusCode).toBe(404);
    expect((await other.get(`/programme/${eid}/assessment/submissions/${sent!.id}/file`)).statusCode).toBe(404);
    expect((await otherLead.get(`/programme/${eid}/assessment/submissions/${sent!.id}/file`)).statusCode).toBe(404);
    expect((await admin.get(`/programme/${eid}/assessment/submissions/${sent!.id}/file`)).statusCode).toBe(200);
    // A draft is the participant's alone until sent: staff neither see it nor download it.
    const me = await participant.signIn(nextIp());
    await admin.post(`/assessment/intakes/${intakeId}/task-2`, { ...dateFields('opensOn', '2026-11-01'), ...dateFields('dueOn', '2026-12-30') });
    await me.upload(`/programme/${eid}/assessment/submit/task-2`, {}, { name: 'draft.docx', content: account });
    const [draft] = await t.database.db.select().from(submissions).where(eq(submissions.status, 'draft'));
    const staffView = text((await admin.get(`/programme/${eid}/assessment/submit/task-2`)).body);
    expect(staffView).toContain(`Written account: ${participant.name}`);
    expect(staffView).not.toContain('draft.docx');
    expect((await admin.get(`/programme/${eid}/assessment/submissions/${draft!.id}/file`)).statusCode).toBe(404);
    // Odd filters and pages past the end are answered sensibly.
    expect(text((await admin.get('/assessment/submissions?show=__proto__')).body)).toContain('3 accounts');
    const past = text((await admin.get('/assessment/submissions?page=9')).body);
    expect(past).toContain('3 accounts');
    expect(past).not.toContain('No accounts');
  });

  it('takes an extension back', async () => {
    const given = await admin.post(`/assessment/extensions/${eid}/task-1/withdraw`, {});
    expect(text((await admin.get(given.headers.location as string)).body)).toContain('The extension is taken back: the intake’s due date applies again.');
    const again = await admin.post(`/assessment/extensions/${eid}/task-1/withdraw`, {});
    expect(text((await admin.get(again.headers.location as string)).body)).toContain('That extension was already taken back.');
  });
});
