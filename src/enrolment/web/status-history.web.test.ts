/**
 * The staff page of a participant's training-status history (ADR 0036): each change's date, from → to,
 * DfE's reason and who made it, linked from the application's page, and read only by whom enrolment's
 * policy allows (viewStatusHistory): a delivery partner lead only their own partners' participants.
 */
import { describe, expect, it } from 'vitest';
import { factoriesFor, setUp } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);

describe('a participant’s status history', () => {
  it('lists each change with its date, DfE reason and who made it, linked from the application', async () => {
    const { application } = await f.anEnrolment({ status: 'deferred', reason: 'parental-leave' });
    t.clock.advance(86_400_000);
    await t.services.applications.changeParticipant(setUp, application.id, 'resume', {});
    const admin = await (await f.aStaffMember()).signIn();

    const detail = await admin.get(`/admin/applications/${application.id}`);
    expect(detail.body).toContain(`href="/admin/applications/${application.id}/status-history"`);
    const page = await admin.get(`/admin/applications/${application.id}/status-history`);
    expect(page.statusCode).toBe(200);
    const rows = [...page.body.matchAll(/<tr class="govuk-table__row">([\s\S]*?)<\/tr>/g)].slice(1).map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]));
    expect(rows.map((r) => r.slice(1))).toEqual([
      ['None → Active', '', 'system: test set-up'],
      ['Active → Deferred', 'Parental leave (parental-leave)', 'system: test set-up'],
      ['Deferred → Active', '', 'system: test set-up'],
    ]);
    expect(rows.every((r) => /\d{4}/.test(r[0]!))).toBe(true);
  });

  it('is read by a delivery partner lead for their own partners’ participants only, and not by the participant', async () => {
    const { partners } = await t.services.catalogue.partnersAndVenues(setUp);
    const [own, other] = partners;
    const intake = await f.anIntake({ deliveryPartnerId: own!.id });
    const { application, participant } = await f.anEnrolment({ intakeId: intake.id });
    const ownLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: own!.id } })).signIn();
    const otherLead = await (await f.aStaffMember({ role: 'delivery_partner_lead', scope: { scopeType: 'delivery_partner', scopeId: other!.id } })).signIn();
    const url = `/admin/applications/${application.id}/status-history`;

    expect((await ownLead.get(url)).statusCode).toBe(200);
    expect((await otherLead.get(url)).statusCode).toBe(404);
    expect((await (await participant.signIn()).get(url)).statusCode).not.toBe(200);
  });

  it('is not found for an application not accepted: there is no enrolment yet', async () => {
    const { application } = await f.aSubmittedApplication();
    const admin = await (await f.aStaffMember()).signIn();
    expect((await admin.get(`/admin/applications/${application.id}/status-history`)).statusCode).toBe(404);
  });
});
