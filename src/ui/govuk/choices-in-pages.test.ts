import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * No page reveals a field under a radio or checkbox (govuk-frontend's conditional reveal): its script
 * marks the input aria-expanded, which axe refuses on a radio or checkbox (WCAG 4.1.2). Two pages did,
 * and failed axe with JavaScript on; the extra field now stands below the choices.
 */
describe('pages and conditional reveals', () => {
  it('no page outside the component library asks for one', () => {
    const files = (readdirSync('src', { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f) && !f.startsWith(`ui${path.sep}govuk`) && !f.endsWith('.test.ts') && !f.endsWith('.test.tsx'));
    const using = files.filter((f) => /\bconditional:\s*\{/.test(readFileSync(path.join('src', f), 'utf8')));
    expect(using).toEqual([]);
  });
});
