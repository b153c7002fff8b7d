import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { factoriesFor, setUp } from '../testing/factories';
import { useTestApp } from '../testing/test-app';

/**
 * A cohort larger than one statement's parameters (PostgreSQL takes 65,535): setting its 360° dates
 * sent every enrolment id as a list and failed ("bind message has 34471 parameter formats"), which
 * stopped the platform starting on the bench's national-scale dataset; making its rounds and listing
 * them had the same fault. Found by the benchmark; each now goes by subquery or in batches.
 */
const t = useTestApp();
const f = factoriesFor(t);
// Just over the 65,535 parameters a statement takes.
const PARTICIPANTS = 66_000;

describe('a cohort of 66,000 participants', () => {
  it('has its 360° dates set, its rounds made and its rounds listed', async () => {
    const cohort = await f.aCohort();
    await t.database.db.execute(sql`
      insert into applications (full_name, email, course_identifier, cohort_id, status, created_at, updated_at)
      select 'Big ' || g, 'big' || g || '@cohort.test', 'npq-senco', ${cohort.id}, 'accepted', now(), now() from generate_series(1, ${PARTICIPANTS}) g`);
    await t.database.db.execute(sql`insert into participants (email, created_at, updated_at) select email, now(), now() from applications where email like 'big%@cohort.test'`);
    await t.database.db.execute(sql`
      insert into enrolments (application_id, participant_id, training_status, created_at, updated_at)
      select a.id, p.id, 'active', now(), now() from applications a join participants p on p.email = a.email and p.user_id is null where a.email like 'big%@cohort.test'`);
    await t.services.diagnostic.setWindow(setUp, { cohort: cohort.identifier, kind: 'start', opensOn: '2026-11-20', closesOn: '2026-12-20' });
    const rounds = await t.services.diagnostic.cohortRounds(setUp, cohort.identifier);
    expect(rounds).toHaveLength(PARTICIPANTS);
    // A later closing date reaches every round of the cohort, through the subquery.
    await t.services.diagnostic.setWindow(setUp, { cohort: cohort.identifier, kind: 'start', opensOn: '2026-11-20', closesOn: '2026-12-31' });
    const counted = (await t.database.db.execute(sql`select count(*)::int as n from diagnostic_rounds r join applications a on a.id = r.application_id where a.cohort_id = ${cohort.id} and r.closes_on = '2026-12-31'`)) as unknown as { rows: { n: number }[] };
    expect(counted.rows[0]!.n).toBe(PARTICIPANTS);
  }, 240_000);
});
