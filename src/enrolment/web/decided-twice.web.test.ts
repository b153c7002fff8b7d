import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { Client, deliverEvents, outboxTo, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const { anAcceptedApplication, aSubmittedApplication } = factoriesFor(t);

/** The banner a page shows after a decision: what the provider is told was done. */
const banner = (html: string) => html.match(/govuk-notification-banner__heading[^>]*>([^<]*)</)?.[1]?.trim();

/**
 * The same decision sent twice (a double click, the back button, a second tab) changes nothing and emails
 * no one again; the page must say so, never "We have emailed them" for an email that was not sent.
 */
describe('a decision sent twice', () => {
  it('an acceptance: the second says it was already accepted, and no second email goes', async () => {
    const { application, participant } = await anAcceptedApplication();
    await deliverEvents(t);
    const before = (await outboxTo(t, participant.email)).length;
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get(`/admin/applications/${application.id}`);
    expect((await admin.post(`/admin/applications/${application.id}/accept`, {})).statusCode).toBe(303);
    const page = await admin.get(`/admin/applications/${application.id}`);
    expect(banner(page.body)).toBe(`${participant.name} was already accepted: nothing changed, and no email was sent again.`);
    await deliverEvents(t);
    expect((await outboxTo(t, participant.email)).length).toBe(before);
  });

  it('a rejection: the first says the applicant is emailed, the second that nothing changed', async () => {
    const { application, applicant } = await aSubmittedApplication();
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get(`/admin/applications/${application.id}`);
    const reject = { reason: 'The course is full for this year.', confirm: 'yes' };
    expect((await admin.post(`/admin/applications/${application.id}/reject`, reject)).statusCode).toBe(303);
    expect(banner((await admin.get(`/admin/applications/${application.id}`)).body)).toBe(`${applicant.name}’s application is rejected. We have emailed them.`);
    await deliverEvents(t);
    const emailed = (await outboxTo(t, applicant.email)).length;
    expect((await admin.post(`/admin/applications/${application.id}/reject`, reject)).statusCode).toBe(303);
    expect(banner((await admin.get(`/admin/applications/${application.id}`)).body)).toBe(`${applicant.name}’s application was already rejected: nothing changed, and no email was sent again.`);
    await deliverEvents(t);
    expect((await outboxTo(t, applicant.email)).length).toBe(emailed);
  });
});
