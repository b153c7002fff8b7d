import { eq, max } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { ValidationError } from '../../platform/errors';
import { type CatalogueContext, authoriseCatalogueManager, requireQualification } from '../catalogue.context';
import { catalogueRepository } from '../catalogue.repository';
import { qualifications } from '../catalogue.schema';
import type { QualificationInput } from '../domain/qualification';

async function checkIdentifierFree(ctx: CatalogueContext, identifier: string, exceptId?: string) {
  const existing = await catalogueRepository.qualificationByIdentifier(ctx.db, identifier);
  if (existing && existing.id !== exceptId) throw new ValidationError({ identifier: 'Another qualification already uses that identifier' });
}

/** Adds a qualification at the end of the list (ValidationError { identifier } when taken); returns its id. */
export async function createQualification(ctx: CatalogueContext, actor: Actor, input: QualificationInput): Promise<string> {
  authoriseCatalogueManager(actor);
  await checkIdentifierFree(ctx, input.identifier);
  const id = await ctx.db.transaction(async (tx) => {
    const [{ top } = { top: 0 }] = await tx.select({ top: max(qualifications.position) }).from(qualifications);
    const [row] = await tx
      .insert(qualifications)
      .values({ ...input, updatedAt: ctx.clock.now(), position: (top ?? 0) + 1, createdAt: ctx.clock.now() })
      .returning();
    await audit(tx, ctx.clock, actor, { action: 'qualification.created', entityType: 'qualification', entityId: row!.id, after: row });
    return row!.id;
  });
  await ctx.changed();
  return id;
}

/** Changes a qualification's details (ValidationError { identifier } when another has the identifier). */
export async function updateQualification(ctx: CatalogueContext, actor: Actor, id: string, input: QualificationInput): Promise<void> {
  authoriseCatalogueManager(actor);
  const before = await requireQualification(ctx, id);
  await checkIdentifierFree(ctx, input.identifier, id);
  await ctx.db.transaction(async (tx) => {
    const [after] = await tx.update(qualifications).set({ ...input, updatedAt: ctx.clock.now() }).where(eq(qualifications.id, id)).returning();
    await audit(tx, ctx.clock, actor, { action: 'qualification.updated', entityType: 'qualification', entityId: id, before, after });
  });
  await ctx.changed();
}

/** Retires a qualification (off the public pages, kept for the record) or restores it. */
export async function setQualificationRetired(ctx: CatalogueContext, actor: Actor, id: string, retired: boolean): Promise<void> {
  authoriseCatalogueManager(actor);
  const before = await requireQualification(ctx, id);
  await ctx.db.transaction(async (tx) => {
    const retiredAt = retired ? ctx.clock.now() : null;
    await tx.update(qualifications).set({ retiredAt, updatedAt: ctx.clock.now() }).where(eq(qualifications.id, id));
    await audit(tx, ctx.clock, actor, {
      action: retired ? 'qualification.retired' : 'qualification.restored',
      entityType: 'qualification',
      entityId: id,
      before: { retiredAt: before.retiredAt },
      after: { retiredAt },
    });
  });
  await ctx.changed();
}
