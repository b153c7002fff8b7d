import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { type AfterCommit, type CatalogueContext, authoriseCatalogueManager, requireQualification } from '../catalogue.context';
import { catalogueRepository } from '../catalogue.repository';
import { intakes } from '../catalogue.schema';
import type { IntakeInput } from '../catalogue.service';
import { schedulesFor } from '../domain/schedules';
import { scheduleMissingFromCohort } from '../../dfe/domain/dfe-reference-data';

/** Raises ValidationError for a schedule the NPQ cannot follow or the cohort lacks at DfE, an unknown cohort, or a missing, retired or other partner's venue. */
async function checkIntakeReferences(ctx: CatalogueContext, input: IntakeInput, qualificationKind: string) {
  if (!schedulesFor(qualificationKind).includes(input.schedule)) {
    throw new ValidationError({ schedule: `A ${qualificationKind.replace('_', ' ')} NPQ follows one of: ${schedulesFor(qualificationKind).join(', ')}` });
  }
  if (ctx.cohortExists && !(await ctx.cohortExists(input.cohortIdentifier))) throw new ValidationError({ cohortIdentifier: `There is no cohort ${input.cohortIdentifier}` });
  // A schedule the cohort lacks at DfE would move the intake's participants to another cohort there (docs/dfe-api.md §4.3; ADR 0072).
  const atDfe = scheduleMissingFromCohort(input.cohortIdentifier, input.schedule);
  if (atDfe) {
    throw new ValidationError({ schedule: atDfe.length ? `DfE has no ${input.schedule} schedule in cohort ${input.cohortIdentifier}: choose ${atDfe.join(' or ')}` : `DfE has no ${input.schedule} schedule in cohort ${input.cohortIdentifier}` });
  }
  const partner = await catalogueRepository.partner(ctx.db, input.deliveryPartnerId);
  if (!partner) throw new ValidationError({ deliveryPartnerId: 'Select a delivery partner' });
  if (partner.retiredAt) throw new ValidationError({ deliveryPartnerId: `${partner.name} is retired: choose another delivery partner, or restore it first` });
  if (input.venueId) {
    const venue = await catalogueRepository.venue(ctx.db, input.venueId);
    if (!venue || venue.deliveryPartnerId !== input.deliveryPartnerId) throw new ValidationError({ venueId: 'Select a venue of the chosen delivery partner' });
    if (venue.retiredAt) throw new ValidationError({ venueId: `${venue.name} is retired: choose another venue, or restore it first` });
  }
}

/** Adds an intake to a qualification (`id` null) or changes one of its own; a venue only face to face, a time zone only at a distance. Returns its id. */
export async function saveIntake(ctx: CatalogueContext, actor: Actor, qualificationId: string, id: string | null, input: IntakeInput): Promise<string> {
  authoriseCatalogueManager(actor);
  const qualification = await requireQualification(ctx, qualificationId);
  await checkIntakeReferences(ctx, input, qualification.kind);
  const values = { ...input, venueId: input.deliveryMode === 'face_to_face' ? input.venueId : null, timeZone: input.deliveryMode === 'distance' ? input.timeZone : null };
  let afterCommit: AfterCommit | undefined;
  const saved = await ctx.db.transaction(async (tx) => {
    if (id) {
      const before = await catalogueRepository.intake(tx, id);
      if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('intake');
      const [after] = await tx.update(intakes).set(values).where(eq(intakes.id, id)).returning();
      afterCommit = await ctx.intakeChanged?.(tx, before, after!);
      await audit(tx, ctx.clock, actor, { action: 'intake.updated', entityType: 'intake', entityId: id, before, after });
      return id;
    }
    const [after] = await tx.insert(intakes).values({ ...values, qualificationId, createdAt: ctx.clock.now() }).returning();
    await audit(tx, ctx.clock, actor, { action: 'intake.created', entityType: 'intake', entityId: after!.id, after });
    return after!.id;
  });
  await ctx.changed();
  await afterCommit?.();
  return saved;
}

/** Retires one of a qualification's intakes or restores it (NotFoundError for another's). */
export async function setIntakeRetired(ctx: CatalogueContext, actor: Actor, qualificationId: string, id: string, retired: boolean): Promise<void> {
  authoriseCatalogueManager(actor);
  await ctx.db.transaction(async (tx) => {
    const before = await catalogueRepository.intake(tx, id);
    if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('intake');
    const retiredAt = retired ? ctx.clock.now() : null;
    await tx.update(intakes).set({ retiredAt }).where(eq(intakes.id, id));
    await audit(tx, ctx.clock, actor, { action: retired ? 'intake.retired' : 'intake.restored', entityType: 'intake', entityId: id, before: { retiredAt: before.retiredAt }, after: { retiredAt } });
  });
  await ctx.changed();
}

/** One of a qualification's intakes, for its edit form (NotFoundError for another's). */
export async function intakeForEdit(ctx: CatalogueContext, actor: Actor, qualificationId: string, id: string) {
  authoriseCatalogueManager(actor);
  const intake = await catalogueRepository.intake(ctx.db, id);
  if (!intake || intake.qualificationId !== qualificationId) throw new NotFoundError('intake');
  return intake;
}
