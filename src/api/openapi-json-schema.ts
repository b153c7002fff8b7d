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
