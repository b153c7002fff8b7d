import { beforeAll, describe, expect, it, vi } from 'vitest';
import { loadDemoApplications, loadDiagnosticDemo } from '../demo/demo-data';
import { factoriesFor } from '../testing/factories';
import { Client, FROZEN_NOW, useTestApp } from '../testing/test-app';

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
    expect(text).toContain('10 accounts you manage');
    // Assessment from home: the admin's navigation bar is full, and a newcomer found no way in but a sentence on Delivery.
    expect(text).toContain('Assessment: written accounts and their dates');
    expect(text).toContain('Results, their release and reviews of marking');
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
    expect(midlands.text).not.toContain('Allocate scripts for marking');
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

  it('the coach: their coaching and their free times', async () => {
    const { sections, text } = await homeOf('coach@demo.npq.test');
    expect(sections).toEqual(['coaching']);
    expect(text).toContain('Open your coaching');
    expect(text).toContain('Publish and manage your free times');
    expect(text).not.toContain('Nothing is assigned to you yet');
  });

  it('the moderator: their scripts to moderate', async () => {
    const { sections, text } = await homeOf('moderator@demo.npq.test');
    expect(sections).toEqual(['marking']);
    expect(text).toContain('Open your scripts to moderate');
    expect(text).not.toContain('Open your scripts to mark');
    expect(text).not.toContain('Your NPQ applications');
  });

  it('the assessor: their marking, and no gateway reviews (they name the applicant; marking is blind)', async () => {
    const { sections, text } = await homeOf('assessor@demo.npq.test');
    expect(sections).toEqual(['marking']);
    expect(text).toContain('Open your scripts to mark');
    expect(text).not.toContain('Nothing is assigned to you yet');
  });

  it('finance: no sections of their own, and the finance page and the declarations among their tools', async () => {
    const { sections, text } = await homeOf('finance@demo.npq.test');
    expect(sections).toEqual([]);
    expect(text).toContain('Finance: DfE’s statements, expected against paid');
    expect(text).toContain('Declarations to DfE');
    expect(text).not.toContain('DfE’s API: pulls and calls');
    expect(text).not.toContain('Your NPQ applications');
  });

  it('a participant: their applications, their programme and their 360°', async () => {
    const { sections, text } = await homeOf('participant@demo.npq.test');
    expect(sections).toEqual(['own_applications', 'own_360']);
    expect(text).toContain('Headship: Accepted');
    expect(text).toContain('Open your programme');
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

describe('a participant’s home is kept until what it shows changes (docs/adr/0037)', () => {
  const pageWithoutToken = (html: string) => html.replace(/name="_csrf" value="[^"]+"/, 'name="_csrf" value=""');

  it('is read once, then sent again with a form token of its own each time, which signs out', async () => {
    const reads = vi.spyOn(t.services.applications, 'myApplications');
    try {
      const pat = new Client(t);
      await pat.signIn('participant@demo.npq.test');
      const first = await pat.get('/home');
      const readsForFirst = reads.mock.calls.length;
      const second = await pat.get('/home');
      expect(reads.mock.calls.length).toBe(readsForFirst);
      expect(pageWithoutToken(second.body)).toBe(pageWithoutToken(first.body));
      const tokens = [first.body, second.body].map((html) => html.match(/name="_csrf" value="([^"]+)"/)![1]);
      expect(tokens[0]).not.toBe(tokens[1]);
      // The token of the kept page is this browser's own: signing out with it works.
      const signedOut = await pat.post('/sign-out');
      expect(signedOut.statusCode).toBe(303);
      expect((await pat.get('/home')).statusCode).toBe(303);
    } finally {
      reads.mockRestore();
    }
  });

  it('shows a draft started or thrown away since at once, is read again the next day (rounds open and close on days), and keeps no flash message', async () => {
    const reads = vi.spyOn(t.services.applications, 'myApplications');
    try {
      const ava = await aParticipantUser({ name: 'Ava Keeps' });
      const c = new Client(t);
      await c.signIn(ava.email);
      expect((await c.get('/home')).body).toContain('You have not applied for an NPQ yet');
      expect((await c.get('/apply?npq=npq-headship')).statusCode).toBe(303);
      const afterDraft = await c.get('/home');
      expect(afterDraft.body).toMatch(/Headship[^<]*: Not sent yet/);
      const readsSoFar = reads.mock.calls.length;
      try {
        // Later the same day (the session read again, as it is every few seconds): still the kept page.
        for (const hours of [5, 5]) {
          t.clock.advance(hours * 3_600_000);
          expect((await c.get('/home')).statusCode).toBe(200);
        }
        expect(reads.mock.calls.length).toBe(readsSoFar);
        // Just past midnight in England (20:00 → 00:30 GMT): a new day, read again.
        t.clock.advance(4.5 * 3_600_000);
        expect((await c.get('/home')).statusCode).toBe(200);
        expect(reads.mock.calls.length).toBe(readsSoFar + 1);
      } finally {
        t.clock.set(FROZEN_NOW);
      }
      expect((await c.post('/apply/discard')).statusCode).toBeLessThan(400);
      // The flash message the discard left is shown once, on a page rendered for it, and never kept.
      const withFlash = await c.get('/home');
      expect(withFlash.body).toContain('You have not applied for an NPQ yet');
      expect(withFlash.body).toContain('Your unsent application has been deleted.');
      expect((await c.get('/home')).body).not.toContain('Your unsent application has been deleted.');
    } finally {
      reads.mockRestore();
    }
  });

  it('is never kept for staff, whose counts change with every decision', async () => {
    const reads = vi.spyOn(t.services.applications, 'list');
    try {
      const admin = new Client(t);
      await admin.signIn('admin@demo.npq.test');
      await admin.get('/home');
      const once = reads.mock.calls.length;
      await admin.get('/home');
      expect(reads.mock.calls.length).toBe(2 * once);
    } finally {
      reads.mockRestore();
    }
  });
});
