/**
 * An intake's change moves its applications in the catalogue's transaction, and the pages enrolment
 * keeps are dropped only once that transaction has committed: dropped before, a read on another
 * connection in between would keep the old schedule as fresh for the cache's few seconds. PostgreSQL
 * only: PGlite has one connection, so no read can fall in between.
 */
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { intakes } from '../../catalogue/catalogue.schema';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { applications } from '../enrolment.schema';

const t = useTestApp();
const f = factoriesFor(t);
const api = f.anApiClient();

describe.skipIf(!process.env.DATABASE_URL)('an intake’s change and the kept pages', () => {
  it('drops them after the commit, so a page read while the change commits is read again', async () => {
    const made = await f.anApiEnteredApplication();
    const [app] = await t.database.db.select().from(applications).where(eq(applications.id, made.id));
    const [before] = await t.database.db.select().from(intakes).where(eq(intakes.id, app!.intakeId!));
    const page = '/api/v1/applications?page[per_page]=100';
    const listed = async () => (await api('GET', page)).json().data.find((a: { id: string }) => a.id === made.id).attributes;
    expect((await listed()).schedule_identifier).toBe(before!.schedule);
    const next = before!.schedule === 'npq-leadership-autumn' ? 'npq-leadership-spring' : 'npq-leadership-autumn';

    let afterCommit: (() => Promise<void>) | undefined;
    await t.database.db.transaction(async (tx) => {
      const [after] = await tx.update(intakes).set({ schedule: next }).where(eq(intakes.id, before!.id)).returning();
      afterCommit = await t.services.applications.intakeChanged(tx, before!, after!);
      // Another connection, before the commit: reads and keeps the page as it still is.
      expect((await listed()).schedule_identifier).toBe(before!.schedule);
    });
    expect(afterCommit).toBeDefined();
    await afterCommit?.();

    const one = (await api('GET', `/api/v1/applications/${made.id}`)).json().data.attributes;
    expect(one.schedule_identifier).toBe(next);
    const again = await listed();
    expect({ schedule: again.schedule_identifier, updated_at: again.updated_at }).toEqual({ schedule: next, updated_at: one.updated_at });
  });
});
