import { describe, expect, it } from 'vitest';
import { routeUrlOf } from './operation';

describe('an operation’s route', () => {
  it('is its OpenAPI path in Fastify’s spelling, relative to the plugin’s prefix', () => {
    expect(routeUrlOf('/api/v1/applications/{id}/accept', '/api')).toBe('/v1/applications/:id/accept');
    expect(routeUrlOf('/api/v1/reference/lists/{list}', '')).toBe('/api/v1/reference/lists/:list');
    // A prefix that is only the start of a segment is not the plugin's.
    expect(routeUrlOf('/apiv1/things', '/api')).toBe('/apiv1/things');
  });
});
