import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applications } from '../enrolment.schema';
import { factoriesFor, setUp } from '../../testing/factories';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);
const api = f.anApiClient();
type A = { id: string; attributes: Record<string, unknown> };
const list = async (q: string) => {
  const r = await api('GET', `/api/v1/applications?${q}`);
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  return r.json() as { data: A[]; meta: { total: number; total_pages: number; page: number; per_page: number } };
};
const statusIn = (page: { data: A[] }, id: string) => page.data.find((a) => a.id === id)?.attributes.status;

/**
 * The applications API's pages from outside: every page size walks the same records in the same order
 * (streamed past 500 or not) with exact `meta`; filters, sort and refusals; a kept page shows every
 * change at once, through the API, the web and the services; records arriving while a client pages are
 * seen once; scopes.
 */
describe('the applications API’s pages', () => {
  it('page sizes, meta, past the end, sort and filters', async () => {
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      made.push((await f.anApiEnteredApplication()).id);
      t.clock.advance(1000);
    }
    const all = await list('page[per_page]=3000');
    const total = all.meta.total;
    expect(all.data).toHaveLength(total);
    for (const per of [1, 2, 3, 100, 500, 501, 3000, 5000]) {
      const ids: string[] = [];
      let page = 1;
      for (;;) {
        const p = await list(`page[per_page]=${per}&page[page]=${page}`);
        expect(p.meta).toEqual({ total, page, per_page: Math.min(per, 3000), total_pages: Math.max(1, Math.ceil(total / Math.min(per, 3000))) });
        ids.push(...p.data.map((a) => a.id));
        if (p.data.length < Math.min(per, 3000)) break;
        page++;
      }
      expect(ids, `per ${per}`).toEqual(all.data.map((a) => a.id));
    }
    const past = await list('page[per_page]=501&page[page]=99');
    expect(past.data).toEqual([]);
    expect(past.meta.total).toBe(total);
    const desc = await list('sort=-created_at&page[per_page]=3000');
    expect(desc.data.map((a) => a.id)).toEqual(all.data.map((a) => a.id).reverse());
    const descSmall = await list('sort=-created_at&page[per_page]=100');
    expect(descSmall.data.map((a) => a.id)).toEqual(all.data.map((a) => a.id).reverse());
    for (const bad of ['page[page]=0', 'page[page]=-1', 'page[page]=abc', 'page[per_page]=0', 'page[page]=1.5', 'sort=name', 'page[page]=99999999999999999999']) {
      const r = await api('GET', `/api/v1/applications?${bad}`);
      expect(r.statusCode, bad).toBe(422);
    }
    // DfE's rejected includes the applicant's own withdrawals; withdrawn is only those, shown as rejected.
    await t.database.db.update(applications).set({ status: 'withdrawn' }).where(eq(applications.id, made[0]!));
    await api('POST', `/api/v1/applications/${made[1]}/reject`, {});
    for (const per of [100, 501]) {
      const rej = await list(`filter[status]=rejected&page[per_page]=${per}`);
      expect(rej.data.map((a) => a.id).sort(), `rejected ${per}`).toEqual([made[0], made[1]].sort());
      expect(rej.meta.total).toBe(2);
      const wd = await list(`filter[status]=withdrawn&page[per_page]=${per}`);
      expect(wd.data.map((a) => a.id), `withdrawn ${per}`).toEqual([made[0]]);
      expect(wd.data[0]!.attributes.status).toBe('rejected');
    }
    const one = all.data[3]!;
    for (const per of [100, 501]) {
      const byP = await list(`filter[participant_id]=${String(one.attributes.participant_id).toUpperCase()}&page[per_page]=${per}`);
      expect(byP.data.map((a) => a.id)).toContain(one.id);
      const since = await list(`filter[updated_since]=${encodeURIComponent(String(one.attributes.updated_at))}&page[per_page]=${per}`);
      expect(since.data.every((a) => String(a.attributes.updated_at) >= String(one.attributes.updated_at))).toBe(true);
      const course = await list(`filter[course_identifier]=npq-senior-leadership&filter[cohort]=2026&page[per_page]=${per}`);
      expect(course.meta.total).toBe(course.data.length);
    }
  });

  it('a kept page shows every change made through the API, the web and the services', async () => {
    const a = await f.anApiEnteredApplication();
    const b = await f.anApiEnteredApplication();
    const c = await f.anApiEnteredApplication();
    const q = 'page[per_page]=100';
    expect(statusIn(await list(q), a.id)).toBe('pending');
    expect(statusIn(await list(q), a.id)).toBe('pending');
    expect((await api('POST', `/api/v1/applications/${a.id}/accept`, { data: { attributes: {} } })).statusCode).toBe(200);
    expect(statusIn(await list(q), a.id)).toBe('accepted');
    expect((await api('POST', `/api/v1/applications/${b.id}/reject`, {})).statusCode).toBe(200);
    expect(statusIn(await list(q), b.id)).toBe('rejected');
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get(`/admin/applications/${c.id}`);
    const accepted = await admin.post(`/admin/applications/${c.id}/accept`, {});
    expect(accepted.statusCode, accepted.body.slice(0, 300)).toBe(303);
    expect(statusIn(await list(q), c.id)).toBe('accepted');
    await t.services.applications.changeParticipant(setUp, a.id, 'defer', { reason: 'parental-leave' });
    expect((await list(q)).data.find((x) => x.id === a.id)?.attributes.training_status).toBe('deferred');
  });

  it('two reads of the same page while an accept happens, then a read after it', async () => {
    const apps = [];
    for (let i = 0; i < 5; i++) apps.push(await f.anApiEnteredApplication());
    const q = 'page[per_page]=50';
    await list(q);
    for (const x of apps) {
      const [r1, acc, r2] = await Promise.all([list(q), api('POST', `/api/v1/applications/${x.id}/accept`, { data: { attributes: {} } }), list(q)]);
      expect(acc.statusCode).toBe(200);
      // Read around the accept, either answer is right; what follows must show it.
      expect([statusIn(r1, x.id), statusIn(r2, x.id)].every((s) => s === 'pending' || s === 'accepted')).toBe(true);
      const [after1, after2] = await Promise.all([list(q), list(q)]);
      expect(statusIn(after1, x.id)).toBe('accepted');
      expect(statusIn(after2, x.id)).toBe('accepted');
      const one = (await api('GET', `/api/v1/applications/${x.id}`)).json().data;
      expect(after1.data.find((a) => a.id === x.id)).toEqual(one);
    }
  });

  it('records added between pages land on the last page, none seen twice', async () => {
    const seen: string[] = [];
    let page = 1;
    for (;;) {
      const p = await list(`page[per_page]=2&page[page]=${page}`);
      seen.push(...p.data.map((a) => a.id));
      if (page === 1) await f.anApiEnteredApplication();
      if (p.data.length < 2) break;
      page++;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe((await list('page[per_page]=3000')).meta.total);
  });

  it('a read-only token cannot accept; a write-only token cannot list', async () => {
    const ro = f.anApiClient({ scopes: ['applications:read'] });
    const wo = f.anApiClient({ scopes: ['applications:write'] });
    const x = await f.anApiEnteredApplication();
    expect((await ro('POST', `/api/v1/applications/${x.id}/accept`, { data: {} })).statusCode).toBe(403);
    expect((await wo('GET', '/api/v1/applications')).statusCode).toBe(403);
    expect((await wo('GET', '/api/v1/applications?page[per_page]=501')).statusCode).toBe(403);
    expect((await ro('GET', '/api/v1/applications?page[per_page]=501')).statusCode).toBe(200);
  });
});
