import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { asJsonSchema } from '../api/openapi-json-schema';

/** A JSON Pointer segment: `/` and `~` escaped. */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Checks a response body against the schema the OpenAPI document publishes for that operation, read
 * within the whole document so that its references to `#/components/schemas` resolve as a client's would.
 */
export async function expectMatchesDocument(app: FastifyInstance, method: string, path: string, body: unknown, status = '200') {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(asJsonSchema(doc) as object, 'doc');
  expect(doc.paths[path]?.[method]?.responses[status], `${method} ${path} documents ${status}`).toBeDefined();
  const validate = ajv.compile({ $ref: `doc#/paths/${pointer(path)}/${method}/responses/${status}/content/${pointer('application/json')}/schema` });
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}
