import { and, eq, inArray } from 'drizzle-orm';
import { latestOutcomesOf } from '../../assessment/assessment.queries';
import type { Db } from '../../db/client';
import { type PlaceAtDfe, placesAtDfe, withdrawalsOfPlaces } from '../../enrolment/enrolment.queries';
import { finishedPiecesOfPlaces } from '../../learning/learning.queries';
import { type Clock, ukDate } from '../../platform/clock';
import { dfeDeclarationSettings, dfeDeclarations } from '../dfe.schema';
import { type Activity, DEFAULT_DECLARATION_RULES, type DeclarationRules, declarationsDue, type DueDeclaration, voidedBlocks } from '../domain/declarations';
import { COHORTS, defaultScheduleIdentifier, scheduleToName } from '../domain/dfe-reference-data';

/** How many places are read and weighed at a time. */
const PAGE = 2_000;

/** The provider's rules for declarations and whether due ones go without approval; the defaults when never set. */
export async function declarationSettings(db: Db): Promise<DeclarationRules & { sendAutomatically: boolean }> {
  const [row] = await db.select().from(dfeDeclarationSettings).where(eq(dfeDeclarationSettings.id, 'provider'));
  return row ? { retained1Activities: row.retained1Activities, retained2Activities: row.retained2Activities, sendAutomatically: row.sendAutomatically } : { ...DEFAULT_DECLARATION_RULES, sendAutomatically: false };
}

/**
 * The schedule DfE holds a place on: its intake's; else the one DfE gave on acceptance when none was
 * named (docs/dfe-api.md §2.2: the default from the acceptance's date, or the cohort's first of the
 * course's kind where DfE lacks its default).
 */
export function scheduleAtDfe(place: Pick<PlaceAtDfe, 'schedule' | 'courseIdentifier' | 'cohort' | 'decidedAt'>): string | null {
  if (place.schedule) return place.schedule;
  const cohort = COHORTS.find((c) => c.identifier === place.cohort);
  if (!cohort || !place.decidedAt) return null;
  const acceptedOn = place.decidedAt.toISOString().slice(0, 10);
  return scheduleToName(place.courseIdentifier, place.cohort, acceptedOn) ?? defaultScheduleIdentifier(place.courseIdentifier, cohort, acceptedOn);
}

/** The evidence of taking part each of these places holds: the sessions attended and modules completed (learning), a few queries per intake. */
async function activitiesOf(db: Db, now: Date, places: readonly PlaceAtDfe[]): Promise<Map<string, Activity[]>> {
  const out = new Map<string, Activity[]>();
  const byIntake = new Map<string, string[]>();
  for (const p of places) if (p.intakeId) byIntake.set(p.intakeId, [...(byIntake.get(p.intakeId) ?? []), p.enrolmentId]);
  for (const [intakeId, ids] of byIntake) {
    const pieces = await finishedPiecesOfPlaces(db, now, intakeId, ids);
    for (const [id, finished] of pieces) out.set(id, finished.map((piece) => ({ at: piece.finishedAt, summary: piece.kind === 'session' ? `Attended ${piece.title}` : `Completed the module ${piece.title}` })));
  }
  return out;
}

/** What one run of proposing did: declarations newly proposed (or approved, when the provider sends automatically), proposals moved to new evidence, and proposals the evidence no longer supports, taken back. */
export interface ProposalRun {
  places: number;
  proposed: number;
  changed: number;
  withdrawn: number;
  /** Ids approved automatically, for the caller to send. */
  approved: string[];
}

/**
 * Weighs every place DfE holds (or just `enrolmentIds`) against the provider's rules (issue 13 item 3;
 * domain/declarations.ts) at the clock's now, and keeps `dfe_declarations` in step: a declaration the
 * evidence supports and the place does not have yet is proposed — or approved at once where the
 * provider sends automatically; a proposal not yet approved follows its evidence (a date corrected, an
 * outcome changed) and is taken back when the evidence no longer supports it (a register corrected).
 * A declaration voided at DfE is not proposed again from the same evidence (the same type and date):
 * only when the evidence gives another date, or the admin asks for it again. Approved, sent, refused and dismissed declarations are never touched: they are the admin's or DfE's.
 * Idempotent, and safe beside a run in another process (the live declaration per place and type is
 * unique). Reads places a page at a time.
 */
export async function proposeDeclarations(deps: { db: Db; clock: Clock }, enrolmentIds?: readonly string[]): Promise<ProposalRun> {
  const { db, clock } = deps;
  const now = clock.now();
  const settings = await declarationSettings(db);
  const run: ProposalRun = { places: 0, proposed: 0, changed: 0, withdrawn: 0, approved: [] };
  let after: string | undefined;
  for (;;) {
    const places = enrolmentIds ? await placesAtDfe(db, { enrolmentIds }) : await placesAtDfe(db, { after, limit: PAGE });
    if (!places.length) break;
    const ids = places.map((p) => p.enrolmentId);
    const [withdrawals, outcomes, activities, existing] = await Promise.all([
      withdrawalsOfPlaces(db, ids),
      latestOutcomesOf(db, now, ids),
      activitiesOf(db, now, places),
      // Voided ones too: the evidence does not propose again what was voided from it (voidedBlocks).
      db.select().from(dfeDeclarations).where(inArray(dfeDeclarations.applicationId, ids)),
    ]);
    for (const place of places) {
      const due = declarationsDue(
        {
          courseIdentifier: place.courseIdentifier,
          cohort: place.cohort,
          schedule: scheduleAtDfe(place),
          trainingStatus: place.trainingStatus,
          withdrawnAt: place.trainingStatus === 'withdrawn' ? (withdrawals.get(place.enrolmentId) ?? null) : null,
          activities: activities.get(place.enrolmentId) ?? [],
          outcome: outcomes.get(place.enrolmentId) ?? null,
        },
        settings,
        now,
      );
      const own = existing.filter((e) => e.applicationId === place.enrolmentId);
      await keepInStep(db, now, place.enrolmentId, due, own.filter((e) => !e.voidedAt), own.filter((e) => e.voidedAt), settings.sendAutomatically, run);
    }
    run.places += places.length;
    if (enrolmentIds || places.length < PAGE) break;
    after = places.at(-1)!.enrolmentId;
  }
  return run;
}

type Row = typeof dfeDeclarations.$inferSelect;

async function keepInStep(db: Db, now: Date, applicationId: string, due: readonly DueDeclaration[], rows: readonly Row[], voided: readonly Row[], automatically: boolean, run: ProposalRun): Promise<void> {
  for (const d of due) {
    const row = rows.find((r) => r.declarationType === d.type);
    const evidence = { summary: d.summary, on: ukDate(d.date) };
    if (!row) {
      // Voided from this very evidence (same type and date): not proposed again until the evidence
      // changes, or the admin asks for it again (proposeAgain in declarations.service).
      if (voidedBlocks(voided, d)) continue;
      const [made] = await db
        .insert(dfeDeclarations)
        .values({ applicationId, declarationType: d.type, declarationDate: d.date, evidence, hasPassed: d.hasPassed, state: automatically ? 'approved' : 'proposed', approvedAt: automatically ? now : null, createdAt: now, updatedAt: now })
        .onConflictDoNothing()
        .returning({ id: dfeDeclarations.id });
      if (made) {
        run.proposed++;
        if (automatically) run.approved.push(made.id);
      }
    } else if (row.state === 'proposed' && automatically) {
      // The provider now sends without approval: a proposal made before (or restored) goes too, with the evidence as it stands.
      const [approved] = await db
        .update(dfeDeclarations)
        .set({ declarationDate: d.date, evidence, hasPassed: d.hasPassed, state: 'approved', approvedAt: now, updatedAt: now })
        .where(and(eq(dfeDeclarations.id, row.id), eq(dfeDeclarations.state, 'proposed')))
        .returning({ id: dfeDeclarations.id });
      if (approved) run.approved.push(approved.id);
    } else if (row.state === 'proposed' && (row.declarationDate.getTime() !== d.date.getTime() || row.hasPassed !== d.hasPassed || (row.evidence as { summary?: string }).summary !== d.summary)) {
      const moved = await db
        .update(dfeDeclarations)
        .set({ declarationDate: d.date, evidence, hasPassed: d.hasPassed, updatedAt: now })
        .where(and(eq(dfeDeclarations.id, row.id), eq(dfeDeclarations.state, 'proposed')))
        .returning({ id: dfeDeclarations.id });
      run.changed += moved.length;
    }
  }
  const stale = rows.filter((r) => r.state === 'proposed' && !due.some((d) => d.type === r.declarationType)).map((r) => r.id);
  if (stale.length) {
    const gone = await db
      .delete(dfeDeclarations)
      .where(and(inArray(dfeDeclarations.id, stale), eq(dfeDeclarations.state, 'proposed')))
      .returning({ id: dfeDeclarations.id });
    run.withdrawn += gone.length;
  }
}

/**
 * Takes back the proposals (never an approved, sent or refused declaration: the admin's or DfE's) of
 * places DfE no longer holds for this provider (`applicationIds`, the platform's: transferred away,
 * docs/dfe-api.md §4.4), which proposeDeclarations no longer reads and DfE would refuse. Gives how many.
 */
export async function takeBackProposalsOf(db: Db, applicationIds: readonly string[]): Promise<number> {
  if (!applicationIds.length) return 0;
  const gone = await db
    .delete(dfeDeclarations)
    .where(and(inArray(dfeDeclarations.applicationId, [...applicationIds]), eq(dfeDeclarations.state, 'proposed')))
    .returning({ id: dfeDeclarations.id });
  return gone.length;
}
