import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { asJsonSchema } from './openapi-json-schema';
import { useTestApp } from '../testing/test-app';

const t = useTestApp();

/** Every `$ref` in a document, with where it was found. */
function refsIn(node: unknown, at = '#'): { ref: string; at: string }[] {
  if (Array.isArray(node)) return node.flatMap((v, i) => refsIn(v, `${at}/${i}`));
  if (!node || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([k, v]) => (k === '$ref' && typeof v === 'string' ? [{ ref: v, at }] : refsIn(v, `${at}/${k}`)));
}

describe('the OpenAPI document', () => {
  it('names each shared schema once, in components, and every reference to one resolves', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(JSON.stringify(doc)).not.toContain('"definitions"');
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const { ref, at } of refs) {
      expect(ref, at).toMatch(/^#\/components\/schemas\/\w+$/);
      expect(doc.components.schemas[ref.split('/').at(-1)!], `${ref} at ${at}`).toBeDefined();
    }
  });

  it('describes every operation it serves: parameters, bodies and answers a validator can compile', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(asJsonSchema(doc) as object, 'doc');
    const served = t.app.apiRegistry.routes.map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods as object).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(served.sort());
    for (const [path, methods] of Object.entries(doc.paths) as [string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>][]) {
      for (const [method, op] of Object.entries(methods)) {
        for (const status of Object.keys(op.responses)) {
          const pointer = `doc#/paths/${path.replace(/\//g, '~1')}/${method}/responses/${status}/content/application~1json/schema`;
          expect(() => ajv.compile({ $ref: pointer }), `${method} ${path} ${status}`).not.toThrow();
        }
      }
    }
  });
});
