import { and, asc, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit/audit';
import type { Db } from '../db/client';
import {
  cohortByIdentifier,
  cohortIdentifiers,
  enrolmentIdsInCohort,
  enrolmentsOfUser,
  participantOf,
  participantsInTraining,
  participantsOfCohort,
} from '../enrolment/enrolment.queries';
import { diagnosticInstruments, diagnosticRaters, diagnosticResponses, diagnosticRounds, diagnosticSettings, diagnosticWindows } from './diagnostic.schema';
import { enqueueEmail } from '../mail/outbox';
import type { Actor } from '../platform/auth/actor';
import { diagnosticAbilities, scopeFilter } from './domain/diagnostic.policy';
import { type Clock, formatDate, isPlainDate, ukDate } from '../platform/clock';
import { randomToken, type SecretBox, sha256 } from '../platform/crypto';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../platform/errors';
import { type AnonymityPolicy, type ColleagueResponse, cohortDistribution, progressShown, visibleFeedback } from './domain/anonymity';
import { type Answers, answerLimitErrors, asSelf, checkAnswers, COLLEAGUE_GROUPS, type ColleagueGroup, GROUP_LABELS, type Instrument, instrumentSchema, SEED_INSTRUMENT } from './domain/instrument';
import { buildReport, growth } from './domain/report';
import { whenMissing } from '../platform/zod-messages';

export const ROUND_KINDS = ['start', 'end'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];
export type RoundRow = typeof diagnosticRounds.$inferSelect;
export type Settings = { threshold: number; namedGroups: ColleagueGroup[]; groupLimits: Record<ColleagueGroup, { min: number; max: number }> };

export const DEFAULT_SETTINGS: Settings = {
  threshold: 3,
  namedGroups: [],
  groupLimits: { line_manager: { min: 1, max: 2 }, peer: { min: 3, max: 8 }, team_member: { min: 3, max: 8 }, governor: { min: 0, max: 3 }, other: { min: 0, max: 4 } },
};
const MAX_REMINDERS = 3;

/** Where a round is in its dates, on a given day. */
export function roundState(round: { opensOn: string; closesOn: string; closedEarlyOn?: string | null }, today: string): 'not_open' | 'open' | 'closed' {
  // Closed early is closed, whatever the planned dates say: they stay as they were, for the record.
  if (round.closedEarlyOn && today >= round.closedEarlyOn) return 'closed';
  if (today < round.opensOn) return 'not_open';
  return today > round.closesOn ? 'closed' : 'open';
}

const nominationSchema = z.object({
  group: z.enum(COLLEAGUE_GROUPS as [ColleagueGroup, ...ColleagueGroup[]], { error: 'Select how they work with you' }),
  name: z.string({ error: whenMissing('Enter their name') }).trim().min(1, 'Enter their name').max(200),
  email: z.string({ error: whenMissing('Enter their email address') }).trim().toLowerCase().email('Enter an email address in the correct format, like name@school.org.uk').max(254),
});

export function createDiagnosticService(deps: { db: Db; clock: Clock; secrets: SecretBox; baseUrl: string; providerName: string }) {
  const { db, clock } = deps;
  const today = () => ukDate(clock.now());
  const refuse = (code: string, message: string, status = 422) => new AppError(code, message, status);
  const requireManager = (actor: Actor) => {
    if (!diagnosticAbilities(actor).manage) throw new ForbiddenError();
  };
  const requireUser = (actor: Actor) => {
    if (actor.kind !== 'user' || !actor.fullySignedIn) throw new UnauthenticatedError();
    return actor;
  };

  async function settings(): Promise<Settings> {
    const [row] = await db.select().from(diagnosticSettings).where(eq(diagnosticSettings.id, 'provider'));
    return row ? { threshold: row.threshold, namedGroups: row.namedGroups as ColleagueGroup[], groupLimits: row.groupLimits as Settings['groupLimits'] } : DEFAULT_SETTINGS;
  }
  /** The rule a round's raters were promised: the one in force when it opened (ADR 0013), never today's settings. */
  const policyOfRound = (round: RoundRow): AnonymityPolicy => ({ threshold: round.anonymityThreshold, namedGroups: round.namedGroups as ColleagueGroup[] });

  async function instrument(version?: number): Promise<{ version: number; content: Instrument }> {
    const [row] = version
      ? await db.select().from(diagnosticInstruments).where(eq(diagnosticInstruments.version, version))
      : await db.select().from(diagnosticInstruments).orderBy(desc(diagnosticInstruments.version)).limit(1);
    if (!row) throw new NotFoundError('instrument');
    return { version: row.version, content: row.content };
  }

  /** The round, if it belongs to the actor's own accepted application. */
  async function ownRound(actor: Actor, roundId: string) {
    const me = requireUser(actor);
    const [round] = await db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, roundId));
    // Someone else's round is answered as no round at all.
    if (!round || (await participantOf(db, round.applicationId))?.userId !== me.userId) throw new NotFoundError('round');
    return round;
  }

  async function responsesOf(roundId: string): Promise<ColleagueResponse[]> {
    const rows = await db.select({ group: diagnosticResponses.group, answers: diagnosticResponses.answers }).from(diagnosticResponses).where(eq(diagnosticResponses.roundId, roundId));
    return rows.map((r) => ({ group: r.group as ColleagueGroup, answers: r.answers }));
  }

  async function reportOf(round: RoundRow) {
    const [inst, responses] = await Promise.all([instrument(round.instrumentVersion), responsesOf(round.id)]);
    const visible = visibleFeedback(responses, policyOfRound(round));
    return { instrument: inst.content, visible, report: buildReport(inst.content, round.selfSubmitted ? round.selfAnswers : null, visible) };
  }

  /**
   * Makes the rounds that accepted participants' cohort dates call for (never twice); each keeps the
   * instrument version current when it was made, and takes the anonymity settings of the day (which
   * follow the provider's changes until the round opens). Withdrawn participants get none.
   */
  async function ensureRounds(which: { userId: string } | { cohortId: string }) {
    const participants = await participantsInTraining(db, which);
    if (!participants.length) return;
    const windows = await db
      .select()
      .from(diagnosticWindows)
      .where(inArray(diagnosticWindows.cohortId, [...new Set(participants.map((p) => p.cohortId))]));
    const due = participants.flatMap((p) => windows.filter((w) => w.cohortId === p.cohortId).map((window) => ({ enrolmentId: p.enrolmentId, window })));
    if (!due.length) return;
    const [{ version }, s] = await Promise.all([instrument(), settings()]);
    await db
      .insert(diagnosticRounds)
      .values(due.map((m) => ({ applicationId: m.enrolmentId, kind: m.window.kind, instrumentVersion: version, opensOn: m.window.opensOn, closesOn: m.window.closesOn, anonymityThreshold: s.threshold, namedGroups: s.namedGroups, createdAt: clock.now() })))
      .onConflictDoNothing();
  }

  function inviteEmail(rater: { name: string; email: string }, participant: string, token: string, closesOn: string, reminder: boolean) {
    return {
      to: rater.email,
      subject: `${reminder ? 'Reminder: ' : ''}${participant} asks for your view of their leadership`,
      body: `Hello ${rater.name},\n\n${participant} is taking a National Professional Qualification with ${deps.providerName} and has asked you to rate their leadership: about 21 short statements and two optional questions, 10 minutes.\n\nYour answers are anonymous: ${participant} sees only averages of groups of at least a few people, never your name or when you answered.\n\nAnswer here, no account needed (you can save and come back):\n${deps.baseUrl}/rate/${token}\n\nThe link works until ${formatDate(closesOn)}.\n`,
    };
  }

  return {
    settings,
    instrument,
    roundState,

    /** The seeded instrument and settings, once. */
    async ensureSetUp(): Promise<void> {
      const [any] = await db.select({ v: diagnosticInstruments.version }).from(diagnosticInstruments).limit(1);
      if (!any) await db.insert(diagnosticInstruments).values({ version: 1, content: SEED_INSTRUMENT, createdAt: clock.now() }).onConflictDoNothing();
    },

    /**
     * Saves the provider's anonymity threshold, named groups and rater limits. The threshold and named
     * groups reach only rounds not yet open: a round keeps the rule its raters were promised (ADR 0013).
     */
    async saveSettings(actor: Actor, input: Settings): Promise<void> {
      requireManager(actor);
      const errors: Record<string, string> = {};
      if (!Number.isInteger(input.threshold) || input.threshold < 2 || input.threshold > 10) errors.threshold = 'Enter a threshold from 2 to 10';
      for (const g of COLLEAGUE_GROUPS) {
        const l = input.groupLimits[g];
        if (!l || !Number.isInteger(l.min) || !Number.isInteger(l.max) || l.min < 0 || l.max < l.min || l.max > 30) errors[`limit-${g}`] = `Enter whole numbers for ${GROUP_LABELS[g].toLowerCase()}, the most no less than the fewest`;
      }
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const before = await settings();
      await db.transaction(async (tx) => {
        await tx
          .insert(diagnosticSettings)
          .values({ id: 'provider', ...input, updatedAt: clock.now() })
          .onConflictDoUpdate({ target: diagnosticSettings.id, set: { ...input, updatedAt: clock.now() } });
        await tx.update(diagnosticRounds).set({ anonymityThreshold: input.threshold, namedGroups: input.namedGroups }).where(sql`${diagnosticRounds.opensOn} > ${today()}`);
        await audit(tx, clock, actor, { action: 'diagnostic.settings_changed', entityType: 'diagnostic', entityId: 'settings', before, after: input });
      });
    },

    /** Saves an edited instrument as a new version; rounds already begun keep theirs. */
    async saveInstrument(actor: Actor, content: unknown): Promise<number> {
      requireManager(actor);
      const parsed = instrumentSchema.safeParse(content);
      if (!parsed.success) throw new ValidationError({ instrument: parsed.error.issues[0]?.message ?? 'The instrument is not valid' });
      const ids = parsed.data.behaviours.flatMap((b) => b.statements.map((s) => s.id));
      if (new Set(ids).size !== ids.length) throw new ValidationError({ instrument: 'Each statement needs its own id' });
      return db.transaction(async (tx) => {
        const [last] = await tx.select({ v: diagnosticInstruments.version }).from(diagnosticInstruments).orderBy(desc(diagnosticInstruments.version)).limit(1);
        const version = (last?.v ?? 0) + 1;
        await tx.insert(diagnosticInstruments).values({ version, content: parsed.data, createdAt: clock.now() });
        await audit(tx, clock, actor, { action: 'diagnostic.instrument_saved', entityType: 'diagnostic', entityId: `instrument v${version}`, after: { behaviours: parsed.data.behaviours.length } });
        return version;
      });
    },

    async windows(actor: Actor) {
      if (!diagnosticAbilities(actor).viewCohorts) throw new ForbiddenError();
      const [windows, names] = await Promise.all([db.select().from(diagnosticWindows), cohortIdentifiers(db)]);
      return windows
        .map((window) => ({ window, cohort: names.get(window.cohortId)! }))
        .filter((w) => w.cohort !== undefined)
        .sort((a, b) => (a.cohort === b.cohort ? (a.window.kind < b.window.kind ? -1 : 1) : a.cohort < b.cohort ? -1 : 1));
    },

    /**
     * Sets when a cohort's round opens and closes. A later closing date extends every round of the cohort
     * not yet closed; a round already closed stays closed, as its report may have been read.
     */
    async setWindow(actor: Actor, input: { cohort: string; kind: string; opensOn: string; closesOn: string }): Promise<void> {
      requireManager(actor);
      const errors: Record<string, string> = {};
      const kind = ROUND_KINDS.find((k) => k === input.kind);
      if (!kind) errors.kind = 'Select start or end';
      if (!isPlainDate(input.opensOn)) errors.opensOn = 'Enter the date it opens';
      if (!isPlainDate(input.closesOn)) errors.closesOn = 'Enter the date it closes';
      else if (input.closesOn < input.opensOn) errors.closesOn = 'The date it closes must be the same as or after the date it opens';
      const cohort = await cohortByIdentifier(db, input.cohort);
      if (!cohort) errors.cohort = 'Select a cohort';
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const enrolments = await enrolmentIdsInCohort(db, cohort!.id);
      await db.transaction(async (tx) => {
        await tx
          .insert(diagnosticWindows)
          .values({ cohortId: cohort!.id, kind: kind!, opensOn: input.opensOn, closesOn: input.closesOn })
          .onConflictDoUpdate({ target: [diagnosticWindows.cohortId, diagnosticWindows.kind], set: { opensOn: input.opensOn, closesOn: input.closesOn } });
        await tx
          .update(diagnosticRounds)
          .set({ closesOn: input.closesOn })
          .where(and(eq(diagnosticRounds.kind, kind!), gte(diagnosticRounds.closesOn, today()), isNull(diagnosticRounds.closedEarlyOn), sql`${diagnosticRounds.closesOn} < ${input.closesOn}`, enrolments.length ? inArray(diagnosticRounds.applicationId, enrolments) : sql`false`));
        await audit(tx, clock, actor, { action: 'diagnostic.window_set', entityType: 'cohort', entityId: cohort!.id, after: input });
      });
    },

    /** Gives one participant longer, while their round is still open. */
    async extendRound(actor: Actor, roundId: string, closesOn: string): Promise<void> {
      requireManager(actor);
      const [round] = await db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, roundId));
      if (!round) throw new NotFoundError('round');
      if (roundState(round, today()) === 'closed') throw refuse('round_closed', 'This round has closed and its report may have been read: it cannot be reopened');
      if (!isPlainDate(closesOn)) throw new ValidationError({ closesOn: 'Enter the new closing date' });
      if (closesOn <= round.closesOn) throw new ValidationError({ closesOn: `The new closing date must be after ${formatDate(round.closesOn)}` });
      await db.transaction(async (tx) => {
        await tx.update(diagnosticRounds).set({ closesOn }).where(eq(diagnosticRounds.id, roundId));
        await audit(tx, clock, actor, { action: 'diagnostic.round_extended', entityType: 'diagnostic_round', entityId: roundId, before: { closesOn: round.closesOn }, after: { closesOn } });
      });
    },

    /** One round with its participant's name, for the admin's confirmation before closing it early. */
    async roundForManager(actor: Actor, roundId: string) {
      requireManager(actor);
      const [round] = await db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, roundId));
      const who = round && (await participantOf(db, round.applicationId));
      if (!round || !who?.cohort) throw new NotFoundError('round');
      return { round, fullName: who.fullName, cohort: who.cohort, state: roundState(round, today()) };
    },

    /**
     * Ends a round now, so its report opens: for a cohort finishing ahead of its dates. The planned
     * dates are kept (the round is recorded as closed early today), so no page rewrites when it ran.
     */
    async closeRoundNow(actor: Actor, roundId: string): Promise<void> {
      requireManager(actor);
      const [round] = await db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, roundId));
      if (!round) throw new NotFoundError('round');
      if (roundState(round, today()) === 'closed') return;
      const closedOn = today();
      await db.transaction(async (tx) => {
        await tx.update(diagnosticRounds).set({ closedEarlyOn: closedOn }).where(and(eq(diagnosticRounds.id, roundId), isNull(diagnosticRounds.closedEarlyOn)));
        await audit(tx, clock, actor, { action: 'diagnostic.round_closed_early', entityType: 'diagnostic_round', entityId: roundId, before: { opensOn: round.opensOn, closesOn: round.closesOn, closedEarlyOn: null }, after: { opensOn: round.opensOn, closesOn: round.closesOn, closedEarlyOn: closedOn } });
      });
    },

    /** Every round of a cohort, for the admin's list (participants are not anonymous; raters are). */
    async cohortRounds(actor: Actor, cohortIdentifier: string) {
      if (!diagnosticAbilities(actor).viewCohorts) throw new ForbiddenError();
      const scope = scopeFilter(actor);
      const cohort = await cohortByIdentifier(db, cohortIdentifier);
      if (cohort) await ensureRounds({ cohortId: cohort.id });
      // A partner's staff see their own partner's participants, or their own cohorts': never others'.
      const participants = await participantsOfCohort(db, cohortIdentifier, scope);
      const rounds = participants.length
        ? await db
            .select()
            .from(diagnosticRounds)
            .where(inArray(diagnosticRounds.applicationId, participants.map((p) => p.enrolmentId)))
            .orderBy(asc(diagnosticRounds.kind))
        : [];
      // In the participants' name order, start before end.
      const rows = participants.flatMap((p) => rounds.filter((round) => round.applicationId === p.enrolmentId).map((round) => ({ round, fullName: p.fullName, courseIdentifier: p.courseIdentifier })));
      const raterCounts = rows.length
        ? await db
            .select({ roundId: diagnosticRaters.roundId, asked: sql<number>`count(*)::int`, answered: sql<number>`(count(*) filter (where ${diagnosticRaters.status} = 'submitted'))::int` })
            .from(diagnosticRaters)
            .where(inArray(diagnosticRaters.roundId, rows.map((r) => r.round.id)))
            .groupBy(diagnosticRaters.roundId)
        : [];
      const counts = new Map(raterCounts.map((c) => [c.roundId, c]));
      // How many answered, only as the participant may see it: a total once at least the threshold.
      return rows.map((r) => ({ ...r, asked: counts.get(r.round.id)?.asked ?? 0, answered: progressShown(counts.get(r.round.id)?.answered ?? 0, policyOfRound(r.round)), threshold: policyOfRound(r.round).threshold, state: roundState(r.round, today()) }));
    },

    /**
     * The cohort at a glance for facilitators and admins: each participant's colleague scores only as
     * the anonymity rule shows them (so nothing here is finer than the participant's own report),
     * pooled into distributions per behaviour, shown only across at least the threshold of participants;
     * response rates only from rounds whose count may be shown; who has not started.
     */
    async cohortView(actor: Actor, cohortIdentifier: string) {
      const rows = await this.cohortRounds(actor, cohortIdentifier);
      const [{ content }, s] = await Promise.all([instrument(), settings()]);
      const scores: Record<RoundKind, Map<string, number[]>> = { start: new Map(), end: new Map() };
      for (const r of rows.filter((x) => x.state === 'closed')) {
        const { report } = await reportOf(r.round);
        for (const b of report.behaviours) if (b.others !== null) scores[r.round.kind as RoundKind].set(b.behaviourId, [...(scores[r.round.kind as RoundKind].get(b.behaviourId) ?? []), b.others]);
      }
      const summary = (xs: number[]) => cohortDistribution(xs, s.threshold);
      // Rounds whose count is held back add to neither figure, so no total minus the shown rounds'
      // counts can give one participant's small number of answers.
      const counted = rows.filter((r) => r.answered !== null);
      return {
        behaviours: content.behaviours.map((b) => ({ behaviourId: b.id, name: b.name, start: summary(scores.start.get(b.id) ?? []), end: summary(scores.end.get(b.id) ?? []) })),
        minimum: s.threshold,
        asked: counted.reduce((n, r) => n + r.asked, 0),
        answered: counted.reduce((n, r) => n + (r.answered ?? 0), 0),
        roundsBelowThreshold: rows.length - counted.length,
        notStarted: [...new Set(rows.filter((r) => r.state !== 'closed' && !r.round.selfSubmitted && r.asked === 0).map((r) => r.fullName))],
        rounds: rows,
      };
    },

    /** The participant's rounds, made when their cohort's dates are set; each keeps the instrument version it began with. */
    async myRounds(actor: Actor) {
      const me = requireUser(actor);
      await ensureRounds({ userId: me.userId });
      const enrolments = new Map((await enrolmentsOfUser(db, me.userId)).map((e) => [e.enrolmentId, e]));
      if (!enrolments.size) return [];
      const rounds = await db
        .select()
        .from(diagnosticRounds)
        .where(inArray(diagnosticRounds.applicationId, [...enrolments.keys()]))
        .orderBy(asc(diagnosticRounds.opensOn));
      return rounds.map((round) => ({ round, courseIdentifier: enrolments.get(round.applicationId)!.courseIdentifier, state: roundState(round, today()) }));
    },

    ownRound,

    /**
     * The participant's own round: whom they asked, the rule their raters were promised, and how many
     * have answered only as `progressShown` allows (a total once at least the threshold; never per
     * group, never who declined).
     */
    async roundView(actor: Actor, roundId: string) {
      const round = await ownRound(actor, roundId);
      const [inst, s] = await Promise.all([instrument(round.instrumentVersion), settings()]);
      const raters = await db.select({ id: diagnosticRaters.id, group: diagnosticRaters.group, name: diagnosticRaters.name, email: diagnosticRaters.email }).from(diagnosticRaters).where(eq(diagnosticRaters.roundId, round.id)).orderBy(asc(diagnosticRaters.group), asc(diagnosticRaters.name));
      const [sent] = await db.select({ n: sql<number>`count(*)::int` }).from(diagnosticResponses).where(eq(diagnosticResponses.roundId, round.id));
      const policy = policyOfRound(round);
      return { round, instrument: inst.content, policy, groupLimits: s.groupLimits, raters, answered: progressShown(sent?.n ?? 0, policy), state: roundState(round, today()) };
    },

    async saveSelf(actor: Actor, roundId: string, answers: Answers, submit: boolean): Promise<void> {
      const round = await ownRound(actor, roundId);
      if (roundState(round, today()) !== 'open') throw refuse('round_not_open', 'This round is not open');
      if (round.selfSubmitted) throw refuse('already_sent', 'You have already sent your own ratings');
      // The participant's own form speaks to them, and so do its messages.
      const content = asSelf((await instrument(round.instrumentVersion)).content);
      const errors = checkAnswers(content, answers, submit);
      // Nothing over a limit is stored: a refused answer must not linger in the draft.
      if (Object.keys(answerLimitErrors(content, answers)).length) throw new ValidationError(errors);
      await db.update(diagnosticRounds).set({ selfAnswers: answers }).where(eq(diagnosticRounds.id, round.id));
      if (Object.keys(errors).length) throw new ValidationError(errors);
      if (submit) await db.update(diagnosticRounds).set({ selfSubmitted: true }).where(eq(diagnosticRounds.id, round.id));
    },

    /** Asks a colleague to rate, within the provider's limit for their group, while the round is open. */
    async nominate(actor: Actor, roundId: string, raw: unknown): Promise<void> {
      const me = requireUser(actor);
      const round = await ownRound(actor, roundId);
      const state = roundState(round, today());
      if (state === 'closed') throw refuse('round_closed', 'This round has closed: no one else can be asked');
      if (state === 'not_open') throw refuse('round_not_open', `You can ask colleagues from ${formatDate(round.opensOn)}, when the round opens`);
      const parsed = nominationSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
      const { group, name, email } = parsed.data;
      if (email === me.email.toLowerCase()) throw new ValidationError({ email: 'Ask a colleague: your own ratings go in “Rate yourself”' });
      const s = await settings();
      const existing = await db.select({ group: diagnosticRaters.group, email: diagnosticRaters.email }).from(diagnosticRaters).where(eq(diagnosticRaters.roundId, round.id));
      if (existing.some((r) => r.email.toLowerCase() === email)) throw new ValidationError({ email: `You have already asked ${email}` });
      const inGroup = existing.filter((r) => r.group === group).length;
      if (inGroup >= s.groupLimits[group].max) throw new ValidationError({ group: `You can ask at most ${s.groupLimits[group].max} ${GROUP_LABELS[group].toLowerCase()}` });
      const token = randomToken();
      await db.transaction(async (tx) => {
        await tx.insert(diagnosticRaters).values({ roundId: round.id, group, name, email, tokenHash: sha256(token), tokenSealed: deps.secrets.seal(token) });
        await enqueueEmail(tx, clock, inviteEmail({ name, email }, me.name, token, round.closesOn, false));
      });
    },

    /**
     * Reminds everyone who has not answered or declined, each at most MAX_REMINDERS times. Returns
     * nothing: how many were reminded, against how many have answered, would say how many declined.
     */
    async remind(actor: Actor, roundId: string): Promise<void> {
      const me = requireUser(actor);
      const round = await ownRound(actor, roundId);
      if (roundState(round, today()) !== 'open') throw refuse('round_not_open', 'This round is not open');
      return db.transaction(async (tx) => {
        const due = await tx
          .update(diagnosticRaters)
          .set({ remindersSent: sql`${diagnosticRaters.remindersSent} + 1` })
          .where(and(eq(diagnosticRaters.roundId, round.id), eq(diagnosticRaters.status, 'invited'), sql`${diagnosticRaters.remindersSent} < ${MAX_REMINDERS}`))
          .returning();
        for (const r of due) await enqueueEmail(tx, clock, inviteEmail(r, me.name, deps.secrets.open(r.tokenSealed), round.closesOn, true));
      });
    },

    // ── Raters, by link ──
    async raterByToken(token: string) {
      const [rater] = await db.select().from(diagnosticRaters).where(eq(diagnosticRaters.tokenHash, sha256(token)));
      if (!rater) return undefined;
      const [round] = await db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, rater.roundId));
      const app = await participantOf(db, round!.applicationId);
      const { content } = await instrument(round!.instrumentVersion);
      const policy = policyOfRound(round!);
      return { rater, round: round!, participant: app?.fullName ?? '', instrument: content, state: roundState(round!, today()), named: policy.namedGroups.includes(rater.group as ColleagueGroup), threshold: policy.threshold };
    },

    /**
     * Saves, sends or declines. Sending moves the answers, without the rater, to the responses, and
     * leaves the rater only "submitted": from then on nothing links them to what they said.
     */
    async answerAsRater(token: string, answers: Answers, action: 'save' | 'submit' | 'decline'): Promise<'saved' | 'submitted' | 'declined'> {
      const found = await this.raterByToken(token);
      if (found?.state !== 'open') throw new AppError('link_expired', 'This link has closed or is not valid', 410);
      if (found.rater.status !== 'invited') throw refuse('already_answered', 'You have already answered: thank you', 409);
      if (action === 'decline') {
        await db.update(diagnosticRaters).set({ status: 'declined', draft: null }).where(and(eq(diagnosticRaters.id, found.rater.id), eq(diagnosticRaters.status, 'invited')));
        return 'declined';
      }
      const errors = checkAnswers(found.instrument, answers, action === 'submit');
      // Nothing over a limit is stored: a refused answer must not linger in the draft.
      if (Object.keys(answerLimitErrors(found.instrument, answers)).length) throw new ValidationError(errors);
      await db.update(diagnosticRaters).set({ draft: answers }).where(and(eq(diagnosticRaters.id, found.rater.id), eq(diagnosticRaters.status, 'invited')));
      if (Object.keys(errors).length) throw new ValidationError(errors);
      if (action === 'save') return 'saved';
      await db.transaction(async (tx) => {
        const [claimed] = await tx.update(diagnosticRaters).set({ status: 'submitted', draft: null }).where(and(eq(diagnosticRaters.id, found.rater.id), eq(diagnosticRaters.status, 'invited'))).returning({ id: diagnosticRaters.id });
        if (!claimed) throw refuse('already_answered', 'You have already answered: thank you', 409);
        await tx.insert(diagnosticResponses).values({ roundId: found.round.id, group: found.rater.group, answers });
      });
      return 'submitted';
    },

    /** The same report for the provider (by API): the same rule, the same wait for the round to close. */
    async reportForProvider(actor: Actor, roundId: string) {
      requireManager(actor);
      const [round] = await db.select().from(diagnosticRounds).where(eq(diagnosticRounds.id, roundId));
      if (!round) throw new NotFoundError('round');
      return this.reportOfRound(round);
    },

    /** The participant's report, once the round has closed (never while answers can still arrive). */
    async report(actor: Actor, roundId: string) {
      return this.reportOfRound(await ownRound(actor, roundId));
    },

    /**
     * A closed round's report, with who it is for (name, NPQ) and the day it is produced, for its
     * heading. Each round reads under its own rule, so start and end may have different thresholds.
     */
    async reportOfRound(round: RoundRow) {
      if (roundState(round, today()) !== 'closed') throw refuse('report_not_ready', `Your report is ready when the round closes, after ${formatDate(round.closesOn)}`, 409);
      const current = await reportOf(round);
      const who = await participantOf(db, round.applicationId);
      const other = await db.select().from(diagnosticRounds).where(and(eq(diagnosticRounds.applicationId, round.applicationId), eq(diagnosticRounds.kind, round.kind === 'start' ? 'end' : 'start')));
      const start = round.kind === 'end' && other[0] && roundState(other[0], today()) === 'closed' ? await reportOf(other[0]) : undefined;
      return { round, participant: who?.fullName ?? '', courseIdentifier: who?.courseIdentifier ?? '', producedOn: today(), ...current, growth: start ? growth(start.report, current.report) : undefined };
    },
  };
}
export type DiagnosticService = ReturnType<typeof createDiagnosticService>;
