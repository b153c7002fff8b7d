import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../testing/test-app';
import { factoriesFor, setUp } from '../../testing/factories';
import { approveDeclarations, requestVoid } from '../declarations/declarations.service';
import { proposeDeclarations } from '../declarations/propose-declarations';
import { pullDeclarations, pullDeliveryPartners, pullStatements } from '../declarations/pull-declarations';
import { listStatements } from '../finance/finance.service';
import { roleAssignments, users } from '../../people/people.schema';
import { dfeDeclarations } from '../dfe.schema';
import { eq } from 'drizzle-orm';
import { useDfeTestApp } from '../testing/dfe-test-app';

/**
 * Issue 13 items 5 and 7, the finance pages: the admin sets a contract (errors beside the fields, what
 * was typed kept), sees December's statement expected against what DfE holds, and downloads its lines
 * as CSV and Excel; finance reads all of it and the declarations, and sets nothing; everyone else is
 * refused on every finance route, the exports too.
 */
const dfe = useDfeTestApp({ portBase: 48_100, token: 'finance-page-token' });
const { t, client } = dfe;
const f = factoriesFor(t);
let ip = 0;
const nextIp = () => `10.132.0.${++ip}`;
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&quot;/g, '"').replace(/&#39;|&rsquo;/g, '’').replace(/&amp;/g, '&').replace(/\s+/g, ' ');
let partnerId: string;
let statementId: string;
let fullName: string;
/** The page a form's success sends the browser to (303), as its text: where the flash says what happened. */
async function landed(c: Client, posted: ReturnType<Client['post']>) {
  const res = await posted;
  expect(res.statusCode).toBe(303);
  return text((await c.get(String(res.headers.location))).body);
}
const contract = { cohort: '2026b', courseIdentifier: 'npq-headship', perParticipant: '3,000.00', recruitmentTarget: '20', outputPaymentPercent: '60', serviceFeePercent: '40', serviceFeeInstalments: '12' };

beforeAll(async () => {
  partnerId = await t.services.catalogue.savePartner(setUp, null, { name: 'Riverside Teaching School Hub', region: '', description: '' });
  await pullDeliveryPartners({ client: client() }, (records) => t.services.catalogue.linkPartnersToDfe(setUp, records));
  // A started declaration DfE holds eligible on its December 2026 statement, read back.
  const { mine, admin } = await dfe.aParticipantWhoCame(partnerId);
  fullName = mine.fullName;
  await proposeDeclarations({ db: t.database.db, clock: t.clock }, [mine.id]);
  const [row] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.applicationId, mine.id));
  await approveDeclarations({ db: t.database.db, clock: t.clock }, admin.actor, [row!.id]);
  await t.services.jobs.drain();
  await pullStatements({ db: t.database.db, clock: t.clock, client: client() });
  statementId = (await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.id, row!.id)))[0]!.dfeStatementId!;
});

describe('the finance pages', () => {
  it('let the admin set a contract, with errors beside the fields and what was typed kept', async () => {
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    const before = text((await admin.get('/admin/dfe/finance')).body);
    expect(before).toContain('No contracts yet');
    expect(before).toContain('December 2026');
    expect(text((await admin.get('/admin/dfe/finance/contracts')).body)).toContain('Set a contract with DfE');
    const bad = await admin.post('/admin/dfe/finance/contracts', { ...contract, perParticipant: '3000.999', recruitmentTarget: 'lots', serviceFeePercent: '50' });
    expect(bad.statusCode).toBe(422);
    const said = text(bad.body);
    expect(said).toContain('There is a problem');
    expect(said).toContain('Enter the price per participant in pounds and pence, like 2,500 or 2500.00');
    expect(said).toContain('Enter the recruitment target as a whole number');
    expect(said).toContain('The output payment and service fee shares together must be 100% or less');
    expect(bad.body).toContain('value="3000.999"');
    expect(bad.body).toContain('value="lots"');
    expect(bad.body).toContain('id="perParticipant-error"');
    // Without the form's token: refused.
    expect((await admin.post('/admin/dfe/finance/contracts', contract, { csrf: false, follow: false })).statusCode).toBe(403);
    expect(await landed(admin, admin.post('/admin/dfe/finance/contracts', contract))).toContain('The contract for 2026b National Professional Qualification for Headship is saved: £3,000.00 per participant.');
    const after = text((await admin.get('/admin/dfe/finance')).body);
    expect(after).toContain('£2,000.00 × 12');
    // The NPQ by its name, on the page and in the form; never DfE's identifier alone.
    expect(after).toContain('National Professional Qualification for Headship');
    expect(after).not.toMatch(/\bnpq-headship\b/);
    expect((await admin.get('/admin/dfe/finance/contracts')).body).toContain('<option value="npq-headship">National Professional Qualification for Headship</option>');
    expect(after).toContain('Cohort 2026b: no milestones published');
    // The change link brings the contract back as typed.
    expect((await admin.get('/admin/dfe/finance/contracts?cohort=2026b&course=npq-headship')).body).toContain('value="3000.00"');
  });

  it('show a statement expected against what DfE holds, and its lines as CSV and Excel', async () => {
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    await admin.post('/admin/dfe/finance/contracts', contract);
    const listed = await admin.get('/admin/dfe/finance?cohort=2026');
    const list = text(listed.body);
    expect(list).toContain('December 2026');
    // DfE lists a 2026a and a 2026b statement a month, alike but for the id: each row says its cohort with the suffix and DfE's id in short,
    // and the fee is reckoned on every month's 2026b statement; no row is 'not known', and no note is counted as a difference.
    expect(list).toContain(`DfE id ${statementId.slice(0, 8)}`);
    expect(list).toMatch(/December 2026 .*2026b .*To be paid 25 December 2026/);
    expect(list).toContain('2026a');
    expect(list).not.toContain('not known');
    expect(list).not.toContain('which is not known');
    // Fits a 1280px screen: seven columns (no cut-off: it is on the statement's page), the smaller type.
    const table = listed.body.slice(listed.body.indexOf('<table'), listed.body.indexOf('</table>'));
    expect(table).toContain('govuk-!-font-size-16');
    expect(table.match(/<th scope="col"/g)).toHaveLength(7);
    expect(table).not.toContain('Cut-off');
    expect(list).toMatch(/\d+ statements/);
    // Up to the statement open now unless asked: DfE lists three years ahead.
    expect(list).not.toContain('September 2029');
    expect(text((await admin.get('/admin/dfe/finance?cohort=2026&when=all')).body)).toContain('September 2029');
    const page = text((await admin.get(`/admin/dfe/finance/statements/${statementId}`)).body);
    expect(page).toContain('DfE’s December 2026 statement for 2026b');
    expect(page).toContain(statementId);
    expect(page).toContain('Started, National Professional Qualification for Headship');
    expect(page).toContain('£2,000.00 (instalment 3)');
    expect(page).toContain(fullName);
    expect(page).toContain('Eligible');
    expect(page).toContain('£450.00');
    const csv = await admin.get(`/admin/dfe/finance/statements/${statementId}/lines.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    // A name unique to the statement: its payment date, cohort and DfE's id in short (2026a's of the same month differs).
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="dfe-statement-2026-12-25-2026b-${statementId.slice(0, 8)}.csv"`);
    expect(csv.body).toContain('Participant,NPQ,NPQ identifier,Cohort,Declaration,Line,Sent to DfE,Platform state,DfE state,DfE declaration id,Platform expects (£),DfE holds (£),Difference (£),Cause,Note');
    // The NPQ's name, its identifier beside it; the one date ISO, as DfE writes statements' dates.
    expect(csv.body).toMatch(new RegExp(`${fullName},National Professional Qualification for Headship,npq-headship,2026b,started,Output payment,\\d{4}-\\d{2}-\\d{2},sent,eligible,`));
    expect(csv.body).toMatch(/,450,450,0,,\r\n/);
    expect(csv.body).toContain('Service fee,,,2026b,,Instalment 3,,,,,2000,2000,0,,');
    expect(csv.body).not.toMatch(/\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}/);
    const xlsx = await admin.get(`/admin/dfe/finance/statements/${statementId}/lines.xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers['cache-control']).toBe('no-store');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('December 2026 statement');
    expect(sheet.getRow(1).getCell(1).value).toBe('Participant');
    const mine = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === fullName)!;
    expect([mine.getCell(11).value, mine.getCell(12).value]).toEqual([450, 450]);
    expect(mine.getCell(11).numFmt).toBe('£#,##0.00;-£#,##0.00');
    expect((await admin.get('/admin/dfe/finance/statements/no-such-statement')).statusCode).toBe(404);
    // A cohort no statement has: said beside the filter, the list unfiltered.
    const odd = await admin.get('/admin/dfe/finance?cohort=1999');
    expect(odd.statusCode).toBe(422);
    expect(text(odd.body)).toContain('is not one of the choices');
  });

  it('offer the finance role to the admin on the users pages, at provider scope, and never to a partner’s lead', async () => {
    const admin = await (await f.aStaffMember({ role: 'provider_admin' })).signIn(nextIp());
    expect((await admin.get('/admin/users/new')).body).toMatch(/value="finance"[^>]*>[\s\S]*?Finance/);
    expect(await landed(admin, admin.post('/admin/users/new', { name: 'Fay Ledger', email: 'fay.ledger@provider.test', role: 'finance', partner: '' }))).toContain('Fay Ledger');
    const [fay] = await t.database.db.select({ role: roleAssignments.role, scopeType: roleAssignments.scopeType }).from(roleAssignments).innerJoin(users, eq(users.id, roleAssignments.userId)).where(eq(users.email, 'fay.ledger@provider.test'));
    expect(fay).toEqual({ role: 'finance', scopeType: 'provider' });
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    expect((await lead.get('/admin/users/new')).body).not.toContain('value="finance"');
    expect((await lead.post('/admin/users/new', { name: 'Lee Ledger', email: 'lee.ledger@provider.test', role: 'finance', partner: partnerId }, { follow: false })).statusCode).toBe(403);
  });

  it('let finance read everything, the declarations too, and set nothing', async () => {
    const finance = await (await f.aStaffMember({ role: 'finance' })).signIn(nextIp());
    const home = text((await finance.get('/home')).body);
    expect(home).toContain('Finance: DfE’s statements, expected against paid');
    expect(home).toContain('Declarations to DfE');
    const page = await finance.get('/admin/dfe/finance');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Set a contract');
    for (const url of [`/admin/dfe/finance/statements/${statementId}`, `/admin/dfe/finance/statements/${statementId}/lines.csv`, `/admin/dfe/finance/statements/${statementId}/lines.xlsx`]) expect((await finance.get(url)).statusCode, url).toBe(200);
    expect((await finance.get('/admin/dfe/finance/contracts')).statusCode).toBe(403);
    expect((await finance.post('/admin/dfe/finance/contracts', contract, { follow: false })).statusCode).toBe(403);
    const declarations = await finance.get('/admin/dfe/declarations?tab=sent');
    expect(declarations.statusCode).toBe(200);
    expect(text(declarations.body)).toContain(`${fullName}: Started`);
    expect(declarations.body).not.toContain('Check everyone’s evidence now');
    expect(declarations.body).not.toContain('/void"');
    expect((await finance.post('/admin/dfe/declarations/weigh', {}, { follow: false })).statusCode).toBe(403);
    expect((await finance.get('/admin/dfe')).statusCode).toBe(403);
  });

  it('show a declaration voided before payment on its statement, with the cause, not a silent gap', async () => {
    const admin = await f.aStaffMember({ role: 'provider_admin' });
    const [row] = await t.database.db.select().from(dfeDeclarations).where(eq(dfeDeclarations.dfeStatementId, statementId));
    await requestVoid({ db: t.database.db, clock: t.clock }, admin.actor, row!.id);
    await t.services.jobs.drain();
    await pullDeclarations({ db: t.database.db, clock: t.clock, client: client() });
    const signedIn = await admin.signIn(nextIp());
    // DfE takes it off the statement (statement_id null); it stays on December's 2026b statement as the platform expects it, saying why it pays nothing.
    const december = (await listStatements({ db: t.database.db, clock: t.clock }, admin.actor, { cohort: '2026' }, 1, 100)).rows.filter((r) => r.statement.paymentDate === '2026-12-25');
    const pages = await Promise.all(december.map(async (r) => text((await signedIn.get(`/admin/dfe/finance/statements/${r.statement.id}`)).body)));
    const showing = pages.filter((p) => p.includes(fullName));
    expect(showing).toHaveLength(1);
    expect(showing[0]).toMatch(new RegExp(`${fullName} Started, National Professional Qualification for Headship Voided before payment: no payment £0.00 £0.00`));
    expect(showing[0]).toContain('Differences (0)');
  });

  it('refuse everyone else on every finance route, the exports too', async () => {
    const routes = ['/admin/dfe/finance', '/admin/dfe/finance?cohort=2026', `/admin/dfe/finance/statements/${statementId}`, `/admin/dfe/finance/statements/${statementId}/lines.csv`, `/admin/dfe/finance/statements/${statementId}/lines.xlsx`, '/admin/dfe/finance/contracts'];
    const lead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: partnerId } })).signIn(nextIp());
    const others = [lead, await (await f.aParticipantUser()).signIn(nextIp())];
    for (const role of ['facilitator', 'coach', 'assessor', 'moderator', 'school_approver'] as const) others.push(await (await f.aStaffMember({ role })).signIn(nextIp()));
    for (const someone of others) {
      for (const url of routes) expect((await someone.get(url)).statusCode, url).toBe(403);
      expect((await someone.post('/admin/dfe/finance/contracts', contract, { follow: false })).statusCode).toBe(403);
    }
    expect(text((await lead.get('/home')).body)).not.toContain('Finance: DfE’s statements');
    const anonymous = new Client(t, nextIp());
    for (const url of routes) expect((await anonymous.get(url)).statusCode, url).toBe(303);
  });
});
