import { describe, expect, it } from 'vitest';
import { isOfstedUrnHeader, parseOfstedUrn } from './ofsted-urn';

describe('Ofsted URNs', () => {
  it.each([
    ['EY248638', 'EY248638'],
    ['CA000006', 'CA000006'],
    ['ey248638', 'EY248638'],
    ['  ca 000 006 ', 'CA000006'],
    ['123456', '123456'],
    ['1234567', '1234567'],
    ['Ey 123456', 'EY123456'],
  ])('accepts %j as %s', (raw, urn) => {
    expect(parseOfstedUrn(raw)).toEqual({ ok: true, urn });
  });

  it.each(['12345', '12345678', 'EY12345', 'EY1234567', 'XY123456', 'CA12345A', 'EY-123456', '1234567EY'])('refuses %j', (raw) => {
    expect(parseOfstedUrn(raw)).toEqual({ ok: false, reason: 'format' });
  });

  it('tells empty from wrong', () => {
    expect(parseOfstedUrn('   ')).toEqual({ ok: false, reason: 'empty' });
    expect(parseOfstedUrn(undefined)).toEqual({ ok: false, reason: 'empty' });
  });

  it('knows the headings lists use for it', () => {
    for (const h of ['URN', 'Childminder URN', 'childminder_urn', 'Ofsted URN', ' ofsted-urn ']) expect(isOfstedUrnHeader(h)).toBe(true);
    for (const h of ['UKPRN', 'Name', 'Legal name']) expect(isOfstedUrnHeader(h)).toBe(false);
  });
});
