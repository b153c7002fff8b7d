import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { users } from './people.schema';

/**
 * What other capabilities may read of people (docs/adr/0029): plain query functions over its tables.
 * Each takes the database or a transaction and only reads.
 */

/** The account holding this email address (give it lower-case), if any. */
export async function accountByEmail(db: Executor, email: string): Promise<{ id: string; email: string } | undefined> {
  const [holder] = await db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${email}`);
  return holder;
}

/** A person's name by account id, if the account exists. */
export async function nameOfAccount(db: Executor, userId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: users.name }).from(users).where(eq(users.id, userId));
  return row?.name;
}
