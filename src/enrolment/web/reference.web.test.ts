import { beforeAll, describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../../testing/test-app';
import { generatedSchools, giasCsv } from '../gias-csv';

const t = useTestApp();
let admin: Client;
beforeAll(async () => {
  admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
});

/** Sends a multipart form as a browser would, with the page's CSRF token. */
async function upload(url: string, fields: Record<string, string>, file?: { name: string; content: string }) {
  await admin.get('/admin/reference');
  return admin.upload(url, fields, file && { ...file, type: 'text/csv' });
}

const waitForImport = async (path: string) => {
  for (let i = 0; i < 200; i++) {
    const page = await admin.get(path);
    if (!page.body.includes('data-import-running')) return page;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
};

describe('reference data pages', () => {
  it('check a GIAS file first, then import it and show its progress and summary', async () => {
    const res = await upload('/admin/reference/schools', {}, { name: 'gias.csv', content: giasCsv([...generatedSchools(2000), { urn: 12, name: 'Bad' }]) });
    expect(res.statusCode).toBe(303);
    const preview = await admin.get(res.headers.location as string);
    expect(preview.body).toContain('Check the GIAS schools upload');
    expect(preview.body).toContain('Nothing has changed yet');
    expect(preview.body).toContain('URN &quot;12&quot; is not a 6-digit number');
    expect((await admin.get('/admin/reference/schools?q=100001')).body).toContain('0 matches');
    const refused = await admin.post(`${res.headers.location}/confirm`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Select that the 1 refused row is left out');
    expect(refused.body).toContain('href="#skipInvalid"');
    const confirmed = await admin.post(`${res.headers.location}/confirm`, { skipInvalid: 'yes' });
    expect(confirmed.statusCode).toBe(303);
    const done = await waitForImport(confirmed.headers.location as string);
    expect(done.body).toContain('Import finished');
    expect(done.body).toContain('2,000 schools added, 0 updated, 1 rows rejected.');
    expect(done.body).toContain('URN &quot;12&quot; is not a 6-digit number');
    expect((await admin.get('/admin/reference/schools?q=100001')).body).toContain('URN');
  });

  it('preview a list upload with 3 of 4 rows invalid, change nothing until confirmed, and replace only skipping them by choice', async () => {
    const res = await upload('/admin/reference/lists', { list: 'rise-schools' }, { name: 'rise.csv', content: 'URN\n100001\nabc\n12\n1000011\n' });
    expect(res.statusCode).toBe(303);
    const preview = await admin.get(res.headers.location as string);
    expect(preview.body).toContain('Check the RISE schools upload');
    expect(preview.body).toMatch(/To add<\/dt>\s*<dd class="govuk-summary-list__value">\s*1/);
    expect(preview.body).toContain('&quot;abc&quot; is not a 6-digit URN');
    expect(preview.body).toContain('&quot;1000011&quot; is not a 6-digit URN');
    expect(await t.services.reference.onList('rise-schools', '100001')).toBe(false);
    const refused = await admin.post(`${res.headers.location}/confirm`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Select that the 3 refused rows are left out');
    expect(await t.services.reference.onList('rise-schools', '100001')).toBe(false);
    const confirmed = await admin.post(`${res.headers.location}/confirm`, { skipInvalid: 'yes' });
    expect(confirmed.statusCode).toBe(303);
    const page = await admin.get(confirmed.headers.location as string);
    expect(page.body).toContain('1 added, 1 removed, 0 changed, 3 rows left out.');
    expect(await t.services.reference.onList('rise-schools', '100001')).toBe(true);
  });

  it('cancel an upload, changing nothing', async () => {
    const res = await upload('/admin/reference/lists', { list: 'childminders' }, { name: 'cm.csv', content: 'URN\n100009\n' });
    await admin.get(res.headers.location as string);
    expect((await admin.post(`${res.headers.location}/cancel`)).statusCode).toBe(303);
    expect(await t.services.reference.onList('childminders', '100009')).toBe(false);
    expect((await admin.get(res.headers.location as string)).body).toContain('nothing in it was applied');
  });

  it('explain a missing file or list next to the field', async () => {
    const noFile = await upload('/admin/reference/schools', {});
    expect(noFile.statusCode).toBe(422);
    expect(noFile.body).toContain('Choose a GIAS CSV file to import');
    const noList = await upload('/admin/reference/lists', { list: '' }, { name: 'x.csv', content: 'URN\n100001\n' });
    expect(noList.body).toContain('Choose which list the file replaces');
    const wrongFile = await upload('/admin/reference/schools', {}, { name: 'x.csv', content: 'Name,Town\nA,B\n' });
    expect(wrongFile.body).toContain('The file is not a GIAS extract');
  });

  it('refuse an upload without the CSRF token', async () => {
    const form = new FormData();
    form.append('file', new Blob(['URN\n100001\n']), 'x.csv');
    const request = new Response(form);
    const cookie = (admin as unknown as { cookieHeader: string }).cookieHeader;
    const res = await t.app.inject({ method: 'POST', url: '/admin/reference/schools', headers: { accept: 'text/html', cookie, 'content-type': request.headers.get('content-type')! }, payload: Buffer.from(await request.arrayBuffer()) });
    expect(res.statusCode).toBe(403);
  });
});
