import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditEvents } from '../../audit/audit.schema';
import { jobs } from '../../platform/platform.schema';
import { dfeChanges } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { sendPendingChanges } from './send-decisions';

/**
 * Issue 13 item 2, funded places: the admin gives a participant a funded place or takes it away on the
 * application's page; the platform keeps the cohort's limit and DfE's rules, and DfE is told once, with
 * the platform's value as it stands, even when changes pile up while DfE is away; DfE's refusal once
 * declarations are submitted is kept in its words.
 */
const { t, standIn, client, acceptedAtDfe, declareStarted } = useDfeTestApp({ portBase: 36_100, token: 'funded-token' });
const changesOf = async (applicationId: string) => t.database.db.select().from(dfeChanges).where(and(eq(dfeChanges.applicationId, applicationId), eq(dfeChanges.kind, 'change_funded_place')));
const puts = (dfeId: string) => standIn().calls.filter((c) => c.method === 'PUT' && c.url.endsWith(`/npq-applications/${dfeId}/change-funded-place`)).length;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

const acceptedWithoutFunding = () => acceptedAtDfe({ fundedPlace: false });

describe('changing a funded place, and telling DfE', () => {
  it('the admin gives a funded place on the application’s page, after a mistake, and DfE has it once', async () => {
    const { registered, mine, admin } = await acceptedWithoutFunding();
    const browser = await admin.signIn('10.127.1.1');
    const page = text((await browser.get(`/admin/applications/${mine.id}`)).body);
    expect(page).toContain('Funded place Now: no.');
    const missing = await browser.post(`/admin/applications/${mine.id}/funded-place`, {});
    expect(missing.statusCode).toBe(422);
    expect(text(missing.body)).toContain('Say whether they have a funded place');
    const given = await browser.post(`/admin/applications/${mine.id}/funded-place`, { fundedPlace: 'yes' });
    expect(given.statusCode).toBe(303);
    await t.services.jobs.drain();
    expect(standIn().state.applications.get(registered.id)?.fundedPlace).toBe(true);
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied']);
    expect(puts(registered.id)).toBe(1);
    const audited = await t.database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'application.funded_place_changed'), eq(auditEvents.entityId, mine.id)));
    expect(audited).toHaveLength(1);
    // The same again is refused here, with why, and nothing more goes to DfE.
    const again = await browser.post(`/admin/applications/${mine.id}/funded-place`, { fundedPlace: 'yes' });
    expect(again.statusCode).toBe(422);
    expect(text(again.body)).toContain('This participant already has a funded place');
  });

  it('refuses a funded place beyond the cohort’s limit', async () => {
    const { mine, admin } = await acceptedWithoutFunding();
    const taken = async () => (await t.database.db.select().from(dfeChanges)).length;
    const before = await taken();
    // The platform's cohort 2026b allows 50 funded NPQH places: none left.
    await t.database.db.execute(`update cohorts set funded_place_limits = '{"npq-headship": 0}' where identifier = '2026b'` as never);
    try {
      await expect(t.services.applications.changeFundedPlace(admin.actor, mine.id, { fundedPlace: true })).rejects.toMatchObject({ code: 'funded_place_limit_reached' });
    } finally {
      await t.database.db.execute(`update cohorts set funded_place_limits = '{"npq-headship": 50}' where identifier = '2026b'` as never);
    }
    expect(await taken()).toBe(before);
  });

  it('when changes pile up while DfE is away, sends the platform’s last word once', async () => {
    const { registered, mine, admin } = await acceptedWithoutFunding();
    standIn().faults.push({ kind: '500', method: 'PUT', path: '/change-funded-place', times: 100 });
    await t.services.applications.changeFundedPlace(admin.actor, mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['pending']);
    // Taken back: DfE already shows no funded place, so both settle without a call.
    await t.services.applications.changeFundedPlace(admin.actor, mine.id, { fundedPlace: false });
    await t.services.jobs.drain();
    expect((await changesOf(mine.id)).map((c) => c.state)).toEqual(['applied', 'applied']);
    expect(puts(registered.id)).toBe(1);
    await t.services.applications.changeFundedPlace(admin.actor, mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    standIn().faults.length = 0;
    await t.database.db.delete(jobs);
    const before = puts(registered.id);
    await sendPendingChanges({ db: t.database.db, clock: t.clock, client: client() });
    expect((await changesOf(mine.id)).map((c) => c.state).sort()).toEqual(['applied', 'applied', 'applied']);
    expect(puts(registered.id) - before).toBe(1);
    expect(standIn().state.applications.get(registered.id)?.fundedPlace).toBe(true);
  });

  it('keeps DfE’s refusal in its words once declarations are submitted, for the admin', async () => {
    const { registered, mine, admin } = await acceptedWithoutFunding();
    declareStarted(registered);
    await t.services.applications.changeFundedPlace(admin.actor, mine.id, { fundedPlace: true });
    await t.services.jobs.drain();
    const [change] = await changesOf(mine.id);
    expect(change?.state).toBe('refused');
    const page = text((await (await admin.signIn('10.127.1.2')).get('/admin/dfe')).body);
    expect(page).toMatch(/Funded place changed Refused by DfE \d{1,2} \w+ \d{4}[^“]*DfE said: “You cannot change the funded place because declarations have been submitted/);
  });

  it('sent nothing DfE’s document does not allow', () => {
    expect(standIn().violations).toEqual([]);
  });
});
