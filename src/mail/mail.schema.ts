import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { id, createdAt } from '../db/columns';

/** Transactional outbox: mail is written with the change that causes it and delivered after commit. */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: id(),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    /** An iCalendar (.ics) sent with the message, for emails about an event: calendars add it from the email. */
    calendar: text('calendar'),
    createdAt: createdAt(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [index('outbound_emails_pending_idx').on(t.nextAttemptAt).where(sql`sent_at is null`)],
);
