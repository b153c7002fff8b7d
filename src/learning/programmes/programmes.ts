import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { allQualificationNames, intakeById, qualificationByIdentifier } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount } from '../../platform/text';
import { materialIdsOf, programmeContentSchema } from '../domain/programme';
import { commit, type LearningContext, newestVersion, refuse, versionOfIntake } from '../learning.context';
import { intakeProgrammes, programmeMaterials, programmeVersions } from '../learning.schema';
import { SEED_PROGRAMMES } from '../seed-programmes';

/**
 * Gives each NPQ in SEED_PROGRAMMES (NPQH from seed 001, NPQLT) its first programme version, where the
 * catalogue has the NPQ and it has no programme yet. Idempotent: the demo and tests call it at start.
 */
export async function ensureProgrammes(ctx: LearningContext): Promise<void> {
  for (const [identifier, content] of Object.entries(SEED_PROGRAMMES)) {
    const q = await qualificationByIdentifier(ctx.db, identifier);
    if (!q || (await newestVersion(ctx.db, q.id))) continue;
    await ctx.db.insert(programmeVersions).values({ qualificationId: q.id, version: 1, content, note: 'The programme as the qualification specification describes it.' }).onConflictDoNothing();
  }
}

/** Every version of an NPQ's programme (by identifier), newest first, for those who build programmes (ForbiddenError else; NotFoundError for an unknown NPQ). */
export async function programmeVersionsOf(ctx: LearningContext, actor: Actor, identifier: string) {
  if (!can(actor, 'learning:manage')) throw new ForbiddenError();
  const q = await qualificationByIdentifier(ctx.db, identifier);
  if (!q) throw new NotFoundError('qualification');
  const versions = await ctx.db.select().from(programmeVersions).where(eq(programmeVersions.qualificationId, q.id)).orderBy(desc(programmeVersions.version));
  return { qualification: q, versions };
}

/**
 * Saves an edited programme as the NPQ's next version (issue 10 item 1): `content` is checked against
 * programmeContentSchema (ValidationError on `content`, with the first fault and where it is). Intakes
 * keep the version they have; `moveIntakeOn` moves one. Returns the new version's number.
 */
export async function saveProgrammeVersion(ctx: LearningContext, actor: Actor, identifier: string, input: { content: unknown; note: string }): Promise<number> {
  if (!can(actor, 'learning:manage')) throw new ForbiddenError();
  const q = await qualificationByIdentifier(ctx.db, identifier);
  if (!q) throw new NotFoundError('qualification');
  const parsed = programmeContentSchema.safeParse(input.content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ValidationError({ content: issue.path.length ? `${issue.message} (at ${issue.path.join(' → ')})` : issue.message });
  }
  const note = input.note.trim();
  if (characterCount(note) > 500) throw new ValidationError({ note: `What you changed must be 500 characters or fewer: it is ${characterCount(note)}` });
  return commit(ctx, async (tx) => {
    const [newest] = await tx.select({ version: programmeVersions.version }).from(programmeVersions).where(eq(programmeVersions.qualificationId, q.id)).orderBy(desc(programmeVersions.version)).limit(1).for('update');
    const version = (newest?.version ?? 0) + 1;
    const [row] = await tx
      .insert(programmeVersions)
      .values({ qualificationId: q.id, version, content: parsed.data, note, createdBy: actor.kind === 'user' ? actor.userId : null })
      .onConflictDoNothing()
      .returning({ id: programmeVersions.id });
    if (!row) throw refuse('version_taken', 'Someone saved this programme at the same moment. Open it again to see their version, then make your change.', 409);
    // Every file the version names is this NPQ's and stays (held against a removal at the same moment: removeMaterial).
    const named = materialIdsOf(parsed.data);
    const kept = named.length ? await tx.select({ id: programmeMaterials.id }).from(programmeMaterials).where(and(inArray(programmeMaterials.id, named), eq(programmeMaterials.qualificationId, q.id))).for('share') : [];
    if (kept.length !== named.length) throw new ValidationError({ content: 'A file the programme names has just been removed. Upload it again, or change the line that names it.' });
    await audit(tx, ctx.clock, actor, { action: 'programme.version_saved', entityType: 'qualification', entityId: q.id, after: { version, note } });
    return version;
  });
}

/** Moves an intake on to its NPQ's newest programme version (admin only: ForbiddenError; NotFoundError for an unknown intake). */
export async function moveIntakeOn(ctx: LearningContext, actor: Actor, intakeId: string): Promise<number> {
  if (!can(actor, 'learning:manage')) throw new ForbiddenError();
  const intake = await intakeById(ctx.db, intakeId);
  if (!intake) throw new NotFoundError('intake');
  const [before, newest] = await Promise.all([versionOfIntake(ctx.db, intake), newestVersion(ctx.db, intake.qualificationId)]);
  if (!newest) throw refuse('no_programme', 'This NPQ has no programme yet');
  await commit(ctx, async (tx) => {
    await tx
      .insert(intakeProgrammes)
      .values({ intakeId, programmeVersionId: newest.id, updatedAt: ctx.clock.now() })
      .onConflictDoUpdate({ target: intakeProgrammes.intakeId, set: { programmeVersionId: newest.id, updatedAt: ctx.clock.now() } });
    await audit(tx, ctx.clock, actor, { action: 'intake.programme_moved_on', entityType: 'intake', entityId: intakeId, before: { version: before?.version ?? null }, after: { version: newest.version } });
  });
  return newest.version;
}


/** Every NPQ with its programme's newest version and when it was made (none yet: null), for those who build programmes (ForbiddenError else). */
export async function programmesOverview(ctx: LearningContext, actor: Actor) {
  if (!can(actor, 'learning:manage')) throw new ForbiddenError();
  const [names, newest] = await Promise.all([
    allQualificationNames(ctx.db),
    ctx.db.select({ qualificationId: programmeVersions.qualificationId, version: sql<number>`max(${programmeVersions.version})::int`, at: sql<Date>`max(${programmeVersions.createdAt})` }).from(programmeVersions).groupBy(programmeVersions.qualificationId),
  ]);
  const byId = new Map(newest.map((n) => [n.qualificationId, n]));
  return names.map((q) => ({ qualification: q, version: byId.get(q.id)?.version ?? null }));
}
