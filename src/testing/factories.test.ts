import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor } from './factories';
import { createTestApp, type TestApp } from './test-app';

let t: TestApp;
const { aStaffMember, aParticipantUser, aQualification, anIntake, aCohort, aSubmittedApplication, anAcceptedApplication, aParticipant, anApiToken } = factoriesFor(() => t);
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('the factories make records the platform itself would', () => {
  it('a member of staff signs in with their second factor and reaches their pages', async () => {
    const assessor = await aStaffMember({ role: 'assessor' });
    const c = await assessor.signIn();
    expect((await c.get('/admin/gateway')).statusCode).toBe(200);
    expect((await c.get('/admin/users')).statusCode).toBe(403);
  });

  it('a participant user signs in without a second factor and holds no staff role', async () => {
    const person = await aParticipantUser({ name: 'Ada Applicant' });
    const c = await person.signIn();
    const home = await c.get('/home');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Hello, Ada Applicant');
    expect((await c.get('/admin/gateway')).statusCode).toBe(403);
  });

  it('each person has an address and a TRN of their own', async () => {
    const [a, b] = [await aParticipantUser(), await aParticipantUser()];
    expect(a.email).not.toBe(b.email);
    expect(a.trn).toMatch(/^\d{7}$/);
    expect(a.trn).not.toBe(b.trn);
  });

  it('a qualification and an intake of it are in the public catalogue', async () => {
    const qualification = await aQualification({ summary: 'Made by a factory.' });
    const intake = await anIntake({ course: qualification.identifier });
    const entry = await t.services.catalogue.get(qualification.identifier);
    expect(entry.summary).toBe('Made by a factory.');
    expect(entry.intakes.map((i) => i.id)).toEqual([intake.id]);
  });

  it('a cohort is listed, funded in full unless told', async () => {
    const cohort = await aCohort();
    expect(cohort.funding).toBe('full');
    expect((await t.services.cohorts.byIdentifier(cohort.identifier))?.identifier).toBe(cohort.identifier);
    expect((await aCohort({ funding: 'none' })).funding).toBe('none');
  });

  it('a submitted application waits for its school; an accepted one has a place', async () => {
    const { application: sent, applicant } = await aSubmittedApplication({ course: 'npq-senco' });
    expect(sent).toMatchObject({ status: 'pending', approvalStatus: 'pending', courseIdentifier: 'npq-senco', email: applicant.email, userId: applicant.userId });

    const { application, participant } = await anAcceptedApplication();
    expect(application).toMatchObject({ status: 'accepted', approvalStatus: 'approved', trainingStatus: 'active', courseIdentifier: 'npq-senior-leadership', userId: participant.userId });
  });

  it('a participant is an accepted application’s person, who sees their place', async () => {
    const participant = await aParticipant();
    expect(participant.application.status).toBe('accepted');
    const c = await participant.signIn();
    expect((await c.get(`/applications/${participant.application.id}`)).body).toContain('You have a place');
  });

  it('an API token may do only what its scopes say', async () => {
    const reader = await anApiToken({ scopes: ['qualifications:read'] });
    const call = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${reader.token}` } });
    expect((await call('/api/v1/qualifications')).statusCode).toBe(200);
    expect((await call('/api/v1/applications')).statusCode).toBe(403);
  });
});
