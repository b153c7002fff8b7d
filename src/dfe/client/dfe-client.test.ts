import { describe, expect, it } from 'vitest';
import { useDfeTestApp } from '../testing/dfe-test-app';
import { createDfeClient } from './dfe-client';

/**
 * Issue 13 item 2, the client's rate limiter (ADR 0069): calls are counted per token in the database so
 * every process together stays under DfE's limit, and a 429 from DfE holds every process back until its
 * Retry-After — not only the one DfE answered. Two clients of one token on one database stand for two
 * processes; their waits move the test's clock.
 */
const TOKEN = 'client-token';
const { t, port, standIn } = useDfeTestApp({ portBase: 42_100, token: TOKEN, allowViolation: (v) => v.path.includes('/statements/') });

/** A client as another process makes it, whose waits are kept and move the clock. */
function aProcess(opts: { readAttempts?: number; budget?: number } = {}) {
  const waits: number[] = [];
  const client = createDfeClient({ baseUrl: `http://127.0.0.1:${port}`, token: TOKEN, db: t.database.db, clock: t.clock, timeoutMs: 2000, ...opts, sleep: async (ms) => {
      waits.push(ms);
      t.clock.advance(ms);
    },
  });
  return { client, waits };
}
const callsTo = (path: string) => standIn().calls.filter((c) => c.url.startsWith(path));

describe('the DfE client’s shared call budget', () => {
  it('on a 429 with Retry-After, every process waits until then, not only the one DfE answered', async () => {
    const first = aProcess({ readAttempts: 1 });
    const second = aProcess();
    standIn().faults.push({ kind: '429', path: '/statements', times: 1, amount: 120 });
    const refusedAt = t.clock.now().getTime();
    expect((await first.client.send('PUT', '/api/v3/statements/x', {}, 'test')).status).toBe(429);
    // The other process has heard nothing from DfE, yet its next call waits out DfE's two minutes.
    const read = await second.client.get('/api/v3/npq-applications', 'test');
    expect(read.status).toBe(200);
    expect(second.waits).toEqual([120_000]);
    const [sent] = callsTo('/api/v3/npq-applications').slice(-1);
    expect(sent!.at.getTime()).toBeGreaterThanOrEqual(refusedAt + 120_000);
    // Once past it, calls go at once.
    await second.client.get('/api/v3/npq-applications', 'test');
    expect(second.waits).toEqual([120_000]);
  });

  it('the process DfE answered waits the same, once, and then sends again; a Retry-After over a window waits a window at most', async () => {
    t.clock.advance(5 * 60 * 1000);
    const one = aProcess();
    standIn().faults.push({ kind: '429', path: '/npq-applications', times: 1, amount: 86_400 });
    const startedAt = t.clock.now().getTime();
    const read = await one.client.get('/api/v3/npq-applications', 'test');
    expect(read.status).toBe(200);
    expect(one.waits).toEqual([5 * 60 * 1000]);
    expect(t.clock.now().getTime() - startedAt).toBe(5 * 60 * 1000);
    // Another process finds the mark passed: no wait.
    const other = aProcess();
    await other.client.get('/api/v3/npq-applications', 'test');
    expect(other.waits).toEqual([]);
  });

  it('a Retry-After shorter than the window leaves the window’s count as it was: the calls before it still count, as DfE counts them', async () => {
    // From the start of a window of its own, a budget of three.
    t.clock.set(new Date((Math.floor(t.clock.now().getTime() / (5 * 60 * 1000)) + 1) * 5 * 60 * 1000));
    const one = aProcess({ budget: 3 });
    standIn().faults.push({ kind: '429', path: '/npq-applications', times: 1, amount: 1 });
    // The 429 is the window's first call; after its second, the read; then the third.
    expect((await one.client.get('/api/v3/npq-applications', 'test')).status).toBe(200);
    expect((await one.client.get('/api/v3/npq-applications', 'test')).status).toBe(200);
    expect(one.waits).toEqual([1000]);
    // The fourth would be DfE's fourth in this window: it waits for the next (a count started afresh after the second's wait would have sent it).
    expect((await one.client.get('/api/v3/npq-applications', 'test')).status).toBe(200);
    expect(one.waits).toEqual([1000, 5 * 60 * 1000 - 1000]);
  });

  it('sent nothing DfE’s document does not allow', () => {
    expect(standIn().violations.filter((v) => !v.path.includes('/statements/'))).toEqual([]);
  });
});
