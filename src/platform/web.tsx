import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import rateLimit, { type FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ComponentChildren } from 'preact';
import type { Actor } from './auth/actor';
import { anonymous, isSignedIn } from './auth/actor';
import type { SessionLookup } from './auth/sessions';
import { isConnectionLost } from '../db/connection-lost';
import { failedReadingBody, inputBoundary, isApiRequest, matchedRoute, parseFormBody } from './boundary';
import { ErrorPage } from './error-pages';
import { AppError } from './errors';
import { FORM_REPLAY_MINUTES, type FormReplayStore } from './form-replay';
import { renderPage } from './layout';
import { rememberingSigner } from './cookie-signer';
import { PageCache } from './page-cache';
import type { PersonalPages, RenderedPage } from './personal-pages';
import { securityHeaders } from './security-headers';
import type { Branding, FlashKind, PageContext } from './page-context';

export const SESSION_COOKIE = 'npq_session';
const FLASH_COOKIE = 'npq_flash';
// The cookie's mark for an important flash: a control character no message typed or written here holds.
const IMPORTANT = '\u0001';
const REPLAY_COOKIE = 'npq_form';
/** Whose a kept form page is: a digest of the session's token, or "-" for no session. */
const ownerOf = (token: string | undefined): string => (token ? createHash('sha256').update(token).digest('base64url').slice(0, 22) : '-');
/** The session a reply leaves the browser with, when it begins or ends one. */
const sessionAfter = new WeakMap<FastifyReply, string | undefined>();
/** Whose a page shown with an error is: the session the browser will hold when it comes back for it (a reply may have begun or ended one). */
const replayOwner = (reply: FastifyReply): string => ownerOf(sessionAfter.has(reply) ? sessionAfter.get(reply) : isSignedIn(reply.request.actor) ? reply.request.sessionToken : undefined);
const CSRF_COOKIE = 'npq_csrf';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    flash: string | undefined;
    flashKind: FlashKind | undefined;
    sessionToken: string | undefined;
  }
  interface FastifyReply {
    page(render: (ctx: PageContext) => ComponentChildren, status?: number): FastifyReply;
    /** A page that is the same for every anonymous visitor: rendered once per version of its data. */
    publicPage(version: string, render: (ctx: PageContext) => ComponentChildren, status?: number): FastifyReply;
    /**
     * A signed-in person's page, kept in `pages` for this `version` of its data and sent again with a form
     * token minted for this request (docs/adr/0037). `build` runs only when no kept page fits: it reads
     * the data and says whether the page may be kept (only a page whose every source moves `version`).
     * A flash message, or anyone not signed in, gets the page rendered afresh and not kept.
     */
    /** A page kept per person (and per `page`, when one person has many: its address) until `version` moves; `build` reads the data and says whether its page may be kept. */
    personalPage(pages: PersonalPages, version: string, build: () => Promise<{ render: (ctx: PageContext) => ComponentChildren; keep: boolean }>, page?: string): Promise<FastifyReply>;
    /** A message for the next page shown: news of what was done (`success`), or a refusal to read before going on (`important`). */
    flash(message: string, kind?: FlashKind): FastifyReply;
    /**
     * Sets the session cookie for a sign-in (or a session renewed at its second factor) and replaces the
     * CSRF secret, so a form token minted before no longer validates (docs/adr/0019).
     */
    beginSession(token: string): FastifyReply;
    /** Clears the session cookie and replaces the CSRF secret, as at sign-out. */
    endSession(): FastifyReply;
  }
}

const afterResponseTasks = new Set<Promise<unknown>>();

/**
 * Runs work once the response has been sent, so that how long it takes cannot be read from the
 * response: a password reset for a real account and for an unknown address answer in the same time.
 * The work must be complete in itself (its own transaction, mail through the outbox); a failure is logged.
 */
export function afterResponse(reply: FastifyReply, task: () => Promise<unknown>): void {
  reply.raw.once('finish', () => {
    // On the next turn of the event loop, once what answered the request has gone on its way.
    const running: Promise<unknown> = new Promise((resolve) => setImmediate(resolve))
      .then(task)
      .catch((err) => reply.log.error({ err }, 'work after the response failed'))
      .finally(() => afterResponseTasks.delete(running));
    afterResponseTasks.add(running);
  });
}

/** For tests and shutdown: resolves when the work started after responses has finished. */
export async function afterResponsesSettled(): Promise<void> {
  while (afterResponseTasks.size) await Promise.all(afterResponseTasks);
}

export interface WebOptions {
  branding: Branding;
  cookieSecret: string;
  secureCookies: boolean;
  /** Who a session cookie stands for (people's sessions). */
  sessions: SessionLookup;
  formReplays: FormReplayStore;
  publicDir: string;
  /** Where rate limits count (a @fastify/rate-limit store class): in memory when absent. */
  rateLimitStore?: FastifyRateLimitStoreCtor;
}

/** How long a browser keeps the icon: a month; a new logo shows within it (the pages link it afresh). */
export const FAVICON_MAX_AGE_SECONDS = 30 * 24 * 3600;
const ICON_TYPES: Record<string, string> = { '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

/**
 * Answers /favicon.ico with the provider's logo, not GOV.UK's crown (not ours to show): a logo among
 * our own assets is sent as it is, read once, with its own type; a logo elsewhere is redirected to.
 * Both are cached for FAVICON_MAX_AGE_SECONDS.
 */
function faviconRoute(logoUrl: string, assetsDir: string) {
  const cache = `public, max-age=${FAVICON_MAX_AGE_SECONDS}`;
  const local = logoUrl.startsWith('/assets/') ? path.join(assetsDir, path.normalize(logoUrl.slice('/assets/'.length))) : undefined;
  let file: Promise<Buffer> | undefined;
  return async (_req: FastifyRequest, reply: FastifyReply) => {
    if (!local?.startsWith(assetsDir + path.sep)) return reply.header('cache-control', cache).redirect(logoUrl, 301);
    file ??= readFile(local);
    const body = await file.catch(() => {
      // Not there (yet): asked again next time, and answered as a missing page meanwhile.
      file = undefined;
    });
    if (!body) return reply.callNotFound();
    return reply.type(ICON_TYPES[path.extname(local).toLowerCase()] ?? 'application/octet-stream').header('cache-control', cache).send(body);
  };
}

const TWO_FACTOR_PATHS = ['/sign-in/two-factor', '/two-factor/set-up', '/sign-out'];

/** The shared plumbing of every page: headers, cookies, forms, CSRF, sessions, flash messages, errors. */
export const webPlatform = fp(async (app: FastifyInstance, opts: WebOptions) => {
  const headers = securityHeaders({ hsts: opts.secureCookies });
  app.addHook('onRequest', (_req, reply, done) => {
    reply.headers(headers);
    done();
  });
  await app.register(cookie, { secret: rememberingSigner(opts.cookieSecret) });
  // Forms may repeat a field (checkboxes): the parser keeps every value; the boundary allows it where declared.
  await app.register(formbody, { parser: parseFormBody });
  await app.register(csrf, {
    cookieKey: CSRF_COOKIE,
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: opts.secureCookies },
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
  });
  // Several processes share one limit through the database's store (docs/adr/0031); one process counts in memory.
  await app.register(rateLimit, { global: false, ...(opts.rateLimitStore ? { store: opts.rateLimitStore } : {}) });
  await app.register(fastifyStatic, {
    root: path.resolve(opts.publicDir, 'assets'),
    prefix: '/assets/',
    maxAge: '1h',
    decorateReply: false,
  });

  // Browsers ask for /favicon.ico on every first visit: the provider's logo answers (docs/adr/0040).
  app.get('/favicon.ico', faviconRoute(opts.branding.logoUrl, path.resolve(opts.publicDir, 'assets')));

  app.decorateRequest('actor', null as never);
  app.decorateRequest('flash', undefined);
  app.decorateRequest('flashKind', undefined);
  app.decorateRequest('sessionToken', undefined);

  app.addHook('onRequest', async (req, reply) => {
    req.actor = anonymous;
    // Decided on the route matched, not the raw path: /api/%76%31/… is the API as the router sees it.
    if (isApiRequest(req) || matchedRoute(req)?.startsWith('/assets/') || matchedRoute(req) === '/favicon.ico') return;
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const actor = await opts.sessions.actorForSession(token);
      if (actor) {
        req.actor = actor;
        req.sessionToken = token;
      } else {
        reply.endSession();
      }
    }
    const replay = req.cookies[REPLAY_COOKIE];
    if (replay) {
      // A form answered with an error is shown again at the address it was sent on to, reloads included;
      // going anywhere else, or sending another form, leaves it behind.
      // It is shown only to the session it was made for: a page answered with an error holds what its
      // reader may see (a conversation, a record), so the cookie alone, after signing out or from
      // another browser, shows nothing.
      const unsigned = req.unsignCookie(replay);
      const [id, rest] = unsigned.valid && unsigned.value ? splitOnce(unsigned.value, ' ') : [];
      const [who, path] = rest ? splitOnce(rest, ' ') : [];
      if (req.method === 'GET' && id && path === req.url && who === ownerOf(isSignedIn(req.actor) ? req.sessionToken : undefined)) {
        const page = await opts.formReplays.find(id, path);
        if (page) return sendHtml(reply, page.status, page.html);
      }
      reply.clearCookie(REPLAY_COOKIE, { path: '/' });
    }
    const flash = req.cookies[FLASH_COOKIE];
    if (flash) {
      const unsigned = req.unsignCookie(flash);
      if (unsigned.valid && unsigned.value) {
        const important = unsigned.value.startsWith(IMPORTANT);
        req.flash = important ? unsigned.value.slice(IMPORTANT.length) : unsigned.value;
        req.flashKind = important ? 'important' : 'success';
      }
      reply.clearCookie(FLASH_COOKIE, { path: '/' });
    }
    // Between password and second factor only the two-factor pages are open.
    if (isSignedIn(req.actor) && !req.actor.fullySignedIn) {
      const p = matchedRoute(req) ?? '';
      if (!TWO_FACTOR_PATHS.includes(p) && p !== '/sign-in/recovery') {
        const user = req.actor;
        const target = (await opts.sessions.hasTwoFactor(user.userId)) ? '/sign-in/two-factor' : '/two-factor/set-up';
        return reply.redirect(target, 303);
      }
    }
  });

  // Every state-changing form is checked against the CSRF token; the JSON API uses bearer tokens instead.
  app.addHook('preHandler', (req, reply, done) => {
    // A request no route matched (a 404, an unreadable URL) changes nothing, so it is answered, not refused.
    if (req.method === 'GET' || req.method === 'HEAD' || isApiRequest(req) || matchedRoute(req) === undefined) return done();
    app.csrfProtection(req, reply, done);
  });

  /** A page's context, and whether rendering it minted a form token (which makes the page personal). */
  const contextFor = (reply: FastifyReply): { ctx: PageContext; mintedToken: () => boolean } => {
    const req = reply.request;
    let csrfToken: string | undefined;
    const ctx: PageContext = {
      branding: opts.branding,
      actor: req.actor,
      // Minted only when a page has a form: it costs a secret, an HMAC and a cookie.
      get csrfToken() {
        csrfToken ??= reply.generateCsrf();
        return csrfToken;
      },
      path: req.url.split('?')[0]!,
      flash: req.flash,
      flashKind: req.flashKind,
    };
    return { ctx, mintedToken: () => csrfToken !== undefined };
  };
  const sendHtml = (reply: FastifyReply, status: number, html: string | Buffer) =>
    reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  // A kept page is rendered with this in place of the form token, and cut there (it cannot occur in a page otherwise).
  const tokenSlot = `csrf-slot-${randomBytes(12).toString('hex')}`;
  const sendRendered = (reply: FastifyReply, page: RenderedPage) => {
    if (page.parts.length === 1) return sendHtml(reply, 200, page.parts[0]!);
    const token = Buffer.from(reply.generateCsrf());
    const chunks: Buffer[] = [];
    for (const [i, part] of page.parts.entries()) {
      if (i > 0) chunks.push(token);
      chunks.push(part);
    }
    return sendHtml(reply, 200, Buffer.concat(chunks));
  };

  app.decorateReply('page', function (this: FastifyReply, render: (ctx: PageContext) => ComponentChildren, status = 200) {
    const html = renderPage(render(contextFor(this).ctx));
    // Any refusal a form's own route renders (422, a wrong password's 401, 409, 429) is shown at a GET address.
    const target = status >= 400 && status < 500 && !errorPages.has(this) ? replayTarget(app, this.request) : undefined;
    if (target) {
      // Post/redirect/get for a form with errors: the page is kept, and the browser shown it at a GET address.
      const id = opts.formReplays.newId();
      this.setCookie(REPLAY_COOKIE, `${id} ${replayOwner(this)} ${target}`, { signed: true, path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: FORM_REPLAY_MINUTES * 60 });
      replays.set(this, { id, path: target, status, html });
      return this.code(303).header('location', target).header('cache-control', 'no-store').send();
    }
    return sendHtml(this, status, html);
  });
  // The error handler's own pages (a body that could not be read, a refused token) are answered where they arise.
  const errorPages = new WeakSet<FastifyReply>();
  // Kept before the redirect goes out, so the GET that follows it finds the page.
  const replays = new WeakMap<FastifyReply, { id: string; path: string; status: number; html: string }>();
  app.addHook('onSend', async (_req, reply, payload) => {
    const replay = replays.get(reply);
    if (replay) await opts.formReplays.keep(replay.id, { path: replay.path, status: replay.status, html: replay.html });
    return payload;
  });

  const publicPages = new PageCache();
  app.decorateReply('publicPage', function (this: FastifyReply, version: string, render: (ctx: PageContext) => ComponentChildren, status = 200) {
    const req = this.request;
    if (req.actor.kind !== 'anonymous' || req.flash) return this.page(render, status);
    const key = `${status} ${req.url}`;
    const cached = publicPages.get(key, version);
    if (cached) return sendHtml(this, status, cached);
    const { ctx, mintedToken } = contextFor(this);
    const html = renderPage(render(ctx));
    // A page that minted a form token is personal to this visitor: never share it.
    if (!mintedToken()) publicPages.set(key, version, Buffer.from(html));
    return sendHtml(this, status, html);
  });

  app.decorateReply('personalPage', async function (this: FastifyReply, pages: PersonalPages, version: string, build: () => Promise<{ render: (ctx: PageContext) => ComponentChildren; keep: boolean }>, key = '') {
    const req = this.request;
    const person = isSignedIn(req.actor) && !req.flash ? req.actor : undefined;
    const kept = person && pages.get(person, version, key);
    if (kept) return sendRendered(this, kept);
    const { render, keep } = await build();
    if (!person || !keep) return this.page(render);
    // The version was read before the data: a change heard meanwhile leaves this page behind at once.
    const ctx: PageContext = { branding: opts.branding, actor: person, csrfToken: tokenSlot, path: req.url.split('?')[0]!, flash: undefined };
    const page = { parts: renderPage(render(ctx)).split(tokenSlot).map((part) => Buffer.from(part)) };
    pages.set(person, version, page, key);
    return sendRendered(this, page);
  });

  app.decorateReply('flash', function (this: FastifyReply, message: string, kind: FlashKind = 'success') {
    return this.setCookie(FLASH_COOKIE, kind === 'important' ? `${IMPORTANT}${message}` : message, { signed: true, path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies });
  });

  // A new secret for the form tokens, put in this request's cookies too so a page rendered in this same
  // response mints its tokens from it (the plugin reads the secret from the request's cookie).
  const rotateCsrf = (reply: FastifyReply) => {
    const secret = randomBytes(18).toString('base64url');
    reply.request.cookies[CSRF_COOKIE] = reply.signCookie(secret);
    reply.setCookie(CSRF_COOKIE, secret, { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: opts.secureCookies });
  };
  app.decorateReply('beginSession', function (this: FastifyReply, token: string) {
    sessionAfter.set(this, token);
    rotateCsrf(this);
    return this.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: 60 * 60 * 24 * 30 });
  });
  app.decorateReply('endSession', function (this: FastifyReply) {
    sessionAfter.set(this, undefined);
    rotateCsrf(this);
    return this.clearCookie(SESSION_COOKIE, { path: '/' });
  });

  app.setNotFoundHandler((req, reply) => {
    if (isApiRequest(req)) {
      return reply.code(404).send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}`, details: null } });
    }
    return reply.page((ctx) => <ErrorPage ctx={ctx} status={404} title="Page not found" message="We could not find that page." />, 404);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; code?: string; validation?: unknown }, req: FastifyRequest, reply: FastifyReply) => {
    const api = isApiRequest(req);
    let status = 500;
    let code = 'internal_error';
    let message = 'Sorry, there is a problem with the service. Try again later.';
    let details: unknown = null;
    if (error instanceof AppError) {
      ({ status, code, message } = error);
      details = error.details ?? null;
    } else if (isConnectionLost(error)) {
      // The database went away mid-request (restart, failover): the transaction rolled back, and
      // the same request will very likely succeed a moment later.
      status = 503;
      code = 'service_unavailable';
      message = 'The service is briefly unavailable. Try again in a moment: nothing was saved.';
      reply.header('retry-after', '1');
    } else if (error.code?.startsWith('FST_CSRF')) {
      status = 403;
      code = 'csrf_invalid';
      message = 'This form has expired. Go back, refresh the page and try again: nothing was saved.';
    } else if (error.statusCode === 429) {
      status = 429;
      code = 'rate_limited';
      message = 'Too many attempts. Wait a minute, then try again.';
    } else if (error.validation) {
      status = 400;
      code = 'invalid_request';
      message = error.message;
      details = error.validation;
    } else if (failedReadingBody(req) && !(error.statusCode && error.statusCode >= 400)) {
      status = 400;
      code = 'unreadable_body';
      message = 'The request could not be read. If you were uploading a file, choose it again and try again.';
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      status = error.statusCode;
      code = 'bad_request';
      message = status === 415 ? 'Send the request body as JSON or a form' : status === 413 ? 'The request body is too large' : 'The request could not be read';
    }
    if (status === 503) req.log.warn({ err: error }, 'request failed: database connection lost');
    else if (status >= 500) req.log.error({ err: error }, 'request failed');
    if (api || !req.headers.accept?.includes('text/html')) {
      if (api || req.headers['content-type']?.includes('json')) return reply.code(status).send({ error: { code, message, details, reference: status >= 500 ? req.id : undefined } });
    }
    errorPages.add(reply);
    const titles: Record<number, string> = { 401: 'Sign in to continue', 403: 'You cannot do that', 404: 'Page not found', 410: 'This link has expired', 429: 'Too many attempts', 503: 'Sorry, the service is briefly unavailable' };
    return reply.page(
      (ctx) => (
        <ErrorPage ctx={ctx} status={status} title={titles[status] ?? (status >= 500 ? 'Sorry, there is a problem with the service' : 'There is a problem')} message={message} reference={status >= 500 ? req.id : undefined} back={status === 400 || status === 413 ? sameSiteReferer(req) : undefined} />
      ),
      status,
    );
  });
  // After the error handler, so that the bad-URL route it adds answers through it.
  await app.register(inputBoundary);
});

/** The longest address a "go back" link takes from the Referer; a longer one (a search too long to run) is cut to its path. */
const MAX_BACK_LENGTH = 1000;

/**
 * Where a refused request came from, as a path on this site (its Referer, when that is this host), so
 * the error page can offer the way back; "/" (home) when the Referer is absent, another site's or
 * unreadable. A Referer with a query too long to send again keeps only its path.
 */
export function sameSiteReferer(req: Pick<FastifyRequest, 'headers'>): string {
  const referer = req.headers.referer;
  const host = req.headers.host;
  if (!referer || !host) return '/';
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return '/';
  }
  if (url.host !== host || (url.protocol !== 'http:' && url.protocol !== 'https:')) return '/';
  const back = `${url.pathname}${url.search}`;
  return back.length <= MAX_BACK_LENGTH ? back : url.pathname;
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator);
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)];
}

/**
 * Where a browser that sent a form and got it back with errors is sent to see it: the same address when
 * it has a page (GET) of its own, otherwise the page the form was on (the Referer, same site only).
 * Undefined for anything but a browser's form post, which is answered as it is.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * false: a refusal of this route's form is answered at once, not kept for post/redirect/get. The
     * kept page holds what was typed against the person's session and address for FORM_REPLAY_MINUTES;
     * a form whose words must not be (anonymous feedback: docs/adr/0059) says so.
     */
    formReplay?: boolean;
  }
}

function replayTarget(app: FastifyInstance, req: FastifyRequest): string | undefined {
  // A page's form, whatever the client says it accepts (browsers send text/html, scripts often */*).
  if (req.method !== 'POST' || isApiRequest(req) || /\bjson\b/.test(req.headers.accept ?? '')) return undefined;
  // A form whose words must not be kept against whoever typed them (anonymous feedback) answers its refusal where it is.
  if (req.routeOptions.config?.formReplay === false) return undefined;
  const pattern = req.routeOptions.url;
  if (pattern && app.hasRoute({ method: 'GET', url: pattern })) return req.url;
  const referer = req.headers.referer;
  if (!referer) return undefined;
  try {
    const from = new URL(referer);
    if (from.host !== new URL(`http://${req.headers.host}`).host) return undefined;
    return `${from.pathname}${from.search}`;
  } catch {
    return undefined;
  }
}

/** The signed-in person making the request, or undefined (see `isSignedIn`). */
export function signedInUser(req: FastifyRequest) {
  return isSignedIn(req.actor) ? req.actor : undefined;
}

/** For pages that need someone signed in: sends others to sign in and back again. */
export async function requireSignIn(req: FastifyRequest, reply: FastifyReply) {
  if (!isSignedIn(req.actor)) {
    return reply.redirect(`/sign-in?next=${encodeURIComponent(req.url)}`, 303);
  }
}
