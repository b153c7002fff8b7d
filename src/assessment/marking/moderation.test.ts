import { eq, inArray, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { moderationSamples, scriptAllocations, scriptMarkings, submissions } from '../assessment.schema';
import { newCandidateNumber } from '../domain/allocation';
import { headshipPlaces } from '../web/assessment-web.testkit';

/**
 * Issue 12 item 5, the moderation services on a real database (PGlite, or PostgreSQL under
 * DATABASE_URL): the admin's list paged by the database; scripts waiting for a moderator given out
 * once one is free, and a departed moderator's passed on; many small draws sampling as one big
 * draw; and the tolerance a script was drawn under deciding its third marking.
 */
const t = useTestApp();
const f = factoriesFor(t);
// Read when used: the app is made in beforeAll.
const assessment = new Proxy({} as typeof t.services.assessment, { get: (_, name) => t.services.assessment[name as keyof typeof t.services.assessment] });

const criteria = ['design', 'implementation', 'evaluation', 'reflection'] as const;
const form = (...m: number[]) => ({ ...Object.fromEntries(criteria.flatMap((k, i) => [[`mark-${k}`, String(m[i])], [`comment-${k}`, `On ${k}.`]])), overall: 'Overall.' });
const onlyRandom = (randomPercent: number, tolerance = 4) => ({ everyFail: 'no', borderlineWithin: '0', newAssessorFirst: '0', randomPercent: String(randomPercent), atLeastOnePerAssessor: 'no', tolerance: String(tolerance) });

let places: { eid: string }[] = [];
const moderators: Person[] = [];
let assessor: Person;
let used = 0;

/** `n` more places' Task 1 scripts sent, allocated to the assessor and marked (every criterion `mark`, so 4 × mark in all), a second apart. Returns their submission ids and candidate numbers. */
async function markedScripts(n: number, mark = 7): Promise<{ sid: string; cn: string }[]> {
  const { db } = t.database;
  const out: { sid: string; cn: string }[] = [];
  for (const place of places.slice(used, used + n)) {
    t.clock.advance(1000);
    const now = t.clock.now();
    const [sent] = await db
      .insert(submissions)
      .values({ enrolmentId: place.eid, taskKey: 'task-1', status: 'submitted', fileName: 'account.docx', fileType: 'docx', fileSize: 1, fileKey: 'accounts/test', wordLimit: 4000, wordsTotal: 100, wordsCounted: 100, wordsExcluded: {}, overLimit: false, uploadedAt: now, submittedAt: now })
      .returning();
    const cn = newCandidateNumber();
    await db.insert(scriptAllocations).values({ submissionId: sent!.id, candidateNumber: cn, assessorUserId: assessor.userId, allocatedAt: now });
    const total = 4 * mark;
    await db.insert(scriptMarkings).values({ submissionId: sent!.id, round: 'first', markerUserId: assessor.userId, schemeVersion: '2017', marks: Object.fromEntries(criteria.map((k) => [k, { mark, comment: 'Marked.' }])), total, result: mark >= 5 ? 'pass' : 'fail', status: 'submitted', submittedAt: now });
    out.push({ sid: sent!.id, cn });
  }
  used += n;
  return out;
}

const sampleOf = async (sid: string) => (await t.database.db.select().from(moderationSamples).where(eq(moderationSamples.submissionId, sid)))[0]!;
const setRules = (body: Record<string, string>) => assessment.setModerationRules(setUp, body);

beforeAll(async () => {
  places = (await headshipPlaces(t, f, 34)).places;
  assessor = await f.aStaffMember({ role: 'assessor', name: 'Ann Assessor' });
  // The demo's moderator stood down: the tests say who moderates.
  await t.database.db.execute(sql`delete from role_assignments where role = 'moderator'`);
}, 240_000);

describe('drawing a little at a time', () => {
  it('samples about the random share of twenty scripts drawn one at a time, not every one', async () => {
    await setRules(onlyRandom(10));
    let sampled = 0;
    for (let i = 0; i < 20; i++) {
      await markedScripts(1);
      sampled += (await assessment.drawModerationSample(setUp)).sampled;
    }
    // 10% of 20, whichever scripts the random source took: as one draw of all twenty would.
    expect(sampled).toBe(2);
  });
});

describe('scripts waiting for a moderator', () => {
  let waiting: { sid: string; cn: string }[];
  let max: Person;
  let mia: Person;

  it('keeps scripts drawn while no moderator was free waiting, and gives them out when one is', async () => {
    await setRules(onlyRandom(100));
    waiting = await markedScripts(3);
    const drawn = await assessment.drawModerationSample(setUp);
    // These three and the two sampled above, drawn with no moderator either.
    expect(drawn).toMatchObject({ drawn: 3, sampled: 3, withoutModerator: 5 });
    expect((await assessment.moderationList(setUp, { show: 'waiting' })).total).toBe(5);
    expect((await assessment.moderationList(setUp, {})).waitingForModerator).toBe(5);
    max = await f.aStaffMember({ role: 'moderator', name: 'Max Moderator' });
    moderators.push(max);
    expect(await assessment.giveOutWaitingScripts(setUp)).toEqual({ given: 5, waiting: 0 });
    for (const s of waiting) expect(await sampleOf(s.sid)).toMatchObject({ status: 'second_marking', moderatorUserId: max.userId });
    expect((await assessment.moderationList(setUp, { show: 'waiting' })).total).toBe(0);
  });

  it('gives out those waiting at the next draw too', async () => {
    const more = await markedScripts(1);
    await t.database.db.update(moderationSamples).set({ moderatorUserId: null }).where(eq(moderationSamples.submissionId, waiting[0]!.sid));
    expect(await assessment.drawModerationSample(setUp)).toMatchObject({ drawn: 1, sampled: 1, withoutModerator: 0 });
    for (const s of [waiting[0]!, more[0]!]) expect((await sampleOf(s.sid)).moderatorUserId).toBe(max.userId);
    waiting.push(more[0]!);
  });

  it('passes a moderator’s undecided scripts to another when they lose the role, letting their draft go', async () => {
    await assessment.saveModerationMarking(max.actor, waiting[0]!.cn, form(6, 6, 6, 6), false);
    mia = await f.aStaffMember({ role: 'moderator', name: 'Mia Moderator' });
    moderators.push(mia);
    await t.database.db.execute(sql`delete from role_assignments where user_id = ${max.userId} and role = 'moderator'`);
    // Max held all six sampled so far.
    expect((await assessment.moderationList(setUp, { show: 'waiting' })).total).toBe(6);
    expect(await assessment.giveOutWaitingScripts(setUp)).toEqual({ given: 6, waiting: 0 });
    for (const s of waiting) expect((await sampleOf(s.sid)).moderatorUserId).toBe(mia.userId);
    const drafts = await t.database.db.select().from(scriptMarkings).where(inArray(scriptMarkings.submissionId, waiting.map((s) => s.sid)));
    expect(drafts.filter((d) => d.round === 'second')).toEqual([]);
    // The new moderator marks blind, as any moderator does.
    expect((await assessment.moderationScript(mia.actor, waiting[0]!.cn)).stage).toBe('second');
  });

  it('keeps a third marking waiting while no moderator but the second marker is free, and gives it to one who has marked it neither time', async () => {
    // 28 against 16: beyond the tolerance of 4, and Mia, the only moderator, marked it second.
    const done = await assessment.saveModerationMarking(mia.actor, waiting[1]!.cn, form(4, 4, 4, 4), true);
    expect(done.next).toBe('third_marking');
    expect(await sampleOf(waiting[1]!.sid)).toMatchObject({ status: 'third_marking', thirdMarkerUserId: null });
    expect(await assessment.giveOutWaitingScripts(setUp)).toEqual({ given: 0, waiting: 1 });
    // Max back as a moderator: free, for he has not marked it (his draft of another script was let go).
    await t.database.db.execute(sql`insert into role_assignments (user_id, role, scope_type) values (${max.userId}, 'moderator', 'provider')`);
    expect(await assessment.giveOutWaitingScripts(setUp)).toEqual({ given: 1, waiting: 0 });
    expect(await sampleOf(waiting[1]!.sid)).toMatchObject({ status: 'third_marking', thirdMarkerUserId: max.userId, moderatorUserId: mia.userId });
  });
});

describe('the tolerance a script was drawn under', () => {
  it('decides its third marking by the tolerance when it was drawn, not one set since', async () => {
    await setRules(onlyRandom(100, 10));
    const [script] = await markedScripts(1);
    await assessment.drawModerationSample(setUp);
    expect((await sampleOf(script!.sid)).tolerance).toBe(10);
    // Set for the next draw: this script keeps its 10.
    await setRules(onlyRandom(100, 2));
    const holder = (await sampleOf(script!.sid)).moderatorUserId;
    const moderator = moderators.find((m) => m.userId === holder)!.actor;
    expect((await assessment.moderationScript(moderator, script!.cn)).tolerance).toBe(10);
    // 28 against 23: 5 apart, within 10 though beyond 2.
    expect((await assessment.saveModerationMarking(moderator, script!.cn, form(6, 6, 6, 5), true)).next).toBe('to_decide');
  });
});

describe('the admin’s list, a page at a time', () => {
  it('pages the sample in the database, those being moderated first, each script on one page only', async () => {
    const list = await assessment.moderationList(setUp, {});
    expect(list.total).toBe(7);
    const pages = await Promise.all([1, 2, 3, 4].map((page) => assessment.moderationList(setUp, {}, { page, perPage: 2 })));
    expect(pages.map((p) => [p.page, p.total, p.rows.length])).toEqual([
      [1, 7, 2],
      [2, 7, 2],
      [3, 7, 2],
      [4, 7, 1],
    ]);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.submission.id));
    expect(ids).toEqual(list.rows.map((r) => r.submission.id));
    expect(new Set(ids).size).toBe(7);
    // Being moderated (open) before decided, then in the order drawn.
    const open = await assessment.moderationList(setUp, { show: 'open' }, { page: 2, perPage: 2 });
    expect(open.rows.every((r) => r.moderation!.decidedAt === null)).toBe(true);
    // A page past the end shows the last.
    expect((await assessment.moderationList(setUp, {}, { page: 99, perPage: 2 })).page).toBe(4);
    // A search reads names for the filtered sample: a candidate number finds its script.
    const one = list.rows[4]!;
    const found = await assessment.moderationList(setUp, { q: one.allocation!.candidateNumber }, { page: 1, perPage: 3 });
    expect(found.rows.map((r) => r.submission.id)).toEqual([one.submission.id]);
    expect((await assessment.moderationList(setUp, { q: one.participant.slice(0, 5) })).total).toBeGreaterThan(0);
    // Each script names who marked it first (read for the page's scripts only), still once they no longer assess.
    expect(list.rows.map((r) => r.assessorName)).toEqual(list.rows.map(() => 'Ann Assessor'));
    await t.database.db.execute(sql`delete from role_assignments where user_id = ${assessor.userId} and role = 'assessor'`);
    expect((await assessment.moderationList(setUp, {})).rows.map((r) => r.assessorName)).toEqual(list.rows.map(() => 'Ann Assessor'));
    await t.database.db.execute(sql`insert into role_assignments (user_id, role, scope_type) values (${assessor.userId}, 'assessor', 'provider')`);
  });
});

describe('a script passed on after its second marks', () => {
  it('is never moved to the moderator who second-marked it, nor third-marked by the moderator who has seen both marks', async () => {
    await t.database.db.execute(sql`delete from role_assignments where role = 'moderator'`);
    const hal = await f.aStaffMember({ role: 'moderator', name: 'Hal First' });
    await t.database.db.execute(sql`insert into role_assignments (user_id, role, scope_type) values (${hal.userId}, 'assessor', 'provider')`);
    await setRules(onlyRandom(100, 4));
    const [script] = await markedScripts(1);
    await assessment.drawModerationSample(setUp);
    expect((await sampleOf(script!.sid)).moderatorUserId).toBe(hal.userId);
    expect((await assessment.saveModerationMarking(hal.actor, script!.cn, form(7, 7, 7, 7), true)).next).toBe('to_decide');
    // Hal stands down as a moderator: Hana is given the script, his second marks with it.
    const hana = await f.aStaffMember({ role: 'moderator', name: 'Hana Second' });
    await t.database.db.execute(sql`delete from role_assignments where user_id = ${hal.userId} and role = 'moderator'`);
    // (Every other script left without a moderator here goes to her too.)
    expect(await assessment.giveOutWaitingScripts(setUp)).toMatchObject({ waiting: 0 });
    expect((await sampleOf(script!.sid)).moderatorUserId).toBe(hana.userId);
    await assessment.decideModeration(hana.actor, script!.cn, { decision: 'send_back', note: 'Look again at the evaluation.' });
    // Hal, still an assessor, holds its second marks: he would compare himself with himself.
    await expect(assessment.allocateScript(setUp, script!.sid, { assessor: hal.userId })).rejects.toMatchObject({ fieldErrors: { assessor: 'That assessor marked this script in moderation: choose another assessor' } });
    // Ann marks again, 24 apart: a third marker, but not Hana, who has seen both marks; none is free, so it waits.
    await assessment.saveMarking(assessor.actor, script!.cn, form(1, 1, 1, 1), true);
    expect(await sampleOf(script!.sid)).toMatchObject({ status: 'third_marking', thirdMarkerUserId: null });
  });
});

describe('a sent-back script moved to another assessor', () => {
  it('is never third-marked by the assessor it was moved from, though they moderate too', async () => {
    await t.database.db.execute(sql`delete from role_assignments where role = 'moderator'`);
    const hana = await f.aStaffMember({ role: 'moderator', name: 'Hana Holder' });
    const bea = await f.aStaffMember({ role: 'assessor', name: 'Bea Assessor' });
    await setRules(onlyRandom(100, 4));
    const [script] = await markedScripts(1);
    await assessment.drawModerationSample(setUp);
    await assessment.giveOutWaitingScripts(setUp);
    expect((await sampleOf(script!.sid)).moderatorUserId).toBe(hana.userId);
    expect((await assessment.saveModerationMarking(hana.actor, script!.cn, form(7, 7, 7, 7), true)).next).toBe('to_decide');
    await assessment.decideModeration(hana.actor, script!.cn, { decision: 'send_back', note: 'Look again at the impact.' });
    await assessment.allocateScript(setUp, script!.sid, { assessor: bea.userId });
    // Ann, whose first marks were let go, now moderates as well.
    await t.database.db.execute(sql`insert into role_assignments (user_id, role, scope_type) values (${assessor.userId}, 'moderator', 'provider')`);
    // Bea marks 24 below Hana: a third marker, but not Ann (she marked it first), nor Hana or Bea; none is free, so it waits.
    await assessment.saveMarking(bea.actor, script!.cn, form(1, 1, 1, 1), true);
    expect(await sampleOf(script!.sid)).toMatchObject({ status: 'third_marking', thirdMarkerUserId: null, earlierAssessorIds: [assessor.userId] });
    expect(await assessment.giveOutWaitingScripts(setUp)).toMatchObject({ waiting: 1 });
    expect((await sampleOf(script!.sid)).thirdMarkerUserId).toBeNull();
  });
});
