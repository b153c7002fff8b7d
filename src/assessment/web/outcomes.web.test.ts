import { and, eq } from 'drizzle-orm';
import { extractText } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { placesByEnrolment } from '../../enrolment/enrolment.queries';
import { expectMatchesDfeSchema } from '../../testing/dfe-contract';
import { factoriesFor, type Person } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { dateFields } from '../../testing/plan-form';
import { Client, FROZEN_NOW, outboxTo, useTestApp } from '../../testing/test-app';
import { markingReviews, moderationSamples, participantOutcomes, resultReleases, scriptAllocations, submissions } from '../assessment.schema';
import { aWordAccount, headshipPlaces, signedInAs } from './assessment-web.testkit';

/**
 * Issue 12 item 6, through the pages: three NPQH participants send both tasks; one passes both, one
 * fails Task 2, one fails Task 1. Release is refused until moderation has ended; the admin releases
 * on a later day (and can call it off until then); from that day each participant reads their
 * results and feedback, the pass downloads a certificate and transcript that anyone can verify, a
 * fail asks for a review of marking (changed to a pass by the admin) and the other resits. A voided
 * outcome no longer verifies. Everyone else is refused another's results.
 */
const t = useTestApp();
const f = factoriesFor(t);
const api = f.anApiClient({ scopes: ['assessment:read'] });
const participantIdOf = async (eid: string) => (await placesByEnrolment(t.database.db, [eid]))[0]!.participantId;

const TASK_1 = ['design', 'implementation', 'evaluation', 'reflection'];
const TASK_2 = ['research', 'action-plan', 'board', 'reflection'];
const places: { person: Person; eid: string }[] = [];
let intakeId = '';
let admin: Client;
let assessor: Person;
let moderator: Person;
let ip = 0;
const nextIp = () => `10.124.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ');
const results = (eid: string) => `/programme/${eid}/assessment/results`;
const marks = (keys: string[], ...m: number[]) => ({ ...Object.fromEntries(keys.flatMap((k, i) => [[`mark-${k}`, String(m[i])], [`comment-${k}`, `Comment on ${k}.`]])), overall: 'The assessor’s overall view.' });
const scriptOf = async (eid: string, task: string) => {
  const [row] = await t.database.db.select({ a: scriptAllocations, s: submissions }).from(scriptAllocations).innerJoin(submissions, eq(submissions.id, scriptAllocations.submissionId)).where(and(eq(submissions.enrolmentId, eid), eq(submissions.taskKey, task)));
  const [sample] = await t.database.db.select().from(moderationSamples).where(eq(moderationSamples.submissionId, row!.s.id));
  return { cn: row!.a.candidateNumber, sid: row!.s.id, sample };
};
const codeOf = async (eid: string) => (await t.database.db.select().from(participantOutcomes).where(eq(participantOutcomes.enrolmentId, eid))).sort((a, b) => a.seq - b.seq).at(-1);
const release = (extra: Record<string, string> = {}) => admin.post(`/assessment/results/${intakeId}`, { ...dateFields('releasesOn', '2026-12-01'), reviewDays: '14', ...dateFields('resitDueOn', '2027-01-31'), ...extra });
let account: Buffer;
const signInAs = (userId: string | null | undefined) => signedInAs(t, userId, nextIp());

beforeAll(async () => {
  account = aWordAccount();
  const made = await headshipPlaces(t, f, 3);
  intakeId = made.intakeId;
  places.push(...made.places);
  admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.124.1.1');
  for (const task of ['task-1', 'task-2']) await admin.post(`/assessment/intakes/${intakeId}/${task}`, { ...dateFields('opensOn', '2026-11-01'), ...dateFields('dueOn', '2026-11-30') });
  await admin.post('/assessment/moderation/rules', { everyFail: 'yes', borderlineWithin: '0', newAssessorFirst: '0', randomPercent: '0', atLeastOnePerAssessor: 'no', tolerance: '4' });
  assessor = await f.aStaffMember({ role: 'assessor', name: 'Ann Assessor' });
  moderator = await f.aStaffMember({ role: 'moderator', name: 'Max Moderator' });
  const me = await assessor.signIn(nextIp());
  // A passes both; B fails Task 2; C fails Task 1.
  const given: Record<string, number[]>[] = [
    { 'task-1': [6, 6, 6, 6], 'task-2': [7, 7, 6, 6] },
    { 'task-1': [6, 6, 6, 6], 'task-2': [3, 3, 3, 3] },
    { 'task-1': [3, 3, 3, 3], 'task-2': [6, 6, 6, 6] },
  ];
  for (const [i, place] of places.entries()) {
    const them = await place.person.signIn(nextIp());
    for (const task of ['task-1', 'task-2']) {
      const submit = `/programme/${place.eid}/assessment/submit/${task}`;
      await them.upload(submit, {}, { name: 'account.docx', content: account });
      const [draft] = await t.database.db.select().from(submissions).where(and(eq(submissions.enrolmentId, place.eid), eq(submissions.taskKey, task), eq(submissions.status, 'draft')));
      await them.post(`${submit}/confirm`, { draft: draft!.id });
      await admin.post(`/assessment/allocation/${draft!.id}`, { assessor: assessor.userId, back: '/assessment/allocation' });
      t.clock.advance(60_000);
      const { cn } = await scriptOf(place.eid, task);
      await me.post(`/marking/${cn}`, { action: 'submit', ...marks(task === 'task-1' ? TASK_1 : TASK_2, ...given[i]![task]!) });
    }
  }
}, 240_000);

describe('releasing results', () => {
  it('is refused until moderation has ended, saying what is left', async () => {
    const early = await release();
    expect(text((await admin.get(early.headers.location as string)).body)).toContain('Moderation has not ended for this intake: 6 marked but not yet drawn on for moderation (draw the sample).');
    await admin.post('/assessment/moderation/draw', {});
    const page = text((await admin.get('/assessment/results')).body);
    expect(page).toContain('2 in moderation');
    expect(page).not.toContain('Release 4 results');
    const mid = await release();
    expect(text((await admin.get(mid.headers.location as string)).body)).toContain('2 still in moderation');
    // Their moderators agree with both fails: the first marks stand.
    for (const [eid, task, keys] of [
      [places[1]!.eid, 'task-2', TASK_2],
      [places[2]!.eid, 'task-1', TASK_1],
    ] as const) {
      const s = await scriptOf(eid, task);
      const mod = await signInAs(s.sample!.moderatorUserId);
      await mod.post(`/moderation/${s.cn}`, { action: 'submit', ...marks([...keys], 3, 3, 4, 3) });
      await mod.post(`/moderation/${s.cn}/decision`, { decision: 'agree' });
    }
    expect(text((await admin.get('/assessment/results')).body)).toContain('Release 6 results');
  });

  it('refuses a release day in the past and a review window out of range, next to their fields, keeping what was typed', async () => {
    const wrong = await admin.post(`/assessment/results/${intakeId}`, { ...dateFields('releasesOn', '2026-11-20'), reviewDays: '200' });
    expect(wrong.statusCode).toBe(422);
    const page = text(wrong.body);
    expect(page).toContain('There is a problem');
    expect(page).toContain('The release date must be today or later');
    expect(page).toContain('Enter the days a review may be asked for, from 0 to 90');
    expect(wrong.body).toContain('value="200"');
    expect(wrong.body).toContain(`href="#${intakeId}-releasesOn-day"`);
  });

  it('asks before releasing on today’s date, saying what follows; Cancel brings the form back as it was, and nothing is released', async () => {
    const today = { ...dateFields('releasesOn', '2026-11-25'), reviewDays: '10', ...dateFields('resitDueOn', '2027-01-31') };
    const asked = await admin.post(`/assessment/results/${intakeId}`, today);
    expect(asked.statusCode).toBe(200);
    const page = text(asked.body);
    expect(page).toContain('Release 6 results today?');
    expect(page).toContain('Task results 4 passed, 2 not passed');
    expect(page).toContain('Participants 3');
    expect(page).toContain('Released on Today, 25 November 2026');
    expect(page).toContain('Reviews of marking May be asked for until the end of 5 December 2026');
    expect(page).toContain('Resits due By the end of 31 January 2027');
    expect(page).toContain('the 3 participants see their results and feedback straight away, and are emailed within the hour');
    expect(page).toContain('You cannot undo this: a release on today’s date cannot be called off.');
    // Nothing is released by asking.
    expect(await t.database.db.select().from(resultReleases)).toEqual([]);
    expect(await codeOf(places[0]!.eid)).toBeUndefined();
    // The confirmation carries the form on, with its token and confirm=yes, and only the form's fields.
    const form = new RegExp(`<form method="post" action="(/assessment/results/${intakeId})"[^>]*>([\\s\\S]*?)</form>`).exec(asked.body)!;
    const hidden = Object.fromEntries([...form[2]!.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(hidden).toEqual({ _csrf: expect.any(String), ...today, confirm: 'yes' });
    expect(form[2]).toContain('Release them today');
    // Cancel goes back to the form with what was typed, to change the date.
    const cancel = /<a class="govuk-link" href="([^"]+)">\s*Cancel\s*<\/a>/.exec(asked.body)![1]!.replace(/&amp;/g, '&');
    expect(cancel).toMatch(new RegExp(`^/assessment/results\\?intake=${intakeId}&.*#intake-${intakeId}$`));
    const back = await admin.get(cancel);
    expect(back.statusCode).toBe(200);
    expect(text(back.body)).not.toContain('There is a problem');
    const section = back.body.slice(back.body.indexOf(`id="intake-${intakeId}"`));
    for (const value of ['value="25"', 'value="11"', 'value="2026"', 'value="10"', 'value="31"', 'value="1"', 'value="2027"']) expect(section).toContain(value);
    expect(await t.database.db.select().from(resultReleases)).toEqual([]);
    // Confirmed once the day has passed (the page left open overnight, signed in again): refused in the error summary, nothing released.
    t.clock.set('2026-11-26T08:00:00Z');
    try {
      const nextMorning = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
      const late = await nextMorning.post(`/assessment/results/${intakeId}`, { ...today, confirm: 'yes' });
      expect(late.statusCode).toBe(422);
      expect(text(late.body)).toContain('There is a problem The release date must be today or later');
      expect(late.body).toContain(`href="#${intakeId}-releasesOn-day"`);
      expect(late.body).toContain('value="10"');
    } finally {
      t.clock.set(FROZEN_NOW);
    }
    expect(await t.database.db.select().from(resultReleases)).toEqual([]);
    // A refused form is refused before the question is asked.
    const wrong = await admin.post(`/assessment/results/${intakeId}`, { ...today, reviewDays: '200' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).not.toContain('today?');
  });

  it('releases on a later day, and can be called off until then', async () => {
    const first = await release();
    expect(text((await admin.get(first.headers.location as string)).body)).toContain('6 results will be released on 1 December 2026: 4 passed, 2 not passed; 1 participant has passed the NPQ, 2 not passed it. Participants are emailed that day.');
    const code = (await codeOf(places[0]!.eid))!.certificateCode!;
    // Nobody has seen it, so it is not voided: the release is called off instead (a void would go with it).
    const early = await admin.post(`/assessment/outcomes/${places[0]!.eid}/void`, { reason: 'Malpractice.' });
    expect(text((await admin.get(early.headers.location as string)).body)).toContain('This outcome is not out yet. Call off the release instead');
    expect((await codeOf(places[0]!.eid))!.state).toBe('passed');
    // Not out yet: the participant sees nothing, and the code does not verify.
    const a = await places[0]!.person.signIn(nextIp());
    expect(text((await a.get(results(places[0]!.eid))).body)).toContain('Your results are not out yet.');
    expect((await a.get(`${results(places[0]!.eid)}/certificate.pdf`)).statusCode).toBe(404);
    expect((await new Client(t, nextIp()).get(`/verify/${code}`)).statusCode).toBe(404);
    // Nor does the API give it before its day.
    expect((await api('GET', '/api/v1/participants/outcomes')).json().data).toEqual([]);
    expect((await api('GET', `/api/v1/participants/${await participantIdOf(places[0]!.eid)}/outcomes`)).json().data).toEqual([]);
    const page = await admin.get('/assessment/results');
    const releaseId = /\/assessment\/results\/releases\/([0-9a-f-]+)\/cancel/.exec(page.body)![1];
    const off = await admin.post(`/assessment/results/releases/${releaseId}/cancel`, {});
    expect(text((await admin.get(off.headers.location as string)).body)).toContain('The release is called off');
    expect(await codeOf(places[0]!.eid)).toBeUndefined();
    expect((await release()).statusCode).toBe(303);
    // Everything decided is released: a second release finds nothing.
    const again = await release();
    expect(text((await admin.get(again.headers.location as string)).body)).toContain('There are no results to release');
  });
});

describe('on the release day', () => {
  let code = '';
  beforeAll(async () => {
    t.clock.set('2026-12-01T09:00:00Z');
    admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    code = (await codeOf(places[0]!.eid))!.certificateCode!;
  });

  it('emails each participant once that their results are out', async () => {
    expect(await t.services.assessment.announceReleasedResults()).toBe(3);
    expect(await t.services.assessment.announceReleasedResults()).toBe(0);
    const mail = await outboxTo(t, places[0]!.person.email);
    expect(mail.map((m) => m.subject)).toContain('Your National Professional Qualification for Headship results are ready');
    // Not the result: a fail is read first on the page, with its feedback.
    expect(mail.find((m) => m.subject.includes('results are ready'))!.body).not.toMatch(/passed|fail/i);
  });

  it('shows a pass with its certificate, transcript and the next NPQ; anyone verifies the code, seeing only name, NPQ and date', async () => {
    const a = await places[0]!.person.signIn(nextIp());
    const page = text((await a.get(results(places[0]!.eid))).body);
    expect(page).toContain('You have passed NPQH');
    expect(page).toContain(`Certificate ${code}`);
    // On one line: a code broken at its hyphens across two lines is read, and typed, wrong.
    expect((await a.get(results(places[0]!.eid))).body).toContain(`<span class="app-nowrap">${code}</span>`);
    expect(page).toContain('Passed: 24 of 40 marks');
    expect(page).toContain('Comment on design.');
    expect(page).toContain('up to 100 master’s credits at level 7 towards the MA in Educational Leadership at the University of Chester');
    expect(page).toContain('National Professional Qualification for Executive Leadership (NPQEL)');
    expect(page).toContain(`/verify/${code}`);
    const pdf = await a.get(`${results(places[0]!.eid)}/certificate.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const certificate = (await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(certificate).toContain(places[0]!.person.name);
    expect(certificate).toContain('National Professional Qualification for Headship');
    expect(certificate).toContain('1 December 2026');
    expect(certificate).toContain(code);
    const transcript = await a.get(`${results(places[0]!.eid)}/transcript.pdf`);
    const transcriptText = (await extractText(new Uint8Array(transcript.rawPayload), { mergePages: true })).text.replace(/\s+/g, ' ');
    expect(transcriptText).toContain('Up to 100 at level 7');
    expect(transcriptText).toContain('University of Chester');
    const anyone = new Client(t, nextIp());
    const verified = await anyone.get(`/verify/${code}`);
    expect(verified.statusCode).toBe(200);
    const shown = text(verified.body);
    expect(shown).toContain('This certificate is genuine');
    expect(verified.body).toContain(`<span class="app-nowrap">${code}</span>`);
    expect(shown).toContain(places[0]!.person.name);
    expect(shown).toContain('National Professional Qualification for Headship');
    expect(shown).toContain('1 December 2026');
    expect(verified.body).not.toContain(places[0]!.person.email);
    expect(shown).not.toContain('24');
    const empty = await anyone.get('/verify?code=');
    expect(empty.statusCode).toBe(422);
    expect(text(empty.body)).toContain('Enter the certificate code');
    expect((await anyone.get('/verify')).statusCode).toBe(200);
    // Typed as people type it: lower case, spaces.
    const typed = await anyone.get(`/verify?code=${encodeURIComponent(` ${code.toLowerCase().replace(/-/g, ' ')} `)}`);
    const landed = await anyone.get(typed.headers.location as string);
    expect(landed.statusCode, `${typed.statusCode} ${typed.headers.location} ${text(landed.body).slice(-400)}`).toBe(200);
    expect((await anyone.get('/verify/NPQ-0000-0000-0000')).statusCode).toBe(404);
    expect(text((await anyone.get('/verify/not-a-code')).body)).toContain('That is not a certificate code.');
    const nonsense = await anyone.get('/verify?code=hello');
    expect(nonsense.statusCode).toBe(422);
    expect(text(nonsense.body)).toContain('Enter the code as it is on the certificate');
    expect(nonsense.body).toContain('value="hello"');
  });

  it('shows a fail with its feedback; a review is asked for once, and changed to a pass makes the outcome a pass', async () => {
    const b = await places[1]!.person.signIn(nextIp());
    const page = text((await b.get(results(places[1]!.eid))).body);
    expect(page).toContain('You have not passed NPQH yet.');
    expect(page).toContain('Not passed: 12 of 40 marks');
    expect(page).toContain('Comment on research.');
    expect(page).toContain('send a new account by the end of 31 January 2027');
    expect(page).toContain('You can ask until the end of 15 December 2026');
    const { sid } = await scriptOf(places[1]!.eid, 'task-2');
    const empty = await b.post(`${results(places[1]!.eid)}/${sid}/review`, { reason: '  ' });
    expect(empty.statusCode).toBe(422);
    expect(text(empty.body)).toContain('Say why you think the marking should be reviewed');
    expect(empty.body).toContain(`href="#reason-${sid}"`);
    const asked = await b.post(`${results(places[1]!.eid)}/${sid}/review`, { reason: 'The board section was marked against the wrong school.' });
    expect(text((await b.get(asked.headers.location as string)).body)).toContain('Your request for a review is sent.');
    const twice = await b.post(`${results(places[1]!.eid)}/${sid}/review`, { reason: 'Again.' });
    expect(text((await b.get(twice.headers.location as string)).body)).toContain('You have asked for a review of this result already.');
    expect((await outboxTo(t, places[1]!.person.email)).map((m) => m.subject)).toContain('We have your request for a review: Task 2: a placement in a contrasting school');
    const list = text((await admin.get('/assessment/reviews')).body);
    expect(list).toContain('The board section was marked against the wrong school.');
    const [review] = await t.database.db.select().from(markingReviews).where(eq(markingReviews.submissionId, sid));
    const noTotal = await admin.post(`/assessment/reviews/${review!.id}`, { decision: 'changed', note: 'Remarked.' });
    expect(noTotal.statusCode).toBe(422);
    expect(text(noTotal.body)).toContain('Enter the total the review gives, from 0 to 40');
    expect(text(noTotal.body)).toContain('Choose the result the review gives');
    const changed = await admin.post(`/assessment/reviews/${review!.id}`, { decision: 'changed', total: '21', result: 'pass', note: 'The board criterion was marked against the wrong school; marked again.' });
    expect(changed.statusCode).toBe(303);
    expect((await admin.post(`/assessment/reviews/${review!.id}`, { decision: 'upheld', note: 'x' })).statusCode).toBe(303);
    const after = text((await b.get(results(places[1]!.eid))).body);
    expect(after).toContain('You have passed NPQH');
    expect(after).toContain('the result changed from 12 (fail) to 21 (pass)');
    expect(after).not.toContain('send a new account');
    expect((await codeOf(places[1]!.eid))!).toMatchObject({ state: 'passed', note: 'After a review of marking' });
  });

  it('takes a resit of a failed task as a second attempt, in the window the release set', async () => {
    const c = await places[2]!.person.signIn(nextIp());
    const submit = `/programme/${places[2]!.eid}/assessment/submit/task-1`;
    const up = await c.upload(submit, {}, { name: 'resit.docx', content: account });
    expect(up.statusCode, up.body.slice(0, 300)).toBe(303);
    const [draft] = await t.database.db.select().from(submissions).where(and(eq(submissions.enrolmentId, places[2]!.eid), eq(submissions.status, 'draft')));
    expect(draft).toMatchObject({ taskKey: 'task-1', attempt: 2 });
    await c.post(`${submit}/confirm`, { draft: draft!.id });
    const sent = await t.database.db.select().from(submissions).where(and(eq(submissions.enrolmentId, places[2]!.eid), eq(submissions.taskKey, 'task-1'), eq(submissions.status, 'submitted')));
    expect(sent.map((s) => s.attempt).sort()).toEqual([1, 2]);
    // One resit: a third is not offered once it is sent.
    expect((await c.upload(submit, {}, { name: 'again.docx', content: account })).statusCode).not.toBe(500);
  });

  it('voids an outcome so its certificate no longer verifies, and puts it back with a new code', async () => {
    const eid = places[0]!.eid;
    const noReason = await admin.post(`/assessment/outcomes/${eid}/void`, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(text(noReason.body)).toContain('Say why the outcome is voided');
    await admin.post(`/assessment/outcomes/${eid}/void`, { reason: 'Malpractice found after release.' });
    const anyone = new Client(t, nextIp());
    expect(text((await anyone.get(`/verify/${code}`)).body)).toContain('has been withdrawn');
    const a = await places[0]!.person.signIn(nextIp());
    expect(text((await a.get(results(eid))).body)).toContain('The outcome was voided on 1 December 2026: Malpractice found after release.');
    expect((await a.get(`${results(eid)}/certificate.pdf`)).statusCode).toBe(404);
    await admin.post(`/assessment/outcomes/${eid}/reinstate`, { reason: 'Voided in error: the wrong participant.' });
    const now = (await codeOf(eid))!;
    expect(now.state).toBe('passed');
    expect(now.certificateCode).not.toBe(code);
    expect((await anyone.get(`/verify/${now.certificateCode}`)).statusCode).toBe(200);
    expect((await anyone.get(`/verify/${code}`)).statusCode).toBe(404);
  });

  it("refuses another's results and certificate, the admin's pages to everyone else, and asks the anonymous to sign in", async () => {
    const a = places[0]!.eid;
    const other = await places[2]!.person.signIn(nextIp());
    for (const url of [results(a), `${results(a)}/certificate.pdf`, `${results(a)}/transcript.pdf`]) expect((await other.get(url)).statusCode).toBe(404);
    const { sid } = await scriptOf(a, 'task-1');
    expect((await other.post(`${results(a)}/${sid}/review`, { reason: 'Not mine.' })).statusCode).toBe(404);
    for (const who of [await assessor.signIn(nextIp()), await moderator.signIn(nextIp()), other]) {
      for (const url of ['/assessment/results', `/assessment/results/${intakeId}`, `/assessment/outcomes/${a}`, '/assessment/reviews']) expect((await who.get(url)).statusCode).toBe(403);
      expect((await who.post(`/assessment/results/${intakeId}`, dateFields('releasesOn', '2026-12-02'))).statusCode).toBe(403);
      expect((await who.post(`/assessment/outcomes/${a}/void`, { reason: 'x' })).statusCode).toBe(403);
    }
    // An assessor marks blind: they never read whose results these are.
    expect((await (await assessor.signIn(nextIp())).get(results(a))).statusCode).toBe(404);
    const anonymous = new Client(t, nextIp());
    for (const url of [results(a), `${results(a)}/certificate.pdf`, '/assessment/results']) expect((await anonymous.get(url)).statusCode).toBe(303);
    // The admin reads it (staff who read evidence).
    expect((await admin.get(results(a))).statusCode).toBe(200);
    expect(text((await admin.get(`/assessment/results/${intakeId}`)).body)).toContain(places[0]!.person.name);
  });

  it('keeps a void until it is put back: a later release and a review leave it, a voided fail offers no resit, and two voids at once make one', async () => {
    const [a, , c] = places.map((p) => p.eid) as [string, string, string];
    const voids = async (eid: string) => (await t.database.db.select().from(participantOutcomes).where(and(eq(participantOutcomes.enrolmentId, eid), eq(participantOutcomes.state, 'voided')))).length;
    const before = await voids(a);
    const both = await Promise.all([admin.post(`/assessment/outcomes/${a}/void`, { reason: 'Malpractice.' }), admin.post(`/assessment/outcomes/${a}/void`, { reason: 'Malpractice.' })]);
    expect(both.map((r) => r.statusCode)).toEqual([303, 303]);
    expect(await voids(a)).toBe(before + 1);
    // C failed Task 1 and sent a resit; voided, they are offered none.
    await admin.post(`/assessment/outcomes/${c}/void`, { reason: 'The resit was copied.' });
    const them = await places[2]!.person.signIn(nextIp());
    expect(text((await them.get(results(c))).body)).not.toContain('You may resit');
    // The resit is marked a pass and released: neither A's void nor C's is lifted by it.
    const [resit] = await t.database.db.select().from(submissions).where(and(eq(submissions.enrolmentId, c), eq(submissions.taskKey, 'task-1'), eq(submissions.attempt, 2), eq(submissions.status, 'submitted')));
    await admin.post(`/assessment/allocation/${resit!.id}`, { assessor: assessor.userId, back: '/assessment/allocation' });
    const [allocated] = await t.database.db.select().from(scriptAllocations).where(eq(scriptAllocations.submissionId, resit!.id));
    await (await assessor.signIn(nextIp())).post(`/marking/${allocated!.candidateNumber}`, { action: 'submit', ...marks(TASK_1, 6, 6, 6, 6) });
    await admin.post('/assessment/moderation/draw', {});
    // Today's date: asked first, then released.
    const asked = await release();
    expect(text(asked.body)).toContain('Release 1 result today?');
    expect(text(asked.body)).toContain('the participant sees their results and feedback straight away, and is emailed within the hour');
    expect((await codeOf(c))!.state).toBe('voided');
    const later = await release({ confirm: 'yes' });
    expect(text((await admin.get(later.headers.location as string)).body)).toContain('1 result is released today: 1 passed, 0 not passed; 0 participants have passed the NPQ, 0 not passed it. Participants are emailed within the hour.');
    expect((await codeOf(a))!.state).toBe('voided');
    expect((await codeOf(c))!.state).toBe('voided');
    // A review of C's Task 2: a pass needs the pass mark; changed, it still leaves the void.
    const { sid } = await scriptOf(c, 'task-2');
    await them.post(`${results(c)}/${sid}/review`, { reason: 'Marked too low.' });
    const [review] = await t.database.db.select().from(markingReviews).where(eq(markingReviews.submissionId, sid));
    const contradictory = await admin.post(`/assessment/reviews/${review!.id}`, { decision: 'changed', total: '7', result: 'pass', note: 'Marked again.' });
    expect(contradictory.statusCode).toBe(422);
    expect(text(contradictory.body)).toContain('A pass needs at least 20 marks');
    expect((await admin.post(`/assessment/reviews/${review!.id}`, { decision: 'changed', total: '30', result: 'pass', note: 'Marked again.' })).statusCode).toBe(303);
    expect((await codeOf(c))!.state).toBe('voided');
    // Put back, C's outcome is what the results give now: both tasks passed.
    await admin.post(`/assessment/outcomes/${c}/reinstate`, { reason: 'Not copied after all.' });
    expect((await codeOf(c))!).toMatchObject({ state: 'passed' });
  });
});

describe('the API (issue 12 item 8)', () => {
  const narrow = f.anApiClient({ scopes: ['applications:read'] });
  const assessorToken = f.anApiClient({ role: 'assessor', scopes: ['assessment:read'] });
  type DfeOutcome = { id: string; type: string; attributes: { state: string; completion_date: string; participant_id: string; course_identifier: string; created_at: string } };

  it('gives a participant’s outcomes as DfE’s participant-outcome, every one appended, in the order they came out', async () => {
    const b = places[1]!;
    const res = await api('GET', `/api/v1/participants/${await participantIdOf(b.eid)}/outcomes`);
    expect(res.statusCode).toBe(200);
    expectMatchesDfeSchema('ParticipantOutcomesResponse', res.json());
    await expectMatchesDocument(t.app, 'get', '/api/v1/participants/{id}/outcomes', res.json());
    const held = (await t.database.db.select().from(participantOutcomes).where(eq(participantOutcomes.enrolmentId, b.eid))).sort((x, y) => x.seq - y.seq);
    const data = res.json().data as DfeOutcome[];
    // B failed Task 2, and a review of marking made it a pass.
    expect(data.map((o) => o.attributes.state)).toEqual(['failed', 'passed']);
    expect(data.map((o) => o.id)).toEqual(held.map((o) => o.id));
    expect(data[0]!.attributes).toMatchObject({ completion_date: '2026-12-01T00:00:00+00:00', course_identifier: 'npq-headship', participant_id: await participantIdOf(b.eid), created_at: '2026-12-01T00:00:00.000Z' });
  });

  it('pages through every outcome out, and from a date-time gives only those out since', async () => {
    const seen: DfeOutcome[] = [];
    for (let page = 1; page < 20; page++) {
      const res = await api('GET', `/api/v1/participants/outcomes?page[per_page]=2&page[page]=${page}`);
      expect(res.statusCode).toBe(200);
      expectMatchesDfeSchema('ParticipantOutcomesResponse', res.json());
      await expectMatchesDocument(t.app, 'get', '/api/v1/participants/outcomes', res.json());
      if (!res.json().data.length) break;
      seen.push(...res.json().data);
    }
    const held = await t.database.db.select().from(participantOutcomes);
    expect(seen.map((o) => o.id).sort()).toEqual(held.map((o) => o.id).sort());
    expect(new Set(seen.map((o) => o.id)).size).toBe(seen.length);
    const times = seen.map((o) => o.attributes.created_at);
    expect([...times].sort()).toEqual(times);
    const since = times.at(-1)!;
    const later = (await api('GET', `/api/v1/participants/outcomes?filter[created_since]=${encodeURIComponent(since)}`)).json().data as DfeOutcome[];
    expect(later.map((o) => o.id)).toEqual(seen.filter((o) => o.attributes.created_at >= since).map((o) => o.id));
    // Each place's outcomes come out in the order they were appended: the last out is the one that stands.
    for (const { eid } of places) {
      const outs = held.filter((o) => o.enrolmentId === eid).sort((x, y) => x.seq - y.seq).map((o) => o.outAt.getTime());
      expect([...outs].sort((x, y) => x - y)).toEqual(outs);
    }
    // 9999-12-31 at 23:00 an hour behind UTC is year 10000: refused, not a failure.
    const beyond = await api('GET', `/api/v1/participants/outcomes?filter[created_since]=${encodeURIComponent('9999-12-31T23:00:00-01:00')}`);
    expect(beyond.statusCode).toBe(422);
    const bad = await api('GET', '/api/v1/participants/outcomes?filter[created_since]=yesterday');
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('validation_failed');
  });

  it('gives a participant’s submissions with where each is in marking, their released results and the outcome that stands', async () => {
    const c = places[2]!;
    const res = await api('GET', `/api/v1/participants/${await participantIdOf(c.eid)}/assessment`);
    expect(res.statusCode).toBe(200);
    await expectMatchesDocument(t.app, 'get', '/api/v1/participants/{id}/assessment', res.json());
    const [place] = res.json().places;
    expect(place).toMatchObject({ application_id: c.eid, course_identifier: 'npq-headship', pass_by: '2028-03-07' });
    const task1 = place.tasks.find((x: { task_key: string }) => x.task_key === 'task-1');
    // C failed Task 1, resat it and passed; both attempts are released.
    expect(task1.submissions.map((s: { attempt: number; result: string; marking_stage: string }) => [s.attempt, s.result, s.marking_stage])).toEqual([
      [1, 'fail', 'released'],
      [2, 'pass', 'released'],
    ]);
    expect(task1.submissions[0]).toMatchObject({ status: 'submitted', late: false, released_on: '2026-12-01' });
    expect(place.outcome.attributes.state).toBe('passed');
    expectMatchesDfeSchema('ParticipantOutcome', place.outcome);
    // No marker's marks or comments, and no name: marking is blind.
    expect(res.body).not.toContain('Comment on');
    expect(res.body).not.toContain(c.person.name);
  });

  it('refuses a token without the scope, and shows nothing to a token that reads no places', async () => {
    const id = await participantIdOf(places[0]!.eid);
    for (const path of [`/api/v1/participants/${id}/outcomes`, `/api/v1/participants/${id}/assessment`, '/api/v1/participants/outcomes']) expect((await narrow('GET', path)).statusCode).toBe(403);
    expect((await assessorToken('GET', `/api/v1/participants/${id}/outcomes`)).statusCode).toBe(404);
    expect((await assessorToken('GET', `/api/v1/participants/${id}/assessment`)).statusCode).toBe(404);
    expect((await assessorToken('GET', '/api/v1/participants/outcomes')).json()).toMatchObject({ data: [], meta: { total: 0 } });
    expect((await api('GET', '/api/v1/participants/11111111-1111-4111-8111-111111111111/assessment')).statusCode).toBe(404);
    expect((await api('GET', '/api/v1/participants/not-an-id/outcomes')).statusCode).toBe(404);
    // An id typed in capitals names the same participant, and is answered as the platform holds it.
    const shouted = await api('GET', `/api/v1/participants/${id.toUpperCase()}/assessment`);
    expect(shouted.json().participant_id).toBe(id);
  });
});
