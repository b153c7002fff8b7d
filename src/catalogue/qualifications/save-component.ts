import { and, eq, max } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError } from '../../platform/errors';
import { type CatalogueContext, authoriseCatalogueManager, requireQualification } from '../catalogue.context';
import { catalogueRepository } from '../catalogue.repository';
import { programmeComponents } from '../catalogue.schema';
import { type ComponentInput, minutesFromHours } from '../domain/qualification';

/** Adds a programme component at the end of a qualification's (`componentId` null) or changes one of its own (NotFoundError else). */
export async function saveComponent(ctx: CatalogueContext, actor: Actor, qualificationId: string, componentId: string | null, input: ComponentInput): Promise<void> {
  authoriseCatalogueManager(actor);
  await requireQualification(ctx, qualificationId);
  const values = { kind: input.kind, title: input.title, description: input.description, guidedLearningMinutes: minutesFromHours(input.guidedLearningHours), items: input.items };
  await ctx.db.transaction(async (tx) => {
    if (componentId) {
      const before = await catalogueRepository.component(tx, componentId);
      if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('component');
      const [after] = await tx.update(programmeComponents).set(values).where(eq(programmeComponents.id, componentId)).returning();
      await audit(tx, ctx.clock, actor, { action: 'component.updated', entityType: 'qualification', entityId: qualificationId, before, after });
    } else {
      const [{ top } = { top: 0 }] = await tx.select({ top: max(programmeComponents.position) }).from(programmeComponents).where(eq(programmeComponents.qualificationId, qualificationId));
      const [after] = await tx.insert(programmeComponents).values({ ...values, qualificationId, position: (top ?? 0) + 1 }).returning();
      await audit(tx, ctx.clock, actor, { action: 'component.added', entityType: 'qualification', entityId: qualificationId, after });
    }
  });
  await ctx.changed();
}

/** Removes one of a qualification's components (NotFoundError for another's). */
export async function removeComponent(ctx: CatalogueContext, actor: Actor, qualificationId: string, componentId: string): Promise<void> {
  authoriseCatalogueManager(actor);
  await ctx.db.transaction(async (tx) => {
    const before = await catalogueRepository.component(tx, componentId);
    if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('component');
    await tx.delete(programmeComponents).where(and(eq(programmeComponents.id, componentId)));
    await audit(tx, ctx.clock, actor, { action: 'component.removed', entityType: 'qualification', entityId: qualificationId, before });
  });
  await ctx.changed();
}
