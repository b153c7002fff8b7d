import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemoApplications, loadDiagnosticDemo } from '../demo/demo-data';
import { factoriesFor } from '../testing/factories';
import { Client, useTestApp } from '../testing/test-app';

const t = useTestApp();
const { aParticipantUser } = factoriesFor(t);
beforeAll(async () => {
  await loadDemoApplications(t.services.applications);
  await loadDiagnosticDemo(t.services.diagnostic, t.clock);
});

/** The home page's text as a person reads it, and the sections it holds. */
async function homeOf(email: string) {
  const c = new Client(t);
  await c.signIn(email);
  const res = await c.get('/home');
  expect(res.statusCode).toBe(200);
  const sections = [...res.body.matchAll(/data-home-section="([a-z_0-9]+)"/g)].map((m) => m[1]);
  const text = res.body
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/\s+/g, ' ');
  return { sections, text, html: res.body };
}

describe('every role’s home shows what is theirs, and only that', () => {
  it('the provider admin: the inbox, gateway reviews waiting, 360° cohorts and people', async () => {
    const { sections, text } = await homeOf('admin@demo.npq.test');
    expect(sections).toEqual(['inbox', 'gateway', 'cohorts_360', 'users']);
    expect(text).toContain('2 applications waiting for a decision');
    expect(text).toContain('1 application waiting for the school’s approval');
    expect(text).toContain('1 participant');
    expect(text).toContain('0 assessments waiting for review');
    expect(text).toMatch(/Cohort 2026a 1 0 of 1 open 0 of 0/);
    expect(text).toContain('9 accounts you manage');
    expect(text).not.toContain('Your NPQ applications');
    expect(text).not.toContain('Your 360° leadership diagnostic');
  });

  it('a delivery partner lead: their partner’s applications and participants, and no other partner’s', async () => {
    const midlands = await homeOf('lead.midlands@demo.npq.test');
    expect(midlands.sections).toEqual(['partner_applications', 'cohorts_360', 'users']);
    expect(midlands.text).toContain('Your delivery partner’s applications');
    const north = await homeOf('lead.north@demo.npq.test');
    expect(north.sections).toEqual(['partner_applications', 'cohorts_360', 'users']);
    // The demo's applications are all for the Midlands partner's intakes.
    expect(midlands.text).toContain('2 applications waiting for a decision');
    expect(north.text).toContain('0 applications waiting for a decision');
    expect(north.text).toContain('0 participants');
  });

  it('a facilitator: their cohorts’ 360° progress', async () => {
    const { sections, text } = await homeOf('facilitator@demo.npq.test');
    expect(sections).toEqual(['cohorts_360']);
    expect(text).toMatch(/Cohort 2026a 1 0 of 1 open/);
    expect(text).not.toContain('Your NPQ applications');
  });

  it('the school approver: the approvals waiting for them', async () => {
    const { sections, text } = await homeOf('approver@demo.npq.test');
    expect(sections).toEqual(['approvals']);
    expect(text).toContain('Approvals waiting for you');
    expect(text).toContain('Priya Shah');
    // Already answered: not waiting any more.
    expect(text).not.toContain('Owen Price');
    expect(text).not.toContain('Your NPQ applications');
  });

  it.each([
    ['coach@demo.npq.test', 'coach or personal tutor', 'the participants you coach'],
    ['assessor@demo.npq.test', 'assessor', 'the assessments assigned to you'],
    ['moderator@demo.npq.test', 'moderator', 'the marked assessments sampled'],
  ])('%s: nothing assigned yet, what will appear, and whom to ask', async (email, role, coming) => {
    const { sections, text } = await homeOf(email);
    expect(sections).toContain('nothing_yet');
    expect(text).toContain(`Your work as ${role}`);
    expect(text).toContain('Nothing is assigned to you yet');
    expect(text).toContain(coming);
    expect(text).toContain('ask the programme team at Northern Lights Leadership');
    expect(text).not.toContain('Your NPQ applications');
  });

  it('the assessor also sees the gateway reviews they may do', async () => {
    expect((await homeOf('assessor@demo.npq.test')).sections).toEqual(['gateway', 'nothing_yet']);
  });

  it('a participant: their applications and their 360°', async () => {
    const { sections, text } = await homeOf('participant@demo.npq.test');
    expect(sections).toEqual(['own_applications', 'own_360']);
    expect(text).toContain('Leading Behaviour and Culture: Accepted');
    expect(text).toMatch(/Start round, [^:]+: open until/);
    expect(text).toContain('Open your 360° leadership diagnostic');
    expect(text).not.toContain('waiting for a decision');
  });

  it('an applicant with no role yet: where to start', async () => {
    const ava = await aParticipantUser({ name: 'Ava Applicant' });
    const { sections, text } = await homeOf(ava.email);
    expect(sections).toEqual(['own_applications']);
    expect(text).toContain('You have not applied for an NPQ yet');
  });
});
