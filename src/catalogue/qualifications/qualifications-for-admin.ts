import type { Actor } from '../../platform/auth/actor';
import { type CatalogueContext, authoriseCatalogueManager, requireQualification } from '../catalogue.context';
import { catalogueRepository } from '../catalogue.repository';

/** Every qualification, retired ones too, with how many components each has: the admin's list. */
export async function adminList(ctx: CatalogueContext, actor: Actor) {
  authoriseCatalogueManager(actor);
  const [quals, components] = await Promise.all([catalogueRepository.allQualifications(ctx.db), catalogueRepository.allComponents(ctx.db)]);
  return quals.map((q) => ({ ...q, componentCount: components.filter((c) => c.qualificationId === q.id).length }));
}

/** One qualification with its components and intakes, and the partners and venues to choose from: the admin's page. */
export async function adminGet(ctx: CatalogueContext, actor: Actor, id: string) {
  authoriseCatalogueManager(actor);
  const q = await requireQualification(ctx, id);
  const [components, allIntakes, partners, venueRows] = await Promise.all([
    catalogueRepository.componentsOf(ctx.db, id),
    catalogueRepository.allIntakes(ctx.db),
    catalogueRepository.partners(ctx.db),
    catalogueRepository.venues(ctx.db),
  ]);
  return { qualification: q, components, intakes: allIntakes.filter((i) => i.qualificationId === id), partners, venues: venueRows };
}
