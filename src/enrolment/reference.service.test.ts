import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../platform/auth/actor';
import { giasCsv } from './gias-csv';
import { useTestApp } from '../testing/test-app';
import { createReferenceService } from './reference.service';

const t = useTestApp();
let reference: ReturnType<typeof createReferenceService>;
const admin = system('test');

beforeAll(() => {
  reference = createReferenceService({ db: t.database.db, clock: t.clock });
});

const importSchools = async (csv: string | Buffer) => {
  const { run } = await reference.beginSchoolImport(admin, 'gias.csv', Buffer.isBuffer(csv) ? csv : Buffer.from(csv));
  return run();
};

describe('GIAS import', () => {
  it('upserts by URN, keeps closed schools marked, and explains rejected rows', async () => {
    const first = await importSchools(
      `${giasCsv([
        { urn: 123456, name: 'Aldgate Primary', town: 'London', postcode: 'EC3A 5DE' },
        { urn: 123457, name: 'Old Mill School', statusCode: 2 },
        { urn: 12, name: 'Broken Row' },
      ])}`,
    );
    expect(first).toMatchObject({ status: 'finished', added: 2, updated: 0, rejected: 1, processedRows: 3 });
    expect(first.rejections).toEqual([{ row: 4, reason: 'URN "12" is not a 6-digit number' }]);
    expect((await reference.school(123457))?.closed).toBe(true);

    const second = await importSchools(giasCsv([{ urn: 123456, name: 'Aldgate Primary Academy', town: 'London', postcode: 'EC3A 5DE' }, { urn: 123458, name: 'New School' }]));
    expect(second).toMatchObject({ added: 1, updated: 1, rejected: 0 });
    expect((await reference.school(123456))?.name).toBe('Aldgate Primary Academy');
    expect((await reference.school(123457))?.name).toBe('Old Mill School'); // not in the new file: kept
  });

  it('reads Windows-1252 files as GIAS writes them', async () => {
    const csv = giasCsv([{ urn: 123459, name: 'École Française' }]);
    await importSchools(Buffer.from(csv, 'latin1'));
    expect((await reference.school(123459))?.name).toBe('École Française');
  });

  it('refuses a file that is not a GIAS extract', async () => {
    await expect(reference.beginSchoolImport(admin, 'x.csv', Buffer.from('Name,Town\nA,B\n'))).rejects.toMatchObject({ fieldErrors: { file: expect.stringContaining('no URN') } });
  });

  it('is for provider admins only', async () => {
    await expect(reference.beginSchoolImport({ kind: 'anonymous' }, 'gias.csv', Buffer.from(giasCsv([])))).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe('school search', () => {
  it('finds schools by URN, postcode, name or town, leaving closed ones out', async () => {
    expect((await reference.searchSchools('123456')).map((s) => s.name)).toEqual(['Aldgate Primary Academy']);
    expect((await reference.searchSchools('ec3a5de')).map((s) => s.urn)).toEqual([123456]);
    expect((await reference.searchSchools('aldg')).map((s) => s.urn)).toEqual([123456]);
    expect((await reference.searchSchools('london aldgate')).map((s) => s.urn)).toEqual([123456]);
    expect(await reference.searchSchools('old mill')).toEqual([]);
    expect((await reference.searchSchools('old mill', { includeClosed: true })).map((s) => s.urn)).toEqual([123457]);
    expect(await reference.searchSchools('%_\\')).toEqual([]);
  });

  it('finds a school however people write its name, by words in any order', async () => {
    await importSchools(
      giasCsv([
        { urn: 140001, name: "St Mary's Church of England Primary School", town: 'Leeds', postcode: 'LS1 4AA' },
        { urn: 140002, name: "Saint Mary's College", town: 'Hull', postcode: 'HU1 1AA' },
        { urn: 140003, name: 'Sts Peter & Paul RC Primary', town: 'Bristol', postcode: 'BS1 1AA' },
        { urn: 140004, name: 'Christ Church CE (VA) Academy', town: 'Derby', postcode: 'DE1 1AA' },
        { urn: 140005, name: 'École Sainte-Thérèse', town: 'London', postcode: 'SW1A 1AA' },
      ]),
    );
    const urns = async (q: string) => (await reference.searchSchools(q)).map((s) => s.urn).sort();
    expect(await urns('saint mary')).toEqual([140001, 140002]);
    expect(await urns('st mary')).toEqual([140001, 140002]);
    expect(await urns("st. mary's")).toEqual([140001, 140002]);
    expect(await urns('marys college')).toEqual([140002]);
    expect(await urns('st mary c of e')).toEqual([140001]);
    expect(await urns('cofe st marys')).toEqual([140001]);
    expect(await urns('mary leeds')).toEqual([140001]);
    expect(await urns('peter and paul roman catholic')).toEqual([140003]);
    expect(await urns('saints peter paul rc')).toEqual([140003]);
    expect(await urns('christ church church of england')).toEqual([140004]);
    expect(await urns('ecole therese')).toEqual([140005]);
    expect(await urns('Thérèse École')).toEqual([140005]);
    expect(await urns('140004')).toEqual([140004]);
    expect(await urns('hu1 1aa')).toEqual([140002]);
  });
});

describe('a school by URN', () => {
  it('finds none, never an error, for a URN that cannot be one', async () => {
    for (const urn of [Number.NaN, Number("a'b"), 0, -140002, 1.5, 99_999_999_999, Number.POSITIVE_INFINITY]) expect(await t.services.reference.school(urn)).toBeUndefined();
    expect((await t.services.reference.school(140002))?.urn).toBe(140002);
  });
});

describe('eligibility lists', () => {
  it('replaces a list and says what was added, removed and rejected', async () => {
    // An invalid row stops the whole upload unless the rows are skipped on purpose.
    await expect(reference.replaceList(admin, 'pp50-schools', 'pp50.csv', Buffer.from('URN\n123456\n123457\nnope\n'))).rejects.toMatchObject({ code: 'invalid_rows', status: 422, details: { rejected: 1, rejections: [{ row: 4, reason: '"nope" is not a 6-digit URN' }] } });
    const first = await reference.replaceList(admin, 'pp50-schools', 'pp50.csv', Buffer.from('URN\n123456\n123457\nnope\n'), { skipInvalid: true });
    // The demo's two PP50 schools are not in the new file: replacing the list removes them.
    expect(first).toMatchObject({ added: 2, removed: 2, rejected: 1, rejections: [{ row: 4, reason: '"nope" is not a 6-digit URN' }] });
    const second = await reference.replaceList(admin, 'pp50-schools', 'pp50.csv', Buffer.from('123457\n123458\n'));
    expect(second).toMatchObject({ added: 1, removed: 1, rejected: 0 });
    expect(await reference.onList('pp50-schools', '123456')).toBe(false);
    expect(await reference.onList('pp50-schools', '123458')).toBe(true);
  });

  it('matches ITT providers by name whatever the case or spacing', async () => {
    await reference.replaceList(admin, 'approved-itt-providers', 'itt.csv', Buffer.from('Legal name,Operating name\n"The University of Leeds",Leeds\n'));
    expect(await reference.onList('approved-itt-providers', 'the university of leeds')).toBe(true);
  });

  it('refuses a file with nothing usable in it', async () => {
    await expect(reference.replaceList(admin, 'rise-schools', 'rise.csv', Buffer.from('URN\nabc\n'))).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('uploads checked before they change anything', () => {
  it('previews a list with 3 of 4 rows invalid, changes nothing, and replaces only when told to skip them', async () => {
    await reference.replaceList(admin, 'childminders', 'cm.csv', Buffer.from('URN\n200001\n200002\n'));
    const preview = await reference.previewList(admin, 'childminders', 'cm.csv', Buffer.from('URN\n200003\nx\n12\n20000444\n'));
    expect(preview).toMatchObject({ status: 'preview', added: 1, removed: 2, rejected: 3, preview: { added: ['200003'], removed: ['200001', '200002'] } });
    expect(preview.rejections).toEqual([
      { row: 3, reason: '"x" is not an Ofsted URN: it should be 6 or 7 digits, or EY or CA followed by 6 digits, like EY123456' },
      { row: 4, reason: '"12" is not an Ofsted URN: it should be 6 or 7 digits, or EY or CA followed by 6 digits, like EY123456' },
      { row: 5, reason: '"20000444" is not an Ofsted URN: it should be 6 or 7 digits, or EY or CA followed by 6 digits, like EY123456' },
    ]);
    expect(await reference.onList('childminders', '200001')).toBe(true); // nothing changed yet
    await expect(reference.confirmImport(admin, preview.id, { skipInvalid: false })).rejects.toMatchObject({ code: 'validation_failed', fieldErrors: { skipInvalid: expect.stringContaining('3 refused rows') } });
    expect(await reference.onList('childminders', '200001')).toBe(true);
    const { row } = await reference.confirmImport(admin, preview.id, { skipInvalid: true });
    expect(row).toMatchObject({ status: 'finished', added: 1, removed: 2, pendingFile: null });
    expect(await reference.onList('childminders', '200001')).toBe(false);
    expect(await reference.onList('childminders', '200003')).toBe(true);
    await expect(reference.confirmImport(admin, preview.id, { skipInvalid: true })).rejects.toMatchObject({ code: 'import_not_pending' });
  });

  it('says which entries of a named list change, and a cancelled upload changes nothing', async () => {
    await reference.replaceList(admin, 'approved-itt-providers', 'itt.csv', Buffer.from('Legal name\nLeeds Trinity University\nBath Spa University\n'));
    const preview = await reference.previewList(admin, 'approved-itt-providers', 'itt.csv', Buffer.from('Legal name\nLEEDS TRINITY  UNIVERSITY\nBath Spa University\nYork St John University\n'));
    expect(preview).toMatchObject({ added: 1, removed: 0, updated: 1, rejected: 0, preview: { added: ['York St John University'], changed: ['LEEDS TRINITY UNIVERSITY'] } });
    await reference.cancelImport(admin, preview.id);
    expect(await reference.importStatus(admin, preview.id)).toMatchObject({ status: 'cancelled', pendingFile: null });
    expect(await reference.onList('approved-itt-providers', 'york st john university')).toBe(false);
    await expect(reference.confirmImport(admin, preview.id, { skipInvalid: true })).rejects.toMatchObject({ code: 'import_not_pending' });
  });

  it('previews a GIAS extract: schools to add and to update, refused lines; imports only when confirmed', async () => {
    const preview = await reference.previewSchools(admin, 'gias.csv', Buffer.from(giasCsv([{ urn: 123456, name: 'Aldgate Primary Academy' }, { urn: 160001, name: 'Brand New School' }, { urn: 99, name: 'Bad' }])));
    expect(preview).toMatchObject({ status: 'preview', added: 1, updated: 1, rejected: 1, rejections: [{ row: 4, reason: 'URN "99" is not a 6-digit number' }], preview: { added: ['160001 Brand New School'], changed: ['123456 Aldgate Primary Academy'] } });
    expect(await reference.school(160001)).toBeUndefined();
    await expect(reference.confirmImport(admin, preview.id, { skipInvalid: false })).rejects.toMatchObject({ code: 'validation_failed' });
    const { run } = await reference.confirmImport(admin, preview.id, { skipInvalid: true });
    expect(await run!()).toMatchObject({ status: 'finished', added: 1, updated: 1, rejected: 1 });
    expect((await reference.school(160001))?.name).toBe('Brand New School');
  });
});
