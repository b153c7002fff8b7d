import { newCandidateNumber } from '../src/assessment/domain/allocation';
import { newCertificateCode } from '../src/assessment/domain/outcome';
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

/** The programme dataset (issue 10): learners placed in NPQH and NPQLT intakes, each with a plan and progress. */
export const PROGRAMME_DATASET = { learners: 100_000, intakes: 40, registerSize: 30 };

/**
 * Issue 10's national-scale delivery: PROGRAMME_DATASET.learners accepted participants (no account)
 * spread over 40 NPQH and NPQLT intakes of 2,500 each, every intake planned around today (modules a
 * fortnight apart from ten weeks ago, events four weeks apart, briefings between), each learner with
 * the first course's activities and pre-work done (about a dozen progress rows) and the first event
 * attended. Then a 30-person intake of the Midlands partner with its first event today, whose register
 * the facilitator reads, and the demo participant placed in the first NPQH intake. Needs the programmes
 * seeded (learning.ensureProgrammes) and the demo participant accepted (loadDemoApplications).
 * Returns the ids the scenarios ask for.
 */
export async function generateProgrammeDataset(database: Database): Promise<{ registerIntakeId: string; bigIntakeId: string }> {
  const { db } = database;
  // Both drivers answer `execute` with { rows }.
  const list = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
  // The bench intakes of the two NPQs with programmes, each following its NPQ's first version.
  await db.execute(sql`
    insert into intake_programmes (intake_id, programme_version_id, updated_at)
    select i.id, v.id, now() from intakes i join qualifications q on q.id = i.qualification_id
    join programme_versions v on v.qualification_id = q.id and v.version = 1
    where i.name like 'Bench intake %' and q.identifier in ('npq-headship', 'npq-leading-teaching')`);
  // Each intake's plan from its version's own keys: modules, events and briefings around today.
  await db.execute(sql`
    insert into plan_entries (intake_id, item_key, releases_on, updated_at)
    select ip.intake_id, m.value->>'key', (current_date - 70 + 14 * (row_number() over (partition by ip.intake_id order by c.ordinality, m.ordinality) - 1)::int), now()
    from intake_programmes ip join programme_versions v on v.id = ip.programme_version_id
    cross join lateral jsonb_array_elements(v.content->'courses') with ordinality c(value, ordinality)
    cross join lateral jsonb_array_elements(c.value->'modules') with ordinality m(value, ordinality)`);
  await db.execute(sql`
    insert into plan_entries (intake_id, item_key, starts_at, ends_at, pre_work_due_on, join_url, updated_at)
    select ip.intake_id, e.value->>'key',
      date_trunc('day', now()) - interval '63 days' + (e.ordinality - 1)::int * interval '28 days' + interval '9 hours',
      date_trunc('day', now()) - interval '63 days' + (e.ordinality - 1)::int * interval '28 days' + interval '16 hours',
      (current_date - 65 + 28 * (e.ordinality - 1)::int), 'https://meet.example.org/bench', now()
    from intake_programmes ip join programme_versions v on v.id = ip.programme_version_id
    cross join lateral jsonb_array_elements(v.content->'events') with ordinality e(value, ordinality)`);
  await db.execute(sql`
    insert into plan_entries (intake_id, item_key, starts_at, ends_at, join_url, updated_at)
    select ip.intake_id, b.value->>'key',
      date_trunc('day', now()) - interval '50 days' + (b.ordinality - 1)::int * interval '35 days' + interval '17 hours',
      date_trunc('day', now()) - interval '50 days' + (b.ordinality - 1)::int * interval '35 days' + interval '18 hours 30 minutes',
      'https://meet.example.org/bench', now()
    from intake_programmes ip join programme_versions v on v.id = ip.programme_version_id
    cross join lateral jsonb_array_elements(v.content->'briefings') with ordinality b(value, ordinality)`);
  // The learners: accepted applications in cohort 2026a, each a participant with an enrolment in an intake.
  await db.execute(sql`
    with i as (select array_agg(ip.intake_id order by ip.intake_id) ids from intake_programmes ip join intakes x on x.id = ip.intake_id where x.name like 'Bench intake %'),
         c as (select id from cohorts where identifier = '2026a')
    insert into applications (full_name, email, teacher_reference_number, course_identifier, cohort_id, intake_id, delivery_mode, status, eligible_for_funding, funding_status_code,
      work_setting, works_in_england, school_urn, employment_role, line_manager_name, line_manager_email, submitted_at, decided_at, created_at, updated_at)
    select 'Learner ' || g, 'learner' || g || '@bench.test', (5000000 + g)::text, q.identifier, c.id, i.ids[1 + g % array_length(i.ids, 1)], 'distance', 'accepted', true, 'funded',
      'a_school', true, '140002', 'Teacher', 'Line Manager', 'lm.learner' || g || '@bench.test', now() - interval '120 days', now() - interval '100 days', now() - interval '120 days', now() - interval '100 days'
    from generate_series(1, ${PROGRAMME_DATASET.learners}) g, i, c, intakes x join qualifications q on q.id = x.qualification_id
    where x.id = i.ids[1 + g % array_length(i.ids, 1)]`);
  await db.execute(sql`insert into participants (email, created_at, updated_at) select email, created_at, updated_at from applications where email like 'learner%@bench.test'`);
  await db.execute(sql`update applications a set participant_id = p.id from participants p where a.email like 'learner%@bench.test' and p.user_id is null and p.email = a.email`);
  await db.execute(sql`
    insert into enrolments (application_id, participant_id, intake_id, delivery_partner_id, training_status, created_at, updated_at)
    select a.id, a.participant_id, a.intake_id, x.delivery_partner_id, 'active', a.decided_at, a.decided_at
    from applications a join intakes x on x.id = a.intake_id where a.email like 'learner%@bench.test'`);
  // Progress: the first course's activities (bar its core task) and the first event's pre-work; the first event attended.
  await db.execute(sql`
    insert into learning_progress (enrolment_id, item_key, done_at)
    select e.application_id, a.value->>'key', now() - interval '20 days'
    from enrolments e join intake_programmes ip on ip.intake_id = e.intake_id join programme_versions v on v.id = ip.programme_version_id
    cross join lateral jsonb_array_elements(v.content->'courses'->0->'modules') m(value)
    cross join lateral jsonb_array_elements(m.value->'activities') a(value)
    where e.participant_id in (select id from participants where email like 'learner%@bench.test') and a.value->>'kind' <> 'core_task'`);
  await db.execute(sql`
    insert into learning_progress (enrolment_id, item_key, done_at)
    select application_id, 'e1-pre-work', now() - interval '64 days' from enrolments where participant_id in (select id from participants where email like 'learner%@bench.test')`);
  await db.execute(sql`
    insert into attendance (intake_id, item_key, enrolment_id, status, reason, recorded_at)
    select intake_id, 'e1', application_id, case when random() < 0.9 then 'present' else 'absent' end, case when random() < 0.9 then '' else 'Unwell' end, now() - interval '63 days'
    from enrolments where participant_id in (select id from participants where email like 'learner%@bench.test')`);
  await db.execute(sql`update attendance set reason = 'Unwell' where status = 'absent' and reason = ''`);
  // The facilitator's 30-person event today: an NPQH intake of the Midlands partner.
  const [midlands] = await list<{ id: string }>(sql`select id from delivery_partners where name like '%Midlands%' limit 1`);
  const [npqh] = await list<{ id: string; version: string }>(sql`select q.id, v.id as version from qualifications q join programme_versions v on v.qualification_id = q.id and v.version = 1 where q.identifier = 'npq-headship'`);
  const [registerIntake] = await list<{ id: string }>(sql`
    insert into intakes (qualification_id, name, start_date, application_deadline, delivery_mode, delivery_partner_id, time_zone, cohort_identifier, schedule)
    values (${npqh!.id}, 'Bench register intake', current_date - 30, current_date - 60, 'distance', ${midlands!.id}, 'Europe/London', '2026a', 'npq-leadership-spring') returning id`);
  await db.execute(sql`insert into intake_programmes (intake_id, programme_version_id, updated_at) values (${registerIntake!.id}, ${npqh!.version}, now())`);
  await db.execute(sql`
    insert into plan_entries (intake_id, item_key, starts_at, ends_at, join_url, updated_at)
    values (${registerIntake!.id}, 'e1', date_trunc('day', now()) + interval '1 hour', date_trunc('day', now()) + interval '23 hours', 'https://meet.example.org/register', now())`);
  await db.execute(sql`
    update enrolments set intake_id = ${registerIntake!.id}, delivery_partner_id = ${midlands!.id}
    where application_id in (select id from applications where email like 'learner%@bench.test' and course_identifier = 'npq-headship' order by email limit ${PROGRAMME_DATASET.registerSize})`);
  await db.execute(sql`
    insert into attendance (intake_id, item_key, enrolment_id, status, reason, recorded_at)
    select ${registerIntake!.id}, 'e1', application_id, 'present', '', now() from enrolments where intake_id = ${registerIntake!.id} limit 20`);
  // The demo participant, placed in the first bench NPQH intake, part-way through.
  const [big] = await list<{ id: string }>(sql`select ip.intake_id as id from intake_programmes ip join intakes x on x.id = ip.intake_id where x.name like 'Bench intake %' and x.qualification_id = ${npqh!.id} order by x.name limit 1`);
  await db.execute(sql`
    update enrolments set intake_id = ${big!.id} where application_id in (select id from applications where email = 'participant@demo.npq.test' and status = 'accepted')`);
  await db.execute(sql`
    insert into learning_progress (enrolment_id, item_key, done_at)
    select e.application_id, k, now() - interval '10 days' from enrolments e join applications a on a.id = e.application_id, unnest(array['c1m1a1', 'c1m1a2', 'c1m1a3', 'c1m2a1', 'e1-pre-work']) k
    where a.email = 'participant@demo.npq.test' on conflict do nothing`);
  await db.execute(sql`vacuum analyze`);
  return { registerIntakeId: registerIntake!.id, bigIntakeId: big!.id };
}

/** Issue 11's coaching at scale: a coach for every 250 learners, each learner with one session held. */
export const COACHING_DATASET = { learnersPerCoach: 250, coachFreeWeeks: 8 };

/**
 * Coaching on top of the programme dataset (issue 11 item 1): 400 bench coaches across the provider,
 * every learner given one (learner n to coach n mod 400) with a past session held (55 minutes) at a
 * slot of their coach's; the demo coach, Cora, takes the first bench coach's 250 learners and the demo
 * participant, and offers an online hour on weekdays for eight weeks from tomorrow, every other one
 * booked by her learners. Returns the demo participant's place (whose booking page is measured).
 */
export async function generateCoachingDataset(database: Database): Promise<{ placeId: string }> {
  const { db } = database;
  const list = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
  const coaches = Math.ceil(PROGRAMME_DATASET.learners / COACHING_DATASET.learnersPerCoach);
  await db.execute(sql`
    insert into users (email, name, created_at, updated_at)
    select 'coach' || g || '@bench.test', 'Coach ' || g, now(), now() from generate_series(0, ${coaches - 1}) g`);
  await db.execute(sql`insert into role_assignments (user_id, role, scope_type) select id, 'coach', 'provider' from users where email like 'coach%@bench.test'`);
  const [cora] = await list<{ id: string }>(sql`select id from users where email = 'coach@demo.npq.test'`);
  // Learner n's coach: bench coach n mod 400, Cora in place of the first.
  await db.execute(sql`
    create temporary table bench_coaches as
    select substring(email from 'coach([0-9]+)@bench')::int as i, id from users where email like 'coach%@bench.test'`);
  await db.execute(sql`update bench_coaches set id = ${cora!.id}::uuid where i = 0`);
  await db.execute(sql`
    create temporary table bench_coaching as
    select e.application_id as enrolment_id, x.n, c.id as coach_id,
      date_trunc('day', now()) - ((1 + (x.n / ${coaches}) % 120) || ' days')::interval + ((8 + (x.n / ${coaches}) / 120) || ' hours')::interval as starts_at
    from enrolments e join applications a on a.id = e.application_id
    cross join lateral (select substring(a.email from 'learner([0-9]+)@bench')::int as n) x
    join bench_coaches c on c.i = x.n % ${coaches}
    where a.email like 'learner%@bench.test'`);
  await db.execute(sql`
    insert into coach_allocations (enrolment_id, kind, coach_user_id, allocated_at)
    select enrolment_id, 'coach', coach_id, now() - interval '100 days' from bench_coaching`);
  await db.execute(sql`
    insert into coaching_slots (coach_user_id, starts_at, minutes, mode, join_url, created_at)
    select coach_id, starts_at, 60, 'online', 'https://meet.example.org/coach', now() - interval '130 days' from bench_coaching`);
  await db.execute(sql`
    insert into coaching_bookings (slot_id, enrolment_id, coach_user_id, status, booked_at, changed_at, held_minutes, agreed_actions, calendar_uid)
    select s.id, b.enrolment_id, b.coach_id, 'held', now() - interval '120 days', b.starts_at + interval '1 hour', 55, 'Read chapter ' || (b.n % 9 + 1), gen_random_uuid()
    from bench_coaching b join coaching_slots s on s.coach_user_id = b.coach_id and s.starts_at = b.starts_at`);
  // The demo participant, coached by Cora; Cora's weekday hours ahead, every other one booked.
  const [place] = await list<{ id: string }>(sql`select id from applications where email = 'participant@demo.npq.test' and status = 'accepted' and course_identifier = 'npq-headship' limit 1`);
  await db.execute(sql`insert into coach_allocations (enrolment_id, kind, coach_user_id, allocated_at) values (${place!.id}, 'coach', ${cora!.id}, now() - interval '30 days')`);
  await db.execute(sql`
    insert into coaching_slots (coach_user_id, starts_at, minutes, mode, join_url, created_at)
    select ${cora!.id}, d + interval '16 hours', 60, 'online', 'https://meet.example.org/cora', now()
    from generate_series(date_trunc('day', now()) + interval '1 day', date_trunc('day', now()) + ${`${COACHING_DATASET.coachFreeWeeks * 7} days`}::interval, interval '1 day') d
    where extract(isodow from d) < 6`);
  await db.execute(sql`
    insert into coaching_bookings (slot_id, enrolment_id, coach_user_id, status, booked_at, calendar_uid)
    select s.id, b.enrolment_id, s.coach_user_id, 'booked', now(), gen_random_uuid()
    from (select id, coach_user_id, row_number() over (order by starts_at) r from coaching_slots where coach_user_id = ${cora!.id} and starts_at > now()) s
    join (select enrolment_id, row_number() over (order by n) r from bench_coaching where coach_id = ${cora!.id}) b on b.r * 2 = s.r`);
  await db.execute(sql`drop table bench_coaching`);
  await db.execute(sql`drop table bench_coaches`);
  await db.execute(sql`vacuum analyze`);
  return { placeId: place!.id };
}

/** Issue 12's marking at scale: 2,000 Task 1 scripts sent, shared among 40 assessors, all but the demo assessor's 50 marked. */
export const MARKING_DATASET = { scripts: 2_000, assessors: 40, demoAssessorScripts: 50, moderators: 10 };

/**
 * Written accounts on top of the programme dataset (issue 12 items 4 and 5): NPQH learners' Task 1
 * accounts sent (the file itself is not needed to list or draw on them), each allocated under a
 * candidate number — the first 50 to the demo assessor (Asa), unmarked; the rest to 40 bench
 * assessors, marked with totals spread from 8 to 37 of 40 — and 10 bench moderators.
 */
export async function generateMarkingDataset(database: Database): Promise<void> {
  const { db } = database;
  const list = async <T>(q: ReturnType<typeof sql>): Promise<T[]> => ((await db.execute(q)) as unknown as { rows: T[] }).rows;
  for (const [role, n] of [
    ['assessor', MARKING_DATASET.assessors],
    ['moderator', MARKING_DATASET.moderators],
  ] as const) {
    await db.execute(sql`insert into users (email, name, created_at, updated_at) select ${role} || g || '@bench.test', initcap(${role}) || ' ' || g, now(), now() from generate_series(1, ${n}) g`);
    await db.execute(sql`insert into role_assignments (user_id, role, scope_type) select id, ${role}, 'provider' from users where email like ${`${role}%@bench.test`}`);
  }
  const assessors = await list<{ id: string }>(sql`select id from users where email like 'assessor%@bench.test' order by email`);
  const [asa] = await list<{ id: string }>(sql`select id from users where email = 'assessor@demo.npq.test'`);
  const places = await list<{ id: string }>(sql`
    select a.id from applications a join enrolments e on e.application_id = a.id
    where a.email like 'learner%@bench.test' and a.course_identifier = 'npq-headship' order by a.email limit ${MARKING_DATASET.scripts}`);
  const ids: string[] = [];
  for (let i = 0; i < places.length; i += 500) {
    const rows = await list<{ id: string }>(sql`
      insert into submissions (enrolment_id, task_key, status, file_name, file_type, file_size, file_key, word_limit, words_total, words_counted, words_excluded, over_limit, uploaded_at, submitted_at)
      select x, 'task-1', 'submitted', 'account.docx', 'docx', 40000, 'accounts/bench', 4000, 4300, 3950, '{}'::jsonb, false, now() - interval '20 days', now() - interval '20 days'
      from unnest(${`{${places.slice(i, i + 500).map((p) => p.id).join(',')}}`}::uuid[]) x returning id`);
    ids.push(...rows.map((r) => r.id));
  }
  const used = new Set<string>();
  const values = ids.map((id, i) => {
    let cn = newCandidateNumber();
    while (used.has(cn)) cn = newCandidateNumber();
    used.add(cn);
    const assessor = i < MARKING_DATASET.demoAssessorScripts ? asa!.id : assessors[i % assessors.length]!.id;
    return sql`(${id}::uuid, ${cn}, ${assessor}::uuid, now() - interval '15 days')`;
  });
  for (let i = 0; i < values.length; i += 500) await db.execute(sql`insert into script_allocations (submission_id, candidate_number, assessor_user_id, allocated_at) values ${sql.join(values.slice(i, i + 500), sql`, `)}`);
  // Marked: four criteria of ten, totals spread so about one in six fails and some sit on the borderline.
  await db.execute(sql`
    insert into script_markings (submission_id, round, marker_user_id, scheme_version, marks, overall_comment, total, result, status, submitted_at)
    select a.submission_id, 'first', a.assessor_user_id, '2017',
      jsonb_build_object('design', jsonb_build_object('mark', least(m + k, 10), 'comment', 'Bench.'), 'implementation', jsonb_build_object('mark', m, 'comment', 'Bench.'), 'evaluation', jsonb_build_object('mark', m, 'comment', 'Bench.'), 'reflection', jsonb_build_object('mark', m, 'comment', 'Bench.')),
      'Bench.', 3 * m + least(m + k, 10), case when m >= 4 and 3 * m + least(m + k, 10) >= 20 then 'pass' else 'fail' end, 'submitted', now() - interval '10 days' + (row_number() over (order by a.submission_id))::int * interval '1 second'
    from script_allocations a
    cross join lateral (select 2 + (abs(hashtext(a.submission_id::text)) % 8) as m, abs(hashtext(a.candidate_number)) % 3 as k) x
    where a.assessor_user_id <> ${asa!.id}::uuid`);
  await db.execute(sql`vacuum analyze`);
}

/**
 * Issue 12 item 6 at scale: a pass recorded for each of the 2,000 learners with a script, each with
 * its own certificate code, so 2,000 certificates can be printed through the participant's own path.
 * Returns their enrolment ids.
 */
export async function generateOutcomesDataset(database: Database): Promise<string[]> {
  const { db } = database;
  const rows = ((await db.execute(sql`select distinct enrolment_id as id from submissions where task_key = 'task-1' and file_key = 'accounts/bench' order by 1 limit ${MARKING_DATASET.scripts}`)) as unknown as { rows: { id: string }[] }).rows;
  const used = new Set<string>();
  const values = rows.map((r) => {
    let code = newCertificateCode();
    while (used.has(code)) code = newCertificateCode();
    used.add(code);
    return sql`(${r.id}::uuid, 'passed', current_date - 3, ${code}, now() - interval '3 days', now() - interval '3 days')`;
  });
  for (let i = 0; i < values.length; i += 500) await db.execute(sql`insert into participant_outcomes (enrolment_id, state, completion_date, certificate_code, created_at, out_at) values ${sql.join(values.slice(i, i + 500), sql`, `)}`);
  return rows.map((r) => r.id);
}
