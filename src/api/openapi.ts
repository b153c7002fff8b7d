import { z } from 'zod';

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
  public?: boolean;
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

  add(op: ApiOperation): void {
    this.operations.push(op);
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
        description: op.description,
        tags: [op.tag],
        security: op.public ? [] : [{ bearerAuth: [] }],
        parameters,
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(op.body) } } } } : {}),
        responses: {
          '200': { description: 'Success', content: { 'application/json': { schema: toSchema(op.response) } } },
          '400': errorResponse('The request is not valid'),
          ...(op.public ? {} : { '401': errorResponse('No bearer token, or a token that is not valid') }),
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
