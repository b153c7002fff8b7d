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
   * Tells this process's listeners and every other process's, and resolves once they have all run
   * (or, for a process that does not answer, after a short bound: see postgresNotifier). `message` is
   * short text (an id; at most a few hundred characters).
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

/** The longest a publish waits for the other processes to say they have heard, in milliseconds. */
export const DELIVERY_WAIT_MS = 1_000;

/** The one PostgreSQL channel every process of the platform listens on; ours travel inside the message. */
const PG_CHANNEL = 'npq_changes';
/** How the listening connections name themselves, so a publisher can count the processes to hear from. */
const LISTENER_NAME = 'npq-listener';

/**
 * The notifier of several processes on one PostgreSQL (docs/adr/0031): NOTIFY through the pool, LISTEN
 * on a connection of its own. A publish tells this process's listeners, sends the message, and resolves
 * once every other process listening on the same database has run its listeners and said so (an
 * acknowledgement sent back on the same channel) — so a request that follows the publisher's answer
 * finds every process's caches already cleared, whichever process it reaches. The processes to hear
 * from are the listening connections PostgreSQL counts (pg_stat_activity, by application_name); a
 * process that does not answer within DELIVERY_WAIT_MS (stopped, stuck) does not hold the answer up
 * longer than that. The listening connection reconnects when lost (every `retryMs`), and then tells
 * every listener EVERYTHING, since messages sent while it could not hear are lost.
 *
 * Messages: `m|<origin>|<sequence>|<channel>|<message>`; acknowledgements: `a|<origin>|<sequence>|<from>`.
 */
export async function postgresNotifier(opts: { url: string; db: Db; retryMs?: number; log?: (msg: string, err?: unknown) => void }): Promise<Notifier> {
  const origin = randomUUID();
  const local = listeners();
  let client: pg.Client | undefined;
  let closed = false;
  let sent = 0;
  /** Publishes waiting for acknowledgements, by sequence number: who has answered, and how many must. */
  const waiting = new Map<number, { heardFrom: Set<string>; needed: number; done: () => void }>();
  const settle = (seq: number) => {
    const w = waiting.get(seq);
    if (w && w.heardFrom.size >= w.needed) w.done();
  };

  const heard = (c: pg.Client, payload: string) => {
    const [kind, from, seqText, ...rest] = payload.split('|');
    const seq = Number(seqText);
    if (kind === 'a') {
      if (from !== origin) return;
      const w = waiting.get(seq);
      if (!w) return;
      w.heardFrom.add(rest[0] ?? '');
      settle(seq);
      return;
    }
    if (kind !== 'm' || from === origin || !from) return;
    const [channel = '', ...message] = rest;
    local.tell(channel, message.join('|'));
    c.query('select pg_notify($1, $2)', [PG_CHANNEL, `a|${from}|${seq}|${origin}`]).catch((err) => opts.log?.('could not acknowledge a change', err));
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: opts.url, application_name: LISTENER_NAME });
    c.on('notification', (n) => {
      if (n.channel === PG_CHANNEL) heard(c, n.payload ?? '');
    });
    c.on('error', (err) => {
      opts.log?.('lost the connection that listens for changes in other processes; reconnecting', err);
      void reconnect(c);
    });
    await c.connect();
    await c.query(`listen ${PG_CHANNEL}`);
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
      const seq = ++sent;
      let timer: NodeJS.Timeout | undefined;
      const answered = new Promise<void>((resolve) => {
        waiting.set(seq, { heardFrom: new Set(), needed: Number.POSITIVE_INFINITY, done: resolve });
        timer = setTimeout(resolve, DELIVERY_WAIT_MS);
      });
      try {
        const { rows } = (await opts.db.execute(
          sql`select pg_notify(${PG_CHANNEL}, ${`m|${origin}|${seq}|${channel}|${message}`}),
                     (select count(*)::int from pg_stat_activity where datname = current_database() and application_name = ${LISTENER_NAME}) as listening`,
        )) as unknown as { rows: { listening: number }[] };
        const listening = Number(rows[0]?.listening ?? 0);
        // Everyone listening but ourselves (when we listen: a lost connection is not counted).
        waiting.get(seq)!.needed = Math.max(0, listening - (client ? 1 : 0));
        settle(seq);
        await answered;
      } finally {
        clearTimeout(timer);
        waiting.delete(seq);
      }
    },
    subscribe: local.add,
    async close() {
      closed = true;
      await client?.end().catch(() => {});
    },
  };
}

/** A transaction's work, as `Db.transaction` takes it, giving back T. */
export type TransactionWork<T> = Parameters<Db['transaction']>[0] extends (tx: infer X) => unknown ? (tx: X) => Promise<T> : never;

/**
 * Runs one change in a transaction, then tells every process on `channel`, committed or not: a kept
 * page that shows it is dropped at worst once too often (docs/adr/0050). Awaited, so the next request
 * anywhere reads afresh; a failed publish is not the change's failure.
 */
export async function commitAndTell<T>(db: Db, notifier: Pick<Notifier, 'publish'> | undefined, channel: string, work: TransactionWork<T>): Promise<T> {
  try {
    return await db.transaction(work);
  } finally {
    await notifier?.publish(channel).catch(() => undefined);
  }
}
