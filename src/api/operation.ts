import type { FastifyInstance, FastifyReply, FastifyRequest, RouteShorthandOptions } from 'fastify';
import type { z } from 'zod';
import { requireInput } from '../platform/boundary';
import { AppError, NotFoundError } from '../platform/errors';
import { streamedBody } from '../platform/streamed-body';
import { fieldRefusalOf, refusalError } from './domain/refusal';
import type { ApiScope } from './domain/scopes';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope the API operation a route serves needs: set only by `operation`, read by the API platform. */
    apiScope?: ApiScope;
  }
}

/** Who is asking: the API platform has signed the token in before any operation runs. */
type Actor = FastifyRequest['actor'];
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What an operation's `handle` receives: the request's parts as its schemas made them, and who asks. */
export interface OperationInput<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  actor: Actor;
  req: FastifyRequest;
  reply: FastifyReply;
}

/**
 * One API operation, declared once (docs/adr/0032): the route Fastify serves, its validation and its
 * OpenAPI entry all come from this. `handle` runs the use case and returns what happened; `present`
 * (a presenter, in its own file) shapes that as `response` says, so the document describes exactly
 * what is sent. Path parameters that do not fit `params` are 404 (nothing by that name exists); a
 * query or body that does not fit is 422 `validation_failed` with a message per field.
 */
export interface OperationDeclaration<P extends z.ZodObject | undefined, Q extends z.ZodObject | undefined, B extends z.ZodType | undefined, R extends z.ZodType, T> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** The OpenAPI path, like /api/v1/qualifications/{identifier}. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** The token scope the operation needs; refused with 403 insufficient_scope without it (docs/adr/0020). */
  scope: ApiScope;
  params?: P;
  query?: Q;
  /** The JSON body; validated before `handle` runs. */
  body?: B;
  /** A body the handler reads itself, not JSON (a CSV file): its media types and what it holds, for the document. */
  rawBody?: { mediaTypes: readonly string[]; description: string };
  response: R;
  /** Success statuses other than 200 this operation answers (201 for a create), for the document. */
  alsoAnswers?: readonly number[];
  /** The success status for a result; 200 unless given. */
  status?: (result: T) => number;
  /** Fastify route options the operation needs before its body is read (an upload's permission and size). */
  routeOptions?: RouteShorthandOptions;
  /**
   * The request field each of the use case's refusal codes is about (`funded_place_required` →
   * `funded_place`): such a 422 names the field in `details.fields`, as DfE titles its errors with the
   * attribute. Refusals raised as errors with their own `field` need no entry.
   */
  refusalFields?: Readonly<Record<string, string>>;
  handle(input: OperationInput<P, Q, B>): Promise<T>;
  /** The body `response` describes, or its JSON text already written (JsonText: ADR 0041). */
  present(result: T): z.input<R> | JsonText;
  /**
   * The JSON document `present` would make, as chunks of its text written as they come, for a result
   * too long to hold at once (the applications API's 3,000-row pages: ADR 0038); `undefined` for a
   * result `present` answers. The document is sent as it is read: an error after the first chunk
   * can only end the connection, so anything that can be refused is refused in `handle`.
   */
  stream?(result: T): AsyncIterable<string> | undefined;
}

/**
 * A response body that is already JSON text, sent as it is: a presenter that writes its JSON in SQL
 * (the applications API: ADR 0041) hands its text over without it being parsed and written again.
 */
export class JsonText {
  /** The text, or its UTF-8 bytes when they are kept to be sent again. */
  constructor(readonly text: string | Buffer) {}
}

/** An operation as the registry and the document see it, whatever its types. */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  summary: string;
  description?: string | undefined;
  tag: string;
  scope: ApiScope;
  params?: z.ZodObject | undefined;
  query?: z.ZodObject | undefined;
  body?: z.ZodType | undefined;
  rawBody?: { mediaTypes: readonly string[]; description: string } | undefined;
  response: z.ZodType;
  alsoAnswers?: readonly number[] | undefined;
  /** Registers the route on `app` (inside the plugin that serves it). */
  serve(app: FastifyInstance): void;
}

/** Fastify's path for an OpenAPI one, relative to the plugin's prefix: /api/v1/a/{id} under /api → /v1/a/:id. */
export function routeUrlOf(path: string, prefix: string): string {
  const url = path.replace(/\{(\w+)\}/g, ':$1');
  return prefix && url.startsWith(`${prefix}/`) ? url.slice(prefix.length) : url;
}

/**
 * Runs a use case so that a refusal about one field answers 422 naming it (src/api/domain/refusal.ts):
 * a domain error with its own `code` and `field`, or a 422 AppError whose code `fields` maps to one.
 */
async function refusalsAsErrors<T>(work: () => Promise<T>, fields: Readonly<Record<string, string>> = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError)) {
      const refusal = fieldRefusalOf(error);
      throw refusal ? refusalError(refusal) : error;
    }
    const field = Object.hasOwn(fields, error.code) ? fields[error.code] : undefined;
    throw field && error.status === 422 && error.details == null ? refusalError({ code: error.code, field, message: error.message }) : error;
  }
}

/**
 * Declares an API operation (see OperationDeclaration). Returns it for the capability's plugin to
 * `serveOperations`; nothing is registered until then.
 */
export function operation<P extends z.ZodObject | undefined = undefined, Q extends z.ZodObject | undefined = undefined, B extends z.ZodType | undefined = undefined, R extends z.ZodType = z.ZodType, T = unknown>(
  decl: OperationDeclaration<P, Q, B, R, T>,
): ApiOperation {
  const { handle, present, stream, status, routeOptions, refusalFields, ...described } = decl;
  return {
    ...described,
    serve(app) {
      app.route({
        ...routeOptions,
        config: { ...routeOptions?.config, apiScope: decl.scope },
        method: decl.method.toUpperCase() as 'GET',
        url: routeUrlOf(decl.path, app.prefix),
        handler: async (req, reply) => {
          const params = decl.params?.safeParse(req.params);
          if (params && !params.success) throw new NotFoundError();
          const input = {
            params: params?.data as Out<P>,
            query: (decl.query ? requireInput(decl.query, req.query ?? {}, 'The query parameters are not valid') : undefined) as Out<Q>,
            body: (decl.body ? requireInput(decl.body, req.body ?? {}) : undefined) as Out<B>,
            actor: req.actor,
            req,
            reply,
          };
          const result = await refusalsAsErrors(() => handle(input), refusalFields);
          const chunks = stream?.(result);
          reply.code(status?.(result) ?? 200);
          // A stream of text, pulled as the socket takes it: at most one chunk read ahead of the client.
          if (chunks) return reply.type('application/json; charset=utf-8').send(streamedBody(reply, chunks, 64 * 1024));
          const body = present(result);
          if (body instanceof JsonText) return reply.type('application/json; charset=utf-8').send(body.text);
          return reply.send(body);
        },
      });
    },
  };
}

/** Serves a capability's operations and lists them in the OpenAPI document: the one way an /api/v1 route is added. */
export function serveOperations(app: FastifyInstance, operations: readonly ApiOperation[]): void {
  for (const op of operations) {
    app.apiRegistry.add(op);
    op.serve(app);
  }
}
