import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrationHarness, migrationHarness } from '../../testing/migrations';

/**
 * The migration that makes enrolments their own table (ADR 0036; its tag ends in `_enrolments`, its
 * number changes when branches merge) moves what a database already holds: the database is migrated to
 * just before it, given applications, participants and a status history as they were stored then, and
 * migrated on. The harness is src/testing/migrations.ts.
 */
let h: MigrationHarness;
/** A timestamp column as UTC text: node-postgres reads timestamps as Dates, PGlite as text. */
const utc = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')`);
beforeAll(async () => {
  h = await migrationHarness('_enrolments');
});
afterAll(async () => {
  await h?.close();
});

describe('the enrolments migration', () => {
  it('exists', () => expect(h.found).toBe(true));

  it('makes one enrolment of each accepted application, with everything it held of the participant, and points each history line at it', async () => {
    await h.migrateToJustBefore();
    const [participant, partner, qualification, intake] = ['11', '22', '33', '44'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string, string, string];
    const [deferred, waiting, pending, rejected] = ['a1', 'a2', 'a3', 'a4'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string, string, string];
    await h.db.execute(sql`insert into participants (id, email) values (${participant}, 'ada@school.test')`);
    await h.db.execute(sql`insert into delivery_partners (id, name) values (${partner}, 'North Partner')`);
    await h.db.execute(sql`insert into qualifications (id, identifier, short_name, name, kind, duration_months_min, duration_months_max) values (${qualification}, 'npq-senco', 'NPQSENCO', 'SENCO', 'specialist', 12, 18)`);
    await h.db.execute(sql`insert into intakes (id, qualification_id, name, start_date, application_deadline, delivery_mode, delivery_partner_id) values (${intake}, ${qualification}, 'January', '2027-01-18', '2026-12-11', 'distance', ${partner})`);
    await h.db.execute(sql`
      insert into applications (id, participant_id, full_name, email, course_identifier, status, intake_id, delivery_partner_id, funded_place, training_status, training_status_reason, on_waiting_list, decided_at, created_at, updated_at) values
        (${deferred}, ${participant}, 'Ada', 'ada@school.test', 'npq-senco', 'accepted', ${intake}, ${partner}, true, 'deferred', 'parental-leave', false, '2026-01-10T10:00:00Z', '2026-01-01T10:00:00Z', '2026-02-01T10:00:00Z'),
        (${waiting}, ${participant}, 'Ada', 'ada@school.test', 'npq-headship', 'accepted', ${intake}, ${partner}, null, 'active', 'parental-leave', true, '2026-01-11T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-11T10:00:00Z'),
        (${pending}, ${participant}, 'Ada', 'ada@school.test', 'npq-leading-literacy', 'pending', ${intake}, ${partner}, null, null, null, false, null, '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z'),
        (${rejected}, ${participant}, 'Ada', 'ada@school.test', 'npq-headship', 'rejected', ${intake}, ${partner}, null, null, null, false, '2026-01-04T10:00:00Z', '2026-01-04T10:00:00Z', '2026-01-04T10:00:00Z')`);
    await h.db.execute(sql`
      insert into participant_status_changes (participant_id, application_id, from_status, to_status, reason, changed_at, changed_by) values
        (${participant}, ${deferred}, null, 'active', null, '2026-01-10T10:00:00Z', 'Sam Staff'),
        (${participant}, ${deferred}, 'active', 'deferred', 'parental-leave', '2026-02-01T10:00:00Z', 'Sam Staff'),
        (${participant}, ${waiting}, null, 'active', null, '2026-01-11T10:00:00Z', 'Sam Staff')`);

    await h.migrateOn();

    const enrolled = await h.all<Record<string, unknown>>(
      sql`select application_id, participant_id, intake_id, delivery_partner_id, funded_place, training_status, training_status_reason, on_waiting_list, ${utc('created_at')} created_at, ${utc('updated_at')} updated_at from enrolments order by application_id`,
    );
    // Only the accepted applications; an active status keeps no reason (the stale one is dropped).
    expect(enrolled).toEqual([
      { application_id: deferred, participant_id: participant, intake_id: intake, delivery_partner_id: partner, funded_place: true, training_status: 'deferred', training_status_reason: 'parental-leave', on_waiting_list: false, created_at: '2026-01-10T10:00:00', updated_at: '2026-02-01T10:00:00' },
      { application_id: waiting, participant_id: participant, intake_id: intake, delivery_partner_id: partner, funded_place: null, training_status: 'active', training_status_reason: null, on_waiting_list: true, created_at: '2026-01-11T10:00:00', updated_at: '2026-01-11T10:00:00' },
    ]);
    const history = await h.all<{ application_id: string; to_status: string }>(
      sql`select e.application_id, c.to_status from participant_status_changes c join enrolments e on e.id = c.enrolment_id order by c.changed_at`,
    );
    expect(history).toEqual([
      { application_id: deferred, to_status: 'active' },
      { application_id: waiting, to_status: 'active' },
      { application_id: deferred, to_status: 'deferred' },
    ]);
    // The application keeps the intake chosen and its own updated_at (what DfE's API shows does not move).
    const apps = await h.all<{ id: string; intake_id: string; updated_at: string }>(sql`select id, intake_id, ${utc('updated_at')} updated_at from applications where id = ${deferred}`);
    expect(apps).toEqual([{ id: deferred, intake_id: intake, updated_at: '2026-02-01T10:00:00' }]);
    const moved = await h.all<{ column_name: string }>(
      sql`select column_name from information_schema.columns where table_name = 'applications' and column_name in ('delivery_partner_id', 'funded_place', 'training_status', 'training_status_reason', 'on_waiting_list')`,
    );
    expect(moved).toEqual([]);
  });
});
