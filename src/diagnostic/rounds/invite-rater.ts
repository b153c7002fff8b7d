import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { formatDate } from '../../platform/clock';
import { randomToken, sha256 } from '../../platform/crypto';
import { ValidationError } from '../../platform/errors';
import { recordEvent } from '../../platform/events';
import { whenMissing } from '../../platform/zod-messages';
import { type DiagnosticContext, refuse, settings } from '../diagnostic.context';
import { diagnosticRaters } from '../diagnostic.schema';
import { COLLEAGUE_GROUPS, type ColleagueGroup, GROUP_LABELS } from '../domain/instrument';
import { ownRoundFor } from './own-round';

const MAX_REMINDERS = 3;

const nominationSchema = z.object({
  group: z.enum(COLLEAGUE_GROUPS as [ColleagueGroup, ...ColleagueGroup[]], { error: 'Select how they work with you' }),
  name: z.string({ error: whenMissing('Enter their name') }).trim().min(1, 'Enter their name').max(200),
  email: z.string({ error: whenMissing('Enter their email address') }).trim().toLowerCase().email('Enter an email address in the correct format, like name@school.org.uk').max(254),
});

/**
 * Asks a colleague to rate the participant, within the provider's limit for their group, while the
 * round is open (AppError round_closed / round_not_open; ValidationError per field). The colleague
 * gets a link of their own by email (diagnostic.events.ts), after the transaction that asks them commits.
 */
export async function inviteRater(ctx: DiagnosticContext, actor: Actor, roundId: string, raw: unknown): Promise<void> {
  const me = requireFullySignedIn(actor);
  const { round, may } = await ownRoundFor(ctx, actor, roundId);
  if (!may.askColleagues) {
    if (may.readReport) throw refuse('round_closed', 'This round has closed: no one else can be asked');
    throw refuse('round_not_open', `You can ask colleagues from ${formatDate(round.opensOn)}, when the round opens`);
  }
  const parsed = nominationSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0]), i.message])));
  const { group, name, email } = parsed.data;
  if (email === me.email.toLowerCase()) throw new ValidationError({ email: 'Ask a colleague: your own ratings go in “Rate yourself”' });
  const s = await settings(ctx);
  const existing = await ctx.db.select({ group: diagnosticRaters.group, email: diagnosticRaters.email }).from(diagnosticRaters).where(eq(diagnosticRaters.roundId, round.id));
  if (existing.some((r) => r.email.toLowerCase() === email)) throw new ValidationError({ email: `You have already asked ${email}` });
  const inGroup = existing.filter((r) => r.group === group).length;
  if (inGroup >= s.groupLimits[group].max) throw new ValidationError({ group: `You can ask at most ${s.groupLimits[group].max} ${GROUP_LABELS[group].toLowerCase()}` });
  const token = randomToken();
  await ctx.db.transaction(async (tx) => {
    const [rater] = await tx.insert(diagnosticRaters).values({ roundId: round.id, group, name, email, tokenHash: sha256(token), tokenSealed: ctx.secrets.seal(token) }).returning({ id: diagnosticRaters.id });
    await recordEvent(tx, ctx.clock, { type: 'rater.invited', raterId: rater!.id, participantUserId: me.userId, closesOn: round.closesOn });
  });
}

/**
 * Reminds everyone who has not answered or declined, each at most MAX_REMINDERS times, while the round
 * is open. Returns nothing: how many were reminded, against how many have answered, would say how many declined.
 */
export async function remindRaters(ctx: DiagnosticContext, actor: Actor, roundId: string): Promise<void> {
  const me = requireFullySignedIn(actor);
  const { round, may } = await ownRoundFor(ctx, actor, roundId);
  if (!may.remind) throw refuse('round_not_open', 'This round is not open');
  await ctx.db.transaction(async (tx) => {
    const due = await tx
      .update(diagnosticRaters)
      .set({ remindersSent: sql`${diagnosticRaters.remindersSent} + 1` })
      .where(and(eq(diagnosticRaters.roundId, round.id), eq(diagnosticRaters.status, 'invited'), sql`${diagnosticRaters.remindersSent} < ${MAX_REMINDERS}`))
      .returning({ id: diagnosticRaters.id });
    // Their reminders are emailed after commit (diagnostic.events.ts).
    if (due.length) await recordEvent(tx, ctx.clock, { type: 'raters.reminded', roundId: round.id, raterIds: due.map((r) => r.id), participantUserId: me.userId, closesOn: round.closesOn });
  });
}
