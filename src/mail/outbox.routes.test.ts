import { describe, expect, it } from 'vitest';
import { diagnosticFactoriesFor, factoriesFor } from '../testing/factories';
import { Client, deliverEvents, type TestApp, useTestApp } from '../testing/test-app';
import { outboxShowsLinks, REDACTED, redactKeys } from './outbox.routes';

const token = 'q3VZ8yJm0dXo1uT2bR-9_kLpA7sNcE4fWgHiJkLmNoP';

describe('links that act as keys are never on display', () => {
  it('redacts every tokenised link the platform writes, and any other key-like part of a link, but not record ids or names', () => {
    for (const path of ['rate', 'invitations', 'password-reset', 'school-approval']) {
      expect(redactKeys(`Answer here:\nhttp://npq.test/${path}/${token}\n`)).toBe(`Answer here:\nhttp://npq.test/${path}/${REDACTED}\n`);
      // Even a short or odd-looking key after a key path.
      expect(redactKeys(`http://npq.test/${path}/abc`)).toBe(`http://npq.test/${path}/${REDACTED}`);
    }
    expect(redactKeys(`https://x.test/anything/${token}?a=1`)).toBe(`https://x.test/anything/${REDACTED}?a=1`);
    expect(redactKeys('https://x.test/confirm?token=short&page=2')).toBe(`https://x.test/confirm?token=${REDACTED}&page=2`);
    expect(redactKeys(`Your code is ${token}.`)).toBe(`Your code is ${REDACTED}.`);
    const plain = 'Your application: http://npq.test/applications/0b6f3c2e-6f5e-4f7a-9a51-2c1f0e8d9b7a\nRead about it: http://npq.test/qualifications/npq-leading-behaviour-culture\nSign in at http://npq.test/sign-in';
    expect(redactKeys(plain)).toBe(plain);
  });

  it('shows links only in the demo with no mail server, and never in production', () => {
    expect(outboxShowsLinks({ NODE_ENV: 'development', DEMO: true, SMTP_URL: undefined })).toBe(true);
    expect(outboxShowsLinks({ NODE_ENV: 'development', DEMO: true, SMTP_URL: 'smtp://127.0.0.1:1025' })).toBe(false);
    expect(outboxShowsLinks({ NODE_ENV: 'development', DEMO: false, SMTP_URL: undefined })).toBe(false);
    expect(outboxShowsLinks({ NODE_ENV: 'production', DEMO: true, SMTP_URL: undefined })).toBe(false);
  });
});

describe('the outbox page', () => {
  // Two whole applications: with a mail server, and without one.
  const t = useTestApp({ SMTP_URL: 'smtp://127.0.0.1:1' });
  const demo = useTestApp();

  /**
   * Sends every kind of email with a key in it: a rater's link (asked by a participant in an open
   * round), a password reset, an invitation, an account, a school approval (asked when an application is sent).
   */
  async function writeEveryKey(app: TestApp) {
    const { a360Participant, a360Window } = diagnosticFactoriesFor(app);
    const participant = await a360Participant();
    await a360Window({ opensOn: '2026-11-25', closesOn: '2026-12-09' });
    await factoriesFor(app).aSubmittedApplication();
    const pat = await participant.signIn();
    const round = (await pat.get('/diagnostic')).body.match(/href="(\/diagnostic\/[0-9a-f-]{36})"/)![1]!;
    await pat.get(round);
    expect((await pat.post(`${round}/raters`, { name: 'Rhea Rater', email: 'rhea@school.test', group: 'peer' })).statusCode).toBe(303);
    await app.services.people.requestPasswordReset(participant.email);
    await app.services.people.requestApplicantAccount({ name: 'Ann Applicant', email: 'ann@school.test' });
    const admin = new Client(app);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/users/new');
    await admin.post('/admin/users/new', { name: 'Cleo Coach', email: 'cleo@school.test', role: 'coach' });
    await deliverEvents(app);
    return admin;
  }

  it('with a mail server: shows what was sent, every link that acts as a key redacted, so an admin cannot answer for a rater', async () => {
    const admin = await writeEveryKey(t);
    const page = await admin.get('/admin/outbox');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Rhea Rater');
    expect(page.body).toContain(`/rate/${REDACTED}`);
    expect(page.body).toContain(`/password-reset/${REDACTED}`);
    expect(page.body).toContain(`/invitations/${REDACTED}`);
    expect(page.body).toContain(`/school-approval/${REDACTED}`);
    expect(page.body).not.toMatch(/\/(rate|password-reset|invitations|school-approval)\/[A-Za-z0-9_-]{20,}/);
    expect(page.body).not.toContain('Demo: links are shown');
  });

  it('in the demo with no mail server: links are shown, under a warning', async () => {
    const admin = await writeEveryKey(demo);
    const page = await admin.get('/admin/outbox');
    expect(page.body).toContain('Demo: links are shown');
    expect(page.body).toMatch(/\/rate\/[A-Za-z0-9_-]{43}/);
  });
});
