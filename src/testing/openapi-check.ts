import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** Checks a response body against the schema the OpenAPI document publishes for that operation. */
export async function expectMatchesDocument(app: FastifyInstance, method: string, path: string, body: unknown, status = '200') {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = asJsonSchema(doc.paths[path][method].responses[status].content['application/json'].schema) as object;
  const validate = ajv.compile(schema);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}

/**
 * Reads the OpenAPI 3.0 document as a JSON Schema validator must: `nullable: true` admits null even
 * beside an enum (Ajv wants null listed in the enum), and the document's `required: true` on single
 * properties (not valid JSON Schema; DfE lists required fields separately where it means it) is dropped.
 */
export function asJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(asJsonSchema);
  if (!node || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'required' && typeof v === 'boolean') continue;
    out[k] = asJsonSchema(v);
  }
  if (out.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  return out;
}
