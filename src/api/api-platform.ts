import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { ApiTokenService } from './api-tokens.service';
import { isApiRequest, matchedRoute } from '../platform/boundary';
import { dfeErrorsOf } from './domain/dfe-errors';
import { scopeAllows } from './domain/scopes';
import { ApiRegistry } from './openapi';

declare module 'fastify' {
  interface FastifyInstance {
    apiRegistry: ApiRegistry;
  }
}

/**
 * Bearer-token sign-in for /api/v1, then the token's scopes against the one the operation declares
 * (403 insufficient_scope; an operation that declares none is refused to every token, so a route added
 * without a declaration fails closed). Every API answer that is not a success is
 * { error: { code, message, details }, errors: [{ title, detail }] }: ours, and DfE's list beside it
 * (docs/adr/0039), added here once for every refusal, whichever part of the platform answered.
 */
export const apiPlatform = fp(async (app: FastifyInstance, opts: { apiTokens: ApiTokenService }) => {
  app.decorate('apiRegistry', new ApiRegistry());
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/')) return;
    for (const method of [route.method].flat()) if (method !== 'HEAD') app.apiRegistry.routes.push({ method, url: route.url });
  });
  app.addHook('preSerialization', async (req, reply, payload: unknown) => {
    if (reply.statusCode < 400 || !isApiRequest(req)) return payload;
    const error = (payload as { error?: { message?: unknown; details?: unknown } } | null)?.error;
    if (!error || typeof error.message !== 'string' || (payload as { errors?: unknown }).errors) return payload;
    return { ...(payload as object), errors: dfeErrorsOf(reply.statusCode, error.message, error.details) };
  });
  app.addHook('onRequest', async (req, reply) => {
    // API answers carry people's details: no browser or proxy keeps them. A route may say otherwise.
    if (isApiRequest(req)) reply.header('cache-control', 'no-store');
    // Decided on the route matched, so no spelling of the path (/api/%76%31/…) reaches a route unauthenticated.
    if (!matchedRoute(req)?.startsWith('/api/v1/')) return;
    const header = req.headers.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { code: 'unauthenticated', message: 'Send an API token as "Authorization: Bearer <token>"', details: null } });
    }
    const actor = await opts.apiTokens.actorFor(match[1]!);
    if (!actor) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer error="invalid_token"')
        .send({ error: { code: 'invalid_token', message: 'The API token is not valid or has been revoked', details: null } });
    }
    req.actor = actor;
    const route = req.routeOptions.url;
    // No route matched: the not-found handler answers 404 to a signed-in client.
    if (!route) return;
    // The scope travels with the route its operation made (src/api/operation.ts); a route made any other way has none.
    const needed = req.routeOptions.config.apiScope;
    if (actor.kind !== 'api' || !scopeAllows(actor.scopes, needed)) {
      return reply.code(403).send({
        error: {
          code: 'insufficient_scope',
          message: needed
            ? `This API token does not have the ${needed} scope. Ask a provider admin for a token with it.`
            : 'This operation declares no scope, so no API token may use it.',
          details: { required_scope: needed ?? null },
        },
      });
    }
  });
});
