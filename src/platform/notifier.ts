import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Db } from '../db/client';

/** A message that means "anything may have changed": sent to listeners after a gap in hearing. */
export const EVERYTHING = '*';

/**
 * Tells every process of the platform that something they keep in memory changed (docs/adr/0031).
 * Caches subscribe to a channel and drop what a message names; the code that changed the data
 * publishes after its commit.
 */
export interface Notifier {
  /**
   * Tells this process's listeners at once (before it resolves) and every other process's shortly
   * after. `message` is short text (an id; at most a few hundred characters).
   */
  publish(channel: string, message?: string): Promise<void>;
  /**
   * Calls `listener` with each message published on `channel`, and with EVERYTHING after this process
   * could not hear for a while (a lost connection), since messages sent then are lost.
   */
  subscribe(channel: string, listener: (message: string) => void): void;
  close(): Promise<void>;
}

function listeners() {
  const byChannel = new Map<string, ((message: string) => void)[]>();
  return {
    add(channel: string, listener: (message: string) => void) {
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), listener]);
    },
    tell(channel: string, message: string) {
      for (const listener of byChannel.get(channel) ?? []) listener(message);
    },
    channels: () => [...byChannel.keys()],
  };
}

/**
 * The notifier of a platform that runs as one process (the embedded PGlite is one process's by nature):
 * a message reaches this process's listeners and nothing else is needed.
 */
export function localNotifier(): Notifier {
  const local = listeners();
  return {
    async publish(channel, message = '') {
      local.tell(channel, message);
    },
    subscribe: local.add,
    async close() {},
  };
}

/** PostgreSQL channel names are identifiers: the platform's are prefixed and kept to safe characters. */
const pgChannel = (channel: string) => `npq_${channel.replace(/[^a-z0-9_]/gi, '_')}`.toLowerCase();

/**
 * The notifier of several processes on one PostgreSQL: NOTIFY through the pool, LISTEN on a connection
 * of its own. Each message carries this process's id, so it hears its own messages once (at publish)
 * and not again from the server. The listening connection reconnects when lost (every `retryMs`), and
 * then tells every listener EVERYTHING.
 */
export async function postgresNotifier(opts: { url: string; db: Db; retryMs?: number; log?: (msg: string, err?: unknown) => void }): Promise<Notifier> {
  const origin = randomUUID();
  const local = listeners();
  const names = new Map<string, string>(); // PostgreSQL channel → ours
  let client: pg.Client | undefined;
  let closed = false;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url });
    c.on('notification', (n) => {
      const ours = names.get(n.channel);
      const payload = n.payload ?? '';
      const at = payload.indexOf(':');
      if (!ours || payload.slice(0, at) === origin) return;
      local.tell(ours, payload.slice(at + 1));
    });
    c.on('error', (err) => {
      opts.log?.('lost the connection that listens for changes in other processes; reconnecting', err);
      void reconnect(c);
    });
    await c.connect();
    for (const channel of names.keys()) await c.query(`listen ${channel}`);
    client = c;
  };
  const reconnect = async (lost: pg.Client) => {
    if (client !== lost) return;
    client = undefined;
    await lost.end().catch(() => {});
    while (!closed) {
      try {
        await connect();
        // Whatever was published while we were deaf is lost: every cache starts again.
        for (const channel of local.channels()) local.tell(channel, EVERYTHING);
        return;
      } catch (err) {
        opts.log?.('could not reconnect to listen for changes; trying again', err);
        await new Promise((r) => setTimeout(r, opts.retryMs ?? 1000));
      }
    }
  };
  await connect();

  return {
    async publish(channel, message = '') {
      local.tell(channel, message);
      await opts.db.execute(sql`select pg_notify(${pgChannel(channel)}, ${`${origin}:${message}`})`);
    },
    subscribe(channel, listener) {
      const name = pgChannel(channel);
      if (!names.has(name)) {
        names.set(name, channel);
        void client?.query(`listen ${name}`).catch((err) => opts.log?.(`could not listen on ${name}`, err));
      }
      local.add(channel, listener);
    },
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}
