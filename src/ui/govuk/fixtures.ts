import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { type DefaultTreeAdapterMap, parseFragment, serialize } from 'parse5';
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
  /** Adjusts the expected HTML where the project deliberately departs from GOV.UK's branding. */
  expected: (fixture: Fixture) => string = (fixture) => fixture.html,
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
        expect(normaliseHtml(rendered)).toEqual(normaliseHtml(expected(fixture)));
      });
    }
    it('lists only fixtures that exist', () => {
      const names = new Set(fixtures.map((f) => f.name));
      expect(Object.keys(unsupported).filter((n) => !names.has(n))).toEqual([]);
    });
  });
}

/** Removes from a fixture's HTML every element the predicate picks (for branding a provider must not use). */
export function withoutElements(html: string, remove: (el: DefaultTreeAdapterMap['element']) => boolean): string {
  const fragment = parseFragment(html);
  const prune = (parent: { childNodes: Node[] }) => {
    parent.childNodes = parent.childNodes.filter((n) => !('tagName' in n && remove(n as DefaultTreeAdapterMap['element'])));
    for (const child of parent.childNodes) if ('childNodes' in child) prune(child as { childNodes: Node[] });
  };
  prune(fragment as unknown as { childNodes: Node[] });
  return serialize(fragment);
}

export const classOf = (el: DefaultTreeAdapterMap['element']): string[] =>
  (el.attrs.find((a) => a.name === 'class')?.value ?? '').split(/\s+/);

export const textOf = (el: DefaultTreeAdapterMap['element']): string =>
  el.childNodes.map((n) => ('value' in n ? (n as { value: string }).value : 'tagName' in n ? textOf(n as DefaultTreeAdapterMap['element']) : '')).join('');
