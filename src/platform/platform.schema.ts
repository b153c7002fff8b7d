import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
