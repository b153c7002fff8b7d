import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Clock } from '../../platform/clock';
import type { DfeClient } from '../client/dfe-client';
import { dfeDeclarations, dfeStatements } from '../dfe.schema';
import { type DfeItem, pullPages } from '../sync/paged-pull';
import { dfeSide } from './send-declarations';

/**
 * Pulls DfE's declarations for the provider (issue 13 items 3 and 5; docs/dfe-api.md §1.3, by
 * `updated_since` with an overlap, every page, resumable: pullPages) and keeps each one the platform
 * sent up to date: DfE's state (eligible, then payable, paid; voided or clawed back), its statement and
 * clawback statement — DfE moves declarations between statements, and a moved one comes back in the
 * pull (§2.7). A platform declaration still waiting to be sent whose twin DfE already holds (a send
 * whose answer was lost) is left to its sender, which reads first. Returns the records read and the
 * platform declarations changed; `unknown` counts DfE's declarations the platform did not make
 * (reconciliation lists them).
 */
export async function pullDeclarations(deps: { db: Db; clock: Clock; client: DfeClient }, opts: { overlapMs?: number; perPage?: number } = {}): Promise<{ read: number; changed: number; unknown: number; finished: boolean }> {
  const counts = { read: 0, changed: 0, unknown: 0 };
  const r = await pullPages(deps, { cursor: 'declarations', path: '/api/v3/participant-declarations', purpose: 'sync declarations' }, async (items) => {
    counts.read += items.length;
    if (!items.length) return;
    const known = await deps.db.select({ id: dfeDeclarations.id, dfeDeclarationId: dfeDeclarations.dfeDeclarationId, dfeUpdatedAt: dfeDeclarations.dfeUpdatedAt, dfeState: dfeDeclarations.dfeState, dfeStatementId: dfeDeclarations.dfeStatementId }).from(dfeDeclarations).where(inArray(dfeDeclarations.dfeDeclarationId, items.map((i) => i.id)));
    const byDfeId = new Map(known.map((k) => [k.dfeDeclarationId, k]));
    for (const item of items) {
      const row = byDfeId.get(item.id);
      if (!row) {
        counts.unknown++;
        continue;
      }
      const side = dfeSide(item as Parameters<typeof dfeSide>[0], deps.clock.now());
      // An older read (pages overlap, records repeat) never overwrites a newer one.
      if (row.dfeUpdatedAt && side.dfeUpdatedAt < row.dfeUpdatedAt) continue;
      if (row.dfeState === side.dfeState && row.dfeStatementId === side.dfeStatementId && row.dfeUpdatedAt?.getTime() === side.dfeUpdatedAt.getTime()) continue;
      const { voidedAt, ...rest } = side as typeof side & { voidedAt?: Date };
      await deps.db
        .update(dfeDeclarations)
        .set({ ...rest, ...(voidedAt ? { voidedAt } : {}), updatedAt: deps.clock.now() })
        .where(and(eq(dfeDeclarations.id, row.id)));
      counts.changed++;
    }
  }, opts);
  return { ...counts, finished: r.finished };
}

/** A statement as DfE gives it (§1.4). */
const statementOf = (item: DfeItem, now: Date) => {
  const a = item.attributes as { cohort?: string; month?: string; year?: string; cut_off_date?: string; payment_date?: string; paid?: boolean; updated_at?: string };
  return { dfeStatementId: item.id, cohort: String(a.cohort ?? ''), month: String(a.month ?? ''), year: String(a.year ?? ''), cutOffDate: String(a.cut_off_date ?? '').slice(0, 10), paymentDate: String(a.payment_date ?? '').slice(0, 10), paid: a.paid === true, dfeUpdatedAt: a.updated_at ? new Date(a.updated_at) : null, seenAt: now };
};

/**
 * Pulls DfE's output-fee statements for the provider (issue 13 item 5; §1.4: by `updated_since`, every
 * page, resumable) into `dfe_statements`: each statement's cohort, month, cut-off and payment dates and
 * whether DfE has paid it. Idempotent. Returns the statements read.
 */
export async function pullStatements(deps: { db: Db; clock: Clock; client: DfeClient }, opts: { overlapMs?: number; perPage?: number } = {}): Promise<{ read: number; finished: boolean }> {
  let read = 0;
  const r = await pullPages(deps, { cursor: 'statements', path: '/api/v3/statements', purpose: 'sync statements' }, async (items) => {
    read += items.length;
    for (const item of items) {
      const s = statementOf(item, deps.clock.now());
      if (!/^\d{4}-\d{2}-\d{2}$/.test(s.cutOffDate) || !/^\d{4}-\d{2}-\d{2}$/.test(s.paymentDate)) continue;
      await deps.db.insert(dfeStatements).values(s).onConflictDoUpdate({ target: dfeStatements.dfeStatementId, set: s });
    }
  }, opts);
  return { read, finished: r.finished };
}

/**
 * Reads every delivery partner DfE lists for the provider (GET /delivery-partners; §1.5, a short list
 * read whole each time) and gives them to `link`, which records DfE's id on the platform's partner of
 * the same name (catalogue). Returns what `link` did.
 */
export async function pullDeliveryPartners(deps: { client: DfeClient }, link: (records: { dfeId: string; name: string }[]) => Promise<{ linked: number; unmatched: string[] }>): Promise<{ linked: number; unmatched: string[] }> {
  const records: { dfeId: string; name: string }[] = [];
  for (let page = 1; ; page++) {
    const answer = await deps.client.get(`/api/v3/delivery-partners?page[page]=${page}&page[per_page]=100`, 'sync delivery partners');
    if (answer.status !== 200) throw new Error(`DfE refused page ${page} of its delivery partners: ${answer.status}`);
    const data = ((answer.body as { data?: DfeItem[] }).data ?? []) as DfeItem[];
    records.push(...data.map((d) => ({ dfeId: d.id, name: String(d.attributes.name ?? '') })));
    if (data.length < 100) break;
  }
  return link(records);
}
