import type { Executor } from '../db/client';
import { deliveryPartners } from './catalogue.schema';

/**
 * What other capabilities may read of the catalogue (docs/adr/0029): plain query functions over its
 * tables, so that none reads them itself. Each takes the database or a transaction and only reads.
 */

/** Delivery partner id → name, for every partner (retired ones too: roles may still name them). */
export async function deliveryPartnerNames(db: Executor): Promise<Map<string, string>> {
  const rows = await db.select({ id: deliveryPartners.id, name: deliveryPartners.name }).from(deliveryPartners);
  return new Map(rows.map((r) => [r.id, r.name]));
}
