import { describe, expect, it } from 'vitest';
import { isConnectionLost } from './connection-lost';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isConnectionLost', () => {
  it('knows the server ending or refusing a session', () => {
    for (const code of ['57P01', '57P02', '57P03', '57P05', '25P03', '53300', '08006', '08003']) expect(isConnectionLost(withCode(code)), code).toBe(true);
  });

  it('knows the socket going away', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']) expect(isConnectionLost(withCode(code)), code).toBe(true);
  });

  it("knows node-postgres's own messages, which carry no code", () => {
    expect(isConnectionLost(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isConnectionLost(new Error('Client has encountered a connection error and is not queryable'))).toBe(true);
    expect(isConnectionLost(new Error('Client was closed and is not queryable'))).toBe(true);
  });

  it("looks through Drizzle's wrapper to the driver's error", () => {
    const rollbackFailed = Object.assign(new Error('Failed query: rollback\nparams: '), { cause: new Error('Client has encountered a connection error and is not queryable') });
    expect(isConnectionLost(rollbackFailed)).toBe(true);
    expect(isConnectionLost(Object.assign(new Error('Failed query: insert'), { cause: withCode('57P01', 'terminating connection due to administrator command') }))).toBe(true);
  });

  it('leaves faults of the request alone', () => {
    expect(isConnectionLost(withCode('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isConnectionLost(withCode('40001', 'could not serialize access'))).toBe(false);
    expect(isConnectionLost(new Error('Cannot read properties of undefined'))).toBe(false);
    expect(isConnectionLost(undefined)).toBe(false);
    expect(isConnectionLost('Connection terminated')).toBe(false);
  });

  it('stops on a cause chain that loops', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    a.cause = a;
    expect(isConnectionLost(a)).toBe(false);
  });
});
