import { and, eq, inArray, isNotNull, or, isNull, ne } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { system } from '../../platform/auth/actor';
import type { EnrolmentContext } from '../enrolment-context';
import { applications } from '../enrolment.schema';

/** What DfE's side is called once it no longer shows the provider a place (kept in `applications.dfe_status`). */
export const TRANSFERRED_AWAY = 'transferred_away';

/**
 * Records that DfE no longer holds these applications (DfE's ids) for this provider — read whole, and
 * each one asked for on its own and answered 404: DfE moved the place to another provider, or removed
 * it (docs/dfe-api.md §4.4, §6 rule 2: "no longer visible to us", not deleted). Only accepted places
 * not already so marked change: `dfe_status` becomes TRANSFERRED_AWAY, so no declaration or outcome is
 * proposed or sent for them (DfE would refuse: the participant is another provider's), while the
 * platform keeps their learning and status untouched — if they left, the admin withdraws them; if DfE
 * moves them back, the next pull reads them accepted again. Audited, one line a place, as the DfE sync.
 * Gives the applications (platform ids) it marked; idempotent.
 */
export const recordDfeTransfersAway =
  (ctx: EnrolmentContext) =>
  async (dfeApplicationIds: readonly string[]): Promise<string[]> => {
    if (!dfeApplicationIds.length) return [];
    const at = ctx.now();
    return ctx.write(async (tx) => {
      const marked = await tx
        .update(applications)
        .set({ dfeStatus: TRANSFERRED_AWAY, dfeUpdatedAt: at, updatedAt: at })
        .where(and(inArray(applications.dfeApplicationId, [...dfeApplicationIds]), eq(applications.status, 'accepted'), or(isNull(applications.dfeStatus), ne(applications.dfeStatus, TRANSFERRED_AWAY)), isNotNull(applications.dfeApplicationId)))
        .returning({ id: applications.id, dfeApplicationId: applications.dfeApplicationId });
      for (const m of marked) await audit(tx, ctx.clock, system('DfE sync'), { action: 'application.transferred_away', entityType: 'application', entityId: m.id, after: { dfeApplicationId: m.dfeApplicationId, dfeStatus: TRANSFERRED_AWAY } });
      return marked.map((m) => m.id);
    });
  };
