/**
 * Breaker (issue 9, ADR 0027): two requests at once on the same person or application. Run on
 * PostgreSQL to see real concurrency:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx vitest run src/enrolment/concurrent-decisions.breaker.test.ts
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEnteredApplication } from './applications/an-entered-application';
import { createTestApp, type TestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

let t: TestApp;
const f = factoriesFor(() => t);
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await f.anApiToken()).token;
});
afterAll(async () => {
  await t.close();
});
const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: payload === undefined ? undefined : JSON.stringify(payload) });

describe('two decisions at once', () => {
  it('accepting two applications of one person in one cohort at once: one accepted, the other rejected, never a 500', async () => {
    const npqsl = await f.theIntake('npq-senior-leadership');
    const npqlt = await f.theIntake('npq-leading-teaching');
    const person = { email: 'both.at.once@school.test', teacher_reference_number: '5534567' };
    const a = (await call('POST', '/api/v1/applications', anEnteredApplication({ ...person, course_identifier: 'npq-senior-leadership', intake_id: npqsl.id }))).json().data.id as string;
    const b = (await call('POST', '/api/v1/applications', anEnteredApplication({ ...person, course_identifier: 'npq-leading-teaching', intake_id: npqlt.id }))).json().data.id as string;

    const answers = await Promise.all([call('POST', `/api/v1/applications/${a}/accept`, { data: { attributes: {} } }), call('POST', `/api/v1/applications/${b}/accept`, { data: { attributes: {} } })]);

    // Actual on PostgreSQL: one answers 500 (deadlock detected: each holds its application's row lock and waits
    // for the cohort's, while the first to get the cohort's rejects the other application's row). PGlite passes.
    for (const res of answers) expect(res.statusCode, res.body).toBeLessThan(500);
    const statuses = await Promise.all([a, b].map(async (id) => (await call('GET', `/api/v1/applications/${id}`)).json().data.attributes.status as string));
    expect(statuses.sort()).toEqual(['accepted', 'rejected']);
  });

  it('an applicant withdrawing twice at once (a double click): both answered with the withdrawn application, as withdrawing again is', async () => {
    const { application, applicant } = await f.aSubmittedApplication();
    const results = await Promise.allSettled([t.services.applications.withdrawMine(applicant.actor, application.id), t.services.applications.withdrawMine(applicant.actor, application.id)]);
    // Actual (PGlite and PostgreSQL): the second is refused 422 application_decided "has just been decided", though nobody decided it.
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value.status : (r.reason as Error).message))).toEqual(['withdrawn', 'withdrawn']);
  });
});
