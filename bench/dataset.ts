import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client';

/** A provider-sized dataset on top of the demo: many people, sessions and audit history. */
export const DATASET = { participants: 50_000, auditEvents: 200_000, intakesPerQualification: 20 };

export async function generateDataset(database: Database): Promise<void> {
  const { db } = database;
  await db.execute(sql`
    insert into users (email, name, created_at, updated_at)
    select 'participant' || g || '@bench.test', 'Participant ' || g, now(), now()
    from generate_series(1, ${DATASET.participants}) g`);
  await db.execute(sql`
    insert into role_assignments (user_id, role, scope_type)
    select id, 'participant', 'provider' from users where email like '%@bench.test'`);
  await db.execute(sql`
    insert into sessions (token_hash, user_id, second_factor_done, created_at, last_seen_at, expires_at)
    select md5(id::text), id, true, now(), now(), now() + interval '1 day' from users where email like '%@bench.test'`);
  await db.execute(sql`
    insert into audit_events (at, actor_label, action, entity_type, entity_id, after)
    select now() - (g || ' minutes')::interval, 'bench', 'user.created', 'user', g::text, jsonb_build_object('n', g)
    from generate_series(1, ${DATASET.auditEvents}) g`);
  await db.execute(sql`
    insert into intakes (qualification_id, name, start_date, application_deadline, delivery_mode, delivery_partner_id, time_zone)
    select q.id, 'Bench intake ' || g, date '2030-01-01' + g * 7, date '2029-12-01' + g * 7, 'distance', (select id from delivery_partners limit 1), 'Europe/London'
    from qualifications q cross join generate_series(1, ${DATASET.intakesPerQualification}) g`);
  await db.execute(sql`analyze`);
}
