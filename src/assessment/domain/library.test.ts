import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../platform/errors';
import { allows, mermaidPage } from '../../platform/workflow';
import { ASSESSMENT_SPECS } from './assessment-spec';
import { isProject, LIBRARY_WORKFLOW, readLibraryDecision, readLibraryEntry } from './library';

const good = { title: 'Fluent readers', summary: 'What we did.', impact: 'What changed.', phase: 'primary', themes: ['reading'], nameSchool: 'no', noPupilData: 'yes', consent: 'yes' };
const errorsOf = (work: () => unknown): Record<string, string> => {
  try {
    work();
  } catch (error) {
    if (error instanceof ValidationError) return error.fieldErrors;
    throw error;
  }
  return {};
};

describe('a library entry (issue 12 item 7)', () => {
  it('reads the sharing form, with a theme given once or as a list', () => {
    expect(readLibraryEntry(good)).toEqual({ title: 'Fluent readers', summary: 'What we did.', impact: 'What changed.', phase: 'primary', themes: ['reading'], nameSchool: false });
    expect(readLibraryEntry({ ...good, themes: 'reading', nameSchool: 'yes' })).toMatchObject({ themes: ['reading'], nameSchool: true });
    expect(readLibraryEntry({ ...good, themes: ['reading', 'reading', 'send'] }).themes).toEqual(['reading', 'send']);
  });

  it('keeps a title on one line: line breaks and control characters a crafted form sends become one space', () => {
    expect(readLibraryEntry({ ...good, title: 'Fluent\r\n\treaders\u2028now\u0007' }).title).toBe('Fluent readers now');
  });

  it('needs both confirmations, and refuses what is missing, too long or not offered', () => {
    expect(Object.keys(errorsOf(() => readLibraryEntry({})))).toEqual(['title', 'summary', 'phase', 'themes', 'impact', 'nameSchool', 'noPupilData', 'consent']);
    expect(errorsOf(() => readLibraryEntry({ ...good, consent: '' }))).toEqual({ consent: 'Give your consent to publish, or leave this page without sharing' });
    expect(errorsOf(() => readLibraryEntry({ ...good, noPupilData: 'no' }))).toHaveProperty('noPupilData');
    expect(errorsOf(() => readLibraryEntry({ ...good, title: '\u200b ' }))).toHaveProperty('title');
    // Counted in characters, not UTF-16 units: 120 emoji are a title of 120.
    expect(errorsOf(() => readLibraryEntry({ ...good, title: '📚'.repeat(120) }))).toEqual({});
    expect(errorsOf(() => readLibraryEntry({ ...good, title: 'x'.repeat(121) }))).toHaveProperty('title');
    expect(errorsOf(() => readLibraryEntry({ ...good, summary: 'x'.repeat(2001) }))).toHaveProperty('summary');
    expect(errorsOf(() => readLibraryEntry({ ...good, phase: 'nursery' }))).toHaveProperty('phase');
    expect(errorsOf(() => readLibraryEntry({ ...good, themes: ['astrology'] }))).toEqual({ themes: 'Select only the themes listed' });
    expect(errorsOf(() => readLibraryEntry({ ...good, themes: ['reading', 'send', 'wellbeing', 'families'] }))).toEqual({ themes: 'Select up to 3 themes' });
    expect(errorsOf(() => readLibraryEntry({ ...good, nameSchool: 'maybe' }))).toHaveProperty('nameSchool');
  });

  it('returns an entry only with a note; publishes with or without one', () => {
    expect(readLibraryDecision({ decision: 'publish' })).toEqual({ decision: 'publish', note: null });
    expect(readLibraryDecision({ decision: 'return', note: ' Leave out the class name. ' })).toEqual({ decision: 'return', note: 'Leave out the class name.' });
    expect(errorsOf(() => readLibraryDecision({ decision: 'return', note: ' ' }))).toHaveProperty('note');
    expect(errorsOf(() => readLibraryDecision({ decision: 'delete' }))).toHaveProperty('decision');
  });

  it('shares projects and placements, never a case study answered in a window', () => {
    const projects = ASSESSMENT_SPECS.flatMap((s) => s.tasks.filter(isProject).map((t) => `${s.qualification} ${t.key}`));
    expect(projects).toEqual(expect.arrayContaining(['npq-headship task-1', 'npq-headship task-2', 'npq-senior-leadership project', 'npq-executive-leadership reflection']));
    expect(projects.some((p) => p.endsWith('case-study'))).toBe(false);
  });

  it('lets its participant withdraw at any time and share again; the admin publishes only what waits for review', () => {
    for (const state of ['in_review', 'published', 'returned']) expect(allows(LIBRARY_WORKFLOW, 'withdraw', state)).toBe(true);
    for (const state of LIBRARY_WORKFLOW.states) expect(allows(LIBRARY_WORKFLOW, 'share', state)).toBe(true);
    expect(LIBRARY_WORKFLOW.states.filter((s) => allows(LIBRARY_WORKFLOW, 'publish', s))).toEqual(['in_review']);
    expect(allows(LIBRARY_WORKFLOW, 'return', 'withdrawn')).toBe(false);
  });

  it('has its diagram in docs/workflows/ as the table stands', () => {
    const file = join(process.cwd(), 'docs', 'workflows', 'library-entry.md');
    const page = mermaidPage(LIBRARY_WORKFLOW, 'UPDATE_DIAGRAMS=1 npx vitest run src/assessment/domain/library.test.ts');
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(file, page);
    expect(existsSync(file) ? readFileSync(file, 'utf8') : '', 'docs/workflows/library-entry.md is stale').toBe(page);
  });
});
