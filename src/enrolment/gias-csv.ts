import { GIAS_COLUMNS } from './domain/reference-data';

const TOWNS = ['Birmingham', 'Leeds', 'Newcastle upon Tyne', 'Bristol', 'Norwich', 'Derby', 'Plymouth', 'Carlisle'];
const KINDS = ['Primary', 'Academy', 'Community School', 'High School', 'Nursery School', 'Church of England Primary'];

export interface GiasSchool {
  urn: number;
  name: string;
  typeCode?: number;
  statusCode?: number;
  ukprn?: string;
  town?: string;
  postcode?: string;
}

/** GIAS's names for the establishment types the demo and tests use. */
const TYPE_NAMES: Record<number, string> = {
  1: 'Community school',
  2: 'Voluntary aided school',
  3: 'Voluntary controlled school',
  5: 'Foundation school',
  11: 'Other independent school',
  15: 'Local authority nursery school',
  18: 'Further education',
  28: 'Academy sponsor led',
  34: 'Academy converter',
  35: 'Free schools',
};

const cell = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** A GIAS extract with the columns a provider needs, as GIAS writes it. */
export function giasCsv(rows: GiasSchool[]): string {
  const columns = Object.values(GIAS_COLUMNS);
  const lines = [columns.join(',')];
  for (const r of rows) {
    const values: Record<string, string | number | undefined> = {
      [GIAS_COLUMNS.urn]: r.urn,
      [GIAS_COLUMNS.name]: r.name,
      [GIAS_COLUMNS.typeCode]: r.typeCode ?? 1,
      [GIAS_COLUMNS.typeName]: TYPE_NAMES[r.typeCode ?? 1] ?? 'Community school',
      [GIAS_COLUMNS.statusCode]: r.statusCode ?? 1,
      [GIAS_COLUMNS.statusName]: r.statusCode === 2 ? 'Closed' : 'Open',
      [GIAS_COLUMNS.ukprn]: r.ukprn,
      [GIAS_COLUMNS.town]: r.town ?? 'Birmingham',
      [GIAS_COLUMNS.postcode]: r.postcode ?? 'B1 1AA',
      [GIAS_COLUMNS.laName]: 'Birmingham',
      [GIAS_COLUMNS.phaseName]: 'Primary',
      [GIAS_COLUMNS.lastChangedDate]: '01-10-2026',
      [GIAS_COLUMNS.pupils]: 300,
    };
    lines.push(columns.map((c) => cell(values[c])).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** `n` plausible schools with URNs from 100000: for the benchmark and large-import tests. */
export function generatedSchools(n: number): GiasSchool[] {
  return Array.from({ length: n }, (_, i) => {
    const town = TOWNS[i % TOWNS.length]!;
    return {
      urn: 100000 + i,
      name: `${town.split(' ')[0]} ${['St Mary', 'Oakfield', 'Riverside', 'Hillside', 'Greenway'][i % 5]} ${KINDS[i % KINDS.length]} ${i}`,
      typeCode: [1, 2, 3, 5, 28, 34][i % 6],
      statusCode: i % 50 === 0 ? 2 : 1,
      ukprn: String(10000000 + i),
      town,
      postcode: `B${(i % 90) + 1} ${(i % 9) + 1}AA`,
    };
  });
}
