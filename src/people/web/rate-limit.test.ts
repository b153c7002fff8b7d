import { describe, expect, it } from 'vitest';
import { Client, useTestApp } from '../../testing/test-app';

// A file of its own: the limit is per address, and every test here comes from the same one.
const t = useTestApp();

describe('sign-in limits', () => {
  it('rate-limits sign-in attempts from one address', async () => {
    const c = new Client(t);
    await c.get('/sign-in');
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await c.post('/sign-in', { email: `nobody${i}@school.test`, password: 'x' })).statusCode);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
    const limited = await c.post('/sign-in', { email: 'x@school.test', password: 'x' });
    expect(limited.body).toContain('Too many attempts');
  });
});
