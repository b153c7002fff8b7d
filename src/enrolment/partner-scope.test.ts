/**
 * A partner lead's scope (issue 9, ADR 0028) follows the enrolment's own `delivery_partner_id` (ADR 0036),
 * copied from the intake at acceptance. When the provider gives an intake to another delivery partner
 * (saveIntake), followIntakeChange copies the new partner onto its enrolments: the new partner's lead
 * reads them, the old one's no longer does, and DfE's API shows them as changed.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';
import { eq } from 'drizzle-orm';
import { applications, enrolments } from './enrolment.schema';

const t = useTestApp();
const f = factoriesFor(t);

describe('a delivery partner lead’s participants when an intake changes partner', () => {
  it('follow the intake to its new partner', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
    const [first, second] = partners;
    const intake = await f.anIntake({ deliveryPartnerId: first!.id });
    const p = await f.aParticipant({ intakeId: intake.id });
    const firstLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: first!.id } })).signIn();
    const secondLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: second!.id } })).signIn();
    expect((await firstLead.get(`/admin/applications/${p.application.id}`)).statusCode).toBe(200);

    t.clock.advance(60_000);
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

    // Was: 404 for the new partner's lead, 200 for the old one's.
    expect((await secondLead.get(`/admin/applications/${p.application.id}`)).statusCode).toBe(200);
    expect((await firstLead.get(`/admin/applications/${p.application.id}`)).statusCode).toBe(404);
    // DfE's clients asking filter[updated_since] find it changed.
    const [moved] = await t.database.db
      .select({ updatedAt: applications.updatedAt, deliveryPartnerId: enrolments.deliveryPartnerId })
      .from(applications)
      .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
      .where(eq(applications.id, p.application.id));
    expect(moved).toEqual({ updatedAt: t.clock.now(), deliveryPartnerId: second!.id });
  });
});
