import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrationHarness, migrationHarness } from '../../testing/migrations';

/**
 * One person, one participant id (ADR 0026), also for what the participants migration finds: a person
 * with an account who also has an application the provider entered before the account existed
 * (user_id null, the same address) becomes one participant, as participantFor would make them at run
 * time. The harness is src/testing/migrations.ts.
 */
let h: MigrationHarness;
beforeAll(async () => {
  h = await migrationHarness('_participants');
});
afterAll(async () => {
  await h?.close();
});

describe('the participants migration, one person with and without an account', () => {
  it('gives the person one participant id', async () => {
    await h.migrateToJustBefore();
    const user = '22222222-2222-4222-8222-222222222222';
    const [own, entered] = ['c1', 'c2'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string];
    await h.db.execute(sql`insert into users (id, name, email, password_hash, created_at, updated_at) values (${user}, 'Bea', 'bea@school.test', 'x', now(), now())`);
    await h.db.execute(sql`
      insert into applications (id, user_id, full_name, email, course_identifier, status, training_status, created_at, updated_at, decided_at) values
        (${entered}, null, 'Bea', 'Bea@school.test', 'npq-senco', 'accepted', 'active', '2026-01-01T10:00:00Z', '2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z'),
        (${own}, ${user}, 'Bea', 'bea@school.test', 'npq-headship', 'pending', null, '2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z', null)`);

    await h.migrateOn();

    const rows = await h.all<{ id: string; participant_id: string }>(sql`select id, participant_id from applications where id in (${own}, ${entered})`);
    expect(new Set(rows.map((r) => r.participant_id)).size).toBe(1);
  });
});
