/**
 * The inbox names and filters by every delivery partner and NPQ an application may have, not only
 * those on offer today: a partner whose intakes have all started (its participants in training) and a
 * retired NPQ are still filters of the inbox and its CSV, and still named in the CSV. A lead is
 * offered their own partners only. (Found by a helper trying to break the filters, fca15fa.)
 */
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { qualifications } from '../../catalogue/catalogue.schema';
import { system } from '../../platform/auth/actor';
import { factoriesFor, setUp } from '../../testing/factories';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);

/** The error summary's links (text and target) on a page, in order. */
const summaryLinks = (html: string) => [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => ({ href: m[1], text: m[2] }));

// Runs first: the partner's tests below move the clock on past the demo's January 2027 intakes.
describe('the partner and NPQ selects', () => {
  it('offer a lead their own partners only', async () => {
    const lead = new Client(t);
    await lead.signIn('lead.midlands@demo.npq.test');
    const page = await lead.get('/admin/applications');
    const partnerSelect = page.body.match(/<select class="govuk-select" id="partner"[\s\S]*?<\/select>/)![0];
    expect(partnerSelect).toContain('Midlands Teaching School Hub');
    expect(partnerSelect).not.toContain('North East Leadership Trust');
  });

  it('still offer and apply a retired NPQ, which its applications keep', async () => {
    const { application } = await f.anAcceptedApplication({ course: 'npq-senco' });
    const [senco] = await t.database.db.select({ id: qualifications.id }).from(qualifications).where(eq(qualifications.identifier, 'npq-senco'));
    await t.services.catalogue.setQualificationRetired(system('test admin'), senco!.id, true);
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const page = await admin.get('/admin/applications?course=npq-senco');
    expect(summaryLinks(page.body)).toEqual([]);
    expect(page.body).toContain(application.id);
    expect(page.body).toMatch(/<option value="npq-senco" selected>NPQ SENCO \(retired\)<\/option>/);
    // Interest in it outlives it too: still a filter of the expressions of interest, and their CSV.
    await t.services.interest.register({ name: 'Rita Retired', email: 'rita@retired-npq.test', courseIdentifier: 'npq-headship', startPreference: 'Not sure yet', consent: 'yes' });
    const interest = await admin.get('/admin/interest?course=npq-senco&q=retired-npq.test');
    expect(summaryLinks(interest.body)).toEqual([]);
    expect(interest.body).toMatch(/<option value="npq-senco" selected>NPQ SENCO \(retired\)<\/option>/);
    expect(interest.body).not.toContain('rita@retired-npq.test');
    expect((await admin.get('/admin/interest.csv?course=npq-senco&q=retired-npq.test')).body).not.toContain('rita@retired-npq.test');
  });
});

describe('a delivery partner whose intakes have all started', () => {
  let midlandsId: string;
  let midlandsApplicantEmail: string;
  let northApplicantEmail: string;

  beforeAll(async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
    midlandsId = partners.find((p) => p.name === 'Midlands Teaching School Hub')!.id;
    // Accepted into the Midlands' January 2027 intake (NPQSL's default), and one with the North East.
    const { application } = await f.anAcceptedApplication();
    midlandsApplicantEmail = application.email;
    northApplicantEmail = 'north.applicant@break3.test';
    await f.anApiEnteredApplication({ email: northApplicantEmail, intakeId: (await f.theIntake('npq-senior-leadership', 'January 2027 (distance)')).id });
    // February 2027: every Midlands intake of the demo (January 2027) has started; the North East's September 2027 intake has not.
    t.clock.advance(70 * 24 * 60 * 60 * 1000);
  });

  it('is still a filter of the provider’s inbox: not refused, and the other partner’s applications are not shown', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const page = await admin.get(`/admin/applications?partner=${midlandsId}`);
    expect(page.statusCode).toBe(200);
    // Answered: 'Delivery partner: “<id>” is not one of the choices, so the list is not filtered by it', and the list unfiltered.
    expect(summaryLinks(page.body)).toEqual([]);
    expect(page.body).toContain(midlandsApplicantEmail);
    expect(page.body).not.toContain(northApplicantEmail);
  });

  it('is still a filter its own lead may use', async () => {
    const lead = new Client(t);
    await lead.signIn('lead.midlands@demo.npq.test');
    const page = await lead.get(`/admin/applications?partner=${midlandsId}`);
    expect(page.statusCode).toBe(200);
    expect(summaryLinks(page.body)).toEqual([]);
    expect(page.body).toContain(midlandsApplicantEmail);
    expect(page.body).not.toContain(northApplicantEmail);
  });

  it('is still applied by the inbox’s CSV', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const csv = await admin.get(`/admin/applications.csv?partner=${midlandsId}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain(midlandsApplicantEmail);
    expect(csv.body).not.toContain(northApplicantEmail);
  });

  it('is still named in the CSV’s "Delivery partner" column', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const csv = await admin.get(`/admin/applications.csv?q=${encodeURIComponent(midlandsApplicantEmail)}`);
    const [heading, row] = csv.body.replace(/^\uFEFF/, '').split('\r\n');
    const column = heading!.split(',').indexOf('Delivery partner');
    expect(column).toBeGreaterThan(-1);
    // Before the intakes started the row said "Midlands Teaching School Hub"; after, the cell is empty.
    expect(row!.split(',')[column]).toBe('Midlands Teaching School Hub');
  });
});
