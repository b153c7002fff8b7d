import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MigrationHarness, migrationHarness } from '../../testing/migrations';

/**
 * The migrations that make participants, school approvals and gateway assessments their own records (the first's tag
 * ends in `_participants`; numbers change when branches merge) move what a database already holds:
 * the database is migrated to just before them, given applications as they were stored then, and
 * migrated on.
 */
let h: MigrationHarness;
beforeAll(async () => {
  h = await migrationHarness('_participants');
});
afterAll(async () => {
  await h?.close();
});

describe('the participants migration', () => {
  it('exists', () => expect(h.found).toBe(true));

  it('gives each person one participant, keeps the ids the API showed, starts each participant’s history and moves each school approval and gateway', async () => {
    await h.migrateToJustBefore();
    const user = '11111111-1111-4111-8111-111111111111';
    const [a1, a2, n1, n2, d1] = ['a1', 'a2', 'b1', 'b2', 'd1'].map((s) => `00000000-0000-4000-8000-0000000000${s}`) as [string, string, string, string, string];
    await h.db.execute(sql`insert into users (id, name, email, password_hash, created_at, updated_at) values (${user}, 'Ada', 'ada@school.test', 'x', now(), now())`);
    await h.db.execute(sql`
      insert into applications (id, user_id, full_name, email, course_identifier, status, training_status, training_status_reason, created_at, updated_at, decided_at) values
        (${a1}, ${user}, 'Ada', 'ada@school.test', 'npq-senco', 'accepted', 'deferred', 'parental-leave', '2026-01-01T10:00:00Z', '2026-02-01T10:00:00Z', '2026-01-10T10:00:00Z'),
        (${a2}, ${user}, 'Ada', 'Ada.Other@school.test', 'npq-leading-literacy', 'pending', null, null, '2026-01-02T10:00:00Z', '2026-01-02T10:00:00Z', null),
        (${n1}, null, 'Ravi', 'Ravi@school.test', 'npq-senco', 'pending', null, null, '2026-01-03T10:00:00Z', '2026-01-03T10:00:00Z', null),
        (${n2}, null, 'Ravi', 'ravi@school.test', 'npq-headship', 'accepted', 'active', null, '2026-01-04T10:00:00Z', '2026-01-04T10:00:00Z', '2026-01-05T10:00:00Z'),
        (${d1}, ${user}, 'Ada', 'ada@school.test', 'npq-headship', 'draft', null, null, '2026-01-06T10:00:00Z', '2026-01-06T10:00:00Z', null)`);

    // An NPQH application whose gateway was reviewed, as the gateway was stored then (columns of applications).
    await h.db.execute(sql`update applications set gateway_status = 'passed', gateway_answers = '{"q1":"Because"}', gateway_scores = '{"c1":3}', gateway_feedback = 'Well argued', gateway_submitted_at = '2026-01-03T12:00:00Z', gateway_reviewed_at = '2026-01-04T09:00:00Z', gateway_reviewer_id = ${user} where id = ${n2}`);

    // Ravi's first application waits for his school; Ada's first was approved.
    await h.db.execute(sql`update applications set approval_status = 'pending', line_manager_email = 'Jo.Head@school.test', approval_token_hash = 'hash-1', approval_requested_at = '2026-01-03T10:00:00Z', approval_reminders_sent = 1 where id = ${n1}`);
    await h.db.execute(sql`update applications set approval_status = 'approved', approver_name = 'Grace Head', approver_email = 'grace@school.test', approval_decided_at = '2026-01-05T10:00:00Z' where id = ${a1}`);

    // Through the participants' three migrations only: later ones reshape what this reads (ADR 0036).
    await h.migrateThrough('_school_approvals');

    const people = await h.all<{ id: string; user_id: string | null; email: string }>(sql`select id, user_id, email from participants order by email`);
    // The account holder keeps their user id; the person without one the id of their first application.
    expect(people).toEqual([
      { id: user, user_id: user, email: 'ada@school.test' },
      { id: n1, user_id: null, email: 'ravi@school.test' },
    ]);
    const apps = await h.all<{ id: string; participant_id: string | null }>(sql`select id, participant_id from applications order by id`);
    expect(Object.fromEntries(apps.map((a) => [a.id, a.participant_id]))).toEqual({ [a1]: user, [a2]: user, [n1]: n1, [n2]: n1, [d1]: null });
    const history = await h.all<{ application_id: string; from_status: string | null; to_status: string; reason: string | null }>(
      sql`select application_id, from_status, to_status, reason from participant_status_changes order by application_id`,
    );
    const gateways = await h.all<{ application_id: string; status: string; answers: unknown; scores: unknown; feedback: string; reviewer_id: string }>(sql`select application_id, status, answers, scores, feedback, reviewer_id from gateway_assessments`);
    // Only the application that had a gateway has one now; the others need none (not_required).
    expect(gateways).toEqual([{ application_id: n2, status: 'passed', answers: { q1: 'Because' }, scores: { c1: 3 }, feedback: 'Well argued', reviewer_id: user }]);
    const approvals = await h.all<{ application_id: string; status: string; requested_of: string | null; token_hash: string | null; reminders_sent: number; approver_name: string | null }>(
      sql`select application_id, status, requested_of, token_hash, reminders_sent, approver_name from school_approvals order by application_id`,
    );
    expect(approvals).toEqual([
      { application_id: a1, status: 'approved', requested_of: null, token_hash: null, reminders_sent: 0, approver_name: 'Grace Head' },
      { application_id: n1, status: 'pending', requested_of: 'jo.head@school.test', token_hash: 'hash-1', reminders_sent: 1, approver_name: null },
    ]);
    expect(history).toEqual([
      { application_id: a1, from_status: null, to_status: 'deferred', reason: 'parental-leave' },
      { application_id: n2, from_status: null, to_status: 'active', reason: null },
    ]);

    // The same rows through every later migration: the two accepted applications are enrolments, each
    // with its participant, status and reason, and each history line names its enrolment (ADR 0036).
    await h.migrateOn();
    const enrolled = await h.all<{ application_id: string; participant_id: string; training_status: string; training_status_reason: string | null; history: string }>(
      sql`select e.application_id, e.participant_id, e.training_status, e.training_status_reason, (select string_agg(c.to_status, ',') from participant_status_changes c where c.enrolment_id = e.id) history
          from enrolments e order by e.application_id`,
    );
    expect(enrolled).toEqual([
      { application_id: a1, participant_id: user, training_status: 'deferred', training_status_reason: 'parental-leave', history: 'deferred' },
      { application_id: n2, participant_id: n1, training_status: 'active', training_status_reason: null, history: 'active' },
    ]);
  });
});
