/**
 * Two requests at once on the same application (ADR 0027): an applicant's double click on withdraw is
 * answered as withdrawing again is (two acceptances at once: concurrent-acceptances.test.ts). Run on
 * PostgreSQL to see real concurrency:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/concurrent-withdrawal.test.ts
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);

describe('two decisions at once', () => {
  it('an applicant withdrawing twice at once (a double click): both answered with the withdrawn application, as withdrawing again is', async () => {
    const { application, applicant } = await f.aSubmittedApplication();
    const results = await Promise.allSettled([t.services.applications.withdrawMine(applicant.actor, application.id), t.services.applications.withdrawMine(applicant.actor, application.id)]);
    // Actual (PGlite and PostgreSQL): the second is refused 422 application_decided "has just been decided", though nobody decided it.
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).message))).toEqual(['withdrawn', 'withdrawn']);
  });
});
