import { isOfstedUrnHeader, parseOfstedUrn } from './ofsted-urn';

/**
 * Reference data as DfE publishes it: GIAS school extracts and the yearly eligibility lists.
 * Pure: rows in, validated records or reasons out.
 */

export const GIAS_COLUMNS = {
  urn: 'URN',
  laCode: 'LA (code)',
  laName: 'LA (name)',
  establishmentNumber: 'EstablishmentNumber',
  name: 'EstablishmentName',
  typeCode: 'TypeOfEstablishment (code)',
  typeName: 'TypeOfEstablishment (name)',
  statusCode: 'EstablishmentStatus (code)',
  statusName: 'EstablishmentStatus (name)',
  phaseCode: 'PhaseOfEducation (code)',
  phaseName: 'PhaseOfEducation (name)',
  closeDate: 'CloseDate',
  ukprn: 'UKPRN',
  lastChangedDate: 'LastChangedDate',
  street: 'Street',
  locality: 'Locality',
  town: 'Town',
  county: 'County (name)',
  postcode: 'Postcode',
  easting: 'Easting',
  northing: 'Northing',
  region: 'RSCRegion (name)',
  country: 'Country (name)',
  pupils: 'NumberOfPupils',
} as const;

/** GIAS establishment status 2 is "Closed". */
const CLOSED_STATUS = 2;

export interface SchoolRecord {
  urn: number;
  name: string;
  laCode: string | null;
  laName: string | null;
  establishmentNumber: string | null;
  typeCode: number | null;
  typeName: string | null;
  statusCode: number | null;
  statusName: string | null;
  phaseCode: number | null;
  phaseName: string | null;
  closeDate: string | null;
  ukprn: string | null;
  lastChangedDate: string | null;
  street: string | null;
  locality: string | null;
  town: string | null;
  county: string | null;
  postcode: string | null;
  easting: number | null;
  northing: number | null;
  region: string | null;
  country: string | null;
  pupils: number | null;
  closed: boolean;
  /** The name, town and postcode as `normaliseSchoolText` writes them: what school search matches. */
  searchText: string;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** The columns a GIAS extract must have; the rest may be missing. */
export function missingGiasColumns(header: string[]): string[] {
  return [GIAS_COLUMNS.urn, GIAS_COLUMNS.name].filter((c) => !header.includes(c));
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? null : v.trim());
const int = (v: string | undefined) => {
  const s = blank(v);
  return s !== null && /^-?\d+$/.test(s) ? Number(s) : null;
};

/** GIAS writes dates as DD-MM-YYYY (or DD/MM/YYYY); we keep ISO dates. */
export function giasDate(v: string | undefined): string | null {
  const s = blank(v);
  if (!s) return null;
  const m = s.match(/^(\d{2})[-/](\d{2})[-/](\d{4})$/);
  if (m) return `${m[3]}-${m[2]}-${m[1]}`;
  return /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : null;
}

export function parseGiasRow(row: Record<string, string | undefined>): Parsed<SchoolRecord> {
  const urn = int(row[GIAS_COLUMNS.urn]);
  if (urn === null || urn < 100000 || urn > 999999) return { ok: false, reason: `URN "${row[GIAS_COLUMNS.urn] ?? ''}" is not a 6-digit number` };
  const name = blank(row[GIAS_COLUMNS.name]);
  if (!name) return { ok: false, reason: `URN ${urn} has no establishment name` };
  const statusCode = int(row[GIAS_COLUMNS.statusCode]);
  const ukprn = blank(row[GIAS_COLUMNS.ukprn]);
  return {
    ok: true,
    value: {
      urn,
      name,
      laCode: blank(row[GIAS_COLUMNS.laCode]),
      laName: blank(row[GIAS_COLUMNS.laName]),
      establishmentNumber: blank(row[GIAS_COLUMNS.establishmentNumber]),
      typeCode: int(row[GIAS_COLUMNS.typeCode]),
      typeName: blank(row[GIAS_COLUMNS.typeName]),
      statusCode,
      statusName: blank(row[GIAS_COLUMNS.statusName]),
      phaseCode: int(row[GIAS_COLUMNS.phaseCode]),
      phaseName: blank(row[GIAS_COLUMNS.phaseName]),
      closeDate: giasDate(row[GIAS_COLUMNS.closeDate]),
      ukprn: ukprn && /^\d{8}$/.test(ukprn) ? ukprn : null,
      lastChangedDate: giasDate(row[GIAS_COLUMNS.lastChangedDate]),
      street: blank(row[GIAS_COLUMNS.street]),
      locality: blank(row[GIAS_COLUMNS.locality]),
      town: blank(row[GIAS_COLUMNS.town]),
      county: blank(row[GIAS_COLUMNS.county]),
      postcode: blank(row[GIAS_COLUMNS.postcode])?.toUpperCase() ?? null,
      easting: int(row[GIAS_COLUMNS.easting]),
      northing: int(row[GIAS_COLUMNS.northing]),
      region: blank(row[GIAS_COLUMNS.region]),
      country: blank(row[GIAS_COLUMNS.country]),
      pupils: int(row[GIAS_COLUMNS.pupils]),
      closed: statusCode === CLOSED_STATUS,
      searchText: schoolSearchText(name, blank(row[GIAS_COLUMNS.town]), blank(row[GIAS_COLUMNS.postcode])),
    },
  };
}

// ── School search ──
/*
 * People write school names many ways: "St Mary's C of E", "Saint Marys CofE", "st. mary's church of
 * england". Both the stored name and what is typed are normalised the same way, so any of them finds
 * the others: without case, accents or punctuation, possessive "'s" dropped, and each family of
 * spellings written one way. Search then matches the typed words, in any order, as word prefixes.
 */
const PHRASES: [RegExp, string][] = [
  [/\bchurch of england\b/g, ' cofe '],
  [/\bc of e\b/g, ' cofe '],
  [/\bc ?e\b/g, ' cofe '],
  [/\broman catholic\b/g, ' catholic '],
  [/\br ?c\b/g, ' catholic '],
  [/\bst\b/g, ' saint '],
  [/\bsts\b/g, ' saints '],
];

/**
 * A school name (or a search for one) as search compares it: "St. Mary's C of E (VA) & Nursery" →
 * "saint mary cofe va and nursery". Accents go ("École" → "ecole"); "&" is "and"; "st"/"st."/"saint"
 * are "saint"; "c of e"/"ce"/"cofe"/"church of england" are "cofe"; "rc"/"roman catholic" are "catholic".
 */
export function normaliseSchoolText(text: string): string {
  let s = ` ${text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’‘`]s\b/g, '')
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  for (const [pattern, canonical] of PHRASES) s = s.replace(pattern, canonical);
  return s.replace(/\s+/g, ' ').trim();
}

/** What a school's row holds for search: its name, town and postcode, normalised. */
export function schoolSearchText(name: string, town: string | null, postcode: string | null): string {
  return normaliseSchoolText([name, town, postcode, postcode?.replace(/\s+/g, '')].filter(Boolean).join(' '));
}

/**
 * A PostgreSQL `tsquery` (simple configuration) for what a person typed, or null when nothing is
 * searchable: every word must start a word of the school's search text, in any order. A word typed with
 * a final "s" also matches without it ("marys" finds "St Mary's", stored as "saint mary").
 */
export function schoolSearchQuery(typed: string): string | null {
  const words = normaliseSchoolText(typed).split(' ').filter(Boolean).slice(0, 12);
  if (!words.length) return null;
  return words.map((w) => (w.length > 3 && w.endsWith('s') ? `(${w}:* | ${w.slice(0, -1)})` : `${w}:*`)).join(' & ');
}

// ── Eligibility lists ──
export const REFERENCE_LISTS = {
  'pp50-schools': { label: 'PP50 schools', column: 'URN', key: 'urn' },
  'pp50-further-education': { label: 'PP50 further education', column: 'UKPRN', key: 'ukprn' },
  childminders: { label: 'Childminders', column: 'URN', key: 'ofsted-urn' },
  'rise-schools': { label: 'RISE schools', column: 'URN', key: 'urn' },
  'approved-itt-providers': { label: 'Approved ITT providers', column: 'Legal name', key: 'name' },
} as const;
export type ReferenceList = keyof typeof REFERENCE_LISTS;
export const isReferenceList = (v: string): v is ReferenceList => Object.hasOwn(REFERENCE_LISTS, v);

/** Normalises one list entry: URNs are 6 digits, UKPRNs 8, provider names compared without case or spacing. */
export function parseListEntry(list: ReferenceList, raw: string | undefined): Parsed<{ key: string; label: string }> {
  const value = (raw ?? '').trim();
  if (!value) return { ok: false, reason: 'the value is empty' };
  switch (REFERENCE_LISTS[list].key) {
    case 'urn':
      return /^\d{6}$/.test(value) ? { ok: true, value: { key: value, label: value } } : { ok: false, reason: `"${value}" is not a 6-digit URN` };
    case 'ofsted-urn': {
      // Ofsted's forms (EY248638, CA000006, 6 or 7 digits), as the funding check looks them up.
      const parsed = parseOfstedUrn(value);
      return parsed.ok ? { ok: true, value: { key: parsed.urn, label: parsed.urn } } : { ok: false, reason: `"${value}" is not an Ofsted URN: it should be 6 or 7 digits, or EY or CA followed by 6 digits, like EY123456` };
    }
    case 'ukprn':
      return /^\d{8}$/.test(value) ? { ok: true, value: { key: value, label: value } } : { ok: false, reason: `"${value}" is not an 8-digit UKPRN` };
    case 'name':
      return { ok: true, value: { key: normaliseProviderName(value), label: value.replace(/\s+/g, ' ') } };
  }
}

/** Whether a CSV heading names a list's column: its own name, or for childminders any of the names used for Ofsted's URN. */
export const isListHeader = (list: ReferenceList, header: string): boolean =>
  header.trim().toLowerCase() === REFERENCE_LISTS[list].column.toLowerCase() || (REFERENCE_LISTS[list].key === 'ofsted-urn' && isOfstedUrnHeader(header));

export const normaliseProviderName = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * What replacing a list with an upload would do: keys to add, keys to remove, and keys kept whose label
 * changes (a provider's name written differently). `before` is the list now; `after` the upload's entries.
 */
export function planListReplacement(before: { key: string; label: string | null }[], after: Map<string, string>): { added: string[]; removed: string[]; changed: string[] } {
  const { added, removed } = diffList(
    before.map((b) => b.key),
    after.keys(),
  );
  const changed = before.filter((b) => after.has(b.key) && after.get(b.key) !== (b.label ?? b.key)).map((b) => b.key);
  return { added, removed, changed };
}

/** What replacing a list with a new upload does. */
export function diffList(before: Iterable<string>, after: Iterable<string>): { added: string[]; removed: string[]; kept: number } {
  const old = new Set(before);
  const next = new Set(after);
  const added = [...next].filter((k) => !old.has(k));
  const removed = [...old].filter((k) => !next.has(k));
  return { added, removed, kept: next.size - added.length };
}
