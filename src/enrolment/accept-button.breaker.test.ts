/**
 * Breaker (issue 9, ADR 0028: "a button's use case refuses what the button would not have offered";
 * pages render buttons from the same abilities). Enrolment's abilitiesFor offers `accept` on every
 * pending application, whatever its school approval and gateway, so the provider's page shows
 * "Accept application" that acceptApplication then refuses (422, "The applicant’s school has not
 * approved this application"). The same before issue 9; the policy was to bring state in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

let t: TestApp;
const f = factoriesFor(() => t);
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the Accept button on an application its school has not approved', () => {
  it('is not offered when accepting would be refused', async () => {
    const { application } = await f.aSubmittedApplication();
    const admin = await (await f.aStaffMember()).signIn();
    const page = await admin.get(`/admin/applications/${application.id}`);
    const refused = await admin.post(`/admin/applications/${application.id}/accept`, {});
    expect(refused.statusCode).toBe(422);
    // Actual: the page offers the form and its "Accept application" button.
    expect(page.body).not.toContain(`action="/admin/applications/${application.id}/accept"`);
  });
});
