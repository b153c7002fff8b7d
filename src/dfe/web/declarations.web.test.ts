import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../testing/test-app';
import { factoriesFor, setUp } from '../../testing/factories';
import { pullDeliveryPartners } from '../declarations/pull-declarations';
import { proposeDeclarations } from '../declarations/propose-declarations';
import { dfeDeclarations } from '../dfe.schema';
import { useDfeTestApp } from '../testing/dfe-test-app';

/**
 * Issue 13 items 3 and 7, the declarations page: the admin approves what the evidence made due (the
 * form keeps the choice when nothing was chosen), sees DfE's state, voids with a warning of what that
 * does, dismisses with a reason and restores, and sets the rules with errors beside the fields; a
 * partner's lead reads their own partner's only, without actions; everyone else is refused.
 */
const dfe = useDfeTestApp({ portBase: 43_100, token: 'declarations-page-token' });
const { t, client } = dfe;
const f = factoriesFor(t);
let ip = 0;
const nextIp = () => `10.131.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;|&rsquo;/g, '’').replace(/\s+/g, ' ');
let partnerId: string;
/** The page a form's success sends the browser to (303), as its text: where the flash says what happened. */
async function landed(c: Client, posted: ReturnType<Client['post']>) {
  const res = await posted;
  expect(res.statusCode).toBe(303);
  return text((await c.get(String(res.headers.location))).body);
}

beforeAll(async () => {
  partnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Riverside Teaching School Hub', region: '', description: '' });
  await pullDeliveryPartners({ client: client() }, (records) => t.services.catalogue.linkPartnersToDfe(setUp, records));
});

describe('the declarations page', () => {
  it('lets the admin approve what is due, and shows DfE’s state; a void warns, then goes', async () => {
    const { mine } = await dfe.aParticipantWhoCame(partnerId);
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    expect(await landed(admin, admin.post('/admin/dfe/declarations/weigh'))).toMatch(/Everyone’s evidence is checked: \d+ declarations? (is|are) newly due/);
    const [row] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, mine.id));
    const due = text((await admin.get('/admin/dfe/declarations')).body);
    expect(due).toContain(`${mine.fullName}: Started`);
    expect(due).toContain('Attended');
    expect(due).toContain('DfE has published no milestone for this cohort');
    // Nothing chosen: said beside the choices, the list still there.
    const none = await admin.post('/admin/dfe/declarations/approve', {});
    expect(none.statusCode).toBe(422);
    expect(text(none.body)).toContain('Select the declarations to approve');
    // Said beside the choices too, where the summary's link leads.
    expect(none.body).toContain('href="#ids"');
    expect(none.body).toMatch(/<p class="govuk-error-message" id="ids">/);
    expect(text(none.body)).toContain(`${mine.fullName}: Started`);
    // Without the form's token: refused, nothing approved.
    expect((await admin.post('/admin/dfe/declarations/approve', { ids: row!.id }, { csrf: false, follow: false })).statusCode).toBe(403);
    expect((await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.id, row!.id)))[0]!.state).toBe('proposed');
    expect(await landed(admin, admin.post('/admin/dfe/declarations/approve', { ids: [row!.id, 'not-an-id'] }))).toContain('1 declaration is approved and being sent to DfE');
    await t.services.jobs.drain();
    expect(text((await admin.get('/admin/dfe/declarations?tab=sent')).body)).toContain('On a statement DfE has not been read for yet');
    expect(await landed(admin, admin.post('/admin/dfe/declarations/read-back'))).toContain('DfE’s states and statements are being read now');
    await t.services.jobs.drain();
    const sent = text((await admin.get('/admin/dfe/declarations?tab=sent')).body);
    expect(sent).toContain('Eligible for payment');
    expect(sent).toContain('On DfE’s December 2026 statement, to be paid on 25 December 2026');
    const confirm = text((await admin.get(`/admin/dfe/declarations/${row!.id}/void`)).body);
    expect(confirm).toContain('DfE has not paid it: voiding cancels it, and it comes off its statement.');
    expect(await landed(admin, admin.post(`/admin/dfe/declarations/${row!.id}/void`))).toContain('The void is being sent to DfE');
    await t.services.jobs.drain();
    expect(text((await admin.get('/admin/dfe/declarations?tab=voided')).body)).toContain(`${mine.fullName}: Started`);
    // Voided twice: told why, beside the button.
    const again = await admin.post(`/admin/dfe/declarations/${row!.id}/void`);
    expect(again.statusCode).toBe(422);
    expect(text(again.body)).toContain('This declaration cannot be voided now');
    expect(again.body).toContain('href="#id"');
    expect(again.body).toMatch(/<p class="govuk-error-message" id="id">/);
  });

  it('dismisses with a reason, restores, and sets the rules with errors beside the fields', async () => {
    const { mine } = await dfe.aParticipantWhoCame(partnerId);
    await proposeDeclarations({ db: t.database.db, clock: t.clock }, [mine.id]);
    const [row] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, mine.id));
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    const blank = await admin.post(`/admin/dfe/declarations/${row!.id}/dismiss`, { reason: '  ' });
    expect(blank.statusCode).toBe(422);
    expect(text(blank.body)).toContain('Enter why this declaration is not to be made');
    expect(await landed(admin, admin.post(`/admin/dfe/declarations/${row!.id}/dismiss`, { reason: 'Recorded by mistake' }))).toContain('The declaration is dismissed');
    expect(text((await admin.get('/admin/dfe/declarations?tab=dismissed')).body)).toContain('Dismissed: Recorded by mistake');
    expect(await landed(admin, admin.post(`/admin/dfe/declarations/${row!.id}/restore`))).toContain('The declaration is restored');
    // The break-it review: a tab named like an object's own property is no tab; hex is not a count; a sent declaration cannot be dismissed, and says so where the summary leads.
    expect((await admin.get('/admin/dfe/declarations?tab=toString')).statusCode).toBe(200);
    expect((await admin.get('/admin/dfe/declarations.csv?tab=__proto__')).statusCode).toBe(200);
    expect(text((await admin.post('/admin/dfe/declarations/rules', { retained1Activities: '0x10', retained2Activities: '1e2', sendAutomatically: 'no' })).body)).toContain('Enter a whole number');
    const long = await admin.post(`/admin/dfe/declarations/${row!.id}/dismiss`, { reason: 'x'.repeat(501) });
    expect(text(long.body)).toContain('Why must be 500 characters or fewer');
    const bad = await admin.post('/admin/dfe/declarations/rules', { retained1Activities: 'six', retained2Activities: '0', sendAutomatically: 'maybe' });
    expect(bad.statusCode).toBe(422);
    const said = text(bad.body);
    expect(said).toContain('Enter a whole number');
    expect(said).toContain('Enter a number from 1 to 200');
    expect(said).toContain('Select whether due declarations are sent without approval');
    expect(bad.body).toContain('value="six"');
    expect(await landed(admin, admin.post('/admin/dfe/declarations/rules', { retained1Activities: '4', retained2Activities: '9', sendAutomatically: 'no' }))).toContain('The rules are saved');
    expect(text((await admin.get('/admin/dfe/declarations')).body)).toContain('retained 1 after 4 and retained 2 after 9');
    await admin.post('/admin/dfe/declarations/rules', { retained1Activities: '6', retained2Activities: '12', sendAutomatically: 'no' });
  });

  it('shows a partner’s lead their partner’s declarations without actions, and refuses everyone else', async () => {
    const { mine } = await dfe.aParticipantWhoCame(partnerId);
    await proposeDeclarations({ db: t.database.db, clock: t.clock }, [mine.id]);
    const [row] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, mine.id));
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    const page = await lead.get('/admin/dfe/declarations');
    expect(page.statusCode).toBe(200);
    expect(text(page.body)).toContain(`${mine.fullName}: Started`);
    expect(page.body).not.toContain('Approve the selected');
    expect((await lead.post('/admin/dfe/declarations/approve', { ids: row!.id }, { follow: false })).statusCode).toBe(403);
    expect((await lead.get(`/admin/dfe/declarations/${row!.id}/void`)).statusCode).toBe(403);
    const otherPartner = await t.services.catalogue.savePartner(setUp, null, { name: 'Another Partner', region: '', description: '' });
    const otherLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: otherPartner } })).signIn(nextIp());
    expect(text((await otherLead.get('/admin/dfe/declarations')).body)).not.toContain(mine.fullName);
    // The export follows the same scope: the lead's own partner's, another lead's none; the participant none at all.
    const csv = await lead.get('/admin/dfe/declarations.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(`${mine.fullName},npq-headship,2026b,Started`);
    expect((await otherLead.get('/admin/dfe/declarations.csv')).body).not.toContain(mine.fullName);
    for (const role of ['assessor', 'facilitator', 'coach'] as const) {
      const someone = await (await f.aStaffMember({ role })).signIn(nextIp());
      expect((await someone.get('/admin/dfe/declarations')).statusCode).toBe(403);
    }
    const participant = await (await f.aParticipantUser()).signIn(nextIp());
    expect((await participant.get('/admin/dfe/declarations')).statusCode).toBe(403);
    expect((await participant.get('/admin/dfe/declarations.csv')).statusCode).toBe(403);
    expect((await new Client(t, nextIp()).get('/admin/dfe/declarations')).statusCode).toBe(303);
  });
});
