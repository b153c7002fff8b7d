/**
 * Issue 9, ADR 0026, found by a breaker: resuming a deferred participant keeps the deferral's reason on the
 * application (changeParticipant sets `trainingStatusReason: input.reason ?? app.trainingStatusReason`),
 * so the provider's page shows an active participant with a deferral reason beside "Active".
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);

describe('resuming after a deferral', () => {
  it('leaves no deferral reason on the resumed participant', async () => {
    const p = await f.aParticipant();
    await t.services.applications.changeParticipant(setUp, p.application.id, 'defer', { reason: 'parental-leave' });
    const resumed = await t.services.applications.changeParticipant(setUp, p.application.id, 'resume', {});
    expect(resumed.trainingStatus).toBe('active');
    // Actual: 'parental-leave'.
    expect(resumed.trainingStatusReason).toBeNull();

    const admin = await (await f.aStaffMember()).signIn();
    const text = (await admin.get(`/admin/applications/${p.application.id}`)).body.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    // Actual: "Training status Active Parental leave". (The link to the status history follows the status, ADR 0036.)
    expect(text).toMatch(/Training status Active · Status history Sent/);
  });
});
