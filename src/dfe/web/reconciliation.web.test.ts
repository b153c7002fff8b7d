import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { Client } from '../../testing/test-app';
import { dfeReconciliationRuns } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';

/**
 * Issue 13 item 6, the page: the admin compares the platform with DfE now (a job), sees the last run's
 * counts by kind and each difference with what each side holds and the action that fixes it (linked to
 * where), filtered by kind, searched by name or id, apart from the changes on their way, and downloads
 * them as CSV; /admin/dfe links to it; every other role is refused the page, the comparison and the CSV.
 */
const dfe = useDfeTestApp({ portBase: 49_100, token: 'reconciliation-page-token' });
const { t, standIn } = dfe;
const f = factoriesFor(t);
let ip = 0;
const nextIp = () => `10.132.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;|&rsquo;/g, '’').replace(/&amp;/g, '&').replace(/\s+/g, ' ');

describe('the reconciliation page', () => {
  it('compares with DfE on asking, and lists each difference with its fix, filtered, searched and as CSV', async () => {
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    expect(text((await admin.get('/admin/dfe/reconciliation')).body)).toContain('The platform has not been compared with DfE yet.');
    const { mine, registered } = await dfe.acceptedAtDfe();
    standIn().state.applications.get(registered.id)!.trainingStatus = 'deferred';
    // Without the form's token: refused, nothing asked.
    expect((await admin.post('/admin/dfe/reconciliation/run', {}, { csrf: false, follow: false })).statusCode).toBe(403);
    const asked = await admin.post('/admin/dfe/reconciliation/run', {}, { follow: false });
    expect(asked.statusCode).toBe(303);
    expect(text((await admin.get(String(asked.headers.location))).body)).toContain('The platform is being compared with DfE now.');
    await t.services.jobs.drain();
    const page = text((await admin.get('/admin/dfe/reconciliation')).body);
    expect(page).toContain('The platform: 1 application linked to DfE');
    expect(page).toMatch(/Training statuses 1 0/);
    expect(page).toContain(`${mine.fullName}: training status`);
    expect(page).toContain('The platform holds Training status: active');
    expect(page).toContain('DfE holds Training status: deferred');
    expect(page).toContain('DfE shows them deferred; the platform active: if they are training, resume them at DfE');
    expect((await admin.get('/admin/dfe/reconciliation')).body).toContain(`href="/admin/applications/${mine.id}"`);
    expect(text((await admin.get('/admin/dfe/reconciliation?kind=funded_place')).body)).toContain('0 differences');
    expect(text((await admin.get(`/admin/dfe/reconciliation?q=${encodeURIComponent(mine.fullName)}`)).body)).toContain('1 difference ');
    expect(text((await admin.get(`/admin/dfe/reconciliation?q=${registered.id}`)).body)).toContain('1 difference ');
    expect(text((await admin.get('/admin/dfe/reconciliation?q=nobody-at-all')).body)).toContain('No differences match these filters');
    expect(text((await admin.get('/admin/dfe/reconciliation?show=on-its-way')).body)).toContain('0 changes on their way');
    const csv = await admin.get('/admin/dfe/reconciliation.csv?kind=status');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Kind,Name,Platform application id,DfE id');
    expect(csv.body).toContain(`Training statuses,${mine.fullName},${mine.id},${registered.id}`);
    expect(csv.body).toContain(`/admin/applications/${mine.id}`);
    // /admin/dfe links here, and names the nightly run among its reads.
    const dfePage = await admin.get('/admin/dfe');
    expect(dfePage.body).toContain('href="/admin/dfe/reconciliation"');
    expect(text(dfePage.body)).toContain('Reconciliation with DfE (everything, nightly)');
    // A run begun and never finished (its process killed), no process holding it: said so.
    await t.database.db.insert(dfeReconciliationRuns).values({ startedAt: t.clock.now() });
    expect(text((await admin.get('/admin/dfe/reconciliation')).body)).toContain('did not finish. The process running it stopped (killed or restarted).');
    expect(standIn().violations).toEqual([]);
  });

  it('lets finance read it and ask for a comparison, with no link to the admin’s DfE page; refuses everyone else but the provider’s admin', async () => {
    const finance = await (await f.aStaffMember({ role: 'finance' })).signIn(nextIp());
    const seen = await finance.get('/admin/dfe/reconciliation');
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain('href="/admin/dfe"');
    expect(seen.body).toContain('href="/admin/dfe/finance"');
    expect((await finance.get('/admin/dfe/reconciliation.csv')).statusCode).toBe(200);
    expect((await finance.post('/admin/dfe/reconciliation/run', {}, { follow: false })).statusCode).toBe(303);
    expect((await finance.get('/admin/dfe')).statusCode).toBe(403);
    for (const role of ['delivery_partner_lead', 'facilitator', 'coach', 'assessor', 'moderator', 'school_approver'] as const) {
      const someone = await (await f.aStaffMember({ role })).signIn(nextIp());
      expect((await someone.get('/admin/dfe/reconciliation')).statusCode).toBe(403);
      expect((await someone.post('/admin/dfe/reconciliation/run', {}, { follow: false })).statusCode).toBe(403);
      expect((await someone.get('/admin/dfe/reconciliation.csv')).statusCode).toBe(403);
    }
    const participant = await (await f.aParticipantUser()).signIn(nextIp());
    expect((await participant.get('/admin/dfe/reconciliation')).statusCode).toBe(403);
    expect((await participant.post('/admin/dfe/reconciliation/run', {}, { follow: false })).statusCode).toBe(403);
    expect((await participant.get('/admin/dfe/reconciliation.csv')).statusCode).toBe(403);
    expect((await new Client(t, nextIp()).get('/admin/dfe/reconciliation')).statusCode).toBe(303);
  });
});
