import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allows, mermaidPage } from '../../platform/workflow';
import { fileTypeOf } from '../../platform/file-types';
import { CORE_TASK_FILE_TYPES, CORE_TASK_WORKFLOW, maySubmitAttempt } from './core-task';

const REGENERATE = 'UPDATE_DIAGRAMS=1 npx vitest run src/learning/domain/core-task.test.ts';

describe('a core task’s attempt', () => {
  it('is reviewed once, as complete or needing more work; a new attempt follows only “needs more work”', () => {
    expect(allows(CORE_TASK_WORKFLOW, 'accept', 'submitted')).toBe(true);
    expect(allows(CORE_TASK_WORKFLOW, 'send_back', 'submitted')).toBe(true);
    expect(allows(CORE_TASK_WORKFLOW, 'accept', 'needs_more_work')).toBe(false);
    expect(allows(CORE_TASK_WORKFLOW, 'send_back', 'complete')).toBe(false);
    expect(maySubmitAttempt(undefined)).toBe(true);
    expect(maySubmitAttempt('needs_more_work')).toBe(true);
    expect(maySubmitAttempt('submitted')).toBe(false);
    expect(maySubmitAttempt('complete')).toBe(false);
  });

  it('has its diagram in docs/workflows/ as the table stands', () => {
    const path = join(process.cwd(), 'docs', 'workflows', 'core-task.md');
    const page = mermaidPage(CORE_TASK_WORKFLOW, REGENERATE);
    if (process.env.UPDATE_DIAGRAMS) writeFileSync(path, page);
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // Missing counts as stale.
    }
    expect(committed, `docs/workflows/core-task.md is stale: regenerate it with ${REGENERATE}`).toBe(page);
  });
});

describe('a core task’s file', () => {
  it('is a PDF, a Word document, or an old Word document by its bytes; nothing else, whatever its name', () => {
    expect(fileTypeOf('pdf', 'task.PDF', CORE_TASK_FILE_TYPES)).toBe('pdf');
    expect(fileTypeOf('docx', 'task.docx', CORE_TASK_FILE_TYPES)).toBe('docx');
    expect(fileTypeOf('cfb', 'Task.DOC', CORE_TASK_FILE_TYPES)).toBe('doc');
    expect(fileTypeOf('cfb', 'budget.xls', CORE_TASK_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('exe', 'task.pdf', CORE_TASK_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf(undefined, 'task.pdf', CORE_TASK_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('xlsx', 'task.docx', CORE_TASK_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('pptx', 'slides.pptx', CORE_TASK_FILE_TYPES)).toBeUndefined();
    expect(fileTypeOf('png', 'task.png', CORE_TASK_FILE_TYPES)).toBeUndefined();
  });
});
