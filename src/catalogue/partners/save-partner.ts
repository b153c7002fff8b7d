import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { Actor } from '../../platform/auth/actor';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { type CatalogueContext, authoriseCatalogueManager } from '../catalogue.context';
import { catalogueRepository } from '../catalogue.repository';
import { deliveryPartners, venues } from '../catalogue.schema';
import type { PartnerInput, VenueInput } from '../catalogue.service';

/** Every delivery partner and venue, retired ones too, for the admin's lists. */
export async function partnersAndVenues(ctx: CatalogueContext, actor: Actor) {
  authoriseCatalogueManager(actor);
  const [partners, venueRows] = await Promise.all([catalogueRepository.partners(ctx.db), catalogueRepository.venues(ctx.db)]);
  return { partners, venues: venueRows };
}

/** Adds a delivery partner (`id` null) or changes one (NotFoundError for an unknown id); returns its id. */
export async function savePartner(ctx: CatalogueContext, actor: Actor, id: string | null, input: PartnerInput): Promise<string> {
  authoriseCatalogueManager(actor);
  const saved = await ctx.db.transaction(async (tx) => {
    if (id) {
      const before = await catalogueRepository.partner(tx, id);
      if (!before) throw new NotFoundError('delivery partner');
      const [after] = await tx.update(deliveryPartners).set(input).where(eq(deliveryPartners.id, id)).returning();
      await audit(tx, ctx.clock, actor, { action: 'delivery_partner.updated', entityType: 'delivery_partner', entityId: id, before, after });
      return id;
    }
    const [after] = await tx.insert(deliveryPartners).values({ ...input, createdAt: ctx.clock.now() }).returning();
    await audit(tx, ctx.clock, actor, { action: 'delivery_partner.created', entityType: 'delivery_partner', entityId: after!.id, after });
    return after!.id;
  });
  await ctx.changed();
  return saved;
}

/** Adds a venue of a delivery partner (`id` null) or changes one; ValidationError { deliveryPartnerId } for an unknown partner. */
export async function saveVenue(ctx: CatalogueContext, actor: Actor, id: string | null, input: VenueInput): Promise<string> {
  authoriseCatalogueManager(actor);
  if (!(await catalogueRepository.partner(ctx.db, input.deliveryPartnerId))) throw new ValidationError({ deliveryPartnerId: 'Select a delivery partner' });
  const saved = await ctx.db.transaction(async (tx) => {
    if (id) {
      const before = await catalogueRepository.venue(tx, id);
      if (!before) throw new NotFoundError('venue');
      const [after] = await tx.update(venues).set(input).where(eq(venues.id, id)).returning();
      await audit(tx, ctx.clock, actor, { action: 'venue.updated', entityType: 'venue', entityId: id, before, after });
      return id;
    }
    const [after] = await tx.insert(venues).values({ ...input, createdAt: ctx.clock.now() }).returning();
    await audit(tx, ctx.clock, actor, { action: 'venue.created', entityType: 'venue', entityId: after!.id, after });
    return after!.id;
  });
  await ctx.changed();
  return saved;
}

/** Retires a delivery partner or restores it. Retiring keeps the record and its history; a retired partner is offered for nothing new. */
export async function setPartnerRetired(ctx: CatalogueContext, actor: Actor, id: string, retired: boolean): Promise<void> {
  authoriseCatalogueManager(actor);
  await ctx.db.transaction(async (tx) => {
    const before = await catalogueRepository.partner(tx, id);
    if (!before) throw new NotFoundError('delivery partner');
    const retiredAt = retired ? ctx.clock.now() : null;
    await tx.update(deliveryPartners).set({ retiredAt }).where(eq(deliveryPartners.id, id));
    await audit(tx, ctx.clock, actor, { action: retired ? 'delivery_partner.retired' : 'delivery_partner.restored', entityType: 'delivery_partner', entityId: id, before: { retiredAt: before.retiredAt }, after: { retiredAt } });
  });
  await ctx.changed();
}

/** Retires a venue or restores it, as for partners. */
export async function setVenueRetired(ctx: CatalogueContext, actor: Actor, id: string, retired: boolean): Promise<void> {
  authoriseCatalogueManager(actor);
  await ctx.db.transaction(async (tx) => {
    const before = await catalogueRepository.venue(tx, id);
    if (!before) throw new NotFoundError('venue');
    const retiredAt = retired ? ctx.clock.now() : null;
    await tx.update(venues).set({ retiredAt }).where(eq(venues.id, id));
    await audit(tx, ctx.clock, actor, { action: retired ? 'venue.retired' : 'venue.restored', entityType: 'venue', entityId: id, before: { retiredAt: before.retiredAt }, after: { retiredAt } });
  });
  await ctx.changed();
}

/** A name as partners' names are matched: lower case, spaces collapsed. */
const nameKey = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Records DfE's id of each delivery partner DfE lists for the provider (GET /delivery-partners; issue 13:
 * declarations from the 2024 cohort on must name it, docs/dfe-api.md §2.4 item 12) on the platform's
 * partner of the same name (any case and spacing), where it holds no DfE id yet or another. Audited.
 * Returns how many were linked and the names DfE lists that no platform partner has, for the admin.
 */
export async function linkPartnersToDfe(ctx: CatalogueContext, actor: Actor, records: readonly { dfeId: string; name: string }[]): Promise<{ linked: number; unmatched: string[] }> {
  authoriseCatalogueManager(actor);
  const result = await ctx.db.transaction(async (tx) => {
    const partners = await catalogueRepository.partners(tx);
    const byName = new Map(partners.map((p) => [nameKey(p.name), p]));
    let linked = 0;
    const unmatched: string[] = [];
    for (const r of records) {
      const partner = byName.get(nameKey(r.name));
      if (!partner) {
        unmatched.push(r.name);
        continue;
      }
      if (partner.dfeDeliveryPartnerId === r.dfeId) continue;
      // Another partner holding this DfE id (renamed since) gives it up first: the id is unique.
      await tx.update(deliveryPartners).set({ dfeDeliveryPartnerId: null }).where(eq(deliveryPartners.dfeDeliveryPartnerId, r.dfeId));
      await tx.update(deliveryPartners).set({ dfeDeliveryPartnerId: r.dfeId }).where(eq(deliveryPartners.id, partner.id));
      await audit(tx, ctx.clock, actor, { action: 'delivery_partner.linked_to_dfe', entityType: 'delivery_partner', entityId: partner.id, before: { dfeDeliveryPartnerId: partner.dfeDeliveryPartnerId }, after: { dfeDeliveryPartnerId: r.dfeId } });
      linked++;
    }
    return { linked, unmatched };
  });
  if (result.linked) await ctx.changed();
  return result;
}
