import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, type Person } from '../../testing/factories';
import { dateFields } from '../../testing/plan-form';
import { Client, useTestApp } from '../../testing/test-app';
import { moderationSamples, scriptAllocations, scriptMarkings, submissions } from '../assessment.schema';
import { aWordAccount, headshipPlaces, signedInAs } from './assessment-web.testkit';

/**
 * Issue 12 item 5, through the pages: four scripts marked by one assessor; the admin sets the rules
 * (refused out of range) and draws the sample — the fail, and the assessor's first as a new
 * assessor; a moderator second-marks blind, sees both, sends one back with a note, the assessor marks
 * again, and the moderator adjusts; the fail's second marks differ beyond the tolerance, so a third
 * marker (blind to both) decides. Agreement statistics and the sample for DfE follow. Every other
 * role is refused the moderators' scripts, and moderators the admin's pages.
 */
const t = useTestApp();
const f = factoriesFor(t);

const places: { person: Person; eid: string }[] = [];
let admin: Client;
let assessor: Person;
const moderators: Person[] = [];
let ip = 0;
const nextIp = () => `10.123.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const submit = (eid: string) => `/programme/${eid}/assessment/submit/task-1`;
const marks = (...m: number[]) => ({ ...Object.fromEntries(['design', 'implementation', 'evaluation', 'reflection'].flatMap((k, i) => [[`mark-${k}`, String(m[i])], [`comment-${k}`, `First thoughts on ${k}.`]])), overall: 'The assessor’s overall view.' });
const scriptOf = async (eid: string) => {
  const [row] = await t.database.db.select({ a: scriptAllocations, s: submissions }).from(scriptAllocations).innerJoin(submissions, eq(submissions.id, scriptAllocations.submissionId)).where(eq(submissions.enrolmentId, eid));
  const [sample] = await t.database.db.select().from(moderationSamples).where(eq(moderationSamples.submissionId, row!.s.id));
  return { cn: row!.a.candidateNumber, sid: row!.s.id, sample };
};
const signInAs = (userId: string | null | undefined) => signedInAs(t, userId, nextIp());

beforeAll(async () => {
  const account = aWordAccount();
  const made = await headshipPlaces(t, f, 4);
  const intakeId = made.intakeId;
  places.push(...made.places);
  admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.123.1.1');
  await admin.post(`/assessment/intakes/${intakeId}/task-1`, { ...dateFields('opensOn', '2026-11-01'), ...dateFields('dueOn', '2026-11-30') });
  assessor = await f.aStaffMember({ role: 'assessor', name: 'Ann Assessor' });
  for (const name of ['Max Moderator', 'Mia Moderator']) moderators.push(await f.aStaffMember({ role: 'moderator', name }));
  const me = await assessor.signIn(nextIp());
  // Marked in this order: a fail, then three passes.
  for (const [i, place] of places.entries()) {
    const them = await place.person.signIn(nextIp());
    await them.upload(submit(place.eid), {}, { name: 'account.docx', content: account });
    const [draft] = await t.database.db.select().from(submissions).where(eq(submissions.enrolmentId, place.eid));
    await them.post(`${submit(place.eid)}/confirm`, { draft: draft!.id });
    await admin.post(`/assessment/allocation/${draft!.id}`, { assessor: assessor.userId, back: '/assessment/allocation' });
    // A minute apart, so the order they were marked in is plain (and no code is used twice).
    t.clock.advance(60_000);
    const { cn } = await scriptOf(place.eid);
    await me.post(`/marking/${cn}`, { action: 'submit', ...[marks(3, 3, 3, 3), marks(6, 6, 6, 7), marks(8, 8, 7, 7), marks(8, 8, 8, 8)][i]! });
  }
}, 240_000);

describe('drawing the sample', () => {
  it('refuses rules out of range next to their fields, then saves them', async () => {
    const wrong = await admin.post('/assessment/moderation/rules', { everyFail: 'yes', borderlineWithin: '0', newAssessorFirst: '2', randomPercent: '150', atLeastOnePerAssessor: 'no', tolerance: '4' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('The random share must be a whole number from 0 to 100');
    expect(wrong.body).toContain('value="150"');
    const saved = await admin.post('/assessment/moderation/rules', { everyFail: 'yes', borderlineWithin: '0', newAssessorFirst: '2', randomPercent: '0', atLeastOnePerAssessor: 'no', tolerance: '4' });
    expect(saved.statusCode).toBe(303);
  });

  it('takes the fail and a new assessor’s first, gives each to a moderator who did not mark it, and leaves the rest their first marks', async () => {
    const drawn = await admin.post('/assessment/moderation/draw', {});
    const flashed = text((await admin.get(drawn.headers.location as string)).body);
    expect(flashed).toContain('4 marked scripts drawn on: 2 sampled for moderation; the rest keep their first marks.');
    const [fail, first, third, fourth] = await Promise.all(places.map((x) => scriptOf(x.eid)));
    expect(fail!.sample).toMatchObject({ reason: 'fail', status: 'second_marking' });
    expect(first!.sample).toMatchObject({ reason: 'new_assessor', status: 'second_marking' });
    expect(third!.sample).toMatchObject({ reason: null, status: null });
    expect(fourth!.sample).toMatchObject({ reason: null, status: null });
    for (const s of [fail!, first!]) expect([...moderators.map((m) => m.userId)]).toContain(s.sample!.moderatorUserId);
    // Drawn on once: a second press finds nothing new.
    const again = await admin.post('/assessment/moderation/draw', {});
    expect(text((await admin.get(again.headers.location as string)).body)).toContain('No marked scripts are waiting to be drawn on.');
    const page = text((await admin.get('/assessment/moderation')).body);
    expect(page).toContain('2 sampled scripts');
    expect(page).toContain(places[0]!.person.name);
    // In moderation, a script cannot go to another assessor.
    const moved = await admin.post(`/assessment/allocation/${fail!.sid}`, { assessor: moderators[0]!.userId, back: '/assessment/allocation' });
    expect(text((await admin.get(moved.headers.location as string)).body)).toContain('This script is marked already');
  });
});

describe('moderating', () => {
  it('second-marks blind, then shows both; sent back with a note, the assessor marks again, and the moderator adjusts', async () => {
    const s = await scriptOf(places[1]!.eid);
    const mod = await signInAs(s.sample!.moderatorUserId);
    const blind = await mod.get(`/moderation/${s.cn}`);
    expect(blind.statusCode).toBe(200);
    expect(blind.body).not.toContain('First thoughts on');
    expect(blind.body).not.toContain(places[1]!.person.name);
    // Why it was sampled would tell the result ("every fail"): not said until their marks are in.
    expect(text(blind.body)).toContain('Why sampled Shown once your marks are in');
    expect(text(blind.body)).not.toContain('A new assessor’s first scripts');
    const done = await mod.post(`/moderation/${s.cn}`, { action: 'submit', ...marks(7, 6, 6, 7), overall: 'The moderator’s view.' });
    expect(text((await mod.get(done.headers.location as string)).body)).toContain(`Your marks for ${s.cn} are submitted: 26 marks. Compare them with the assessor’s below, and decide.`);
    const both = text((await mod.get(`/moderation/${s.cn}`)).body);
    expect(both).toContain('The assessor’s marks');
    expect(both).toContain('The assessor gave 25 (pass); you gave 26 (pass).');
    const none = await mod.post(`/moderation/${s.cn}/decision`, {});
    expect(none.statusCode).toBe(422);
    expect(text(none.body)).toContain('Choose whether you agree, adjust the marks to yours, or send the script back');
    const noNote = await mod.post(`/moderation/${s.cn}/decision`, { decision: 'send_back' });
    expect(text(noNote.body)).toContain('Say what the assessor should look at again');
    await mod.post(`/moderation/${s.cn}/decision`, { decision: 'send_back', note: 'Look again at the evaluation: is the fluency gain shown by data?' });
    const me = await assessor.signIn(nextIp());
    const list = await me.get('/marking');
    expect(list.statusCode, String(list.headers.location)).toBe(200);
    expect(text(list.body)).toContain('Sent back by moderation: mark again');
    const back = text((await me.get(`/marking/${s.cn}`)).body);
    expect(back).toContain('Moderation has sent this script back to you to mark again: Look again at the evaluation');
    expect(back).not.toContain('The moderator’s view.');
    await me.post(`/marking/${s.cn}`, { action: 'submit', ...marks(6, 6, 5, 7) });
    expect((await scriptOf(places[1]!.eid)).sample!.status).toBe('to_decide');
    const decided = await mod.post(`/moderation/${s.cn}/decision`, { decision: 'adjust' });
    expect(text((await mod.get(decided.headers.location as string)).body)).toContain(`${s.cn} is decided: 26 marks, a pass.`);
    expect((await scriptOf(places[1]!.eid)).sample).toMatchObject({ status: 'adjusted', finalTotal: 26, finalResult: 'pass' });
    const twice = await mod.post(`/moderation/${s.cn}/decision`, { decision: 'agree' });
    expect(text((await mod.get(twice.headers.location as string)).body)).toContain('This script is decided already.');
  });

  it('says kappa cannot be worked out while every script decided is a pass both times, and what kappa is', async () => {
    // One script decided so far: 24 (pass, as marked again) adjusted to 26 (pass). Chance alone agrees every time.
    const body = (await admin.get('/assessment/moderation/agreement')).body;
    const page = text(body);
    expect(page).toContain('Scripts moderated 1');
    expect(page).toContain('Kappa on pass or fail Not enough to work out');
    expect(page).toMatch(/Ann Assessor 1 0% \+2\.0 Not enough to work out/);
    expect(page).not.toContain('1.00');
    expect(body).toContain('<details class="govuk-details"');
    expect(page).toContain('What kappa is, and when it cannot be worked out');
    expect(page).toContain('It cannot be worked out when the assessor and the final marks both gave every script the same result (all passes, or all fails)');
    // In the CSV, an empty cell: a spreadsheet reads no number rather than a wrong one.
    expect((await admin.get('/assessment/moderation/agreement.csv')).body).toMatch(/^assessor,Ann Assessor,1,0,2,\r?$/m);
  });

  it('sends totals beyond the tolerance to a third marker, blind to both, whose marks stand', async () => {
    const s = await scriptOf(places[0]!.eid);
    const mod = await signInAs(s.sample!.moderatorUserId);
    const done = await mod.post(`/moderation/${s.cn}`, { action: 'submit', ...marks(6, 6, 6, 6) });
    expect(text((await mod.get(done.headers.location as string)).body)).toContain('They differ from the assessor’s by more than the tolerance, so a third marker will decide.');
    const after = await scriptOf(places[0]!.eid);
    expect(after.sample!.status).toBe('third_marking');
    // Another moderator: never the one who second-marked it, nor its assessor.
    expect(after.sample!.thirdMarkerUserId).not.toBe(s.sample!.moderatorUserId);
    expect(after.sample!.thirdMarkerUserId).not.toBe(assessor.userId);
    const them = await signInAs(after.sample!.thirdMarkerUserId);
    const page = await them.get(`/moderation/${s.cn}`);
    expect(text(page.body)).toContain('Third-mark it (blind)');
    expect(page.body).not.toContain('First thoughts on');
    expect(page.body).not.toContain('The assessor gave');
    const wrong = await them.post(`/moderation/${s.cn}`, { action: 'submit', 'mark-design': '6', 'comment-design': 'Kept though refused.' });
    expect(wrong.statusCode).toBe(422);
    const [draft] = await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, s.sid));
    expect(draft).toBeDefined();
    const [kept] = (await t.database.db.select().from(scriptMarkings).where(eq(scriptMarkings.submissionId, s.sid))).filter((m) => m.round === 'third');
    expect(kept).toMatchObject({ status: 'draft', total: 6 });
    const final = await them.post(`/moderation/${s.cn}`, { action: 'submit', ...marks(5, 6, 5, 6) });
    expect(text((await them.get(final.headers.location as string)).body)).toContain(`Your marks for ${s.cn} are submitted: 22 marks, a pass. They stand as the final marks.`);
    expect((await scriptOf(places[0]!.eid)).sample).toMatchObject({ status: 'third_marked', finalTotal: 22, finalResult: 'pass' });
  });

  it('gives agreement per assessor and per intake, on a page and in CSV, and the sample for DfE', async () => {
    const page = text((await admin.get('/assessment/moderation/agreement')).body);
    // 24 (as marked again) → 26 and 12 → 22: no total stood; mean +6; results pass/pass and fail/pass: kappa 0.
    expect(page).toContain('Scripts moderated 2');
    expect(page).toContain('Exact agreement 0%');
    expect(page).toContain('Mean difference +6.0 marks');
    expect(page).toContain('Kappa on pass or fail 0.00');
    expect(page).toContain('Ann Assessor');
    const csv = await admin.get('/assessment/moderation/agreement.csv');
    expect(csv.body).toContain('assessor,Ann Assessor,2,0,6,0');
    const sample = await admin.get('/assessment/moderation/sample.csv');
    expect(sample.body.split('\n')[0]).toContain('participant_id,candidate_number');
    expect(sample.body).toContain((await scriptOf(places[0]!.eid)).cn);
    expect(sample.body).toContain('third_marked');
  });

  it('refuses the moderators’ scripts to everyone else, and the admin’s pages to moderators', async () => {
    const s = await scriptOf(places[1]!.eid);
    const notTheirs = (await scriptOf(places[3]!.eid)).cn;
    const mod = await moderators[0]!.signIn(nextIp());
    // Not sampled: no moderator reads it.
    expect((await mod.get(`/moderation/${notTheirs}`)).statusCode).toBe(404);
    for (const url of ['/assessment/moderation', '/assessment/moderation/agreement', '/assessment/moderation/sample.csv']) expect((await mod.get(url)).statusCode).toBe(403);
    expect((await mod.post('/assessment/moderation/draw', {})).statusCode).toBe(403);
    for (const who of [await assessor.signIn(nextIp()), admin, await places[1]!.person.signIn(nextIp())]) {
      for (const url of ['/moderation', `/moderation/${s.cn}`, `/moderation/${s.cn}/script`]) expect((await who.get(url)).statusCode).toBe(403);
      expect((await who.post(`/moderation/${s.cn}/decision`, { decision: 'agree' })).statusCode).toBe(403);
    }
    const anonymous = new Client(t);
    for (const url of ['/moderation', `/moderation/${s.cn}`, '/assessment/moderation']) expect((await anonymous.get(url)).statusCode).toBe(303);
  });
});
