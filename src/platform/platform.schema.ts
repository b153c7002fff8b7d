import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * A form page answered with an error, kept so that the browser can be sent to a GET (post/redirect/get)
 * and reloading shows the same page instead of submitting again. Personal: read only with the signed
 * cookie that names it, and kept for minutes.
 */
export const formReplays = pgTable(
  'form_replays',
  {
    id: uuid('id').primaryKey(),
    path: text('path').notNull(),
    status: integer('status').notNull(),
    html: text('html').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('form_replays_expires_idx').on(t.expiresAt)],
);

/**
 * What happened, recorded in the transaction that made it happen (docs/adr/0030): the outbox half of a
 * domain event. Handlers read it after commit through the job that dispatches it; the row stays as a
 * history of what the platform did.
 */
export const domainEvents = pgTable(
  'domain_events',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    type: text('type').notNull(),
    payload: jsonb('payload').notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('domain_events_type_idx').on(t.type, t.occurredAt)],
);

/**
 * The durable queue (docs/adr/0030): one row per piece of work to do after a commit. A runner claims due
 * rows with FOR UPDATE SKIP LOCKED and a lease (`locked_until`), so each is handled by one process at a
 * time; a lease that runs out (the process died) lets another take it. `key`, when set, makes enqueueing
 * idempotent: an event's handler is queued once, and a sweep once a period (its key names the period),
 * however many processes try.
 */
export const jobs = pgTable(
  'jobs',
  {
    id: uuid('id').primaryKey().default(sql`gen_random_uuid()`),
    name: text('name').notNull(),
    payload: jsonb('payload').notNull().default({}),
    key: text('key').unique(),
    runAt: timestamp('run_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    maxAttempts: integer('max_attempts').notNull().default(10),
    lockedBy: text('locked_by'),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  // Runners look only at work not done: the partial index stays as small as the queue, not its history.
  (t) => [index('jobs_due_idx').on(t.runAt).where(sql`done_at is null`)],
);

/**
 * Rate-limit counters shared by every process (docs/adr/0031): one row per limited route and client
 * address, counting hits until `resets_at`.
 */
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    key: text('key').primaryKey(),
    hits: integer('hits').notNull(),
    resetsAt: timestamp('resets_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('rate_limit_hits_resets_idx').on(t.resetsAt)],
);
