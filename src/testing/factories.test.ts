import { describe, expect, it } from 'vitest';
import { answersRatingEvery, diagnosticFactoriesFor, factoriesFor } from './factories';
import { useTestApp } from './test-app';

const t = useTestApp();
const { aStaffMember, aParticipantUser, aQualification, anIntake, aCohort, aSubmittedApplication, anAcceptedApplication, aParticipant, anApiToken } = factoriesFor(t);
const { a360Participant, a360Window, a360Round } = diagnosticFactoriesFor(t);

describe('the factories make records the platform itself would', () => {
  it('a member of staff signs in with their second factor and reaches their pages', async () => {
    const assessor = await aStaffMember({ role: 'assessor' });
    const c = await assessor.signIn();
    expect((await c.get('/marking')).statusCode).toBe(200);
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

  it('a 360° participant’s round opens with their cohort’s window, and each colleague asked answers by the link emailed to them', async () => {
    const participant = await a360Participant({ name: 'Rhona Rounds' });
    expect(participant.application).toMatchObject({ status: 'accepted', courseIdentifier: 'npq-leading-behaviour-culture', userId: participant.userId });
    expect(await a360Window({ kind: 'end', opensOn: '2027-06-01' })).toEqual({ cohort: '2026a', kind: 'end', opensOn: '2027-06-01', closesOn: '2027-06-15' });

    const { round, raters } = await a360Round({ participant, raters: [{ group: 'peer', name: 'Pia' }, { group: 'line_manager', name: 'Lara', email: 'lara.rounds@school.test' }] });
    const view = await t.services.diagnostic.roundView(participant.actor, round.id);
    expect([round.kind, view.state, round.opensOn, round.closesOn]).toEqual(['start', 'open', '2026-11-25', '2026-12-09']);
    expect(raters.map((r) => [r.group, r.name, r.email])).toEqual([
      ['peer', 'Pia', expect.stringMatching(/^pia\.\d+@school\.test$/)],
      ['line_manager', 'Lara', 'lara.rounds@school.test'],
    ]);
    for (const rater of raters) expect((await t.services.diagnostic.raterByToken(await rater.token()))?.participant).toBe('Rhona Rounds');
    expect(await t.services.diagnostic.answerAsRater(await raters[0]!.token(), answersRatingEvery(4), 'submit')).toBe('submitted');
    // The end round's window was set above: its round is found, not made again.
    expect((await a360Round({ participant, kind: 'end' })).round).toMatchObject({ kind: 'end', opensOn: '2027-06-01' });
  });
});
