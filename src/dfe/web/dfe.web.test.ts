import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { Client, useTestApp } from '../../testing/test-app';
import { dfeApiCalls } from '../dfe.schema';
import { pruneDfeCalls } from '../dfe-calls';

/**
 * Issue 13 item 4, the admin's page of DfE calls: every call with DfE's answer, searchable by path
 * and filtered by outcome, a page at a time; the provider's admin reads it and nobody else.
 */
const t = useTestApp();
const f = factoriesFor(t);
let ip = 0;
const nextIp = () => `10.126.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/\s+/g, ' ');

describe('the DfE calls page', () => {
  it('lists every call newest first with its answer, finds by path, filters by outcome, and keeps a year', async () => {
    const at = (minutesAgo: number) => new Date(t.clock.now().getTime() - minutesAgo * 60_000);
    await t.database.db.insert(dfeApiCalls).values([
      { at: at(3), method: 'GET', path: '/api/v3/npq-applications?page[page]=1', status: 200, durationMs: 120, responseBody: { data: [] }, purpose: 'sync applications' },
      { at: at(2), method: 'GET', path: '/api/v3/npq-applications?page[page]=2', status: 502, durationMs: 30, responseBody: { text: 'Bad Gateway' }, purpose: 'sync applications' },
      { at: at(1), method: 'POST', path: '/api/v3/participant-declarations', status: 422, durationMs: 80, requestBody: { data: { type: 'participant-declaration' } }, responseBody: { errors: [{ title: 'base', detail: 'A declaration has already been submitted' }] }, purpose: 'send declaration' },
      { at: new Date(t.clock.now().getTime() - 366 * 24 * 60 * 60_000), method: 'GET', path: '/api/v3/statements', status: 200, durationMs: 10, purpose: 'old' },
    ]);
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    const all = text((await admin.get('/admin/dfe')).body);
    expect(all).toContain('4 calls');
    expect(all.indexOf('POST /api/v3/participant-declarations')).toBeLessThan(all.indexOf('page[page]=2'));
    expect(all).toContain('A declaration has already been submitted');
    expect(text((await admin.get('/admin/dfe?q=declarations')).body)).toContain('1 call');
    const failed = text((await admin.get('/admin/dfe?outcome=failed')).body);
    expect(failed).toContain('1 call');
    expect(failed).toContain('502');
    expect(text((await admin.get('/admin/dfe?q=%25')).body)).toContain('0 calls');
    expect(text((await admin.get('/admin/dfe?outcome=sideways')).body)).toContain('is not one of the choices');
    expect(await pruneDfeCalls(t.database.db, t.clock)).toBe(1);
    expect(text((await admin.get('/admin/dfe')).body)).toContain('3 calls');
  });

  it('is the provider admin’s alone', async () => {
    for (const role of ['delivery_partner_lead', 'assessor', 'facilitator'] as const) {
      const someone = await (await f.aStaffMember({ role })).signIn(nextIp());
      expect((await someone.get('/admin/dfe')).statusCode).toBe(403);
    }
    const participant = await (await f.aParticipantUser()).signIn(nextIp());
    expect((await participant.get('/admin/dfe')).statusCode).toBe(403);
    const anonymous = await new Client(t, nextIp()).get('/admin/dfe');
    expect(anonymous.statusCode).toBe(303);
  });
});
