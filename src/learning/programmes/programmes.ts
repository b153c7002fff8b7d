import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { allQualificationNames, intakeById, qualificationByIdentifier } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount } from '../../platform/text';
import { materialIdsOf, modulesOf, programmeContentSchema } from '../domain/programme';
import { versionChanges } from '../domain/version-changes';
import { placesInIntake } from '../../enrolment/enrolment.queries';
import { commit, type LearningContext, newestVersion, refuse, versionOfIntake } from '../learning.context';
import { intakeProgrammes, learningProgress, programmeMaterials, programmeVersions } from '../learning.schema';
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

async function versionNumbered(ctx: LearningContext, qualificationId: string, version: number) {
  const [row] = await ctx.db.select().from(programmeVersions).where(and(eq(programmeVersions.qualificationId, qualificationId), eq(programmeVersions.version, version)));
  return row;
}

/**
 * What moving an intake to version `toVersion` of its programme would change, for the admin to read
 * before they do it (ForbiddenError for anyone else; NotFoundError for an unknown intake or version;
 * AppError same_version when it follows that version already): the two versions, the pieces added,
 * removed and retitled (domain versionChanges), and how many of its participants have finished a
 * module that gains activities, and so would see it unfinished again.
 */
export async function versionMove(ctx: LearningContext, actor: Actor, intakeId: string, toVersion: number) {
  if (!can(actor, 'learning:manage')) throw new ForbiddenError();
  const intake = await intakeById(ctx.db, intakeId);
  if (!intake) throw new NotFoundError('intake');
  const [from, to] = await Promise.all([versionOfIntake(ctx.db, intake), versionNumbered(ctx, intake.qualificationId, toVersion)]);
  if (!from || !to) throw new NotFoundError('version');
  if (from.version === to.version) throw refuse('same_version', `This intake follows version ${to.version} already`);
  const changes = versionChanges(from.content, to.content);
  const finishedBefore = new Map(modulesOf(from.content).map(({ module }) => [module.key, module.activities.map((a) => a.key)]));
  const watched = changes.modulesGainingActivities.map((m) => finishedBefore.get(m.key) ?? []).filter((keys) => keys.length);
  let reopened = 0;
  if (watched.length) {
    const places = await placesInIntake(ctx.db, intake.id);
    const done = places.length
      ? await ctx.db
          .select({ enrolmentId: learningProgress.enrolmentId, itemKey: learningProgress.itemKey })
          .from(learningProgress)
          .where(and(inArray(learningProgress.enrolmentId, places.map((p) => p.enrolmentId)), inArray(learningProgress.itemKey, watched.flat())))
      : [];
    const doneBy = new Map<string, Set<string>>();
    for (const d of done) doneBy.set(d.enrolmentId, (doneBy.get(d.enrolmentId) ?? new Set()).add(d.itemKey));
    reopened = [...doneBy.values()].filter((keys) => watched.some((module) => module.every((k) => keys.has(k)))).length;
  }
  return { intake, from, to, changes, reopened };
}

/**
 * Moves an intake to version `toVersion` of its NPQ's programme: on to a newer one, or back to an
 * earlier one to undo a move (issue 10 item 1: "an intake keeps the version it started with unless an
 * admin moves it on"). What participants did stays recorded by key. Admin only (ForbiddenError);
 * NotFoundError and same_version as versionMove. Audited. Returns the version it followed and the one it follows now.
 */
export async function moveIntakeToVersion(ctx: LearningContext, actor: Actor, intakeId: string, toVersion: number): Promise<{ from: number; to: number }> {
  const { intake, from, to } = await versionMove(ctx, actor, intakeId, toVersion);
  await commit(ctx, async (tx) => {
    await tx
      .insert(intakeProgrammes)
      .values({ intakeId, programmeVersionId: to.id, updatedAt: ctx.clock.now() })
      .onConflictDoUpdate({ target: intakeProgrammes.intakeId, set: { programmeVersionId: to.id, updatedAt: ctx.clock.now() } });
    await audit(tx, ctx.clock, actor, { action: 'intake.programme_moved_on', entityType: 'intake', entityId: intake.id, before: { version: from.version }, after: { version: to.version } });
  });
  return { from: from.version, to: to.version };
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
