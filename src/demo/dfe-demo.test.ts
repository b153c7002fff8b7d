import { describe, expect, it } from 'vitest';
import { proposeDeclarations } from '../dfe/declarations/propose-declarations';
import { listDeclarations } from '../dfe/declarations/declarations.service';
import { system } from '../platform/auth/actor';
import { useTestApp } from '../testing/test-app';
import { loadDfeDemo } from './dfe-demo';

const t = useTestApp();

describe('the declarations demo (issue 13 item 3)', () => {
  it('has the three teachers DfE holds accepted into Spring 2025 with funded places, and their registers make declarations due', async () => {
    await loadDfeDemo(t.database.db, t.services, t.clock);
    // A second load finds the intake and does nothing.
    await loadDfeDemo(t.database.db, t.services, t.clock);
    const run = await proposeDeclarations({ db: t.database.db, clock: t.clock });
    expect(run.places).toBe(3);
    const { rows } = await listDeclarations({ db: t.database.db, clock: t.clock }, system('test'), { tab: 'due' }, 1, 50);
    expect(rows.map((r) => `${r.fullName}: ${r.declarationType} ${r.declarationDate.toISOString()}`).sort()).toEqual(['Nadia Rahman: started 2025-03-04T18:30:00.000Z', 'Owen Price: started 2025-03-10T16:00:00.000Z']);
    // The 2025a spring milestones (docs/dfe-api.md §2.3): started was due by 30 May 2025, so it is at risk (past).
    expect(rows[0]!.milestone).toEqual({ milestoneDate: '2025-05-30', paymentDate: '2025-06-25' });
    expect(rows.every((r) => r.atRisk)).toBe(true);
  });
});
