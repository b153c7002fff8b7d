import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { factoriesFor } from '../../testing/factories';
import { Client, useTestApp } from '../../testing/test-app';
import { dfeApiCalls, dfeChanges } from '../dfe.schema';
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

  it('lets the admin dismiss a change DfE refused, once dealt with, audited, and restore it', async () => {
    const applicationId = randomUUID();
    const [refused] = await t.database.db
      .insert(dfeChanges)
      .values({ kind: 'defer', changeKey: randomUUID(), applicationId, dfeApplicationId: 'dfe-refused-1', state: 'refused', answer: { errors: [{ title: 'participant_id', detail: 'You cannot defer an NPQ participant that has no declarations' }] } })
      .returning();
    const [waiting] = await t.database.db.insert(dfeChanges).values({ kind: 'withdraw', changeKey: randomUUID(), applicationId, dfeApplicationId: 'dfe-refused-1', state: 'pending' }).returning();
    const staff = await f.aStaffMember({ role: 'provider_admin' });
    const admin = await staff.signIn(nextIp());
    const before = text((await admin.get('/admin/dfe')).body);
    expect(before).toMatch(/Deferred Refused by DfE [\s\S]*You cannot defer an NPQ participant that has no declarations”\s*Dismiss/);
    expect(before).not.toContain('Dismissed refusals');
    // Only a refused change offers it, and only with the form's CSRF token.
    expect((await admin.get('/admin/dfe')).body.match(/\/admin\/dfe\/changes\/[^/]+\/dismiss/g)).toEqual([`/admin/dfe/changes/${refused!.id}/dismiss`]);
    expect((await admin.post(`/admin/dfe/changes/${refused!.id}/dismiss`, {}, { csrf: false, follow: false })).statusCode).toBe(403);
    await admin.get('/admin/dfe');
    const dismissed = await admin.post(`/admin/dfe/changes/${refused!.id}/dismiss`, {}, { follow: false });
    expect(dismissed.statusCode).toBe(303);
    const after = text((await admin.get('/admin/dfe')).body);
    expect(after).toContain('Refusal dismissed');
    expect(after).toMatch(/Changes DfE does not have [\s\S]*Withdrawn Waiting[\s\S]*Dismissed refusals \(1\)[\s\S]*Deferred \d{1,2} \w+ \d{4}[\s\S]*no declarations”\s*Restore/);
    expect(after.split('Dismissed refusals')[0]).not.toContain('You cannot defer');
    // Nothing about the change itself moves: still refused, with DfE's words.
    const [kept] = await t.database.db.select().from(dfeChanges).where(eq(dfeChanges.id, refused!.id));
    expect(kept).toMatchObject({ state: 'refused', answer: refused!.answer });
    expect(kept?.dismissedAt).not.toBeNull();
    // A second click, or a change not refused: refused, nothing changed.
    expect((await admin.post(`/admin/dfe/changes/${refused!.id}/dismiss`, {}, { follow: false })).statusCode).toBe(422);
    await admin.get('/admin/dfe');
    expect((await admin.post(`/admin/dfe/changes/${waiting!.id}/dismiss`, {}, { follow: false })).statusCode).toBe(422);
    await admin.get('/admin/dfe');
    expect((await admin.post(`/admin/dfe/changes/${randomUUID()}/dismiss`, {}, { follow: false })).statusCode).toBe(404);
    // Restored: listed again among the changes DfE does not have.
    await admin.get('/admin/dfe');
    expect((await admin.post(`/admin/dfe/changes/${refused!.id}/restore`, {}, { follow: false })).statusCode).toBe(303);
    const restored = text((await admin.get('/admin/dfe')).body);
    expect(restored).toContain('Refusal restored');
    expect(restored).not.toContain('Dismissed refusals');
    expect(restored).toMatch(/Deferred Refused by DfE [\s\S]*no declarations”\s*Dismiss/);
    const audited = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.entityType, 'dfe_change'), eq(auditEvents.entityId, refused!.id)));
    // Both at the frozen clock's instant, read in no set order: the two actions, each once.
    expect(audited.map((a) => a.action).sort()).toEqual(['dfe.change_dismissed', 'dfe.change_restored']);
    expect(audited.every((a) => a.actorId === staff.actor.userId)).toBe(true);
  });

  it('lets no one but the provider admin dismiss or restore', async () => {
    const [refused] = await t.database.db.insert(dfeChanges).values({ kind: 'accept', applicationId: randomUUID(), dfeApplicationId: 'dfe-refused-2', state: 'refused', answer: { note: 'Not sent' } }).returning();
    for (const role of ['delivery_partner_lead', 'assessor', 'facilitator'] as const) {
      const someone = await (await f.aStaffMember({ role })).signIn(nextIp());
      await someone.get('/');
      for (const action of ['dismiss', 'restore']) expect((await someone.post(`/admin/dfe/changes/${refused!.id}/${action}`, {}, { follow: false })).statusCode).toBe(403);
    }
    const participant = await (await f.aParticipantUser()).signIn(nextIp());
    await participant.get('/');
    expect((await participant.post(`/admin/dfe/changes/${refused!.id}/dismiss`, {}, { follow: false })).statusCode).toBe(403);
    const [still] = await t.database.db.select().from(dfeChanges).where(eq(dfeChanges.id, refused!.id));
    expect(still?.dismissedAt).toBeNull();
    expect(await t.database.db.select().from(auditEvents).where(eq(auditEvents.entityId, refused!.id))).toEqual([]);
  });
});
