import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { type ContractViolation, loadContract } from './contract';
import { applicationShape, declarationShape, deliveryPartnerShape, outcomeShape, participantShape, statementShape } from './dfe-shapes';
import { areUuids, DfeRefusal, DfeState, isRfc3339, type LeadProvider } from './dfe-state';

/*
 * The DfE Lead Provider API stand-in (issue 13 item 1): a separate HTTP server with DfE's v3
 * endpoints and rules (dfe-state.ts), its own state, and every request it receives and response it
 * sends checked against DfE's OpenAPI document — a mismatch is kept as a violation for the tests to
 * fail on, never let pass. It can be told to misbehave (faults) and to do what DfE does on its own
 * (merge identities, transfer applications, pay statements) through `/__stand-in/…`, which is the
 * stand-in's own control surface and no part of DfE's API.
 */

/** A way the stand-in misbehaves, for the next `times` requests matching method and path (a substring). */
export interface Fault {
  kind: 'timeout' | '429' | '500' | '502' | 'drop-after-commit' | 'page-overlap';
  method?: string;
  path?: string;
  times: number;
  /** timeout: how long the request hangs before the connection is closed (ms). page-overlap: records each page repeats from the one before. */
  amount?: number;
}

/** One call the stand-in received: when, by whom (the lead provider's name), what, and how it answered. */
export interface StandInCall {
  at: Date;
  leadProvider: string | null;
  method: string;
  url: string;
  status: number | 'dropped';
  requestBody: unknown;
  responseBody: unknown;
}

export interface StandInOptions {
  now?: () => Date;
  /** DfE's limit: requests per token per fixed 5-minute window (docs/dfe-api.md §5.2). */
  rateLimit?: number;
  state?: DfeState;
}

const WINDOW_MS = 5 * 60 * 1000;
const DEFAULT_PER_PAGE = 100;
const MAX_PER_PAGE = 3000;

const badRequest = (detail: string) => new DfeRefusal(400, { errors: [{ title: 'Bad request', detail }] });

/** filter[x]=… and page[x]=… read as DfE's Rails reads them: nested objects; `filter=x` is not one. */
// Keys that would reach an object's prototype: DfE ignores unknown keys, so these are dropped unread.
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function nestedQuery(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const m = /^(\w+)\[(\w+)\]$/.exec(key);
    if (UNSAFE_KEYS.has(key) || (m && (UNSAFE_KEYS.has(m[1]!) || UNSAFE_KEYS.has(m[2]!)))) continue;
    if (m) {
      out[m[1]!] ??= {};
      const bag = out[m[1]!];
      if (typeof bag !== 'object') throw badRequest(`'#/${m[1]}' is not a valid field`);
      (bag as Record<string, unknown>)[m[2]!] = Array.isArray(value) ? value.at(-1) : value;
    } else if ((key === 'filter' || key === 'page') && typeof value === 'string') throw badRequest(`'#/${key}' is not a valid field`);
    else out[key] = value;
  }
  return out;
}

/** An ISO 8601 time from a filter; `+hh:mm` fails as DfE's double decode makes it fail (§5.4). */
function sinceOf(value: unknown, name: string): Date | null {
  if (value === undefined) return null;
  const text = String(value);
  // Ruby's Time.iso8601 wants the seconds; a time with no zone is read as DfE's servers' own, UTC.
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?)(Z|-\d{2}:?\d{2})?$/.exec(text);
  const at = m && isRfc3339(`${m[1]}${m[3] ?? 'Z'}`) ? new Date(`${m[1]}${m[3] ?? 'Z'}`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw badRequest(`The filter '#/${name}' must be a valid ISO 8601 date`);
  return at;
}

function pageOf(page: unknown): { page: number; perPage: number } {
  const p = (page ?? {}) as Record<string, unknown>;
  const read = (v: unknown, fallback: number) => (v === undefined ? fallback : /^\d+$/.test(String(v)) ? Number(v) : 0);
  const n = read(p.page, 1);
  const size = read(p.per_page, DEFAULT_PER_PAGE);
  if (n < 1 || size < 1) throw badRequest("The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number");
  return { page: n, perPage: Math.min(size, MAX_PER_PAGE) };
}

/**
 * Builds the stand-in (not listening: call `listen`). `state` is DfE's records, `violations` every
 * contract mismatch seen, `calls` every call received, `faults` what it is told to do wrong next.
 */
export function createDfeStandIn(options: StandInOptions = {}) {
  const now = options.now ?? (() => new Date());
  // Changeable while running: a test holds a client to a small limit.
  const limits = { perWindow: options.rateLimit ?? 1000 };
  const state = options.state ?? new DfeState();
  const contract = loadContract();
  const violations: ContractViolation[] = [];
  const calls: StandInCall[] = [];
  const faults: Fault[] = [];
  const windows = new Map<string, { window: number; count: number }>();
  const stats = { rateLimited: 0, maxInWindow: 0 };
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });

  // A body that is not JSON, or not sent as JSON, reaches the handler as unreadable: DfE's 400 there, checked and logged like any other answer.
  const UNREADABLE = Symbol('unreadable body');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (req, body, done) => {
    if (body === '') return done(null, undefined);
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return done(null, UNREADABLE);
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(null, UNREADABLE);
    }
  });

  const takeFault = (req: FastifyRequest): Fault | undefined => {
    const path = req.url.split('?')[0]!;
    const i = faults.findIndex((f) => (!f.method || f.method === req.method) && (!f.path || path.includes(f.path)));
    if (i < 0) return undefined;
    const f = faults[i]!;
    if (--f.times <= 0) faults.splice(i, 1);
    return f;
  };

  const send = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).header('cache-control', 'no-store').type('application/json').send(JSON.stringify(body));

  type Handler = (ctx: { lp: LeadProvider; params: string[]; query: Record<string, unknown>; body: unknown; at: Date; overlap: number }) => unknown;
  const list = <T>(items: T[], query: Record<string, unknown>, overlap: number) => {
    const { page, perPage } = pageOf(query.page);
    const start = Math.max(0, (page - 1) * perPage - (page > 1 ? overlap : 0));
    return items.slice(start, start + perPage);
  };
  const byCreated = <T extends { createdAt: Date; id: string }>(a: T, b: T) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id);
  const cohortsOf = (query: Record<string, unknown>) => {
    const c = (query.filter as Record<string, unknown> | undefined)?.cohort;
    return c === undefined ? null : new Set(String(c).split(',').map((y) => y.trim()));
  };
  const filterOf = (query: Record<string, unknown>) => (query.filter ?? {}) as Record<string, unknown>;

  const handlers: Record<string, Handler> = {
    'GET /api/v3/npq-applications': ({ lp, query, overlap }) => {
      const f = filterOf(query);
      const since = sinceOf(f.updated_since, 'updated_since');
      const cohorts = cohortsOf(query);
      if (f.participant_id !== undefined && !areUuids(String(f.participant_id))) throw badRequest("The filter '#/participant_id' must be a comma-delimited list of valid UUIDs");
      const ids = f.participant_id === undefined ? null : new Set(String(f.participant_id).split(','));
      const rows = [...state.applications.values()]
        .filter((a) => a.leadProviderId === lp.id)
        .filter((a) => !cohorts || cohorts.has(a.cohort.slice(0, 4)))
        .filter((a) => !ids || ids.has(a.personId))
        .filter((a) => !since || a.updatedAt >= since || state.people.get(a.personId)!.significantlyUpdatedAt >= since)
        .sort(byCreated);
      return { data: list(rows, query, overlap).map((a) => applicationShape(state, a)) };
    },
    'GET /api/v3/npq-applications/{id}': ({ lp, params }) => ({ data: applicationShape(state, state.applicationOf(lp, params[0]!)) }),
    'POST /api/v3/npq-applications/{id}/accept': ({ lp, params, body, at }) => ({ data: applicationShape(state, state.accept(lp, params[0]!, body, at)) }),
    'POST /api/v3/npq-applications/{id}/reject': ({ lp, params, at }) => ({ data: applicationShape(state, state.reject(lp, params[0]!, at)) }),
    'PUT /api/v3/npq-applications/{id}/change-funded-place': ({ lp, params, body, at }) => ({ data: applicationShape(state, state.changeFundedPlace(lp, params[0]!, body, at)) }),
    'GET /api/v3/participants/npq': ({ lp, query, overlap }) => {
      const f = filterOf(query);
      const since = sinceOf(f.updated_since, 'updated_since');
      if (f.training_status !== undefined && !['active', 'deferred', 'withdrawn'].includes(String(f.training_status))) throw new DfeRefusal(422, { errors: [{ title: 'Unpermitted parameters', detail: 'The filter \'#/training_status\' must be ["active", "deferred", "withdrawn"]' }] });
      const from = f.from_participant_id === undefined ? null : String(f.from_participant_id);
      const rows = [...state.people.values()]
        .filter((p) => !p.retiredInto && state.acceptedOf(lp, p.id).length)
        .filter((p) => !since || state.participantUpdatedAt(p) >= since)
        .filter((p) => !f.training_status || state.acceptedOf(lp, p.id).some((a) => a.trainingStatus === f.training_status))
        .filter((p) => !from || state.idChanges.some((c) => c.from === from && c.to === p.id))
        .sort(byCreated);
      return { data: list(rows, query, overlap).map((p) => participantShape(state, lp, p)) };
    },
    'GET /api/v3/participants/npq/{id}': ({ lp, params }) => ({ data: participantShape(state, lp, state.participantOf(lp, params[0]!, 'gone')) }),
    'PUT /api/v3/participants/npq/{id}/defer': ({ lp, params, body, at }) => ({ data: participantShape(state, lp, state.defer(lp, params[0]!, body, at)) }),
    'PUT /api/v3/participants/npq/{id}/resume': ({ lp, params, body, at }) => ({ data: participantShape(state, lp, state.resume(lp, params[0]!, body, at)) }),
    'PUT /api/v3/participants/npq/{id}/withdraw': ({ lp, params, body, at }) => ({ data: participantShape(state, lp, state.withdraw(lp, params[0]!, body, at)) }),
    'PUT /api/v3/participants/npq/{id}/change-schedule': ({ lp, params, body, at }) => ({ data: participantShape(state, lp, state.changeSchedule(lp, params[0]!, body, at)) }),
    'GET /api/v3/participants/npq/{id}/outcomes': ({ lp, params, query, overlap }) => {
      const p = state.participantOf(lp, params[0]!, 'gone');
      return { data: list(state.outcomesOf(lp).filter((o) => state.declarations.get(o.declarationId)!.personId === p.id), query, overlap).map((o) => outcomeShape(state, o)) };
    },
    'POST /api/v3/participants/npq/{id}/outcomes': ({ lp, params, body, at }) => ({ data: outcomeShape(state, state.recordOutcome(lp, params[0]!, body, at)) }),
    'GET /api/v3/participants/npq/outcomes': ({ lp, query, overlap }) => {
      const since = sinceOf(filterOf(query).created_since, 'created_since');
      return { data: list([...state.outcomesOf(lp)].filter((o) => !since || o.createdAt >= since).sort(byCreated), query, overlap).map((o) => outcomeShape(state, o)) };
    },
    'GET /api/v3/participant-declarations': ({ lp, query, overlap }) => {
      const f = filterOf(query);
      const since = sinceOf(f.updated_since, 'updated_since');
      const cohorts = cohortsOf(query);
      if (f.participant_id !== undefined && !areUuids(String(f.participant_id))) throw badRequest("The filter '#/participant_id' must be a comma-delimited list of valid UUIDs");
      const ids = f.participant_id === undefined ? null : new Set(String(f.participant_id).split(','));
      const rows = state
        .declarationsOf(lp)
        .filter((d) => !ids || ids.has(d.personId))
        .filter((d) => !cohorts || cohorts.has(d.cohort.slice(0, 4)))
        .filter((d) => !since || d.updatedAt >= since)
        .sort(byCreated);
      return { data: list(rows, query, overlap).map((d) => declarationShape(state, d)) };
    },
    'POST /api/v3/participant-declarations': ({ lp, body, at }) => ({ data: declarationShape(state, state.declare(lp, body, at)) }),
    'GET /api/v3/participant-declarations/{id}': ({ lp, params }) => ({ data: declarationShape(state, state.declarationOf(lp, params[0]!)) }),
    'PUT /api/v3/participant-declarations/{id}/void': ({ lp, params, at }) => ({ data: declarationShape(state, state.voidDeclaration(lp, params[0]!, at)) }),
    'GET /api/v3/statements': ({ lp, query, overlap }) => {
      const since = sinceOf(filterOf(query).updated_since, 'updated_since');
      const cohorts = cohortsOf(query);
      const rows = [...state.statements.values()]
        .filter((s) => s.leadProviderId === lp.id && s.outputFee)
        .filter((s) => !cohorts || cohorts.has(s.cohort.slice(0, 4)))
        .filter((s) => !since || s.updatedAt >= since)
        .sort((a, b) => a.paymentDate.localeCompare(b.paymentDate) || a.id.localeCompare(b.id));
      return { data: list(rows, query, overlap).map(statementShape) };
    },
    // Only partners with a partnership with this provider, by name (§1.5); `filter[cohort]` one start year.
    'GET /api/v3/delivery-partners': ({ lp, query, overlap }) => {
      const cohort = filterOf(query).cohort;
      const rows = [...state.deliveryPartners.values()]
        .filter((dp) => dp.partnerships.get(lp.id)?.size)
        .filter((dp) => cohort === undefined || [...dp.partnerships.get(lp.id)!].some((c) => c.startsWith(String(cohort))))
        .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
      return { data: list(rows, query, overlap).map((dp) => deliveryPartnerShape(dp, lp)) };
    },
    'GET /api/v3/statements/{id}': ({ lp, params }) => {
      const s = state.statements.get(params[0]!);
      if (!s || s.leadProviderId !== lp.id || !s.outputFee) throw new DfeRefusal(404, { error: 'Resource not found' });
      return { data: statementShape(s) };
    },
  };

  app.route({
    method: ['GET', 'POST', 'PUT'],
    url: '/api/v3/*',
    handler: async (req, reply) => {
      const at = now();
      const path = req.url.split('?')[0]!;
      const op = contract.match(req.method, path);
      const auth = req.headers.authorization ?? '';
      const lp = state.leadProviderByToken(auth.replace(/^Bearer\s+/i, ''));
      const call: StandInCall = { at, leadProvider: lp?.name ?? null, method: req.method, url: req.url, status: 0, requestBody: req.body, responseBody: null };
      calls.push(call);
      const answer = (status: number, body: unknown) => {
        call.status = status;
        call.responseBody = body;
        if (op) for (const problem of contract.checkResponse(op, status, body)) violations.push({ direction: 'response', method: req.method, path: op.template, status, problem });
        return send(reply, status, body);
      };
      // DfE's throttle: per raw Authorization header, in 5-minute windows aligned to the epoch (§5.2).
      const window = Math.floor(at.getTime() / WINDOW_MS);
      const counted = windows.get(auth);
      const count = counted && counted.window === window ? ++counted.count : 1;
      if (!counted || counted.window !== window) windows.set(auth, { window, count });
      if (count > limits.perWindow) {
        stats.rateLimited++;
        call.status = 429;
        return reply.code(429).type('text/plain').send('Retry later');
      }
      stats.maxInWindow = Math.max(stats.maxInWindow, count);
      const fault = takeFault(req);
      if (fault?.kind === 'timeout') {
        call.status = 'dropped';
        await new Promise((r) => setTimeout(r, fault.amount ?? 30_000));
        req.raw.socket.destroy();
        return reply.hijack();
      }
      if (fault?.kind === '429') {
        call.status = 429;
        return reply.code(429).header('retry-after', String(fault.amount ?? 1)).type('text/plain').send('Retry later');
      }
      if (fault?.kind === '500') {
        call.status = 500;
        return send(reply, 500, { error: 'Internal server error' });
      }
      if (fault?.kind === '502') {
        call.status = 502;
        return reply.code(502).type('text/html').send('<html><body><h1>502 Bad Gateway</h1></body></html>');
      }
      const handler = op ? handlers[`${req.method} ${op.template}`] : undefined;
      // A call DfE's document has no operation for, or one the stand-in does not serve, is a violation: a client must not rely on it.
      if (!op) violations.push({ direction: 'request', method: req.method, path, problem: `no operation in DfE's document for ${req.method} ${path}` });
      else if (!handler) violations.push({ direction: 'request', method: req.method, path: op.template, problem: `the stand-in does not serve ${req.method} ${op.template}` });
      let query: Record<string, unknown>;
      try {
        query = nestedQuery(req.query as Record<string, unknown>);
      } catch (err) {
        query = {};
        if (op) violations.push({ direction: 'request', method: req.method, path: op.template, problem: `query ${(err as Error).message}` });
        if (lp && err instanceof DfeRefusal) return answer(err.status, err.body);
        if (!(err instanceof DfeRefusal)) throw err;
      }
      if (op) for (const problem of contract.checkRequest(op, query, req.body === UNREADABLE ? undefined : req.body, op.pattern.exec(path)!.slice(1))) violations.push({ direction: 'request', method: req.method, path: op.template, problem });
      if (req.body === UNREADABLE && op) violations.push({ direction: 'request', method: req.method, path: op.template, problem: 'body is not JSON sent as application/json' });
      if (!lp) return answer(401, { error: 'HTTP Token: Access denied' });
      if (!op || !handler) return answer(404, { error: 'Resource not found' });
      if (req.body === UNREADABLE) return answer(400, { errors: [{ title: 'Bad request', detail: 'correct json data structure required. See API docs for reference' }] });
      try {
        const body = handler({ lp, params: op.pattern.exec(path)!.slice(1).map(decodeURIComponent), query, body: req.body, at, overlap: fault?.kind === 'page-overlap' ? (fault.amount ?? 1) : 0 });
        if (fault?.kind === 'drop-after-commit') {
          // DfE applied it; the client never hears so.
          call.status = 'dropped';
          call.responseBody = body;
          req.raw.socket.destroy();
          return reply.hijack();
        }
        return answer(200, body);
      } catch (err) {
        if (err instanceof DfeRefusal) return answer(err.status, err.body);
        throw err;
      }
    },
  });

  // What never reaches the handler (a path that cannot be decoded, a body past the limit) is still answered in DfE's shapes, and counted.
  app.setErrorHandler((err: { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode < 500 ? 400 : 500;
    violations.push({ direction: status === 400 ? 'request' : 'response', method: req.method, path: req.url.split('?')[0]!, problem: `answered ${status} before DfE's rules were applied: ${String((err as Error).message)}` });
    return send(reply, status, status === 400 ? { errors: [{ title: 'Bad request', detail: 'correct json data structure required. See API docs for reference' }] } : { error: 'Internal server error' });
  });
  app.setNotFoundHandler((req, reply) => {
    if (req.url.startsWith('/api/')) violations.push({ direction: 'request', method: req.method, path: req.url.split('?')[0]!, problem: `no operation in DfE's document for ${req.method} ${req.url.split('?')[0]}` });
    return send(reply, 404, { error: 'Resource not found' });
  });

  // ——— The stand-in's controls (not DfE's API) ———

  app.get('/__stand-in/violations', async () => ({ violations }));
  app.get('/__stand-in/stats', async () => ({ ...stats, calls: calls.length, applications: state.applications.size, declarations: state.declarations.size, outcomes: state.outcomes.length }));
  const FAULT_KINDS: readonly Fault['kind'][] = ['timeout', '429', '500', '502', 'drop-after-commit', 'page-overlap'];
  app.post<{ Body: Partial<Fault> | undefined }>('/__stand-in/faults', async (req, reply) => {
    const f = req.body && typeof req.body === 'object' ? req.body : {};
    const times = f.times ?? 1;
    if (!FAULT_KINDS.includes(f.kind as Fault['kind']) || !Number.isInteger(times) || times < 1) return send(reply, 400, { error: `Give kind (one of ${FAULT_KINDS.join(', ')}) and times (a whole number from 1)` });
    faults.push({ kind: f.kind as Fault['kind'], method: f.method?.toUpperCase(), path: f.path, times, amount: f.amount });
    return { faults };
  });
  app.delete('/__stand-in/faults', async () => {
    faults.length = 0;
    return { faults };
  });
  app.post<{ Body: { from?: string; into?: string } | undefined }>('/__stand-in/participants/merge', async (req, reply) => {
    try {
      state.mergeParticipants(String(req.body?.from ?? ''), String(req.body?.into ?? ''), now());
      return { ok: true };
    } catch (err) {
      if (err instanceof DfeRefusal) return send(reply, err.status, err.body);
      throw err;
    }
  });
  app.post<{ Params: { id: string }; Body: { lead_provider?: string } | undefined }>('/__stand-in/applications/:id/transfer', async (req, reply) => {
    const to = [...state.leadProviders.values()].find((l) => l.name === req.body?.lead_provider || l.id === req.body?.lead_provider);
    try {
      state.transferApplication(req.params.id, to?.id ?? '', now());
      return { ok: true };
    } catch (err) {
      if (err instanceof DfeRefusal) return send(reply, err.status, err.body);
      throw err;
    }
  });
  app.post<{ Body: { pay?: boolean } }>('/__stand-in/payments', async (req) => {
    state.runPayments(now(), Boolean(req.body?.pay));
    return { ok: true };
  });

  return {
    app,
    state,
    violations,
    calls,
    faults,
    stats,
    limits,
    /** Starts listening on 127.0.0.1 (`port` 0: any free one) and gives the base URL. */
    async listen(port = 0): Promise<string> {
      await app.listen({ host: '127.0.0.1', port });
      const address = app.server.address();
      return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
    },
    close: () => app.close(),
  };
}

export type DfeStandIn = ReturnType<typeof createDfeStandIn>;
