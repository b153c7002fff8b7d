import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase, withConnection } from '../db/client';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../db/test-database';
import { until } from '../testing/server-process';
import { DELIVERY_WAIT_MS, EVERYTHING, localNotifier, type Notifier, postgresNotifier } from './notifier';

describe('the notifier of one process', () => {
  it('tells this process’s listeners before publish resolves', async () => {
    const n = localNotifier();
    const heard: string[] = [];
    n.subscribe('catalogue', (m) => heard.push(m));
    await n.publish('catalogue', 'q1');
    await n.publish('sessions', 'u1');
    expect(heard).toEqual(['q1']);
  });
});

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('the notifier of several processes on one PostgreSQL', () => {
  let throwaway: ThrowawayDatabase;
  let database: Database;
  let one: Notifier;
  let two: Notifier;
  beforeAll(async () => {
    throwaway = await createThrowawayDatabase(serverUrl!);
    database = await openDatabase({ kind: 'postgres', url: throwaway.url, poolSize: 2 });
    one = await postgresNotifier({ url: throwaway.url, db: database.db, retryMs: 50 });
    two = await postgresNotifier({ url: throwaway.url, db: database.db, retryMs: 50 });
  }, 60_000);
  afterAll(async () => {
    await one?.close();
    await two?.close();
    await database?.close();
    await throwaway?.drop();
  });

  it('tells the publisher once, at once, and the other process shortly after', async () => {
    const heardOne: string[] = [];
    const heardTwo: string[] = [];
    one.subscribe('sessions', (m) => heardOne.push(m));
    two.subscribe('sessions', (m) => heardTwo.push(m));
    await new Promise((r) => setTimeout(r, 100)); // LISTEN is sent as the subscription is made
    await one.publish('sessions', 'user-1');
    expect(heardOne).toEqual(['user-1']);
    await until(() => heardTwo.length > 0, 'the other process to hear', 5_000);
    await new Promise((r) => setTimeout(r, 100));
    expect({ heardOne, heardTwo }).toEqual({ heardOne: ['user-1'], heardTwo: ['user-1'] });
  });

  it('resolves a publish only once PostgreSQL has delivered it: the other has heard by then, every time', async () => {
    const heardTwo: string[] = [];
    two.subscribe('applications', (m) => heardTwo.push(m));
    one.subscribe('applications', () => {});
    await new Promise((r) => setTimeout(r, 100));
    const missed: number[] = [];
    for (let i = 0; i < 200; i++) {
      await one.publish('applications', `change-${i}`);
      if (heardTwo.at(-1) !== `change-${i}`) missed.push(i);
    }
    expect(missed).toEqual([]);
  });

  it('waits for a process that does not answer no longer than DELIVERY_WAIT_MS', async () => {
    // Listens as a platform process would, but never answers (as a process stuck or stopping).
    const silent = new pg.Client({ connectionString: throwaway.url, application_name: 'npq-listener' });
    await silent.connect();
    await silent.query('listen npq_changes');
    try {
      const started = performance.now();
      await one.publish('catalogue', 'q-silent');
      const waited = performance.now() - started;
      expect(waited).toBeGreaterThanOrEqual(DELIVERY_WAIT_MS - 50);
      expect(waited).toBeLessThan(DELIVERY_WAIT_MS * 3);
    } finally {
      await silent.end();
    }
  });

  it('tells every listener EVERYTHING after it lost its connection and listens again', async () => {
    const heard: string[] = [];
    two.subscribe('catalogue', (m) => heard.push(m));
    await new Promise((r) => setTimeout(r, 100));
    await withConnection(serverUrl!, (admin) => admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'npq-listener'`, [throwaway.name]));
    await until(() => heard.includes(EVERYTHING), 'the notifier to reconnect', 10_000);
    await one.publish('catalogue', 'q2');
    await until(() => heard.includes('q2'), 'a message after the reconnection', 5_000);
  });
});
