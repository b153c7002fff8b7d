import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import YAML from 'yaml';
import { asJsonSchema } from './openapi-check';

/**
 * DfE's own Lead Provider API v3 document (a copy in docs/reference), so a payload that claims DfE's
 * shape is checked against DfE's schema, not against ours.
 */
const document = asJsonSchema(YAML.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/reference/dfe-npq-lead-provider-api-v3.yaml'), 'utf8')));

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(document as object, 'dfe');

export function expectMatchesDfeSchema(schemaName: string, value: unknown) {
  const validate = ajv.getSchema(`dfe#/components/schemas/${schemaName}`);
  if (!validate) throw new Error(`DfE's document has no schema ${schemaName}`);
  expect(validate(value), `${schemaName}: ${JSON.stringify(validate.errors)}`).toBe(true);
}
