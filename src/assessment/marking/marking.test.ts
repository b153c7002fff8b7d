import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors';
import { factoriesFor, type Person, setUp } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { moderationSamples, scriptAllocations, scriptMarkings } from '../assessment.schema';
import { newCandidateNumber } from '../domain/allocation';
import { aSentScript, headshipPlaces } from '../web/assessment-web.testkit';

/**
 * Issue 12 item 4, the marking services on a real database (PGlite, or PostgreSQL under
 * DATABASE_URL): the admin's allocation list filtered, counted and paged by the database over more
 * than one page; and a script moderation sent back moved to another assessor, who marks it again,
 * after which it goes back to its moderator.
 */
const t = useTestApp();
const f = factoriesFor(t);
// Read when used: the app is made in beforeAll.
const assessment = new Proxy({} as typeof t.services.assessment, { get: (_, name) => t.services.assessment[name as keyof typeof t.services.assessment] });

const criteria = ['design', 'implementation', 'evaluation', 'reflection'] as const;
const form = (mark: number) => ({ ...Object.fromEntries(criteria.flatMap((k) => [[`mark-${k}`, String(mark)], [`comment-${k}`, `On ${k}.`]])), overall: 'Overall.' });

let intakeId: string;
let places: { person: Person; eid: string }[] = [];
/** The 60 scripts in the order sent. */
const sent: { sid: string; name: string; cn: string | null }[] = [];
let ann: Person;
let bea: Person;
let mo: Person;

beforeAll(async () => {
  const made = await headshipPlaces(t, f, 60);
  intakeId = made.intakeId;
  places = made.places;
  ann = await f.aStaffMember({ role: 'assessor', name: 'Ann Assessor' });
  bea = await f.aStaffMember({ role: 'assessor', name: 'Bea Assessor' });
  // Mo moderates, and assesses too: never given a script they moderate.
  mo = await f.aStaffMember({ role: 'assessor', name: 'Mo Moderator' });
  await t.database.db.execute(sql`delete from role_assignments where role in ('moderator', 'assessor') and user_id not in (${ann.userId}::uuid, ${bea.userId}::uuid, ${mo.userId}::uuid)`);
  await t.services.people.assignRole(setUp, mo.userId, { role: 'moderator', scopeType: 'provider', scopeId: null });
  // Sixty Task 1 scripts sent a second apart: the first twenty allocated to Ann, the first twelve of those marked.
  const { db } = t.database;
  for (const [i, place] of places.entries()) {
    t.clock.advance(1000);
    const now = t.clock.now();
    const row = await aSentScript(t, place.eid);
    const cn = i < 20 ? newCandidateNumber() : null;
    if (cn) await db.insert(scriptAllocations).values({ submissionId: row.id, candidateNumber: cn, assessorUserId: ann.userId, allocatedAt: now });
    if (i < 12) await db.insert(scriptMarkings).values({ submissionId: row.id, round: 'first', markerUserId: ann.userId, schemeVersion: '2017', marks: Object.fromEntries(criteria.map((k) => [k, { mark: 7, comment: 'Marked.' }])), total: 28, result: 'pass', status: 'submitted', submittedAt: now });
    sent.push({ sid: row.id, name: place.person.name, cn });
  }
}, 300_000);

describe('the allocation list, a page at a time', () => {
  const ids = (rows: { submission: { id: string } }[]) => rows.map((r) => r.submission.id);

  it('pages sixty scripts by the database, those not allocated first, then as sent, each on one page only', async () => {
    const first = await assessment.allocationList(setUp, {}, { page: 1, perPage: 50 });
    expect(first.total).toBe(60);
    expect(first.page).toBe(1);
    expect(first.unallocated).toBe(40);
    // Not allocated (the last forty sent) first, then the allocated twenty, each group as sent.
    const order = [...sent.slice(20), ...sent.slice(0, 20)].map((s) => s.sid);
    expect(ids(first.rows)).toEqual(order.slice(0, 50));
    const second = await assessment.allocationList(setUp, {}, { page: 2, perPage: 50 });
    expect(second.page).toBe(2);
    expect(ids(second.rows)).toEqual(order.slice(50));
    expect(second.rows.map((r) => [r.participant, r.allocation?.candidateNumber, r.assessorName])).toEqual(sent.slice(10, 20).map((s) => [s.name, s.cn, 'Ann Assessor']));
    // A page past the end is the last.
    expect(ids((await assessment.allocationList(setUp, {}, { page: 9, perPage: 50 })).rows)).toEqual(order.slice(50));
    // The page shows the same: the count, the second page's scripts and none of the first's.
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn('10.124.0.1');
    const page = await admin.get('/assessment/allocation?page=2');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('60 scripts');
    for (const s of sent.slice(10, 20)) expect(page.body).toContain(s.cn!);
    expect(page.body).not.toContain(`>${sent[59]!.name}<`);
    expect(first.tasks).toEqual([{ value: 'task-1', text: 'Task 1' }]);
    expect(first.intakes.map((i) => i.id)).toEqual([intakeId]);
    // Loads counted by the database: Ann holds the eight allocated and not marked.
    expect(first.assessors.map((a) => [a.name, a.load])).toEqual([
      ['Ann Assessor', 8],
      ['Bea Assessor', 0],
      ['Mo Moderator', 0],
    ]);
  });

  it('filters and counts by how far marked, over more than one page', async () => {
    const unallocated = await assessment.allocationList(setUp, { show: 'unallocated' }, { page: 2, perPage: 15 });
    expect([unallocated.total, unallocated.page]).toEqual([40, 2]);
    expect(ids(unallocated.rows)).toEqual(sent.slice(35, 50).map((s) => s.sid));
    const allocated = await assessment.allocationList(setUp, { show: 'allocated' }, { page: 2, perPage: 5 });
    expect([allocated.total, allocated.page]).toEqual([8, 2]);
    expect(ids(allocated.rows)).toEqual(sent.slice(17, 20).map((s) => s.sid));
    const marked = await assessment.allocationList(setUp, { show: 'marked' }, { page: 3, perPage: 5 });
    expect([marked.total, marked.page]).toEqual([12, 3]);
    expect(ids(marked.rows)).toEqual(sent.slice(10, 12).map((s) => s.sid));
    // What is not allocated is counted whatever the filter shows.
    expect(marked.unallocated).toBe(40);
  });

  it('finds a participant by name or a script by its candidate number, and keeps to an intake and task', async () => {
    const byName = await assessment.allocationList(setUp, { q: ` ${sent[33]!.name.toUpperCase()} ` });
    expect(byName.rows.map((r) => r.participant)).toContain(sent[33]!.name);
    const byNumber = await assessment.allocationList(setUp, { q: sent[4]!.cn!.toLowerCase() });
    expect([byNumber.total, ids(byNumber.rows)]).toEqual([1, [sent[4]!.sid]]);
    expect((await assessment.allocationList(setUp, { intakeId, taskKey: 'task-1' })).total).toBe(60);
    expect((await assessment.allocationList(setUp, { intakeId: crypto.randomUUID() })).total).toBe(0);
    expect((await assessment.allocationList(setUp, { taskKey: 'task-2' })).total).toBe(0);
    expect((await assessment.allocationList(setUp, { q: '100%_' })).total).toBe(0);
  });
});

describe('a script sent back by moderation', () => {
  it('moves to another assessor, never its moderator; they mark it again and it goes back to the moderator', async () => {
    await assessment.setModerationRules(setUp, { everyFail: 'no', borderlineWithin: '0', newAssessorFirst: '0', randomPercent: '100', atLeastOnePerAssessor: 'no', tolerance: '4' });
    await assessment.drawModerationSample(setUp);
    const script = sent[0]!;
    const cn = script.cn!;
    const moderator = { ...mo.actor, roles: [...mo.actor.roles, { role: 'moderator' as const, scopeType: 'provider' as const, scopeId: null }] };
    await assessment.saveModerationMarking(moderator, cn, form(6), true);
    await assessment.decideModeration(moderator, cn, { decision: 'send_back', note: 'Look again at the evaluation.' });
    // Another sampled script, not sent back, stays with its assessor.
    await expect(assessment.allocateScript(setUp, sent[1]!.sid, { assessor: bea.userId })).rejects.toMatchObject({ code: 'already_marked' });

    const toModerator = assessment.allocateScript(setUp, script.sid, { assessor: mo.userId });
    await expect(toModerator).rejects.toBeInstanceOf(ValidationError);
    await expect(toModerator).rejects.toMatchObject({ fieldErrors: { assessor: 'Mo Moderator moderates this script: choose another assessor' } });
    const moved = await assessment.allocateScript(setUp, script.sid, { assessor: bea.userId });
    // The same candidate number; Ann's marks, sent back as a draft, are let go; the second marks stay.
    expect(moved).toEqual({ candidateNumber: cn, assessorName: 'Bea Assessor', draftLetGo: true, unchanged: false });
    const rounds = await t.database.db.select({ round: scriptMarkings.round, marker: scriptMarkings.markerUserId, status: scriptMarkings.status }).from(scriptMarkings).where(eq(scriptMarkings.submissionId, script.sid));
    expect(rounds).toEqual([{ round: 'second', marker: mo.userId, status: 'submitted' }]);
    await expect(assessment.scriptToMark(ann.actor, cn)).rejects.toBeInstanceOf(NotFoundError);
    await expect(assessment.saveMarking(ann.actor, cn, form(7), true)).rejects.toBeInstanceOf(NotFoundError);

    const mine = await assessment.myScripts(bea.actor);
    expect(mine.map((s) => [s.candidateNumber, s.sentBackNote, s.marking])).toEqual([[cn, 'Look again at the evaluation.', null]]);
    expect(await assessment.saveMarking(bea.actor, cn, form(6), true)).toEqual({ result: 'pass', total: 24 });
    const [sample] = await t.database.db.select().from(moderationSamples).where(eq(moderationSamples.submissionId, script.sid));
    expect([sample!.status, sample!.moderatorUserId]).toEqual(['to_decide', mo.userId]);
    const [first] = await t.database.db.select().from(scriptMarkings).where(and(eq(scriptMarkings.submissionId, script.sid), eq(scriptMarkings.round, 'first')));
    expect([first!.markerUserId, first!.status, first!.total]).toEqual([bea.userId, 'submitted', 24]);
    expect((await assessment.moderationScript(moderator, cn)).stage).toBe('decide');
    // Marked again, it no longer moves.
    const again = assessment.allocateScript(setUp, script.sid, { assessor: ann.userId });
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: 'already_marked' });
  });
});
