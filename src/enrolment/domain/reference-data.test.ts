import { describe, expect, it } from 'vitest';
import { diffList, giasDate, missingGiasColumns, parseGiasRow, parseListEntry } from './reference-data';

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
