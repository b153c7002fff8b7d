import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { Client, deliverEvents, outboxTo, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
let n = 0;

/** A pending application as DfE's pull makes it: no school approval under way (the applicant never used the platform's journey). */
async function registeredAtDfe() {
  n++;
  const recorded = await t.services.applications.recordDfeApplication({
    dfeApplicationId: `dfe-app-ask-${n}`,
    dfeParticipantId: `dfe-person-ask-${n}`,
    fullName: `Rhys Registered ${n}`,
    email: `rhys.${n}@school.test`,
    trn: null,
    courseIdentifier: 'npq-headship',
    cohort: '2026a',
    schoolUrn: null,
    employerName: null,
    employmentRole: null,
    fundingChoice: null,
    eligibleForFunding: true,
    status: 'pending',
    updatedAt: t.clock.now(),
  });
  if (recorded.kind === 'skipped') throw new Error(`not recorded: ${recorded.reason}`);
  return { id: recorded.applicationId, name: `Rhys Registered ${n}`, email: `rhys.${n}@school.test` };
}

/**
 * An application registered at DfE comes without the school's approval, and the platform accepts only
 * what the school approved: the provider asks the school, on the application's page, and the line
 * manager approves by the emailed link (issue 13: accepting one must be possible).
 */
describe('asking the school to approve an application registered at DfE', () => {
  it('the admin names the line manager, after a mistake, and the line manager is emailed a link that approves it', async () => {
    const app = await registeredAtDfe();
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const page = text((await admin.get(`/admin/applications/${app.id}`)).body);
    expect(page).toContain('Registered at DfE DfE’s id dfe-app-ask-1; DfE showed it pending when last read');
    expect(page).toContain('Line manager named None yet');
    expect(page).toContain('Ask the school to approve');
    // Rejecting needs no approval: it is offered before the school answers.
    expect(page).toContain('Reject application');
    expect(page).not.toContain('Accept application');
    const wrong = await admin.post(`/admin/applications/${app.id}/ask-school`, { lineManagerName: 'Priya Head', lineManagerEmail: 'not an address' });
    expect(wrong.statusCode).toBe(422);
    expect(text(wrong.body)).toContain('Enter an email address in the correct format');
    expect(wrong.body).toContain('value="Priya Head"');
    const own = await admin.post(`/admin/applications/${app.id}/ask-school`, { lineManagerName: 'Priya Head', lineManagerEmail: app.email.toUpperCase() });
    expect(own.statusCode).toBe(422);
    expect((await admin.post(`/admin/applications/${app.id}/ask-school`, { lineManagerName: 'Priya Head', lineManagerEmail: 'priya.head@school.test' })).statusCode).toBe(303);
    const after = text((await admin.get(`/admin/applications/${app.id}`)).body);
    expect(after).toContain('We have emailed Priya Head (priya.head@school.test) to approve');
    expect(after).not.toContain('Ask the school to approve');
    await deliverEvents(t);
    const [mail] = await outboxTo(t, 'priya.head@school.test');
    const link = /https?:\/\/\S+(\/school-approval\/[A-Za-z0-9_-]+)/.exec(mail!.body ?? '')?.[1];
    expect(link).toBeDefined();
    const school = new Client(t);
    const form = await school.get(link!);
    expect(form.statusCode).toBe(200);
    expect(text(form.body)).toContain(app.name);
    const approved = await school.post(link!, { decision: 'approve', comment: 'Yes.', approverName: 'Priya Head' });
    expect(approved.statusCode).toBe(303);
    const decided = text((await admin.get(`/admin/applications/${app.id}`)).body);
    expect(decided).toContain('Approved by Priya Head (priya.head@school.test)');
    expect(decided).toContain('Accept application');
  });

  it('is for managers only, and not once an approval is under way or given', async () => {
    const app = await registeredAtDfe();
    const lead = await factoriesFor(t).aStaffMember({ role: 'delivery_partner_lead' });
    await expect(t.services.applications.askSchoolForApproval(lead.actor, app.id, { lineManagerName: 'A Head', lineManagerEmail: 'a.head@school.test' })).rejects.toMatchObject({ status: 403 });
    const participant = new Client(t);
    await participant.signIn('participant@demo.npq.test');
    expect((await participant.post(`/admin/applications/${app.id}/ask-school`, { lineManagerName: 'A Head', lineManagerEmail: 'a.head@school.test' })).statusCode).toBe(403);
    // A mistyped address is put right by asking again: the old link stops working.
    const admin = await factoriesFor(t).aStaffMember({ role: 'provider_admin' });
    await t.services.applications.askSchoolForApproval(admin.actor, app.id, { lineManagerName: 'A Head', lineManagerEmail: 'a.haed@school.test' });
    await deliverEvents(t);
    expect(text((await (await admin.signIn()).get(`/admin/applications/${app.id}`)).body)).toContain('Ask the school again, or someone else');
    await t.services.applications.askSchoolForApproval(admin.actor, app.id, { lineManagerName: 'A Head', lineManagerEmail: 'a.head@school.test' });
    await deliverEvents(t);
    const oldLink = /https?:\/\/\S+(\/school-approval\/[A-Za-z0-9_-]+)/.exec((await outboxTo(t, 'a.haed@school.test'))[0]!.body)?.[1];
    expect((await new Client(t).get(oldLink!)).statusCode).not.toBe(200);
    // Once the school approved, there is nothing to ask.
    const newLink = /https?:\/\/\S+(\/school-approval\/[A-Za-z0-9_-]+)/.exec((await outboxTo(t, 'a.head@school.test'))[0]!.body)?.[1];
    const school = new Client(t);
    await school.get(newLink!);
    expect((await school.post(newLink!, { decision: 'approve', comment: '', approverName: 'A Head' })).statusCode).toBe(303);
    await expect(t.services.applications.askSchoolForApproval(admin.actor, app.id, { lineManagerName: 'B Head', lineManagerEmail: 'b.head@school.test' })).rejects.toMatchObject({ code: 'approval_not_open' });
    await expect(t.services.applications.askSchoolForApproval(lead.actor, app.id, { lineManagerName: 'A Head', lineManagerEmail: 'a.head@school.test' })).rejects.toMatchObject({ status: 403 });
  });
});
