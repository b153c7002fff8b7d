import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor } from '../testing/factories';
import { useTestApp } from '../testing/test-app';
import { loadDemoApplications } from './demo-data';
import { loadProgrammeDemo } from './programme-demo';

/** Issue 11 item 7: the demo's NPQH intake holds a cohort with a realistic spread of engagement, two participants at risk. */
const t = useTestApp();
const f = factoriesFor(t);

beforeAll(async () => {
  await loadDemoApplications(t.services.applications);
  await loadProgrammeDemo(t.database.db, t.services, t.clock);
  await t.services.engagement.refreshEngagement();
});

describe('the demo cohort', () => {
  it('has Pat and fourteen classmates spread across the bands, Sam Whitfield and Jo Marsh flagged at risk with their reasons', async () => {
    const admin = (await f.aStaffMember({ role: 'provider_admin' })).actor;
    const { intakes } = await t.services.engagement.engagementChoices(admin);
    const autumn = intakes.find((i) => i.intake.name === 'Autumn 2026')!;
    const list = await t.services.engagement.engagementList(admin, { intake: autumn.intake.id }, 'lowest', 1, 50);
    expect(list.total).toBe(15);
    expect(list.atRisk).toBe(2);
    const flagged = list.rows.filter((r) => r.atRisk);
    expect(flagged.map((r) => r.fullName).sort()).toEqual(['Jo Marsh', 'Sam Whitfield']);
    for (const r of flagged) expect(r.riskScore).toBeGreaterThanOrEqual(5);
    // A spread: some below the threshold who are not flagged, most on track.
    expect(list.below).toBeGreaterThan(2);
    expect(list.rows.filter((r) => !r.below).length).toBeGreaterThan(5);
    expect(list.chart.counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
  });

  it('has what the classmates said of the sessions held so far: per session, facilitator and venue, with comments; Pat is asked about the last briefing', async () => {
    const admin = (await f.aStaffMember({ role: 'provider_admin' })).actor;
    const bySession = await t.services.feedback.feedbackResults(admin, 'subject', {});
    expect(bySession.rows.map((r) => r.label)).toEqual(expect.arrayContaining([expect.stringMatching(/^Event 1: .*, Autumn 2026$/), 'Support and guidance, Autumn 2026']));
    expect(bySession.total).toBeGreaterThan(20);
    const byFacilitator = await t.services.feedback.feedbackResults(admin, 'facilitator', {});
    expect(byFacilitator.rows.map((r) => r.label)).toContain('Fred Facilitator');
    const byVenue = await t.services.feedback.feedbackResults(admin, 'venue', {});
    expect(byVenue.rows.map((r) => r.label)).toContain('Birmingham Regional Training Centre, Birmingham');
    const pat = (await t.services.applications.list(admin, { query: 'participant@demo.npq.test' }, 1)).rows.find((r) => r.courseIdentifier === 'npq-headship')!;
    const patActor = { kind: 'user' as const, userId: pat.userId!, sessionId: 'test', name: 'Pat Participant', email: 'participant@demo.npq.test', roles: [], fullySignedIn: true };
    expect((await t.services.feedback.mySurveys(patActor, pat.id)).waiting.map((s) => s.title)).toContain('Support and guidance');
  });
});
