import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import YAML from 'yaml';
import { asJsonSchema } from '../../api/openapi-json-schema';

/*
 * DfE's own Lead Provider API v3 document (docs/reference, a copy of ../shared/reference), read as the
 * stand-in's contract: every request it receives and every response it sends is checked against it
 * (issue 13 item 1). Ajv does the checking; the document's OpenAPI 3.0 quirks are read as JSON Schema
 * by asJsonSchema (docs/adr/0068).
 */

const DOCUMENT = 'docs/reference/dfe-npq-lead-provider-api-v3.yaml';

/** The document, found from this file up: three folders up from the source, two from the server bundle (dist/server). */
function documentPath(): string {
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, DOCUMENT);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`DfE's OpenAPI document (${DOCUMENT}) is not found above ${import.meta.dirname}`);
  }
}

interface Operation {
  method: string;
  /** The document's path template, e.g. `/api/v3/participants/npq/{id}/defer`. */
  template: string;
  pattern: RegExp;
  /** The query parameters the document names (filter, page, sort), each with its schema's pointer. */
  query: Map<string, string>;
  /** The path parameters' schemas' pointers, in the template's order. */
  pathParams: string[];
  requestBody: string | null;
  /** Response schema pointers by status code. */
  responses: Map<string, string | null>;
}

/** One way a request or response broke DfE's document: what, where, and Ajv's words. */
export interface ContractViolation {
  direction: 'request' | 'response';
  method: string;
  path: string;
  status?: number;
  problem: string;
}

/** The document's schema for each refusal DfE gives where the document does not list it. */
const UNDOCUMENTED_REFUSALS: Record<number, string> = { 400: 'BadRequestResponse', 403: 'UnprocessableEntityResponse', 404: 'NotFoundResponse', 410: 'UnprocessableEntityResponse', 422: 'UnprocessableEntityResponse' };

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The document's operations and a validator per schema, built once. `match` finds the operation a
 * request is for (null when the document has none); `checkRequest` and `checkResponse` give what is
 * wrong (empty when nothing is).
 */
export function loadContract() {
  const doc = YAML.parse(readFileSync(documentPath(), 'utf8')) as { paths: Record<string, Record<string, Record<string, unknown>>> };
  const schema = asJsonSchema(doc) as object;
  // Query values are text: the query's checker reads numbers and booleans from it where the schema asks for them.
  const [bodies, queries] = [new Ajv({ strict: false, allErrors: true }), new Ajv({ strict: false, allErrors: true, coerceTypes: true })];
  for (const ajv of [bodies, queries]) {
    addFormats(ajv);
    ajv.addSchema(schema, 'dfe');
  }
  const compiled = new Map<string, ValidateFunction>();
  const validatorIn = (ajv: Ajv, ref: string) => {
    const key = `${ajv === queries ? 'q' : 'b'}${ref}`;
    let v = compiled.get(key);
    if (!v) {
      v = ajv.compile({ $ref: `dfe#${ref}` });
      compiled.set(key, v);
    }
    return v;
  };
  const validator = (ref: string) => validatorIn(bodies, ref);
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(doc.paths)) {
    const base = `/paths/${pointer(template)}`;
    for (const [method, op] of Object.entries(methods)) {
      const query = new Map<string, string>();
      const pathParams: string[] = [];
      for (const [i, p] of ((op.parameters ?? []) as { in: string; name: string }[]).entries()) {
        if (p.in === 'query') query.set(p.name, `${base}/${method}/parameters/${i}/schema`);
        if (p.in === 'path') pathParams.push(`${base}/${method}/parameters/${i}/schema`);
      }
      const body = op.requestBody as { content?: Record<string, unknown> } | undefined;
      const responses = new Map<string, string | null>();
      for (const [status, r] of Object.entries((op.responses ?? {}) as Record<string, { content?: Record<string, unknown> }>)) responses.set(status, r.content?.['application/json'] ? `${base}/${method}/responses/${status}/content/${pointer('application/json')}/schema` : null);
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '([^/]+)')}$`),
        query,
        pathParams,
        requestBody: body?.content?.['application/json'] ? `${base}/${method}/requestBody/content/${pointer('application/json')}/schema` : null,
        responses,
      });
    }
  }
  // Literal paths first: `/participants/npq/outcomes` is not the participant `outcomes`.
  operations.sort((a, b) => (a.template.match(/\{/g)?.length ?? 0) - (b.template.match(/\{/g)?.length ?? 0));

  const problems = (v: ValidateFunction, value: unknown) => (v(value) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.params && 'allowedValues' in e.params ? ` ${JSON.stringify(e.params.allowedValues)}` : ''}`));

  return {
    match(method: string, urlPath: string): Operation | null {
      return operations.find((o) => o.method === method && o.pattern.test(urlPath)) ?? null;
    },
    /**
     * What is wrong with a request for `op`: a query parameter the document does not name for it
     * (filter, page and sort are read as deep objects: `filter[cohort]` is `filter.cohort`), or a body
     * that does not match its request schema.
     */
    checkRequest(op: Operation, query: Record<string, unknown>, body: unknown, pathValues: string[] = []): string[] {
      const out: string[] = [];
      for (const [i, ref] of op.pathParams.entries()) if (pathValues[i] !== undefined) out.push(...problems(validator(ref), decodeURIComponent(pathValues[i]!)).map((p) => `path parameter ${i + 1}${p.startsWith('(root)') ? p.slice(6) : p}`));
      for (const [name, value] of Object.entries(query)) {
        const ref = op.query.get(name);
        if (!ref) {
          out.push(`query parameter ${name} is not in DfE's document for ${op.method} ${op.template}`);
          continue;
        }
        out.push(...problems(validatorIn(queries, ref), structuredClone(value)).map((p) => `query ${name}${p.startsWith('(root)') ? p.slice(6) : p}`));
      }
      if (op.requestBody && body !== undefined) out.push(...problems(validator(op.requestBody), body).map((p) => `body ${p}`));
      return out;
    },
    /** What is wrong with a response for `op`: a status the document does not give, or a body that does not match its schema. */
    checkResponse(op: Operation, status: number, body: unknown): string[] {
      if (!op.responses.has(String(status))) {
        // DfE's service answers some refusals its document leaves out for an operation (a 400 for a bad
        // filter on a list, 410 for a retired participant id: docs/dfe-api.md §5.6, §4.5); they are held
        // to the document's own shape for that refusal, and any other status is a violation.
        const shape = UNDOCUMENTED_REFUSALS[status];
        return shape ? [...problems(validator(`/components/schemas/${shape}`), body).map((p) => `body (${status}) ${p}`), ...refusalProblems(status, body)] : [`status ${status} is not in DfE's document for ${op.method} ${op.template}`];
      }
      const ref = op.responses.get(String(status));
      return [...(ref ? problems(validator(ref), body).map((p) => `body ${p}`) : []), ...(status >= 400 ? refusalProblems(status, body) : [])];
    },
    /** Checks a value against one of the document's component schemas by name (e.g. `ParticipantDeclaration`). */
    checkSchema(name: string, value: unknown): string[] {
      return problems(validator(`/components/schemas/${pointer(name)}`), value);
    },
  };
}

export type Contract = ReturnType<typeof loadContract>;

/**
 * What DfE's refusals always hold that the document's error schemas leave optional (they require
 * nothing, so any object would pass): 401 and 404 an `error` text; the rest a non-empty `errors`
 * list, each with a `title` and a `detail` (docs/dfe-api.md §5.6).
 */
function refusalProblems(status: number, body: unknown): string[] {
  const b = body as { error?: unknown; errors?: unknown } | null;
  if (status === 401 || status === 404) return typeof b?.error === 'string' ? [] : [`body (${status}) must have an error text`];
  const errors = b?.errors;
  if (!Array.isArray(errors) || !errors.length || !errors.every((e) => typeof e?.title === 'string' && typeof e?.detail === 'string')) return [`body (${status}) must have errors, each with a title and a detail`];
  return [];
}

