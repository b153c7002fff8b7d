import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** Checks a response body against the schema the OpenAPI document publishes for that operation. */
export async function expectMatchesDocument(app: FastifyInstance, method: string, path: string, body: unknown, status = '200') {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const schema = doc.paths[path][method].responses[status].content['application/json'].schema;
  const validate = ajv.compile(schema);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
}
