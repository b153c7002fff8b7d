import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { auditEvents } from '../../audit/audit.schema';
import { discussionPosts } from '../learning.schema';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { dateFields as day, setPlanEntry as set } from '../../testing/plan-form';
import { type Client, useTestApp } from '../../testing/test-app';

/**
 * Issue 10 item 4's discussion per module: participants post and reply in plain text with safe
 * links; the facilitator replies, pins guidance and hides a post; participants of another intake and
 * staff of another partner see none of it.
 */
const t = useTestApp();
const f = factoriesFor(t);

const COURSE = 'npq-leading-teaching';
let intakeId: string;
let otherIntakeId: string;
let ann: { person: Person; enrolmentId: string };
let ben: { person: Person; enrolmentId: string };
let cat: { person: Person; enrolmentId: string };
let lead: Client;
let facilitator: Client;
let partnerId: string;

const moduleUrl = (who: { enrolmentId: string }, key = 'c1m1') => `/programme/${who.enrolmentId}/modules/${key}`;
const staffUrl = (intake: string, key = 'c1m1') => `/delivery/intakes/${intake}/discussions/${key}`;
const postIds = (html: string) => [...html.matchAll(/data-post="([0-9a-f-]{36})"/g)].map((m) => m[1]!);

beforeAll(async () => {
  const { partners, venues } = await t.services.catalogue.partnersAndVenues(setUp);
  partnerId = partners[0]!.id;
  const venueId = venues.find((v) => v.deliveryPartnerId === partnerId)!.id;
  intakeId = (await f.anIntake({ course: COURSE, deliveryMode: 'face_to_face', venueId, timeZone: null, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  otherIntakeId = (await f.anIntake({ course: COURSE, deliveryMode: 'face_to_face', venueId, timeZone: null, deliveryPartnerId: partnerId, schedule: 'npq-specialist-spring' })).id;
  for (const [key, list] of [
    ['ann', intakeId],
    ['ben', intakeId],
    ['cat', otherIntakeId],
  ] as const) {
    const a = await f.anAcceptedApplication({ course: COURSE, intakeId: list });
    const who = { person: a.participant, enrolmentId: a.application.id };
    if (key === 'ann') ann = who;
    else if (key === 'ben') ben = who;
    else cat = who;
  }
  lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.50.0.1');
  facilitator = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn('10.50.0.2');
  for (const intake of [intakeId, otherIntakeId]) expect((await set(lead, intake, 'c1m1', day('releasesOn', '2026-11-01'))).statusCode).toBe(303);
});

describe('a module’s discussion', () => {
  it('takes participants’ posts and replies as plain text with safe links, saying what is wrong and keeping what was typed', async () => {
    const a = await ann.person.signIn('10.50.0.3');
    const empty = await a.post(`${moduleUrl(ann)}/discussion`, { body: '   ' });
    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Enter your post');
    const long = 'x'.repeat(5_001);
    const tooLong = await a.post(`${moduleUrl(ann)}/discussion`, { body: long });
    expect(tooLong.body).toContain('Your post must be 5,000 characters or fewer: it is 5,001');
    expect(tooLong.body).toContain(long);
    const posted = await a.post(`${moduleUrl(ann)}/discussion`, { body: 'How do we start?\nSee https://example.org/guide <script>alert(1)</script> [x](javascript:alert(1))' });
    expect(posted.statusCode).toBe(303);
    expect(posted.headers.location).toBe(`${moduleUrl(ann)}#discussion`);
    const page = await a.get(moduleUrl(ann));
    expect(page.body).toContain('Your post is added to the discussion.');
    expect(page.body).toContain('<a href="https://example.org/guide" class="govuk-link" rel="nofollow ugc noopener noreferrer">https://example.org/guide</a>');
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('href="javascript');

    const b = await ben.person.signIn('10.50.0.4');
    const seen = await b.get(moduleUrl(ben));
    expect(seen.body).toContain('How do we start?');
    const [thread] = postIds(seen.body);
    const noReply = await b.post(`${moduleUrl(ben)}/discussion`, { replyTo: thread!, body: '' });
    expect(noReply.statusCode).toBe(422);
    expect(noReply.body).toContain('Enter your reply');
    expect(noReply.body).toContain(`href="#body-${thread}"`);
    expect(noReply.body).toMatch(/<details class="govuk-details" open/);
    expect((await b.post(`${moduleUrl(ben)}/discussion`, { replyTo: thread!, body: 'Start with the reading, then the video.' })).statusCode).toBe(303);
    // A reply to a reply, or to a post of another discussion, is refused.
    const replyId = postIds((await b.get(moduleUrl(ben))).body)[1]!;
    expect((await b.post(`${moduleUrl(ben)}/discussion`, { replyTo: replyId, body: 'Deeper' }, { follow: false })).statusCode).toBe(404);
  });

  it('lets the facilitator reply, pin guidance and hide a post, which participants then see only as hidden', async () => {
    const page = await facilitator.get(staffUrl(intakeId));
    expect(page.statusCode).toBe(200);
    const [thread, reply] = postIds(page.body);
    expect((await facilitator.post(staffUrl(intakeId), { body: 'Please read the guidance first.' })).statusCode).toBe(303);
    const guidance = postIds((await facilitator.get(staffUrl(intakeId))).body).find((id) => id !== thread && id !== reply)!;
    expect((await facilitator.post(`${staffUrl(intakeId)}/posts/${guidance}/pin`, {})).statusCode).toBe(303);
    expect((await facilitator.post(`${staffUrl(intakeId)}/posts/${reply}/hide`, {})).statusCode).toBe(303);
    const pinReply = await facilitator.post(`${staffUrl(intakeId)}/posts/${reply}/pin`, {});
    expect((await facilitator.get(String(pinReply.headers.location))).body).toContain('Only the first post of a thread can be pinned');
    const staffView = await facilitator.get(staffUrl(intakeId));
    expect(staffView.body).toContain('Start with the reading, then the video.');
    expect(staffView.body).toContain('>Hidden<');

    const a = await ann.person.signIn('10.50.0.5');
    const seen = await a.get(moduleUrl(ann));
    expect(postIds(seen.body)[0]).toBe(guidance);
    expect(seen.body).toContain('Pinned guidance');
    expect(seen.body).toContain('(facilitator)');
    expect(seen.body).toContain('This post was hidden by a facilitator.');
    expect(seen.body).not.toContain('Start with the reading, then the video.');
    // Shown again, it is back.
    expect((await facilitator.post(`${staffUrl(intakeId)}/posts/${reply}/show`, {})).statusCode).toBe(303);
    expect((await a.get(moduleUrl(ann))).body).toContain('Start with the reading, then the video.');
    const actions = (await t.database.db.select({ action: auditEvents.action }).from(auditEvents)).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['discussion.posted', 'discussion.pin', 'discussion.hide', 'discussion.show']));
  });

  it('is kept to its intake: another intake’s participants, another partner’s staff, participants moderating and modules not released are refused', async () => {
    const c = await cat.person.signIn('10.50.0.6');
    const other = await c.get(moduleUrl(cat));
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('How do we start?');
    expect(other.body).toContain('No one has posted yet.');
    // Cat cannot post through Ann's place, nor read it.
    expect((await c.post(`${moduleUrl(ann)}/discussion`, { body: 'Hello' }, { follow: false })).statusCode).toBe(404);
    const thread = postIds((await facilitator.get(staffUrl(intakeId))).body)[1]!;
    // Nor reply to Ann's intake's thread from her own intake's discussion.
    expect((await c.post(`${moduleUrl(cat)}/discussion`, { replyTo: thread, body: 'Sneaky' }, { follow: false })).statusCode).toBe(404);

    const elsewhere = (await t.services.catalogue.partnersAndVenues(setUp)).partners.find((p) => p.id !== partnerId)!.id;
    const stranger = await (await f.aStaffMember({ role: 'facilitator', scope: { scopeType: 'delivery_partner', scopeId: elsewhere } })).signIn('10.50.0.7');
    expect((await stranger.get(staffUrl(intakeId))).statusCode).toBe(404);
    expect((await stranger.post(`${staffUrl(intakeId)}/posts/${thread}/hide`, {}, { follow: false })).statusCode).toBe(404);
    expect((await stranger.post(staffUrl(intakeId), { body: 'Hi' }, { follow: false })).statusCode).toBe(404);

    const a = await ann.person.signIn('10.50.0.8');
    expect([403, 404]).toContain((await a.post(`${staffUrl(intakeId)}/posts/${thread}/hide`, {}, { follow: false })).statusCode);
    expect((await a.get(moduleUrl(ann, 'c1m3'))).statusCode).toBe(404);
    expect((await a.post(`${moduleUrl(ann, 'c1m3')}/discussion`, { body: 'Early' }, { follow: false })).statusCode).toBe(404);
    const anonymous = await t.app.inject({ method: 'GET', url: staffUrl(intakeId), headers: { accept: 'text/html' } });
    expect(anonymous.statusCode).toBe(303);
  });

  it('refuses what trying to break it found: replies to a hidden thread, a thread named wrongly, invisible text; counts emoji as one character each; shows an email address and a direction trick as text', async () => {
    const a = await ann.person.signIn('10.50.0.9');
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { body: 'A thread to hide' })).statusCode).toBe(303);
    const ids = postIds((await facilitator.get(staffUrl(intakeId))).body);
    const hiddenThread = ids.at(-1)!;
    expect((await facilitator.post(`${staffUrl(intakeId)}/posts/${hiddenThread}/hide`, {})).statusCode).toBe(303);
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { replyTo: hiddenThread, body: 'Still here' }, { follow: false })).statusCode).toBe(404);
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { replyTo: 'not-a-thread', body: 'Lost' }, { follow: false })).statusCode).toBe(404);
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { body: '\u200b\u200d \u2060' })).body).toContain('Enter your post');
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { body: '😀'.repeat(3_000) })).statusCode).toBe(303);
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { body: 'Write to foo@example.org or see https://example.org/\u202Egnp.exe' })).statusCode).toBe(303);
    const page = (await a.get(moduleUrl(ann))).body;
    expect(page).toContain('Write to foo@example.org or see');
    expect(page).not.toMatch(/<a [^>]*>foo@example.org/);
    expect(page).not.toContain('\u202E');
  });

  it('takes the same words sent twice at once (a double click without JavaScript) as one post; sent again later, as another', async () => {
    const a = await ann.person.signIn('10.50.0.9');
    await a.get(moduleUrl(ann));
    const words = 'Is the reading list the same for everyone?';
    const both = await Promise.all([a.post(`${moduleUrl(ann)}/discussion`, { body: words }, { follow: false }), a.post(`${moduleUrl(ann)}/discussion`, { body: words }, { follow: false })]);
    expect(both.map((r) => r.statusCode)).toEqual([303, 303]);
    const count = async () => (await t.database.db.select().from(discussionPosts).where(eq(discussionPosts.body, words))).length;
    expect(await count()).toBe(1);
    t.clock.advance(3 * 60 * 1000);
    expect((await a.post(`${moduleUrl(ann)}/discussion`, { body: words }, { follow: false })).statusCode).toBe(303);
    expect(await count()).toBe(2);
    t.clock.advance(-3 * 60 * 1000);
  });
});
