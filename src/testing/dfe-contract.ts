import { expect } from 'vitest';
import { loadContract } from '../dfe/stand-in/contract';

/**
 * DfE's own Lead Provider API v3 document (a copy in docs/reference), so a payload that claims DfE's
 * shape is checked against DfE's schema, not against ours: the same reading the DfE stand-in is held to.
 */
const contract = loadContract();

export function expectMatchesDfeSchema(schemaName: string, value: unknown) {
  const problems = contract.checkSchema(schemaName, value);
  expect(problems, `${schemaName}: ${problems.join('; ')}`).toEqual([]);
}
