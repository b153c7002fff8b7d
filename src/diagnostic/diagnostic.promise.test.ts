import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { diagnosticRaters, diagnosticRounds } from './diagnostic.schema';
import { system } from '../platform/auth/actor';
import { answersRatingEvery, diagnosticFactoriesFor, type Participant, type Rater } from '../testing/factories';
import { useTestApp } from '../testing/test-app';
import { DEFAULT_SETTINGS } from './diagnostic.service';

/**
 * The promise on the rater's page, kept by the service: only people who gave a figure count, a round
 * keeps the rule it opened with, progress reveals nothing the report would not, and nothing over a
 * limit is stored.
 */
const t = useTestApp();
const { a360Participant, a360Round } = diagnosticFactoriesFor(t);
const admin = system('test admin');
let participant: Participant;
let pat: Participant['actor'];

beforeAll(async () => {
  participant = await a360Participant({ name: 'Pat Participant' });
  pat = participant.actor;
});

describe('the rule in force when a round opened is the rule for that round', () => {
  it('a lower threshold or a named line manager after the start round opened changes nothing in it, and reaches the end round not yet open', async () => {
    const d = t.services.diagnostic;
    await d.setWindow(admin, { cohort: '2026a', kind: 'start', opensOn: '2026-11-25', closesOn: '2026-12-09' });
    await d.setWindow(admin, { cohort: '2026a', kind: 'end', opensOn: '2027-06-01', closesOn: '2027-06-20' });
    const end = (await d.myRounds(pat)).find((r) => r.round.kind === 'end')!.round;
    const colleagues = [['line_manager', 'Lara'], ['peer', 'Pia'], ['peer', 'Pete'], ['team_member', 'Tam'], ['team_member', 'Tom']] as const;
    const { round: start, raters } = await a360Round({ participant, kind: 'start', raters: colleagues.map(([group, name]) => ({ group, name })) });
    const [lara, pia, pete, tam, tom] = raters as [Rater, Rater, Rater, Rater, Rater];
    await d.answerAsRater(await lara.token(), answersRatingEvery(1, { strengths: 'Lara alone said this' }), 'submit');
    // Progress while open: fewer than the threshold is not a number, and never per group.
    expect((await d.roundView(pat, start.id)).answered).toBeNull();
    expect((await d.cohortRounds(admin, '2026a')).find((r) => r.round.id === start.id)!.answered).toBeNull();
    for (const rater of [pia, pete]) await d.answerAsRater(await rater.token(), answersRatingEvery(4), 'submit');
    expect((await d.roundView(pat, start.id)).answered).toBe(3);
    await d.answerAsRater(await tam.token(), answersRatingEvery(3), 'submit');
    await d.answerAsRater(await tom.token(), answersRatingEvery(3), 'submit');

    await d.saveSettings(admin, { ...DEFAULT_SETTINGS, threshold: 2, namedGroups: ['line_manager'] });
    expect(await d.raterByToken(await lara.token())).toMatchObject({ named: false, threshold: 3 });
    expect((await d.roundView(pat, start.id)).policy).toEqual({ threshold: 3, namedGroups: [] });
    expect((await d.roundView(pat, end.id)).policy).toEqual({ threshold: 2, namedGroups: ['line_manager'] });

    await d.closeRoundNow(admin, start.id);
    const r = await d.report(pat, start.id);
    // At 3 and anonymous: peers (2) and the line manager (1) fold together; team members (2) too.
    expect(r.visible.groups.map((g) => [g.label, g.count])).toEqual([['Other colleagues', 5]]);
    expect(r.visible.namedComments).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/Line managers|Peers \(|Team members \(/);
    // The lone line manager's comment would come from his group alone: it is held back.
    expect(r.visible.comments).toEqual({});
    expect(r.participant).toBe('Pat Participant');
    expect(r.producedOn).toBe('2026-11-25');
  });

  it('existing rounds take the provider’s settings as they are when the migration runs', async () => {
    // The data step of the migration, run again here on rounds that exist: they take today's settings.
    const file = readFileSync(new URL('../../drizzle/0011_round_anonymity_rule.sql', import.meta.url), 'utf8');
    const update = file.split('--> statement-breakpoint').map((x) => x.replace(/^--.*$/gm, '').trim()).find((x) => x.startsWith('UPDATE'))!;
    await t.services.diagnostic.saveSettings(admin, { ...DEFAULT_SETTINGS, threshold: 5, namedGroups: ['line_manager'] });
    await t.database.db.execute(sql.raw(update));
    const rows = await t.database.db.select({ threshold: diagnosticRounds.anonymityThreshold, named: diagnosticRounds.namedGroups }).from(diagnosticRounds);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.threshold === 5 && r.named.join() === 'line_manager')).toBe(true);
  });
});

describe('only people who gave a figure count, and nothing over a limit is stored', () => {
  it('a line manager and two addresses the participant controls, answering “not able to say” throughout, show nothing', async () => {
    const d = t.services.diagnostic;
    await d.saveSettings(admin, DEFAULT_SETTINGS);
    const end = (await d.myRounds(pat)).find((r) => r.round.kind === 'end')!.round;
    const opened = t.clock.now();
    t.clock.set('2027-06-02T09:00:00Z');
    try {
      const { raters } = await a360Round({ participant, kind: 'end', raters: [{ group: 'line_manager', name: 'Len' }, { group: 'peer', name: 'Sock' }, { group: 'peer', name: 'Puppet' }] });
      const [lenAsked, sock, puppet] = raters as [Rater, Rater, Rater];

      // Limits before storing: a 900 KB comment is refused and not kept, on every save path.
      const len = await lenAsked.token();
      await d.answerAsRater(len, { ratings: { 'commitment-1': 2 }, comments: {} }, 'save');
      const huge = 'x'.repeat(900_000);
      for (const action of ['save', 'submit'] as const) {
        await expect(d.answerAsRater(len, { ...answersRatingEvery(2), comments: { strengths: huge } }, action)).rejects.toMatchObject({ fieldErrors: { strengths: expect.stringContaining('2,000 characters') } });
      }
      expect((await d.raterByToken(len))!.rater.draft).toEqual({ ratings: { 'commitment-1': 2 }, comments: {} });
      await expect(d.answerAsRater(len, { ratings: { 'commitment-1': 2, 'no-such-statement': 3 }, comments: {} }, 'save')).rejects.toMatchObject({ code: 'validation_failed' });
      expect((await d.raterByToken(len))!.rater.draft).toEqual({ ratings: { 'commitment-1': 2 }, comments: {} });
      await d.saveSelf(pat, end.id, { ratings: { 'commitment-1': 4 }, comments: {} }, false);
      for (const submit of [false, true]) {
        // The message names the question it is about, in the participant's own wording.
        await expect(d.saveSelf(pat, end.id, { ratings: { 'commitment-1': 5 }, comments: { develop: huge } }, submit)).rejects.toMatchObject({ code: 'validation_failed', fieldErrors: { develop: 'Your answer to “What one thing could you do to be a more effective leader?” must be 2,000 characters or fewer' } });
      }
      expect((await d.roundView(pat, end.id)).round.selfAnswers).toEqual({ ratings: { 'commitment-1': 4 }, comments: {} });
      // A missing rating names its statement by its place under its behaviour, not by its whole text.
      await expect(d.saveSelf(pat, end.id, { ratings: {}, comments: {} }, true)).rejects.toMatchObject({ fieldErrors: { 'commitment-2': 'Rate statement 2 under “Commitment”, or choose “Not able to say”' } });
      const asked = (await t.database.db.select().from(diagnosticRaters).where(eq(diagnosticRaters.roundId, end.id))).length;
      await expect(d.nominate(pat, end.id, { group: 'peer', name: 'n'.repeat(900_000), email: 'long@school.test' })).rejects.toMatchObject({ code: 'validation_failed' });
      expect(await t.database.db.select().from(diagnosticRaters).where(eq(diagnosticRaters.roundId, end.id))).toHaveLength(asked);

      await d.answerAsRater(len, answersRatingEvery(2, { strengths: 'Only Len wrote this' }), 'submit');
      expect((await d.roundView(pat, end.id)).answered).toBeNull();
      await d.answerAsRater(await sock.token(), answersRatingEvery(null), 'submit');
      await d.answerAsRater(await puppet.token(), answersRatingEvery(null), 'submit');
      await d.closeRoundNow(admin, end.id);
      const r = await d.report(pat, end.id);
      expect(r.visible.groups).toEqual([]);
      expect(r.visible.comments).toEqual({});
      expect(r.visible.withheld).toBe(3);
      expect(r.report.lowest).toEqual([]);
      expect(r.report.behaviours.every((b) => b.others === null)).toBe(true);
    } finally {
      t.clock.set(opened);
    }
  });
});
