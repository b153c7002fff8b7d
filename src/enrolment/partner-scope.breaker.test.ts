/**
 * Breaker (issue 9, ADR 0028): a partner lead's scope follows the application's own
 * `delivery_partner_id`, copied from the intake at acceptance. When the provider gives an intake to
 * another delivery partner (saveIntake; followIntakeChange only follows the schedule), its participants
 * stay with the old partner: the old partner's lead still reads them, the new partner's lead cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';

let t: TestApp;
const f = factoriesFor(() => t);
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('a delivery partner lead’s participants when an intake changes partner', () => {
  it('follow the intake to its new partner', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
    const [first, second] = partners;
    const intake = await f.anIntake({ deliveryPartnerId: first!.id });
    const p = await f.aParticipant({ intakeId: intake.id });
    const firstLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: first!.id } })).signIn();
    const secondLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: second!.id } })).signIn();
    expect((await firstLead.get(`/admin/applications/${p.application.id}`)).statusCode).toBe(200);

    const qualificationId = (await t.services.catalogue.get('npq-senior-leadership')).id;
    const editable = await t.services.catalogue.intakeForEdit(setUp, qualificationId, intake.id);
    await t.services.catalogue.saveIntake(setUp, qualificationId, intake.id, {
      name: editable.name,
      startDate: editable.startDate,
      applicationDeadline: editable.applicationDeadline,
      deliveryMode: 'distance',
      deliveryPartnerId: second!.id,
      venueId: null,
      timeZone: editable.timeZone,
      capacity: editable.capacity,
      waitingList: editable.waitingList,
      cohortIdentifier: editable.cohortIdentifier!,
      schedule: 'npq-leadership-spring',
    });

    // Actual: 404 for the new partner's lead, 200 for the old one's.
    expect((await secondLead.get(`/admin/applications/${p.application.id}`)).statusCode).toBe(200);
    expect((await firstLead.get(`/admin/applications/${p.application.id}`)).statusCode).toBe(404);
  });
});
