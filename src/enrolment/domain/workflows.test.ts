import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allows, mermaidPage, transition } from '../../platform/workflow';
import { ENROLMENT_WORKFLOWS, TRAINING_WORKFLOW } from './workflows';

const REGENERATE = 'UPDATE_DIAGRAMS=1 npx vitest run src/enrolment/domain/workflows.test.ts';

describe('Enrolment’s workflows', () => {
  it.each(ENROLMENT_WORKFLOWS.map((w) => [w.name, w] as const))('%s: every event and group names only its states', (_name, w) => {
    const states = new Set<string>(w.states);
    for (const rule of Object.values(w.events) as { from: readonly string[]; to: string | null }[]) {
      for (const s of rule.from) expect(states).toContain(s);
      if (rule.to) expect(states).toContain(rule.to);
    }
    for (const group of Object.values(w.groups)) for (const s of group as readonly string[]) expect(states).toContain(s);
    for (const s of w.initial) expect(states).toContain(s);
  });

  it.each(ENROLMENT_WORKFLOWS.map((w) => [w.name, w] as const))('%s: its diagram in docs/workflows/ is the table as it stands', (name, w) => {
    const path = join(process.cwd(), 'docs', 'workflows', `${name}.md`);
    const page = mermaidPage(w, REGENERATE);
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(path, page);
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // Missing counts as stale.
    }
    expect(committed, `docs/workflows/${name}.md is stale: regenerate it with ${REGENERATE}`).toBe(page);
  });

  it('leads a participant’s change to its state, keeps it for a move, and refuses what the table does not allow', () => {
    expect(transition(TRAINING_WORKFLOW, 'defer', 'active')).toBe('deferred');
    expect(transition(TRAINING_WORKFLOW, 'move', 'deferred')).toBe('deferred');
    expect(allows(TRAINING_WORKFLOW, 'resume', 'withdrawn')).toBe(false);
    expect(() => transition(TRAINING_WORKFLOW, 'resume', 'withdrawn')).toThrow(/resume may not happen from withdrawn/);
    expect(allows(TRAINING_WORKFLOW, 'withdraw', null)).toBe(false);
  });
});
