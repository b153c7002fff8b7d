import { desc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { type Clock, ukDate } from '../platform/clock';
import type { SecretBox } from '../platform/crypto';
import type { Notifier } from '../platform/notifier';
import { AppError, NotFoundError } from '../platform/errors';
import { diagnosticInstruments, type diagnosticRounds, diagnosticSettings } from './diagnostic.schema';
import type { AnonymityPolicy } from './domain/anonymity';
import type { ColleagueGroup, Instrument } from './domain/instrument';

/** What the 360°'s use cases are built with (src/app.ts gives it). */
export interface DiagnosticDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  baseUrl: string;
  providerName: string;
  /** Tells every process when rounds' dates change: participants' kept home pages show them (docs/adr/0037). */
  notifier?: Pick<Notifier, 'publish'>;
}

export interface DiagnosticContext extends DiagnosticDeps {
  /** Today in England (Europe/London), as YYYY-MM-DD: rounds open and close on whole days. */
  today: () => string;
}

export const diagnosticContext = (deps: DiagnosticDeps): DiagnosticContext => ({ ...deps, today: () => ukDate(deps.clock.now()) });

/**
 * After a committed change to when rounds open or close: every process drops the pages that show them.
 * Awaited, so the next request anywhere reads them again; a failed publish is not the change's failure.
 */
export const roundDatesChanged = async (ctx: DiagnosticContext): Promise<void> => {
  await ctx.notifier?.publish('diagnostic').catch(() => undefined);
};

export type RoundRow = typeof diagnosticRounds.$inferSelect;
export type Settings = { threshold: number; namedGroups: ColleagueGroup[]; groupLimits: Record<ColleagueGroup, { min: number; max: number }> };

export const DEFAULT_SETTINGS: Settings = {
  threshold: 3,
  namedGroups: [],
  groupLimits: { line_manager: { min: 1, max: 2 }, peer: { min: 3, max: 8 }, team_member: { min: 3, max: 8 }, governor: { min: 0, max: 3 }, other: { min: 0, max: 4 } },
};

/** A refusal with a stable code (422 unless told): what the person asked cannot be done in this state. */
export const refuse = (code: string, message: string, status = 422) => new AppError(code, message, status);

/** The provider's anonymity threshold, named groups and rater limits, or the defaults before any are saved. */
export async function settings(ctx: DiagnosticContext): Promise<Settings> {
  const [row] = await ctx.db.select().from(diagnosticSettings).where(eq(diagnosticSettings.id, 'provider'));
  return row ? { threshold: row.threshold, namedGroups: row.namedGroups as ColleagueGroup[], groupLimits: row.groupLimits as Settings['groupLimits'] } : DEFAULT_SETTINGS;
}

/** The instrument of a version, or the newest; NotFoundError for an unknown version. */
export async function instrument(ctx: DiagnosticContext, version?: number): Promise<{ version: number; content: Instrument }> {
  const [row] = version
    ? await ctx.db.select().from(diagnosticInstruments).where(eq(diagnosticInstruments.version, version))
    : await ctx.db.select().from(diagnosticInstruments).orderBy(desc(diagnosticInstruments.version)).limit(1);
  if (!row) throw new NotFoundError('instrument');
  return { version: row.version, content: row.content };
}

/** The rule a round's raters were promised: the one in force when it opened (ADR 0013), never today's settings. */
export const policyOfRound = (round: RoundRow): AnonymityPolicy => ({ threshold: round.anonymityThreshold, namedGroups: round.namedGroups as ColleagueGroup[] });
