import { sql } from 'drizzle-orm';
import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** A random UUID primary key, made by the database. */
export const id = () => uuid('id').primaryKey().default(sql`gen_random_uuid()`);
/** When the row was made (UTC instant). */
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/** When the row last changed (UTC instant); set by the code that changes it. */
export const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
