import { z } from 'zod';
import { API_SCOPE_LABELS, type ApiScope } from './domain/scopes';

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI path, like /api/v1/qualifications/{identifier} */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  pathParams?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  response: z.ZodType;
  /** The token scope the operation needs; refused with 403 insufficient_scope without it (docs/adr/0020). */
  scope: ApiScope;
}

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'Stable, machine-readable code, like not_found or validation_failed' }),
      message: z.string().meta({ description: 'What went wrong and what to do, for people' }),
      details: z.unknown().nullable().meta({ description: 'Per-field messages for validation_failed' }),
    }),
  })
  .meta({ id: 'Error' });

/** Every documented operation registers here; the document is generated from the same zod schemas the routes use. */
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
    const toSchema = (s: z.ZodType) => z.toJSONSchema(s, { target: 'openapi-3.0', unrepresentable: 'any', io: 'output' });
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations) {
      const parameters = [
        ...Object.entries(op.pathParams?.shape ?? {}).map(([name, schema]) => ({ name, in: 'path', required: true, schema: toSchema(schema as z.ZodType) })),
        ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => ({
          name,
          in: 'query',
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: toSchema(schema as z.ZodType),
          description: (schema as z.ZodType).description,
        })),
      ];
      const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: toSchema(errorSchema) } } });
      paths[op.path] ??= {};
      paths[op.path]![op.method] = {
        summary: op.summary,
        description: [op.description, `Needs a token with the \`${op.scope}\` scope (${API_SCOPE_LABELS[op.scope].toLowerCase()}).`].filter(Boolean).join('\n\n'),
        tags: [op.tag],
        'x-required-scope': op.scope,
        security: [{ bearerAuth: [] }],
        parameters,
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body) } } } } : {}),
        responses: {
          '200': { description: 'Success', content: { 'application/json': { schema: toSchema(op.response) } } },
          '400': errorResponse('The request is not valid'),
          '401': errorResponse('No bearer token, or a token that is not valid'),
          '403': errorResponse(`insufficient_scope: the token does not have the ${op.scope} scope`),
          '404': errorResponse('Not found'),
          '429': errorResponse('Too many requests'),
        },
      };
    }
    return {
      openapi: '3.0.3',
      info: { title: info.title, version: info.version },
      servers: [{ url: info.serverUrl }],
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  }
}
