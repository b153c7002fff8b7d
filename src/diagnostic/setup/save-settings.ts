import { desc, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ForbiddenError, ValidationError } from '../../platform/errors';
import { type DiagnosticContext, type Settings, settings } from '../diagnostic.context';
import { diagnosticInstruments, diagnosticRounds, diagnosticSettings } from '../diagnostic.schema';
import { diagnosticAbilities } from '../domain/diagnostic.policy';
import { COLLEAGUE_GROUPS, GROUP_LABELS, instrumentSchema, SEED_INSTRUMENT } from '../domain/instrument';

/** Raises ForbiddenError unless the actor runs the 360° (diagnostic policy). */
export function authoriseManager(actor: Actor): void {
  if (!diagnosticAbilities(actor).manage) throw new ForbiddenError();
}

/** The seeded instrument and settings, once. */
export async function ensureSetUp(ctx: DiagnosticContext): Promise<void> {
  const [any] = await ctx.db.select({ v: diagnosticInstruments.version }).from(diagnosticInstruments).limit(1);
  if (!any) await ctx.db.insert(diagnosticInstruments).values({ version: 1, content: SEED_INSTRUMENT, createdAt: ctx.clock.now() }).onConflictDoNothing();
}

/**
 * Saves the provider's anonymity threshold, named groups and rater limits (ValidationError per field).
 * The threshold and named groups reach only rounds not yet open: a round keeps the rule its raters
 * were promised (ADR 0013).
 */
export async function saveSettings(ctx: DiagnosticContext, actor: Actor, input: Settings): Promise<void> {
  authoriseManager(actor);
  const errors: Record<string, string> = {};
  if (!Number.isInteger(input.threshold) || input.threshold < 2 || input.threshold > 10) errors.threshold = 'Enter a threshold from 2 to 10';
  for (const g of COLLEAGUE_GROUPS) {
    const l = input.groupLimits[g];
    if (!l || !Number.isInteger(l.min) || !Number.isInteger(l.max) || l.min < 0 || l.max < l.min || l.max > 30) errors[`limit-${g}`] = `Enter whole numbers for ${GROUP_LABELS[g].toLowerCase()}, the most no less than the fewest`;
  }
  if (Object.keys(errors).length) throw new ValidationError(errors);
  const before = await settings(ctx);
  await ctx.db.transaction(async (tx) => {
    await tx
      .insert(diagnosticSettings)
      .values({ id: 'provider', ...input, updatedAt: ctx.clock.now() })
      .onConflictDoUpdate({ target: diagnosticSettings.id, set: { ...input, updatedAt: ctx.clock.now() } });
    await tx.update(diagnosticRounds).set({ anonymityThreshold: input.threshold, namedGroups: input.namedGroups }).where(sql`${diagnosticRounds.opensOn} > ${ctx.today()}`);
    await audit(tx, ctx.clock, actor, { action: 'diagnostic.settings_changed', entityType: 'diagnostic', entityId: 'settings', before, after: input });
  });
}

/** Saves an edited instrument as a new version (ValidationError { instrument }); rounds already begun keep theirs. Returns the version. */
export async function saveInstrument(ctx: DiagnosticContext, actor: Actor, content: unknown): Promise<number> {
  authoriseManager(actor);
  const parsed = instrumentSchema.safeParse(content);
  if (!parsed.success) throw new ValidationError({ instrument: parsed.error.issues[0]?.message ?? 'The instrument is not valid' });
  const ids = parsed.data.behaviours.flatMap((b) => b.statements.map((s) => s.id));
  if (new Set(ids).size !== ids.length) throw new ValidationError({ instrument: 'Each statement needs its own id' });
  return ctx.db.transaction(async (tx) => {
    const [last] = await tx.select({ v: diagnosticInstruments.version }).from(diagnosticInstruments).orderBy(desc(diagnosticInstruments.version)).limit(1);
    const version = (last?.v ?? 0) + 1;
    await tx.insert(diagnosticInstruments).values({ version, content: parsed.data, createdAt: ctx.clock.now() });
    await audit(tx, ctx.clock, actor, { action: 'diagnostic.instrument_saved', entityType: 'diagnostic', entityId: `instrument v${version}`, after: { behaviours: parsed.data.behaviours.length } });
    return version;
  });
}
