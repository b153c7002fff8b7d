import { z } from 'zod';
import { API_SCOPE_LABELS } from './domain/scopes';
import type { ApiOperation } from './operation';

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable, machine-readable code, like not_found or validation_failed' }),
      message: z.string().meta({ description: 'What went wrong and what to do, for people' }),
      // Any JSON, null included: `nullable` without a type is not a schema a validator can read.
      details: z.unknown().meta({ description: 'Null, or more about the error: per-field messages in fields for validation_failed and other refusals of one field' }),
    }),
    errors: z
      .array(
        z.object({
          title: z.string().meta({ description: 'The refused attribute (schedule_identifier, funded_place, …), base, or the status’s name (Bad request), as DfE titles them' }),
          detail: z.string().meta({ description: 'What went wrong, for people' }),
        }),
      )
      .meta({ description: 'The same refusal in DfE’s Lead Provider API shape: one entry per refused attribute (docs/adr/0039)' }),
  })
  .meta({ id: 'Error' });

/**
 * Every operation registers here as it is served (`serveOperations`); the document is generated from
 * the same declarations the routes are made from, so the two cannot differ (docs/adr/0032).
 */
export class ApiRegistry {
  readonly operations: ApiOperation[] = [];
  /** Every route Fastify serves under /api/v1, as registered: a test checks each declares an operation with a scope. */
  readonly routes: { method: string; url: string }[] = [];

  add(op: ApiOperation): void {
    this.operations.push(op);
  }

  /**
   * The operation a Fastify route serves, by method and its route URL (`/api/v1/applications/:id`),
   * or undefined when none was declared: the API platform refuses those rather than guess.
   */
  operationFor(method: string, routeUrl: string): ApiOperation | undefined {
    const path = routeUrl.replace(/:(\w+)/g, '{$1}').replace(/\/$/, '');
    const m = method === 'HEAD' ? 'get' : method.toLowerCase();
    return this.operations.find((op) => op.method === m && op.path === path);
  }

  document(info: { title: string; version: string; serverUrl: string }) {
    // Schemas with a meta id become components, referred to from every place they appear; zod writes
    // them into each schema's own `definitions`, which a reference from the document cannot reach.
    const components: Record<string, unknown> = {};
    const toSchema = (s: z.ZodType, io: 'input' | 'output' = 'input') => {
      const { definitions, ...schema } = z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io }) as Record<string, unknown> & { definitions?: Record<string, unknown> };
      for (const [id, def] of Object.entries(definitions ?? {})) components[id] ??= componentRefs(def);
      return componentRefs(schema);
    };
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const parameters = [
        ...Object.entries(op.params?.shape ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: toSchema(schema as z.ZodType) })),
        ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: toSchema(schema as z.ZodType),
          description: (schema as z.ZodType).description,
        })),
      ];
      const success = { description: 'Success', content: { 'application/json': { schema: toSchema(op.response, 'output') } } };
      const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: toSchema(errorSchema, 'output') } } });
      paths[op.path] ??= {};
      paths[op.path]![op.method] = {
        summary: op.summary,
        description: [op.description, `Needs a token with the \`${op.scope}\` scope (${API_SCOPE_LABELS[op.scope].toLowerCase()}).`].filter(Boolean).join('\n\n'),
        tags: [op.tag],
        'x-required-scope': op.scope,
        security: [{ bearerAuth: [] }],
        parameters,
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body) } } } } : {}),
        ...(op.rawBody ? { requestBody: { required: true, description: op.rawBody.description, content: Object.fromEntries(op.rawBody.mediaTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } } : {}),
        responses: {
          ...Object.fromEntries([200, ...(op.alsoAnswers ?? [])].map((status) => [String(status), success])),
          '400': errorResponse('The request is not valid'),
          '401': errorResponse('No bearer token, or a token that is not valid'),
          '403': errorResponse(`insufficient_scope: the token does not have the ${op.scope} scope`),
          '404': errorResponse('Not found'),
          '422': errorResponse('Refused: validation_failed with a message per field in details.fields, or a rule’s own code (a refusal about one field names it in details.fields too)'),
          '429': errorResponse('Too many requests'),
        },
      };
    }
    return {
      openapi: '3.0.3',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      components: { schemas: components, securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  }
}

/** A JSON Schema with zod's local references (`#/definitions/X`) pointed at the document's components. */
function componentRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(componentRefs);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, k === '$ref' && typeof v === 'string' ? v.replace(/^#\/definitions\//, '#/components/schemas/') : componentRefs(v)]));
}

/**
 * A schema from the document with its component references written out in place, for people reading
 * it on /api/docs; a component met again inside itself stays a reference, so a recursive one ends.
 */
export function inlineComponents(node: unknown, components: Record<string, unknown>, seen: ReadonlySet<string> = new Set()): unknown {
  if (Array.isArray(node)) return node.map((v) => inlineComponents(v, components, seen));
  if (!node || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  const id = typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;
  if (id !== undefined && components[id] && !seen.has(id)) return inlineComponents(components[id], components, new Set([...seen, id]));
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inlineComponents(v, components, seen)]));
}
