/**
 * Issue 9, found by a breaker: an application or participant of one NPQ can be placed into another NPQ's
 * intake. acceptApplication and changeParticipant('move') check only that the intake is in the same
 * cohort, never that it is an intake of the application's course.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);
const call = f.anApiClient();

describe('placing into an intake of another NPQ', () => {
  it('refuses accepting an NPQSL application into an NPQLT intake (API intake_id)', async () => {
    const npqsl = await f.theIntake('npq-senior-leadership');
    const npqlt = await f.theIntake('npq-leading-teaching');
    expect(npqlt.cohortIdentifier).toBe(npqsl.cohortIdentifier);
    const { id } = await f.anApiEnteredApplication({ via: call, email: 'wrong.intake@school.test', trn: '4434567', course: 'npq-senior-leadership', intakeId: npqsl.id });

    const res = await call('POST', `/api/v1/applications/${id}/accept`, { data: { attributes: { intake_id: npqlt.id } } });

    // Actual: 200, status accepted, intake_id the NPQLT intake, course_identifier still npq-senior-leadership.
    expect(res.statusCode).toBe(422);
    const after = (await call('GET', `/api/v1/applications/${id}`)).json().data.attributes;
    expect(after.intake_id).not.toBe(npqlt.id);
  });

  it('refuses moving an NPQSL participant into an NPQLT intake', async () => {
    const npqlt = await f.theIntake('npq-leading-teaching');
    const p = await f.aParticipant();

    // Actual: resolves; the participant's intake becomes the NPQLT one while its course stays NPQSL.
    await expect(t.services.applications.changeParticipant(setUp, p.application.id, 'move', { intakeId: npqlt.id })).rejects.toThrow();
    const after = (await call('GET', `/api/v1/applications/${p.application.id}`)).json().data.attributes;
    expect(after.intake_id).not.toBe(npqlt.id);
  });

  it('refuses the same move through the provider’s page', async () => {
    const npqlt = await f.theIntake('npq-leading-teaching');
    const p = await f.aParticipant();
    const admin = await (await f.aStaffMember()).signIn();
    await admin.get(`/admin/applications/${p.application.id}`);
    await admin.post(`/admin/applications/${p.application.id}/participant/move`, { intakeId: npqlt.id });
    const after = (await call('GET', `/api/v1/applications/${p.application.id}`)).json().data.attributes;
    expect(after.intake_id).not.toBe(npqlt.id);
  });
});
