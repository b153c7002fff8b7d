import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type DefaultTreeAdapterMap, parseFragment } from 'parse5';
import type { FunctionComponent } from 'preact';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';

type Node = DefaultTreeAdapterMap['childNode'];

export interface Fixture {
  name: string;
  options: Record<string, unknown>;
  html: string;
}

const require = createRequire(import.meta.url);
const componentsDir = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist/govuk/components');

export function loadFixtures(component: string): Fixture[] {
  const file = path.join(componentsDir, component, 'fixtures.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { fixtures: Fixture[] }).fixtures;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Whitespace collapsed, attributes sorted, whitespace-only text dropped: two equal outputs print the same. */
function canonical(nodes: Node[], depth = 0): string {
  const out: string[] = [];
  for (const node of nodes) {
    if (node.nodeName === '#text') {
      const text = collapse((node as DefaultTreeAdapterMap['textNode']).value);
      if (text) out.push(`${'  '.repeat(depth)}"${text}"`);
    } else if (node.nodeName === '#comment') {
    } else {
      const el = node as DefaultTreeAdapterMap['element'];
      const attributes = [...el.attrs]
        .map((a) => `${a.name}="${a.name === 'class' ? collapse(a.value) : a.value}"`)
        .sort()
        .join(' ');
      out.push(`${'  '.repeat(depth)}<${el.tagName}${attributes ? ` ${attributes}` : ''}>`);
      const children = el.tagName === 'template' ? (el as unknown as { content: { childNodes: Node[] } }).content.childNodes : el.childNodes;
      const inner = canonical(children, depth + 1);
      if (inner) out.push(inner);
    }
  }
  return out.join('\n');
}

export function normaliseHtml(html: string): string {
  return canonical(parseFragment(html).childNodes as Node[]);
}

/**
 * Renders every fixture govuk-frontend ships for `component` and compares it with the fixture's HTML.
 * `unsupported` names fixtures we deliberately do not match, each with the reason.
 */
export function describeFixtures<P>(
  component: string,
  Component: FunctionComponent<P>,
  unsupported: Record<string, string> = {},
): void {
  describe(`${component} matches govuk-frontend's fixtures`, () => {
    const fixtures = loadFixtures(component);
    for (const fixture of fixtures) {
      const reason = unsupported[fixture.name];
      if (reason) {
        it.skip(`${fixture.name} — not supported: ${reason}`, () => {});
        continue;
      }
      it(fixture.name, () => {
        const rendered = renderToString(h(Component as FunctionComponent, fixture.options as object));
        expect(normaliseHtml(rendered)).toEqual(normaliseHtml(fixture.html));
      });
    }
    it('lists only fixtures that exist', () => {
      const names = new Set(fixtures.map((f) => f.name));
      expect(Object.keys(unsupported).filter((n) => !names.has(n))).toEqual([]);
    });
  });
}
