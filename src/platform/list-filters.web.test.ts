/**
 * A list page's filter whose value in the address is none of those its select offers (an old
 * bookmark, a retired NPQ, a value typed by hand) is said to be so next to the select, with the list
 * shown unfiltered by it, as the select shows it: never dropped in silence, nor applied unseen. The
 * other filters still apply. Every list page with selects: the inbox, expressions of interest, users
 * and the audit log here; the public list of qualifications in src/catalogue/web/catalogue.web.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor } from '../testing/factories';
import { Client, useTestApp } from '../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);
let admin: Client;

beforeAll(async () => {
  admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
});

/** The error summary's links (text and target) on a page, in order. */
const summaryLinks = (html: string) => [...html.matchAll(/<li><a href="(#[^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => ({ href: m[1], text: m[2] }));

describe('filters the list does not offer', () => {
  it('the inbox says which, keeps the others, and shows what the selects show', async () => {
    const senco = await f.anApiEnteredApplication({ email: 'filtered.senco@filters.test', course: 'npq-senco' });
    await f.anApiEnteredApplication({ email: 'filtered.headship@filters.test', course: 'npq-headship' });
    const page = await admin.get('/admin/applications?q=filters.test&status=bogus&course=npq-senco&cohort=00000000-0000-4000-8000-000000000000&partner=not-a-partner&funding=maybe&gateway=&approval=approved-ish');
    expect(page.statusCode).toBe(200);
    expect(summaryLinks(page.body)).toEqual([
      { href: '#status', text: 'Status: “bogus” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
      { href: '#cohort', text: 'Cohort: “00000000-0000-4000-8000-000000000000” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
      { href: '#partner', text: 'Delivery partner: “not-a-partner” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
      { href: '#funding', text: 'DfE funding: “maybe” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
      { href: '#approval', text: 'School approval: “approved-ish” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
    ]);
    expect(page.body).toContain('<p id="status-error" class="govuk-error-message">');
    // The search and the NPQ, which are good, still apply: the SENCO application alone.
    expect(page.body).toContain(senco.id);
    expect(page.body).toContain('1 application');
    expect(page.body).toMatch(/<option value="npq-senco" selected/);
    // The title says there is a problem, as every page with errors does.
    expect(page.body).toMatch(/<title>Error: /);
  });

  it('the inbox shows no errors for the choices it offers', async () => {
    const page = await admin.get('/admin/applications?status=pending&course=npq-senco&funding=eligible&gateway=not_required&approval=not_requested');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('govuk-error-summary');
  });

  it('the inbox’s CSV leaves out a filter it does not offer, as the page does', async () => {
    await f.anApiEnteredApplication({ email: 'csv.filtered@filters-csv.test', course: 'npq-senco' });
    const csv = await admin.get('/admin/applications.csv?status=bogus&course=npq-senco');
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('csv.filtered@filters-csv.test');
  });

  it('expressions of interest say which, beside the right select', async () => {
    const page = await admin.get('/admin/interest?course=npq-retired&invited=perhaps');
    expect(page.statusCode).toBe(200);
    expect(summaryLinks(page.body)).toEqual([
      { href: '#course-filter', text: 'NPQ: “npq-retired” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
      { href: '#invited', text: 'Invited to apply: “perhaps” is not one of the choices, so the results are not filtered by it. Choose one from the list' },
    ]);
    expect(page.body).toContain('<p id="course-filter-error" class="govuk-error-message">');
    // The invitation form's own NPQ select is not the filter's, and says nothing.
    expect(page.body).not.toContain('id="course-error"');
    expect((await admin.get('/admin/interest?course=npq-senco&invited=no')).body).not.toContain('govuk-error-summary');
  });

  it('users say which, and a good role still filters', async () => {
    const page = await admin.get('/admin/users?role=participant&status=asleep');
    expect(page.statusCode).toBe(200);
    expect(summaryLinks(page.body)).toEqual([{ href: '#status', text: 'Status: “asleep” is not one of the choices, so the results are not filtered by it. Choose one from the list' }]);
    expect(page.body).toContain('participant@demo.npq.test');
    expect(page.body).not.toContain('admin@demo.npq.test</td>');
    const badRole = await admin.get('/admin/users?role=superuser');
    expect(summaryLinks(badRole.body)).toEqual([{ href: '#role-filter', text: 'Role: “superuser” is not one of the choices, so the results are not filtered by it. Choose one from the list' }]);
    expect((await admin.get('/admin/users?role=coach&status=active')).body).not.toContain('govuk-error-summary');
  });

  it('the audit log says which kind of record it has never seen, with the date errors in the page’s order', async () => {
    const page = await admin.get('/admin/audit?entity=spaceship&from-day=31&from-month=2&from-year=2026');
    expect(page.statusCode).toBe(200);
    expect(summaryLinks(page.body).map((l) => l.href)).toEqual(['#entity', '#from-day']);
    expect(summaryLinks(page.body)[0]!.text).toBe('What: “spaceship” is not one of the choices, so the results are not filtered by it. Choose one from the list');
    expect((await admin.get('/admin/audit?entity=user')).body).not.toContain('govuk-error-summary');
  });

  it('cuts a long value short in the message, and escapes it', async () => {
    const page = await admin.get(`/admin/users?status=${encodeURIComponent(`<script>${'x'.repeat(60)}`)}`);
    expect(page.body).not.toContain('<script>xxx');
    expect(page.body).toContain(`“&lt;script>${'x'.repeat(32)}…”`);
  });
  it('cuts a long value short without splitting a character in two', async () => {
    // 'a' then emoji (two UTF-16 code units each): cut at 40 code units, the last would be half an emoji.
    const page = await admin.get(`/admin/applications?course=${encodeURIComponent(`a${'😀'.repeat(60)}`)}`);
    expect(page.statusCode).toBe(200);
    const [link] = summaryLinks(page.body);
    expect(link?.href).toBe('#course');
    // Cut at 40 characters: no half a character, which UTF-8 would send as U+FFFD.
    expect(link?.text).not.toContain('\uFFFD');
    expect(link?.text).toContain(`“a${'😀'.repeat(39)}…”`);
  });

  it('says when nothing matches, with a link that clears the filters, in place of an empty table', async () => {
    const pages: [string, string, string][] = [
      ['/admin/applications?q=nobody-at-all.test', 'No applications match these filters.', '/admin/applications'],
      ['/admin/interest?q=nobody-at-all.test', 'No expressions of interest match these filters.', '/admin/interest'],
      ['/admin/users?q=nobody-at-all.test', 'No people match these filters.', '/admin/users'],
      ['/admin/audit?actor=nobody-at-all', 'No changes match these filters.', '/admin/audit'],
    ];
    for (const [url, said, clear] of pages) {
      const page = await admin.get(url);
      expect(page.statusCode, url).toBe(200);
      expect(page.body, url).toContain(said);
      expect(page.body, url).toContain(`<a class="govuk-link" href="${clear}">Clear the filters</a>`);
      expect(page.body, url).not.toContain('<table');
    }
  });
});

