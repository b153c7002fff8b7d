import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RawRequestDefaultExpression } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { AppError, type FieldErrors, NotFoundError, ValidationError } from './errors';
// Every schema's messages, where it gives none of its own, are people's words, not zod's.
import './zod-messages';

/**
 * The one typed parsing layer every request passes before a handler sees it. Whatever arrives, a
 * handler receives path parameters of their declared shape, a query and a form body of plain text
 * (`string`, or `string[]` only for fields the route declares repeatable), JSON of well-formed text,
 * or the request is answered 400 (404 for an id that cannot exist) through the platform's error
 * page or JSON shape. Nothing here knows a capability: routes declare what they accept in
 * `config.repeatable`.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Form or query fields this route accepts more than once (checkboxes): they arrive as `string[]`. */
    repeatable?: readonly string[];
  }
}

/** A request the platform could not read: answered 400 with a stable code, before any handler runs. */
export class BadRequestError extends AppError {
  constructor(code: string, message: string, details?: unknown) {
    super(code, message, 400, details);
  }
}

/** Where a URL the router cannot read is sent, so that its answer goes through every hook. */
export const BAD_URL_PATH = '/_platform/bad-url';
/** The longest web address we read; longer ones are answered 414-like 400s before routing. */
const MAX_URL_LENGTH = 4096;
/** The largest form or JSON body (bytes): a long textarea fits many times over; file uploads set their own. */
export const FORM_BODY_LIMIT = 256 * 1024;
/** The longest single path segment: well above a UUID, a token or an identifier. */
export const MAX_PARAM_LENGTH = 1000;
/** The longest value of one query field. */
export const MAX_QUERY_VALUE = 2000;

/** A zod error as one message per field, keyed by its path (`a.b`), `form` for the whole value; the first message per field wins. */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || 'form';
    errors[key] ??= issue.message;
  }
  return errors;
}

/** What a schema made of a value: the value it stands for, or a message per field (`a.b` for nested fields, `form` for the whole). */
export type ParsedInput<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

/**
 * Reads a form or a JSON body (or a query) with its zod schema: the one way both pages and the API
 * judge what was sent, so a field is refused with the same words whichever way it came. The schema
 * decides what is valid; messages it does not word come from the platform's zod error map.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): ParsedInput<z.output<S>> {
  const result = schema.safeParse(value);
  return result.success ? { ok: true, data: result.data } : { ok: false, errors: fieldErrors(result.error) };
}

/**
 * `parseInput` for callers that answer a refusal with an error rather than a page: throws
 * ValidationError (422 `validation_failed`, details `{ fields }`) with `message` for the whole.
 */
export function requireInput<S extends z.ZodType>(schema: S, value: unknown, message?: string): z.output<S> {
  const parsed = parseInput(schema, value);
  if (!parsed.ok) throw new ValidationError(parsed.errors, message);
  return parsed.data;
}

const badUrls = new WeakMap<IncomingMessage, string>();

/** Why a request target cannot be read (undecodable percent-encoding, NUL, too long), or undefined. */
export function urlProblem(url: string): string | undefined {
  if (url.length > MAX_URL_LENGTH) return 'The web address is too long';
  const q = url.indexOf('?');
  const parts = [q === -1 ? url : url.slice(0, q), ...(q === -1 ? [] : url.slice(q + 1).split('&'))];
  for (const [i, part] of parts.entries()) {
    let decoded: string;
    try {
      // decodeURIComponent refuses bytes that are not UTF-8, encoded surrogates included.
      decoded = decodeURIComponent(i === 0 ? part : part.replace(/\+/g, ' '));
    } catch {
      return 'The web address contains characters that could not be read';
    }
    if (decoded.includes('\0')) return 'The web address contains a character that is not allowed';
  }
  return undefined;
}

/**
 * Fastify's `rewriteUrl`: a target the router would refuse with its own raw answer is sent to the
 * platform's bad-URL route instead, so it gets the error page or JSON shape and security headers.
 */
export function rewriteBadUrl(req: RawRequestDefaultExpression): string {
  const url = req.url ?? '/';
  const problem = urlProblem(url);
  if (!problem) return url;
  badUrls.set(req, problem);
  return BAD_URL_PATH;
}

/**
 * The path as the router reads it: percent-decoded where it can be, duplicate slashes collapsed,
 * lower case. For decisions about requests no route matched; matched requests are decided on the
 * route (see `isApiRequest`).
 */
export function requestPath(req: FastifyRequest): string {
  const raw = (req.originalUrl ?? req.url).split('?')[0] ?? '/';
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // Keep the raw path: it is only used to choose the shape of an error.
  }
  return decoded.replace(/\/{2,}/g, '/').toLowerCase();
}

/** The pattern of the route the request matched, like `/api/v1/applications/:id`; undefined when none did. */
export const matchedRoute = (req: FastifyRequest): string | undefined => (badUrls.has(req.raw) ? undefined : req.routeOptions.url);

/**
 * Whether a request is for the JSON API: decided on the route matched (so `/api/%76%31/…` is the API,
 * as the router treats it), else on the decoded, normalised path (for JSON 404s and errors).
 */
export function isApiRequest(req: FastifyRequest): boolean {
  const route = matchedRoute(req);
  return route !== undefined ? route.startsWith('/api/') : requestPath(req).startsWith('/api/');
}

/**
 * A form body (`application/x-www-form-urlencoded`) as `{ field: value }`, a repeated field as an
 * array, line breaks as LF. Unlike node:querystring it refuses what it cannot decode (bytes that are
 * not UTF-8) rather than replacing it, so a code or a name is never silently changed. Throws
 * BadRequestError.
 */
export function parseFormBody(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  if (body === '') return fields;
  for (const pair of body.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent((eq === -1 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '));
      value = eq === -1 ? '' : decodeURIComponent(pair.slice(eq + 1).replace(/\+/g, ' '));
    } catch {
      throw new BadRequestError('unreadable_form', 'The form contains characters that could not be read. Check what you typed and try again.');
    }
    // Browsers send a textarea's line breaks as CRLF; the page counts them as one character (LF), so do we.
    value = value.replace(/\r\n?/g, '\n');
    const existing = fields[key];
    fields[key] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

const UUID = z.uuid();
/** Opaque tokens in emailed links: base64url, sometimes sealed in dot-separated parts. */
const TOKEN = /^[A-Za-z0-9_.-]{1,512}$/;
/** Identifiers, steps, cohorts, list names: short slugs. */
const SLUG = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Whether a path parameter can name anything, by its name: `id`, `cid`, `iid` and `…Id` are UUIDs,
 * `token` an emailed link's token, anything else a short slug. One that cannot is answered 404, as
 * for an id that does not exist, before a query could choke on it.
 */
export function paramIsPlausible(name: string, value: string): boolean {
  if (name === 'id' || name === 'cid' || name === 'iid' || name.endsWith('Id')) return UUID.safeParse(value).success;
  if (name === 'token') return TOKEN.test(value);
  return SLUG.test(value);
}

const isText = (v: string) => v.isWellFormed() && !v.includes('\0');

const fieldName = (key: string) => JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);

/** Checks a query or form: text only, one value a field unless declared repeatable. Throws BadRequestError. */
function checkFlat(values: Record<string, unknown>, repeatable: readonly string[], what: 'form' | 'address', maxLength: number): void {
  for (const key of Object.keys(values)) {
    if (!isText(key)) throw new BadRequestError('invalid_characters', `The ${what} contains a character that is not allowed`, { field: null });
    const value = values[key];
    const items = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) && !repeatable.includes(key)) {
      throw new BadRequestError('repeated_field', `The ${what} sent the field ${fieldName(key)} more than once`, { field: key });
    }
    for (const item of items) {
      if (Buffer.isBuffer(item)) continue;
      // A file sent with a form (file-forms.ts SentFile): its bytes are the file's own; its name is text like any field.
      if (item && typeof item === 'object' && Buffer.isBuffer((item as { bytes?: unknown }).bytes)) {
        if (!isText(String((item as { name?: unknown }).name ?? ''))) throw new BadRequestError('invalid_characters', 'The name of the file you chose contains a character that is not allowed: rename it and try again', { field: key });
        continue;
      }
      if (typeof item !== 'string') throw new BadRequestError('unreadable_form', 'Something you sent is not text: go back, enter your answers again and send them', { field: key });
      if (!isText(item)) throw new BadRequestError('invalid_characters', 'Something you entered contains a character that is not allowed (a control character or a broken one, often from pasting): remove it and try again', { field: key });
      if (item.length > maxLength) throw new BadRequestError('field_too_long', 'Something you entered is far longer than any answer here can be: shorten it and try again', { field: key });
    }
  }
}

/** Checks JSON: every string (keys too) well-formed and free of NUL, nesting at most 32 deep. Throws BadRequestError. */
function checkJson(value: unknown, path: string, depth = 0): void {
  if (depth > 32) throw new BadRequestError('invalid_request', 'The request body is nested too deeply');
  if (typeof value === 'string') {
    if (!isText(value)) throw new BadRequestError('invalid_characters', `${path || 'The body'} contains a character that is not allowed`, { field: path || null });
  } else if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) checkJson(v, `${path}[${i}]`, depth + 1);
  } else if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (!isText(k)) throw new BadRequestError('invalid_characters', 'The request body contains a character that is not allowed', { field: null });
      checkJson(v, path ? `${path}.${k}` : k, depth + 1);
    }
  }
}

/** The longest value of one form field: far above any field's own limit, which its schema states. */
export const MAX_FORM_VALUE = 100_000;

/**
 * The checks every request passes before its handler (see the module comment). Exported for the
 * platform's preValidation hook; throws BadRequestError or NotFoundError.
 */
export function checkRequestInput(req: FastifyRequest): void {
  const params = (req.params ?? {}) as Record<string, string>;
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string' || !paramIsPlausible(name, value)) throw new NotFoundError();
  }
  const repeatable = req.routeOptions.config?.repeatable ?? [];
  checkFlat((req.query ?? {}) as Record<string, unknown>, repeatable, 'address', MAX_QUERY_VALUE);
  const body = req.body;
  if (body === undefined || body === null || Buffer.isBuffer(body) || typeof body === 'string') return;
  if (isApiRequest(req)) {
    checkJson(body, '');
    return;
  }
  // A page reads forms: a JSON body may stand in for one only if it is shaped like one.
  if (typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('unreadable_form', 'The form could not be read');
  checkFlat(body as Record<string, unknown>, repeatable, 'form', MAX_FORM_VALUE);
}

const readingBody = new WeakSet<FastifyRequest>();

/**
 * Whether an error happened while the body was being read and parsed (a body parser's or an upload
 * library's own error, like busboy's "Boundary not found"): that is the client's malformed request,
 * answered 400, not a fault of ours.
 */
export const failedReadingBody = (req: FastifyRequest): boolean => readingBody.has(req);

/** Every route the application registered, for the generated boundary tests. */
export interface RouteEntry {
  method: string;
  url: string;
  repeatable: readonly string[];
  /** The route's own body limit in bytes, where it takes more than a form (an upload). */
  bodyLimit: number | undefined;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered after the platform, with its method and path pattern. */
    routeList: RouteEntry[];
  }
}

/** Registers the checks, the bad-URL route and the list of routes. Used by the web platform. */
export const inputBoundary = fp(async (app: FastifyInstance) => {
  const routes: RouteEntry[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (route) => {
    if (route.url === BAD_URL_PATH) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, repeatable: (route.config as { repeatable?: readonly string[] } | undefined)?.repeatable ?? [], bodyLimit: route.bodyLimit });
    }
  });
  app.addHook('preParsing', async (req) => {
    readingBody.add(req);
  });
  app.addHook('preValidation', async (req) => checkRequestInput(req));
  app.addHook('preHandler', async (req) => {
    readingBody.delete(req);
  });
  app.all(BAD_URL_PATH, async (req: FastifyRequest, _reply: FastifyReply) => {
    throw new BadRequestError('bad_url', badUrls.get(req.raw) ?? 'The web address could not be read');
  });
});

/**
 * Fastify's `frameworkErrors`: a safety net for the router's own refusals (a URL `rewriteBadUrl` did
 * not foresee, a parameter over `MAX_PARAM_LENGTH`), which happen before any hook or decorator, so it
 * sets the security headers itself and answers in the platform's JSON shape or a plain page.
 */
export function frameworkErrorHandler(headers: Record<string, string>) {
  return (_error: Error, req: FastifyRequest, reply: FastifyReply) => {
    const message = 'The web address could not be read';
    reply.headers(headers).header('cache-control', 'no-store').code(400);
    if (requestPath(req).startsWith('/api/')) return reply.send({ error: { code: 'bad_url', message, details: null } });
    return reply
      .type('text/html; charset=utf-8')
      .send(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>There is a problem</title></head><body><h1>There is a problem</h1><p>${message}. <a href="/">Go to the home page</a>.</p></body></html>`);
  };
}
