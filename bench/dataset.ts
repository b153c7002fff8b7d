import { sql } from 'drizzle-orm';
import type { Database } from '../src/db/client';

/** A provider-sized dataset on top of the demo: many people, sessions and audit history. */
export const DATASET = { participants: 50_000, auditEvents: 200_000, intakesPerQualification: 20, applications: 100_000 };

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
  // Applications spread over every NPQ, cohort, partner and stage, as a provider's inbox would hold them.
  await db.execute(sql`
    with c as (select array_agg(id order by identifier) ids from cohorts),
         q as (select array_agg(identifier order by position) ids from qualifications where kind <> 'coaching')
    insert into applications (full_name, email, teacher_reference_number, course_identifier, cohort_id, delivery_mode,
      status, reason_for_rejection, eligible_for_funding, funding_status_code, work_setting, works_in_england,
      school_urn, employment_role, line_manager_name, line_manager_email, submitted_at, created_at, updated_at)
    select 'Applicant ' || g, 'applicant' || g || '@bench.test', (3000000 + g)::text, q.ids[1 + g % array_length(q.ids, 1)], c.ids[1 + g % array_length(c.ids, 1)],
      'face_to_face',
      case when g % 20 < 12 then 'pending' when g % 20 < 17 then 'accepted' else 'rejected' end,
      case when g % 20 >= 17 then 'rejected_by_provider' end,
      g % 4 <> 0, case when g % 4 <> 0 then 'funded' else 'ineligible_establishment_type' end,
      'a_school', true, (140001 + g % 8)::text, 'Teacher', 'Line Manager', 'lm' || g || '@bench.test',
      now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval, now() - (g || ' minutes')::interval
    from generate_series(1, ${DATASET.applications}) g, c, q`);
  // Each applicant is a participant (entered without an account), and each accepted application has its
  // enrolment (ADR 0036): active, with a delivery partner spread over every partner.
  await db.execute(sql`
    insert into participants (email, created_at, updated_at)
    select email, created_at, updated_at from applications where email like 'applicant%@bench.test'`);
  await db.execute(sql`
    update applications a set participant_id = p.id from participants p
    where a.email like 'applicant%@bench.test' and p.user_id is null and p.email = a.email`);
  await db.execute(sql`
    with p as (select array_agg(id order by name) ids from delivery_partners)
    insert into enrolments (application_id, participant_id, delivery_partner_id, training_status, created_at, updated_at)
    select a.id, a.participant_id, p.ids[1 + substring(a.email from 'applicant([0-9]+)@bench')::int % array_length(p.ids, 1)], 'active', a.created_at, a.updated_at
    from applications a, p where a.email like 'applicant%@bench.test' and a.status = 'accepted'`);
  // Their schools' approvals and gateways, their own records (ADR 0026): every fifth approval still
  // waiting, the rest given; every seventh gateway sent for review, the next passed.
  await db.execute(sql`
    insert into school_approvals (application_id, status, requested_of, requested_at, created_at, updated_at)
    select id, case when n % 5 = 0 then 'pending' else 'approved' end, lower(line_manager_email), created_at, created_at, updated_at
    from (select id, line_manager_email, created_at, updated_at, substring(email from 'applicant([0-9]+)@bench')::int n from applications where email like 'applicant%@bench.test') a`);
  await db.execute(sql`
    insert into gateway_assessments (application_id, status, submitted_at, created_at, updated_at)
    select id, case when n % 7 = 0 then 'submitted' else 'passed' end, created_at, created_at, updated_at
    from (select id, created_at, updated_at, substring(email from 'applicant([0-9]+)@bench')::int n from applications where email like 'applicant%@bench.test') a
    where n % 7 in (0, 1)`);
  // As autovacuum would have by now: statistics, and the visibility map index-only scans need.
  await db.execute(sql`vacuum analyze`);
}
