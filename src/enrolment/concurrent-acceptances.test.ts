/**
 * Two acceptances at once of one person's applications in one cohort (issue 9, ADR 0027): every use case
 * takes the cohort's row before the application's (applicationForDecision), so they wait for each other
 * instead of deadlocking. Run on PostgreSQL to see real concurrency:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/concurrent-acceptances.test.ts
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);
const call = f.anApiClient();

describe('two acceptances at once', () => {
  it('accepting two applications of one person in one cohort at once: one accepted, the other rejected, never a 500', async () => {
    const npqsl = await f.theIntake('npq-senior-leadership');
    const npqlt = await f.theIntake('npq-leading-teaching');
    const person = { email: 'both.at.once@school.test', trn: '5534567' };
    const a = (await f.anApiEnteredApplication({ via: call, ...person, course: 'npq-senior-leadership', intakeId: npqsl.id })).id;
    const b = (await f.anApiEnteredApplication({ via: call, ...person, course: 'npq-leading-teaching', intakeId: npqlt.id })).id;

    const answers = await Promise.all([call('POST', `/api/v1/applications/${a}/accept`, { data: { attributes: {} } }), call('POST', `/api/v1/applications/${b}/accept`, { data: { attributes: {} } })]);

    // Was on PostgreSQL: one answered 500 (deadlock detected: each held its application's row lock and waited
    // for the cohort's, while the first to get the cohort's rejected the other application's row).
    for (const res of answers) expect(res.statusCode, res.body).toBeLessThan(500);
    const statuses = await Promise.all([a, b].map(async (id) => (await call('GET', `/api/v1/applications/${id}`)).json().data.attributes.status as string));
    expect(statuses.sort()).toEqual(['accepted', 'rejected']);
  });
});
