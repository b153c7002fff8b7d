import { describe, expect, it } from 'vitest';
import { diffList, giasDate, missingGiasColumns, normaliseSchoolText, parseGiasRow, parseListEntry, planListReplacement, schoolSearchQuery } from './reference-data';

const row = {
  URN: '100000',
  EstablishmentName: 'The Aldgate School',
  'TypeOfEstablishment (code)': '2',
  'EstablishmentStatus (code)': '1',
  CloseDate: '',
  UKPRN: '10079319',
  Town: 'London',
  Postcode: 'ec3a 5de',
  NumberOfPupils: '273',
  LastChangedDate: '05-10-2026',
};

describe('GIAS rows', () => {
  it('reads a school', () => {
    const r = parseGiasRow(row);
    expect(r).toMatchObject({ ok: true, value: { urn: 100000, typeCode: 2, ukprn: '10079319', postcode: 'EC3A 5DE', pupils: 273, closed: false, lastChangedDate: '2026-10-05' } });
  });
  it('marks a closed school and keeps it', () => {
    expect(parseGiasRow({ ...row, 'EstablishmentStatus (code)': '2', CloseDate: '31-08-2020' })).toMatchObject({ ok: true, value: { closed: true, closeDate: '2020-08-31' } });
  });
  it('rejects a row without a real URN or a name, saying why', () => {
    expect(parseGiasRow({ ...row, URN: '12' })).toEqual({ ok: false, reason: 'URN "12" is not a 6-digit number' });
    expect(parseGiasRow({ ...row, EstablishmentName: ' ' })).toEqual({ ok: false, reason: 'URN 100000 has no establishment name' });
  });
  it('needs the URN and name columns', () => {
    expect(missingGiasColumns(['URN', 'Town'])).toEqual(['EstablishmentName']);
  });
  it('reads GIAS dates', () => {
    expect(giasDate('01/09/2024')).toBe('2024-09-01');
    expect(giasDate('not a date')).toBeNull();
  });
});

describe('eligibility lists', () => {
  it('checks URNs, UKPRNs and provider names', () => {
    expect(parseListEntry('pp50-schools', ' 123456 ')).toEqual({ ok: true, value: { key: '123456', label: '123456' } });
    expect(parseListEntry('rise-schools', '12345')).toEqual({ ok: false, reason: '"12345" is not a 6-digit URN' });
    expect(parseListEntry('pp50-further-education', '1234567')).toEqual({ ok: false, reason: '"1234567" is not an 8-digit UKPRN' });
    expect(parseListEntry('approved-itt-providers', 'The  University of Leeds')).toEqual({ ok: true, value: { key: 'the university of leeds', label: 'The University of Leeds' } });
    expect(parseListEntry('childminders', '')).toEqual({ ok: false, reason: 'the value is empty' });
  });
  it('says what a new upload adds and removes', () => {
    expect(diffList(['1', '2', '3'], ['2', '3', '4', '4'])).toEqual({ added: ['4'], removed: ['1'], kept: 2 });
  });
});

describe('school names as people write them', () => {
  // Each group: ways of writing one name; every one normalises to the same words.
  it.each([
    [["St Mary's", 'Saint Mary’s', 'st. marys', 'ST MARY'], 'saint mary'],
    [['C of E', 'CofE', 'c.of e.', 'CE', 'C.E.', 'Church of England'], 'cofe'],
    [['RC', 'Roman Catholic', 'r.c.', 'Catholic'], 'catholic'],
    [['Peter & Paul', 'Peter and Paul'], 'peter and paul'],
    [['École Française', 'ecole francaise', 'ÉCOLE FRANÇAISE'], 'ecole francaise'],
    [['Sts Peter', 'Saints Peter'], 'saints peter'],
  ])('writes %j as "%s"', (spellings, normal) => {
    for (const s of spellings) expect(normaliseSchoolText(s).replace(/\bmarys\b/, 'mary')).toBe(normal);
  });

  it('keeps the rest of a name as words', () => {
    expect(normaliseSchoolText("St. Mary's C of E (VA) & Nursery, Bishop's Stortford")).toBe('saint mary cofe va and nursery bishop stortford');
    expect(parseGiasRow({ ...row, EstablishmentName: "St Mary's CE Primary" })).toMatchObject({ value: { searchText: 'saint mary cofe primary london ec3a 5de ec3a5de' } });
  });

  it('asks for every typed word as the start of a word, in any order, a final s optional', () => {
    expect(schoolSearchQuery('saint mary')).toBe('saint:* & mary:*');
    expect(schoolSearchQuery('mary st')).toBe('mary:* & saint:*');
    expect(schoolSearchQuery('marys c of e')).toBe('(marys:* | mary) & cofe:*');
    expect(schoolSearchQuery("%_\\ '")).toBeNull();
  });
});

describe('replacing a list', () => {
  it('plans what to add, remove and relabel', () => {
    const before = [
      { key: 'leeds trinity university', label: 'Leeds Trinity University' },
      { key: 'bath spa university', label: 'Bath Spa University' },
      { key: '100001', label: null },
    ];
    const after = new Map([
      ['leeds trinity university', 'LEEDS TRINITY UNIVERSITY'],
      ['100001', '100001'],
      ['york st john university', 'York St John University'],
    ]);
    expect(planListReplacement(before, after)).toEqual({ added: ['york st john university'], removed: ['bath spa university'], changed: ['leeds trinity university'] });
  });
});
