import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../testing/test-app';
import { factoriesFor, setUp } from '../../testing/factories';
import { pullDeliveryPartners } from '../declarations/pull-declarations';
import { proposeDeclarations } from '../declarations/propose-declarations';
import type { DeclarationRow } from '../declarations/declarations.service';
import { dfeDeclarations } from '../dfe.schema';
import { milestoneText, standing } from './declarations.routes';
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
    // The NPQ by its name, not its identifier; the lists as GOV.UK tabs' markup, the current one marked.
    expect(due).toContain('National Professional Qualification for Headship, cohort 2026b');
    expect(due).not.toContain('npq-headship');
    const duePage = (await admin.get(`/admin/dfe/declarations?q=${encodeURIComponent(mine.fullName)}`)).body;
    expect(duePage).toMatch(/<li class="govuk-tabs__list-item govuk-tabs__list-item--selected"><a class="govuk-tabs__tab" href="\/admin\/dfe\/declarations\?q=[^"]+" aria-current="page">Due for approval \(1\)/);
    // One query string for tabs, the CSV link and the approve form: the search kept in each.
    const q = encodeURIComponent(mine.fullName).replace(/%20/g, '+');
    expect(duePage).toContain(`href="/admin/dfe/declarations?tab=sent&amp;q=${q}"`);
    expect(duePage).toContain(`href="/admin/dfe/declarations.csv?tab=due&amp;q=${q}"`);
    expect(duePage).toContain(`action="/admin/dfe/declarations/approve?q=${q}"`);
    // Change the rules sits in the button group, as a button.
    expect(duePage).toMatch(/<a class="govuk-button govuk-button--secondary" data-module="govuk-button" href="\/admin\/dfe\/declarations\/rules">/);
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
    // What happens next, said before the button; the milestone line gives way to DfE's state once sent.
    expect(confirm).toContain('The platform does not propose it again from the same evidence');
    expect(confirm).not.toContain('Milestone');
    expect(await landed(admin, admin.post(`/admin/dfe/declarations/${row!.id}/void`))).toContain('The void is being sent to DfE');
    // On its way: Being sent only, and the void page shows that, with no button to press again.
    const mineOnly = `q=${encodeURIComponent(mine.fullName)}`;
    expect(text((await admin.get(`/admin/dfe/declarations?${mineOnly}&tab=sending`)).body)).toContain(`${mine.fullName}: Started`);
    expect(text((await admin.get(`/admin/dfe/declarations?${mineOnly}&tab=sent`)).body)).not.toContain(`${mine.fullName}: Started`);
    const onItsWay = text((await admin.get(`/admin/dfe/declarations/${row!.id}/void`)).body);
    expect(onItsWay).toContain('A void of this declaration is on its way to DfE');
    expect(onItsWay).not.toContain('Void it at DfE');
    await t.services.jobs.drain();
    const voidedTab = await admin.get(`/admin/dfe/declarations?${mineOnly}&tab=voided`);
    expect(text(voidedTab.body)).toContain(`${mine.fullName}: Started`);
    const done = await admin.get(`/admin/dfe/declarations/${row!.id}/void`);
    expect(done.statusCode).toBe(200);
    expect(text(done.body)).toContain('This declaration is voided at DfE: there is nothing more to do here.');
    expect(text(done.body)).not.toContain('Void it at DfE');
    expect(done.body).toContain('href="/admin/dfe/declarations?tab=voided"');
    // The same evidence proposes it no more; the admin asks for it again from the Voided list.
    await admin.post('/admin/dfe/declarations/weigh');
    expect(text((await admin.get(`/admin/dfe/declarations?${mineOnly}`)).body)).not.toContain(`${mine.fullName}: Started`);
    expect(text(voidedTab.body)).toContain(`Propose ${mine.fullName}’s started declaration again`);
    // Voided twice: told why, beside the button.
    const again = await admin.post(`/admin/dfe/declarations/${row!.id}/void`);
    expect(again.statusCode).toBe(422);
    expect(text(again.body)).toContain('This declaration cannot be voided now');
    expect(again.body).toContain('href="#id"');
    expect(again.body).toMatch(/<p class="govuk-error-message" id="id">/);
    expect(await landed(admin, admin.post(`/admin/dfe/declarations/${row!.id}/propose-again`))).toContain('The declaration is proposed again');
    expect(text((await admin.get(`/admin/dfe/declarations?${mineOnly}`)).body)).toContain(`${mine.fullName}: Started`);
    expect(await landed(admin, admin.post(`/admin/dfe/declarations/${row!.id}/propose-again`))).toContain('already has a declaration of this type that is not voided');
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
    const hex = text((await admin.post('/admin/dfe/declarations/rules', { retained1Activities: '0x10', retained2Activities: '1e2', sendAutomatically: 'no' })).body);
    expect(hex).toContain('Enter the number of sessions for retained-1 as a whole number from 1 to 200');
    expect(hex).toContain('Enter the number of sessions for retained-2 as a whole number from 1 to 200');
    // Over-long: named for the field, the limit shown by the character count, what was typed kept.
    const form = await admin.get(`/admin/dfe/declarations/${row!.id}/dismiss`);
    expect(form.body).toContain('data-module="govuk-character-count"');
    expect(form.body).toContain('data-maxlength="500"');
    expect(text(form.body)).toContain('You can enter up to 500 characters');
    const long = await admin.post(`/admin/dfe/declarations/${row!.id}/dismiss`, { reason: 'y'.repeat(501) });
    expect(long.statusCode).toBe(422);
    expect(text(long.body)).toContain('Enter a reason of 500 characters or fewer');
    expect(long.body).toContain('y'.repeat(501));
    const bad = await admin.post('/admin/dfe/declarations/rules', { retained1Activities: 'six', retained2Activities: '0', sendAutomatically: 'maybe' });
    expect(bad.statusCode).toBe(422);
    const said = text(bad.body);
    expect(said).toContain('Enter the number of sessions for retained-1 as a whole number from 1 to 200');
    expect(said).toContain('Enter the number of sessions for retained-2 as a whole number from 1 to 200');
    expect(said).toContain('Select whether due declarations are sent without approval');
    expect(bad.body).toContain('value="six"');
    // Out of range is told the range, not "a whole number"; blank is asked for; each names its field.
    const range = text((await admin.post('/admin/dfe/declarations/rules', { retained1Activities: '-3', retained2Activities: '99999999999999999999', sendAutomatically: 'no' })).body);
    expect(range).toContain('Enter the number of sessions for retained-1 as a whole number from 1 to 200');
    expect(range).toContain('Enter the number of sessions for retained-2 as a whole number from 1 to 200');
    expect(range).not.toContain('Enter a whole number');
    const blankRules = text((await admin.post('/admin/dfe/declarations/rules', { retained1Activities: '', retained2Activities: ' ', sendAutomatically: 'no' })).body);
    expect(blankRules).toContain('Enter the number of sessions for retained-1');
    expect(blankRules).not.toContain('retained-1 as a whole number');
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
    // The NPQ's name, its identifier in a column of its own; dates in ISO 8601.
    expect(csv.body.split('\n')[0]).toContain('Participant,NPQ,NPQ identifier,Cohort,Declaration,Date,');
    expect(csv.body).toMatch(new RegExp(`${mine.fullName},National Professional Qualification for Headship,npq-headship,2026b,Started,\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z,`));
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

describe('the milestone line (docs/dfe-api.md §2.3, §2.4 item 6)', () => {
  const row = (over: Partial<DeclarationRow>): DeclarationRow => ({
    id: 'x', applicationId: 'y', fullName: 'Tomasz Kowalski', courseIdentifier: 'npq-headship', courseName: 'National Professional Qualification for Headship', cohort: '2025a', declarationType: 'started', declarationDate: new Date('2025-03-10T16:00:00Z'),
    evidence: 'Attended Event 1', hasPassed: null, state: 'proposed', dfeDeclarationId: null, dfeState: null, statement: null, clawbackStatement: null, voidRequestedAt: null, voidedAt: null,
    milestone: { milestoneDate: '2025-05-30', paymentDate: '2025-06-25' }, milestoneStanding: 'missed', atRisk: true, answer: null, actions: [], ...over,
  });
  it('says a passed milestone is missed, and what DfE does then, not "send by" a date long gone', () => {
    expect(milestoneText(row({}))).toBe('Milestone missed: it was 30 May 2025, for payment on 25 June 2025. DfE does not refuse a declaration for missing its milestone: it accepts it and pays it on the next statement whose cut-off has not passed when it is sent, later than the milestone’s payment date.');
    expect(standing(row({})).text).toBe('Due, milestone missed');
    expect(standing(row({ milestoneStanding: 'near' })).text).toBe('Due, at risk');
    expect(milestoneText(row({ milestoneStanding: 'near' }))).toBe('Send by 30 May 2025 to be paid on 25 June 2025');
  });
  it('gives way to DfE’s state and statement once sent, voided or dismissed', () => {
    expect(milestoneText(row({ state: 'sent', dfeState: 'eligible', milestoneStanding: 'none' }))).toBeNull();
    expect(milestoneText(row({ state: 'sent', voidedAt: new Date(), milestoneStanding: 'none' }))).toBeNull();
    expect(milestoneText(row({ state: 'dismissed', milestoneStanding: 'none' }))).toBeNull();
    expect(milestoneText(row({ state: 'approved' }))).toContain('Milestone missed');
  });
});
