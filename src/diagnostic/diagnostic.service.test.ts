import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnosticRaters, diagnosticResponses } from './diagnostic.schema';
import { system } from '../platform/auth/actor';
import { answersRatingEvery, diagnosticFactoriesFor, factoriesFor, type UserActor } from '../testing/factories';
import { tokenIn, useMailHarness } from '../testing/smtp';
import { useTestApp } from '../testing/test-app';

const t = useTestApp();
const mail = useMailHarness(t);
const { aParticipantUser } = factoriesFor(t);
const { a360Participant } = diagnosticFactoriesFor(t);
const admin = system('test admin');
let pat: UserActor;

const tokenFor = async (email: string) => tokenIn((await mail.to(email)).at(-1)!.text, '/rate');

beforeAll(async () => {
  await t.services.diagnostic.ensureSetUp();
  pat = (await a360Participant({ name: 'Pat Participant' })).actor;
});

describe('a 360° round, from self-rating to a report that keeps raters anonymous', () => {
  it('runs start to finish', async () => {
    const d = t.services.diagnostic;
    await expect(d.setWindow(admin, { cohort: '2026a', kind: 'start', opensOn: '2026-11-26', closesOn: '2026-11-20' })).rejects.toMatchObject({ fieldErrors: { closesOn: expect.any(String) } });
    await d.setWindow(admin, { cohort: '2026a', kind: 'start', opensOn: '2026-11-25', closesOn: '2026-12-09' });
    const { round } = (await d.myRounds(pat))[0]!;
    expect((await d.myRounds(pat)).length).toBe(1);

    // Self-rating: kept when incomplete, sent once complete.
    await expect(d.saveSelf(pat, round.id, { ratings: { 'commitment-1': 5 }, comments: {} }, true)).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await d.roundView(pat, round.id)).round.selfAnswers.ratings['commitment-1']).toBe(5);
    await d.saveSelf(pat, round.id, answersRatingEvery(5), true);

    // Nominations, within the limits and checked.
    await expect(d.nominate(pat, round.id, { group: 'peer', name: 'Me', email: pat.email })).rejects.toMatchObject({ fieldErrors: { email: expect.any(String) } });
    for (const [group, name] of [['peer', 'Pia'], ['peer', 'Pete'], ['peer', 'Poppy'], ['line_manager', 'Lara'], ['governor', 'Gus'], ['team_member', 'Tam']] as const) {
      await d.nominate(pat, round.id, { group, name, email: `${name.toLowerCase()}@school.test` });
    }
    await expect(d.nominate(pat, round.id, { group: 'peer', name: 'Pia again', email: 'PIA@school.test' })).rejects.toMatchObject({ fieldErrors: { email: expect.stringContaining('already asked') } });
    await d.nominate(pat, round.id, { group: 'line_manager', name: 'Len', email: 'len@school.test' });
    await expect(d.nominate(pat, round.id, { group: 'line_manager', name: 'Lou', email: 'lou@school.test' })).rejects.toMatchObject({ fieldErrors: { group: expect.stringContaining('at most 2') } });

    // Raters answer by link: save and come back, send once, or decline.
    const pia = await tokenFor('pia@school.test');
    expect((await d.raterByToken(pia))?.participant).toBe('Pat Participant');
    await d.answerAsRater(pia, { ratings: { 'commitment-1': 3 }, comments: {} }, 'save');
    expect((await d.raterByToken(pia))?.rater.draft?.ratings['commitment-1']).toBe(3);
    await d.answerAsRater(pia, { ...answersRatingEvery(3), comments: { strengths: 'Calm in a crisis' } }, 'submit');
    await expect(d.answerAsRater(pia, answersRatingEvery(1), 'submit')).rejects.toMatchObject({ code: 'already_answered' });
    await d.answerAsRater(await tokenFor('pete@school.test'), { ...answersRatingEvery(4), comments: { strengths: 'Always makes time' } }, 'submit');
    await d.answerAsRater(await tokenFor('poppy@school.test'), { ...answersRatingEvery(2), comments: { strengths: 'Clear about priorities' } }, 'submit');
    await d.answerAsRater(await tokenFor('lara@school.test'), answersRatingEvery(1), 'submit');
    await d.answerAsRater(await tokenFor('gus@school.test'), answersRatingEvery(1), 'decline');

    // The participant sees how many answered per group, never who; reminders go to who has not.
    const view = await d.roundView(pat, round.id);
    expect(view.answered).toBe(4);
    expect(JSON.stringify(view)).not.toMatch(/submitted|declined|status|line_manager":1/);
    const before = mail.received.length;
    await d.remind(pat, round.id);
    await mail.flush();
    expect(mail.received.slice(before).map((m) => m.to).sort()).toEqual(['len@school.test', 'tam@school.test']);

    // Nothing stored links an answer to a rater.
    const columns = Object.keys((await t.database.db.select().from(diagnosticResponses).limit(1))[0]!);
    expect(columns.sort()).toEqual(['answers', 'group', 'id', 'roundId']);
    const raters = await t.database.db.select().from(diagnosticRaters).where(eq(diagnosticRaters.roundId, round.id));
    expect(raters.every((r) => r.draft === null || r.status === 'invited')).toBe(true);

    // No report while answers can still arrive.
    await expect(d.report(pat, round.id)).rejects.toMatchObject({ code: 'report_not_ready' });
    const start = t.clock.now();
    t.clock.set('2026-12-10T10:00:00Z');
    try {
      await expect(d.answerAsRater(await tokenFor('tam@school.test'), answersRatingEvery(5), 'submit')).rejects.toMatchObject({ code: 'link_expired' });
      await expect(d.extendRound(admin, round.id, '2026-12-20')).rejects.toMatchObject({ code: 'round_closed' });
      const r = await d.report(pat, round.id);
      // Three peers shown; the lone line manager is folded in with them, as anonymous, so only the
      // whole group of four is shown.
      expect(r.visible.groups.map((g) => [g.key, g.count])).toEqual([['others', 4]]);
      expect(r.report.behaviours[0]).toMatchObject({ self: 5, others: 2.5 });
      // Shown once at least the threshold (3) wrote one: only those who wrote count.
      expect(r.visible.comments.strengths).toEqual(['Always makes time', 'Calm in a crisis', 'Clear about priorities']);
    } finally {
      t.clock.set(start);
    }
  });

  it('extends a cohort’s open rounds with a later closing date, one person’s too, but never a closed round', async () => {
    const d = t.services.diagnostic;
    await d.setWindow(admin, { cohort: '2026a', kind: 'end', opensOn: '2026-11-25', closesOn: '2026-12-01' });
    const end = (await d.myRounds(pat)).find((r) => r.round.kind === 'end')!.round;
    expect(end.closesOn).toBe('2026-12-01');
    await d.setWindow(admin, { cohort: '2026a', kind: 'end', opensOn: '2026-11-25', closesOn: '2026-12-15' });
    expect((await d.roundView(pat, end.id)).round.closesOn).toBe('2026-12-15');
    await expect(d.extendRound(admin, end.id, '2026-12-10')).rejects.toMatchObject({ fieldErrors: { closesOn: expect.any(String) } });
    await d.extendRound(admin, end.id, '2026-12-22');
    expect((await d.roundView(pat, end.id)).round.closesOn).toBe('2026-12-22');
    await d.closeRoundNow(admin, end.id);
    // Closed now, on its opening day: its planned dates stay as they were, and it is closed early today.
    const closed = (await d.roundView(pat, end.id)).round;
    expect([closed.opensOn, closed.closesOn, closed.closedEarlyOn]).toEqual(['2026-11-25', '2026-12-22', '2026-11-25']);
    await d.setWindow(admin, { cohort: '2026a', kind: 'end', opensOn: '2026-11-25', closesOn: '2027-01-31' });
    expect((await d.roundView(pat, end.id)).state).toBe('closed');
    expect((await d.roundView(pat, end.id)).round.closesOn).toBe('2026-12-22');
  });

  it('keeps one participant out of another’s rounds, and raters’ links out of reach once declined', async () => {
    const stranger = (await aParticipantUser({ name: 'Cora' })).actor;
    const { round } = (await t.services.diagnostic.myRounds(pat))[0]!;
    await expect(t.services.diagnostic.roundView(stranger, round.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.services.diagnostic.report(stranger, round.id)).rejects.toMatchObject({ code: 'not_found' });
    await expect(t.services.diagnostic.setWindow(pat, { cohort: '2026a', kind: 'end', opensOn: '2027-06-01', closesOn: '2027-06-20' })).rejects.toMatchObject({ code: 'forbidden' });
    const declined = await tokenFor('gus@school.test');
    await expect(t.services.diagnostic.answerAsRater(declined, answersRatingEvery(3), 'submit')).rejects.toMatchObject({ code: 'already_answered' });
    expect(await t.database.db.select().from(diagnosticResponses)).toHaveLength(4);
  });
});
