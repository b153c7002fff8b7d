/** The applications page written in chunks (ADR 0038) is the very text the whole page would be. */
import { describe, expect, it } from 'vitest';
import { FROZEN_NOW } from '../../../testing/test-app';
import type { ApplicationRow } from '../../applications.service';
import { type ApplicationView, applicationsPageInChunks, presentApplicationView } from './application.presenter';

const at = new Date(FROZEN_NOW);
const view = (n: number): ApplicationView => ({
  row: {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    participantId: `10000000-0000-4000-8000-00000000000${n}`,
    fullName: `Applicant ${n}`,
    email: `applicant${n}@school.test`,
    courseIdentifier: 'npq-senior-leadership',
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    submittedAt: at,
    approvalStatus: 'pending',
    gatewayStatus: 'not_required',
  } as ApplicationRow,
  cohort: undefined,
  schedule: null,
});

async function* batchesOf(...batches: ApplicationView[][]) {
  yield* batches;
}
const textOf = async (chunks: AsyncIterable<string>) => {
  const parts: string[] = [];
  for await (const c of chunks) parts.push(c);
  return parts;
};

describe('applicationsPageInChunks', () => {
  it('writes one chunk per batch that together are the whole page’s JSON', async () => {
    const meta = { total: 3, page: 1, per_page: 3000, total_pages: 1 };
    const batches = [[view(1), view(2)], [], [view(3)]];
    const parts = await textOf(applicationsPageInChunks(batchesOf(...batches), meta));
    expect(parts).toHaveLength(4); // the opening, two batches with rows, the closing with meta
    expect(parts.join('')).toBe(JSON.stringify({ data: batches.flat().map(presentApplicationView), meta }));
  });

  it('writes an empty page as an empty list', async () => {
    const meta = { total: 0, page: 2, per_page: 3000, total_pages: 1 };
    expect((await textOf(applicationsPageInChunks(batchesOf(), meta))).join('')).toBe(JSON.stringify({ data: [], meta }));
  });
});
