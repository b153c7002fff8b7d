/**
 * Pages draw their buttons from the same abilities the use case refuses by (ADR 0028): the provider's
 * page never offers "Accept application" on an application its school has not approved (or whose
 * gateway is not passed), which acceptApplication would refuse.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../testing/test-app';
import { factoriesFor } from '../../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);

describe('the Accept button on an application its school has not approved', () => {
  it('is not offered when accepting would be refused', async () => {
    const { application } = await f.aSubmittedApplication();
    const admin = await (await f.aStaffMember()).signIn();
    const page = await admin.get(`/admin/applications/${application.id}`);
    const refused = await admin.post(`/admin/applications/${application.id}/accept`, {});
    expect(refused.statusCode).toBe(422);
    expect(page.body).not.toContain(`action="/admin/applications/${application.id}/accept"`);
  });
});
