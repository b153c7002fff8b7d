import { randomUUID } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { qualificationByIdentifier } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { can } from '../../platform/auth/permissions';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { keptOnlyIfCommitted } from '../../platform/file-store';
import { checkedKind, type FileType, fileSizeText } from '../../platform/file-types';
import { MATERIAL_FILE_TYPES, MATERIAL_MAX_BYTES, materialName } from '../domain/material';
import { type Activity, type MaterialRef, materialIdsOf, modulesOf, type ProgrammeContent } from '../domain/programme';
import { commit, intakeFor, type LearningContext, refuse, versionOfIntake } from '../learning.context';
import { programmeMaterials, programmeVersions } from '../learning.schema';
import type { SentFile } from '../../platform/file-forms';
import { myProgramme } from '../participants/my-programme';

export type ProgrammeMaterial = typeof programmeMaterials.$inferSelect;

/** A kept file as a download route sends it. */
export interface Download {
  name: string;
  type: FileType;
  bytes: Buffer;
}

/** The "File" activity `activityKey` of a programme that names an uploaded material, with its module's key, or undefined. */
export function materialActivityOf(content: ProgrammeContent, activityKey: string): { moduleKey: string; activity: Activity & { material: MaterialRef } } | undefined {
  for (const { module } of modulesOf(content)) {
    const activity = module.activities.find((a) => a.key === activityKey);
    if (activity?.kind === 'file' && activity.material) return { moduleKey: module.key, activity: activity as Activity & { material: MaterialRef } };
  }
  return undefined;
}

const namedIn = (content: ProgrammeContent): Set<string> => new Set(materialIdsOf(content));

async function qualificationFor(ctx: LearningContext, actor: Actor, identifier: string) {
  if (!can(actor, 'learning:manage')) throw new ForbiddenError();
  const q = await qualificationByIdentifier(ctx.db, identifier);
  if (!q) throw new NotFoundError('qualification');
  return q;
}

/**
 * The files uploaded for an NPQ's programme (by identifier), by name, each with the numbers of the
 * versions that name it (none: it may be removed), for those who build programmes (ForbiddenError
 * else; NotFoundError for an unknown NPQ).
 */
export async function materialsOf(ctx: LearningContext, actor: Actor, identifier: string): Promise<{ material: ProgrammeMaterial; versions: number[] }[]> {
  const q = await qualificationFor(ctx, actor, identifier);
  const [materials, versions] = await Promise.all([
    ctx.db.select().from(programmeMaterials).where(eq(programmeMaterials.qualificationId, q.id)).orderBy(asc(sql`lower(${programmeMaterials.name})`)),
    ctx.db.select({ version: programmeVersions.version, content: programmeVersions.content }).from(programmeVersions).where(eq(programmeVersions.qualificationId, q.id)).orderBy(asc(programmeVersions.version)),
  ]);
  const named = versions.map((v) => ({ version: v.version, ids: namedIn(v.content) }));
  return materials.map((material) => ({ material, versions: named.filter((v) => v.ids.has(material.id)).map((v) => v.version) }));
}

/**
 * Uploads a file to an NPQ's programme (issue 10 item 4): a PDF, Word, PowerPoint, Excel or picture
 * by its bytes (MATERIAL_FILE_TYPES), at most MATERIAL_MAX_BYTES, kept in the file store under a key
 * the platform makes and named as materialName says. ValidationError on `file`: none chosen, too
 * large, another kind, or a name already taken in this NPQ (case aside). Admin only. Audited.
 * Returns the name the outline uses.
 */
export async function uploadMaterial(ctx: LearningContext, actor: Actor, identifier: string, file: SentFile | undefined): Promise<string> {
  const q = await qualificationFor(ctx, actor, identifier);
  if (!file || (file.bytes.length === 0 && !file.tooLarge)) throw new ValidationError({ file: file?.name ? 'The file you chose is empty' : 'Choose a file to upload' });
  const type = await checkedKind(file, MATERIAL_FILE_TYPES, MATERIAL_MAX_BYTES);
  const name = materialName(file.name, type);
  const taken = () => new ValidationError({ file: `A file named “${name}” is already uploaded for this programme. Rename your file and upload it again (a file no version uses can be removed first)` });
  const [same] = await ctx.db
    .select({ id: programmeMaterials.id })
    .from(programmeMaterials)
    .where(and(eq(programmeMaterials.qualificationId, q.id), sql`lower(${programmeMaterials.name}) = lower(${name})`));
  if (same) throw taken();
  const fileKey = `materials/${randomUUID()}`;
  await ctx.files.put(fileKey, file.bytes);
  await keptOnlyIfCommitted(ctx, fileKey, () =>
    commit(ctx, async (tx) => {
      // Two uploads of one name at once: the unique name lets one through.
      const [row] = await tx
        .insert(programmeMaterials)
        .values({ qualificationId: q.id, name, type, size: file.bytes.length, fileKey, uploadedBy: actor.kind === 'user' ? actor.userId : null, uploadedAt: ctx.clock.now() })
        .onConflictDoNothing()
        .returning({ id: programmeMaterials.id });
      if (!row) throw taken();
      await audit(tx, ctx.clock, actor, { action: 'programme.material_uploaded', entityType: 'qualification', entityId: q.id, after: { id: row.id, name, type, size: fileSizeText(file.bytes.length) } });
    }),
  );
  return name;
}

/**
 * Removes a file uploaded by mistake, while no version of the programme names it (AppError
 * material_in_use: a version is never changed, so its participants keep their file). Admin only;
 * NotFoundError for a file not of this NPQ. Audited. Returns the removed file's name.
 */
export async function removeMaterial(ctx: LearningContext, actor: Actor, identifier: string, materialId: string): Promise<string> {
  const q = await qualificationFor(ctx, actor, identifier);
  const removed = await commit(ctx, async (tx) => {
    const [material] = await tx
      .select()
      .from(programmeMaterials)
      .where(and(eq(programmeMaterials.id, materialId), eq(programmeMaterials.qualificationId, q.id)))
      .for('update');
    if (!material) throw new NotFoundError('file');
    // Read after the lock: a version saved naming it at the same moment is seen, or waits (saveProgrammeVersion checks the name exists).
    const versions = await tx.select({ version: programmeVersions.version, content: programmeVersions.content }).from(programmeVersions).where(eq(programmeVersions.qualificationId, q.id));
    const naming = versions.filter((v) => namedIn(v.content).has(material.id)).map((v) => v.version);
    if (naming.length) throw refuse('material_in_use', `“${material.name}” is part of version ${naming.join(', ')} of the programme, which intakes may follow, so it cannot be removed. Upload a corrected file under another name and change the outline to use it.`);
    await tx.delete(programmeMaterials).where(eq(programmeMaterials.id, material.id));
    await audit(tx, ctx.clock, actor, { action: 'programme.material_removed', entityType: 'qualification', entityId: q.id, before: { id: material.id, name: material.name, type: material.type, size: material.size } });
    return material;
  });
  await ctx.files.remove(removed.fileKey).catch(() => undefined);
  return removed.name;
}

async function download(ctx: LearningContext, where: ReturnType<typeof and>): Promise<Download> {
  const [material] = await ctx.db.select().from(programmeMaterials).where(where);
  const bytes = material ? await ctx.files.get(material.fileKey) : undefined;
  if (!material || !bytes) throw new NotFoundError('file');
  return { name: material.name, type: material.type as FileType, bytes };
}

/** An uploaded file of an NPQ's programme, for those who build programmes (ForbiddenError else; NotFoundError for another NPQ's or one missing from the store). */
export async function materialForAdmin(ctx: LearningContext, actor: Actor, identifier: string, materialId: string): Promise<Download> {
  const q = await qualificationFor(ctx, actor, identifier);
  return download(ctx, and(eq(programmeMaterials.id, materialId), eq(programmeMaterials.qualificationId, q.id)));
}

/**
 * The file of the "File" activity `activityKey` on the participant's own place, once its module is
 * released to them, as the version their intake follows names it. NotFoundError for anyone else's
 * place, an activity not of their version, a module not yet released, or a file missing from the store.
 */
export async function myMaterial(ctx: LearningContext, actor: Actor, enrolmentId: string, activityKey: string): Promise<Download> {
  const p = await myProgramme(ctx, actor, enrolmentId);
  const found = materialActivityOf(p.content, activityKey);
  const released = found ? p.plan.get(found.moduleKey)?.releasesOn : undefined;
  if (!found || !released || released > p.today) throw new NotFoundError('file');
  return download(ctx, and(eq(programmeMaterials.id, found.activity.material.id), eq(programmeMaterials.qualificationId, p.intake.qualificationId)));
}

/**
 * The file of the "File" activity `activityKey` in the programme version an intake follows, for the
 * staff who see that intake (its partner's lead and facilitators, the admin): NotFoundError for others
 * and for an activity not of that version.
 */
export async function intakeMaterial(ctx: LearningContext, actor: Actor, intakeId: string, activityKey: string): Promise<Download> {
  const { intake } = await intakeFor(ctx, actor, intakeId);
  const version = await versionOfIntake(ctx.db, intake);
  const found = version ? materialActivityOf(version.content, activityKey) : undefined;
  if (!found) throw new NotFoundError('file');
  return download(ctx, and(eq(programmeMaterials.id, found.activity.material.id), eq(programmeMaterials.qualificationId, intake.qualificationId)));
}
