import { existsSync } from 'node:fs';
import { extractText } from 'unpdf';
import { beforeAll, describe, expect, it } from 'vitest';
import { system } from '../../platform/auth/actor';
import { dateInputFields } from '../../platform/date-input';
import { diagnosticFactoriesFor, type Participant } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { linkIn, useMailHarness } from '../../testing/smtp';
import { Client, useTestApp } from '../../testing/test-app';
import { SEED_INSTRUMENT, statementsOf } from '../domain/instrument';
import { instrumentFromLines, instrumentToLines } from './diagnostic-admin.routes';

const t = useTestApp();
const mail = useMailHarness(t);
const { a360Participant } = diagnosticFactoriesFor(t);
/** The participant whose rounds these pages show, on NPQ Leading Behaviour and Culture in cohort 2026a (the Midlands partner's). */
let participant: Participant;
beforeAll(async () => {
  participant = await a360Participant({ name: 'Pat Participant' });
});

const allRated = (value: string) => Object.fromEntries(statementsOf(SEED_INSTRUMENT).map((s) => [`r:${s.id}`, value]));
const rateLink = async (email: string) => linkIn((await mail.to(email)).at(-1)!.text, '/rate');

describe('the 360° pages', () => {
  it('an admin sets the dates; the participant rates themself and asks colleagues; raters answer by link; the report shows only what the anonymity rule allows', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    expect((await admin.get('/admin/diagnostic')).body).toContain('Changes to the threshold and named groups apply to rounds not yet open');
    const bad = await admin.post('/admin/diagnostic/windows', { cohort: '2026a', kind: 'start', 'opensOn-day': 'soon', 'opensOn-month': '11', 'opensOn-year': '2026', ...dateInputFields('closesOn', '2026-12-09') });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The date it opens must be a real date');
    expect(bad.body).toContain('href="#opensOn-day"');
    expect(bad.body).toContain('value="soon"');
    const missingMonth = await admin.post('/admin/diagnostic/windows', { cohort: '2026a', kind: 'start', ...dateInputFields('opensOn', '2026-11-25'), 'closesOn-day': '9', 'closesOn-month': '', 'closesOn-year': '2026' });
    expect(missingMonth.body).toContain('The date it closes must include a month');
    expect(missingMonth.body).toContain('href="#closesOn-month"');
    const backwards = await admin.post('/admin/diagnostic/windows', { cohort: '2026a', kind: 'start', ...dateInputFields('opensOn', '2026-11-25'), ...dateInputFields('closesOn', '2026-11-24') });
    expect(backwards.body).toContain('The date it closes must be the same as or after the date it opens');
    expect((await admin.post('/admin/diagnostic/windows', { cohort: '2026a', kind: 'start', ...dateInputFields('opensOn', '2026-11-25'), ...dateInputFields('closesOn', '2026-12-09') })).statusCode).toBe(303);

    const pat = await participant.signIn();
    const list = await pat.get('/diagnostic');
    const roundPath = list.body.match(/href="(\/diagnostic\/[0-9a-f-]{36})"/)![1]!;
    await pat.get(`${roundPath}/self`);
    const partial = await pat.post(`${roundPath}/self`, { action: 'submit', 'r:commitment-1': '4' });
    expect(partial.statusCode).toBe(422);
    // The participant's own form speaks to them, not about "this person".
    expect(partial.body).toContain('You follow through on what you say you will do');
    // The summary names each statement by its place, in the page's order; the comment box, last on the page, last.
    const summaryOf = (html: string) => [...html.split('govuk-error-summary__list')[1]!.split('</ul>')[0]!.matchAll(/<a href="#([^"]+)">([^<]*)</g)].map(([, href, text]) => [href, text]);
    const long = await pat.post(`${roundPath}/self`, { action: 'submit', 'r:commitment-1': '4', 'c:develop': 'x'.repeat(2001) });
    const listed = summaryOf(long.body);
    expect(listed[0]).toEqual(['r:commitment-2', 'Rate statement 2 under “Commitment”, or choose “Not able to say”']);
    expect(listed.at(-1)).toEqual(['c:develop', 'Your answer to “What one thing could you do to be a more effective leader?” must be 2,000 characters or fewer']);
    expect(listed).toHaveLength(21);
    expect(partial.body).toContain('What do you do that you would like to keep doing?');
    expect(partial.body).not.toContain('this person');
    expect(partial.body).toMatch(/value="4" checked/);
    expect((await pat.post(`${roundPath}/self`, { action: 'submit', ...allRated('5') })).statusCode).toBe(303);

    for (const [name, group] of [['Pia', 'peer'], ['Pete', 'peer'], ['Poppy', 'peer'], ['Gus', 'governor']]) {
      await pat.get(roundPath);
      expect((await pat.post(`${roundPath}/raters`, { name: name!, email: `${name!.toLowerCase()}@school.test`, group: group! })).statusCode).toBe(303);
    }
    await pat.get(roundPath);
    const wrong = await pat.post(`${roundPath}/raters`, { name: 'Nobody', email: 'nobody@', group: '' });
    expect(wrong.statusCode).toBe(422);
    // Listed as the fields stand on the page: name, email, then how they work with you.
    expect(summaryOf(wrong.body).map(([href]) => href)).toEqual(['email', 'group']);
    const empty = await pat.post(`${roundPath}/raters`, { name: '', email: '', group: '' });
    expect(summaryOf(empty.body).map(([href]) => href)).toEqual(['name', 'email', 'group']);
    expect(wrong.body).toContain('value="Nobody"');

    // A rater, without an account: the privacy note, save and come back, send once.
    const rater = new Client(t);
    const pia = await rateLink('pia@school.test');
    const page = await rater.get(pia);
    expect(page.body).toContain('How your answers are used (privacy)');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    await rater.post(pia, { action: 'save', 'r:commitment-1': '3' });
    expect((await rater.get(pia)).body).toMatch(/value="3" checked/);
    expect((await rater.post(pia, { action: 'submit', ...allRated('3'), 'c:strengths': 'Calm when it matters' })).statusCode).toBe(303);
    expect((await rater.get(pia)).body).toContain('Your answers are sent');
    for (const email of ['pete@school.test', 'poppy@school.test']) {
      const c = new Client(t);
      const link = await rateLink(email);
      await c.get(link);
      await c.post(link, { action: 'submit', ...allRated('4'), ...(email.startsWith('pete') ? { 'c:strengths': 'Keeps us on track' } : {}) });
    }
    const gus = new Client(t);
    const gusLink = await rateLink('gus@school.test');
    await gus.get(gusLink);
    await gus.post(gusLink, { action: 'submit', ...allRated('1'), 'c:strengths': 'Gus was here' });

    // While open: a total once at least the threshold, never per group or who; no report.
    const open = await pat.get(roundPath);
    expect(open.body).not.toMatch(/Pia[^<]*(answered|sent)/i);
    expect(open.body).toContain('4 colleagues have answered so far');
    expect(open.body).not.toContain('>Answered<');
    await pat.post(`${roundPath}/remind`);
    const reminded = await pat.get(roundPath);
    expect(reminded.body).toContain('We have reminded colleagues who have not answered yet');
    await pat.post(`${roundPath}/remind`);
    // However many were due (here none), the words are the same: they never say who declined.
    expect((await pat.get(roundPath)).body).toContain('We have reminded colleagues who have not answered yet');
    expect((await pat.get(`${roundPath}/report`)).statusCode).toBe(409);

    // Closed: the governor's single answer is folded in with the peers, never shown alone; comments sorted.
    await admin.get('/admin/diagnostic/cohorts/2026a');
    const roundId = roundPath.split('/').at(-1)!;
    const notLater = await admin.post(`/admin/diagnostic/rounds/${roundId}/extend`, { cohort: '2026a', ...dateInputFields('closesOn', '2026-12-01') });
    expect(notLater.statusCode).toBe(422);
    expect(notLater.body).toContain(`id="closes-${roundId}-day" name="closesOn-day" type="text" value="1"`);
    expect(notLater.body).toContain(`href="#closes-${roundId}-day"`);
    expect(notLater.body).toContain('The new closing date must be after 9 December 2026');
    const noYear = await admin.post(`/admin/diagnostic/rounds/${roundId}/extend`, { cohort: '2026a', 'closesOn-day': '20', 'closesOn-month': '12', 'closesOn-year': '' });
    expect(noYear.body).toContain('The new closing date must include a year');
    expect(noYear.body).toContain(`href="#closes-${roundId}-year"`);
    // Closing early asks first, on a page of its own (no JavaScript needed); Cancel goes back.
    const unconfirmed = await admin.post(`/admin/diagnostic/rounds/${roundId}/close`, { cohort: '2026a' });
    expect(unconfirmed.headers.location).toBe(`/admin/diagnostic/rounds/${roundId}/close`);
    expect((await pat.get(`${roundPath}/report`)).statusCode).toBe(409);
    const confirm = await admin.get(`/admin/diagnostic/rounds/${roundId}/close`);
    expect(confirm.body).toContain('Close Pat Participant’s start round now?');
    expect(confirm.body).toContain('You cannot undo this');
    expect(confirm.body).toContain('href="/admin/diagnostic/cohorts/2026a">');
    expect((await admin.post(`/admin/diagnostic/rounds/${roundId}/close`, { cohort: '2026a', confirm: 'yes' })).statusCode).toBe(303);
    expect((await rater.get(pia)).statusCode).toBe(410);
    const report = await pat.get(`${roundPath}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('<svg class="app-chart app-chart--radar"');
    // Whose report it is, which NPQ and round, and when it was produced: on the page and in the PDF.
    expect(report.body).toMatch(/Participant<\/dt>\s*<dd[^>]*>\s*Pat Participant/);
    expect(report.body).toMatch(/Produced on<\/dt>\s*<dd[^>]*>\s*25 November 2026/);
    // Every table scrolls inside a labelled, focusable region on a phone, not the whole page.
    expect(report.body.match(/<table/g)!.length).toBe(report.body.match(/<div class="app-table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*<table/g)!.length);
    expect(report.body).toContain('Other colleagues (4)');
    expect(report.body).not.toContain('Governors');
    expect(report.body.indexOf('Calm when it matters')).toBeLessThan(report.body.indexOf('Gus was here'));

    const csv = await pat.get(`${roundPath}/report.csv`);
    // Exports begin with a byte-order mark so that Excel reads them as UTF-8.
    expect(csv.body.split('\r\n')[0]).toBe('\uFEFFbehaviour,you,colleagues,Other colleagues (4)');
    expect(csv.body).not.toMatch(/Gus|Governor/);
    // One participant's scores are not a cohort's: the count, but no figures, below the minimum.
    const cohortCsv = await admin.get('/admin/diagnostic/cohorts/2026a/export.csv');
    expect(cohortCsv.body.split('\r\n')[1]).toBe('Commitment,1,,,,0,,,');

    // Other people see none of it.
    const other = new Client(t);
    await other.signIn('coach@demo.npq.test');
    expect((await other.get(`${roundPath}/report`)).statusCode).toBe(404);
    expect((await other.get(roundPath)).statusCode).toBe(404);
    expect((await other.get('/admin/diagnostic')).statusCode).toBe(403);

    const cohortPage = await admin.get('/admin/diagnostic/cohorts/2026a');
    expect(cohortPage.body).toContain('Colleagues asked: 4; answered: 4 (100%)');
    expect(cohortPage.body).toContain('Not shown: fewer than 3');
    expect(cohortPage.body).not.toMatch(/\d\.\d \(\d\.\d to \d\.\d\)/);

    // Facilitators see their own partner's participants in the cohort view, read only; another
    // partner's staff see none of them.
    const facilitator = new Client(t);
    await facilitator.signIn('facilitator@demo.npq.test');
    const ownPartner = await facilitator.get('/admin/diagnostic/cohorts/2026a');
    expect(ownPartner.statusCode).toBe(200);
    expect(ownPartner.body).toContain('Pat Participant');
    expect(ownPartner.body).not.toContain('Close now');
    expect((await facilitator.get('/admin/diagnostic/cohorts')).body).toContain('Cohort 2026a');
    expect((await facilitator.post(`/admin/diagnostic/rounds/${roundId}/extend`, { cohort: '2026a', ...dateInputFields('closesOn', '2027-01-01') })).statusCode).toBe(403);
    expect((await facilitator.get('/admin/diagnostic')).statusCode).toBe(403);
    const north = new Client(t);
    await north.signIn('lead.north@demo.npq.test');
    const otherPartner = await north.get('/admin/diagnostic/cohorts/2026a');
    expect(otherPartner.statusCode).toBe(200);
    expect(otherPartner.body).not.toContain('Pat Participant');
    expect(otherPartner.body).toContain('Colleagues asked: 0');

    // After closing nobody else can be asked, so no one reads the report before and after one more answer.
    await pat.get(roundPath);
    const late = await pat.post(`${roundPath}/raters`, { name: 'Late', email: 'late@school.test', group: 'peer' });
    expect(late.statusCode).toBe(422);
    expect(late.body).toContain('This round has closed: no one else can be asked');

    // The JSON API: the same rule, for the provider.
    const token = (await t.services.apiTokens.create(system('test'), 'tests')).token;
    const api = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    const reportJson = await api(`/api/v1/diagnostic/rounds/${roundId}/report`);
    expect(reportJson.statusCode).toBe(200);
    await expectMatchesDocument(t.app, 'get', '/api/v1/diagnostic/rounds/{id}/report', reportJson.json());
    expect(reportJson.json().groups).toEqual([{ label: 'Other colleagues', named: false, count: 4 }]);
    expect(reportJson.body).not.toMatch(/"answers"|"ratings"|@school|Pia|Pete|Poppy/);
    const cohortJson = await api('/api/v1/diagnostic/cohorts/2026a');
    await expectMatchesDocument(t.app, 'get', '/api/v1/diagnostic/cohorts/{cohort}', cohortJson.json());
    expect(cohortJson.json()).toMatchObject({ colleagues_asked: 4, colleagues_answered: 4 });
    expect(cohortJson.json().behaviours[0].start).toEqual({ participants: 1, mean: null, min: null, max: null });
    const coachToken = (await t.services.apiTokens.create(system('test'), 'coach', 'coach')).token;
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/diagnostic/rounds/${roundId}/report`, headers: { authorization: `Bearer ${coachToken}` } })).statusCode).toBe(403);

    if (existsSync('/usr/bin/chromium')) {
      const pdf = await pat.get(`${roundPath}/report.pdf`);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      // The PDF says whose report it is, which NPQ and round, and when it was produced.
      const { text } = await extractText(new Uint8Array(pdf.rawPayload), { mergePages: true });
      for (const part of ['Pat Participant', 'Leading Behaviour and Culture', 'Start of the programme', 'Produced on 25 November 2026']) expect(text.replace(/\s+/g, ' ')).toContain(part);
    }
  }, 60_000);

  it('the end round shows how far the participant has grown against the start, from groups only', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/diagnostic');
    await admin.post('/admin/diagnostic/windows', { cohort: '2026a', kind: 'end', ...dateInputFields('opensOn', '2026-11-25'), ...dateInputFields('closesOn', '2026-12-20') });
    const pat = await participant.signIn();
    const list = await pat.get('/diagnostic');
    const endPath = [...list.body.matchAll(/href="(\/diagnostic\/[0-9a-f-]{36})">End of the programme/g)][0]![1]!;
    await pat.get(`${endPath}/self`);
    await pat.post(`${endPath}/self`, { action: 'submit', ...allRated('4') });
    for (const name of ['Ena', 'Eli', 'Eve']) {
      await pat.get(endPath);
      await pat.post(`${endPath}/raters`, { name, email: `${name.toLowerCase()}.end@school.test`, group: 'team_member' });
      const c = new Client(t);
      const link = await rateLink(`${name.toLowerCase()}.end@school.test`);
      await c.get(link);
      await c.post(link, { action: 'submit', ...allRated('5') });
    }
    await admin.get('/admin/diagnostic/cohorts/2026a');
    await admin.post(`/admin/diagnostic/rounds/${endPath.split('/').at(-1)}/close`, { cohort: '2026a', confirm: 'yes' });
    const report = await pat.get(`${endPath}/report`);
    expect(report.statusCode).toBe(200);
    expect(report.body).toContain('How far you have grown');
    expect(report.body).toContain('Team members (3)');
    // Start (Pia 3, Pete 4, Poppy 4 and Gus 1 together: 3.0 on Commitment) against end (three team members at 5).
    const grown = report.body.slice(report.body.indexOf('How far you have grown'));
    expect(grown).toMatch(/Commitment<\/td><td[^>]*>3\.0<\/td><td[^>]*>5\.0<\/td><td[^>]*>\+2\.0<\/td><td[^>]*>-1\.0<\/td>/);
  });

  it('edits the instrument as lines, saved as a new version', async () => {
    const lines = instrumentToLines(SEED_INSTRUMENT);
    expect(instrumentFromLines(lines, SEED_INSTRUMENT).instrument).toEqual(SEED_INSTRUMENT);
    expect(instrumentFromLines('- a statement with no behaviour', SEED_INSTRUMENT).error).toContain('start with a behaviour');
    expect(instrumentFromLines('# A | b\n- c\n= 1 | Low\n= 2 | High', SEED_INSTRUMENT).error).toBe('A scale needs at least 3 points');
    const edited = instrumentFromLines('# A | b\n- c\n= 1 | Never\n= 2 | Sometimes\n= 3 | Always\n~ Cannot say\n? What should they keep doing?', SEED_INSTRUMENT).instrument!;
    expect(edited.scale).toEqual({ points: [{ value: 1, label: 'Never' }, { value: 2, label: 'Sometimes' }, { value: 3, label: 'Always' }], notAbleToSay: 'Cannot say' });
    expect(edited.openQuestions).toEqual([{ id: 'q1', prompt: 'What should they keep doing?' }]);
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/diagnostic/instrument');
    const bad = await admin.post('/admin/diagnostic/instrument', { instrument: '# Empty | none' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('“Empty” has no statements');
    expect((await admin.post('/admin/diagnostic/instrument', { instrument: `${lines}\n\n# Vision | Sets a direction\n- Explains where the school is going` })).statusCode).toBe(303);
    expect((await t.services.diagnostic.instrument()).content.behaviours.at(-1)!.name).toBe('Vision');
    // Rounds already begun keep the version they began with: their raters' questions do not change.
    const pat = await participant.signIn();
    const roundPath = (await pat.get('/diagnostic')).body.match(/href="(\/diagnostic\/[0-9a-f-]{36})"/)![1]!;
    const report = await pat.get(`${roundPath}/report`);
    expect(report.body).toContain('The seven behaviours');
    expect(report.body).not.toContain('Vision');
    expect((await t.services.diagnostic.instrument()).version).toBe(2);
  });
});
