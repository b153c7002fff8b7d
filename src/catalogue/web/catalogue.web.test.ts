import { factoriesFor } from '../../testing/factories';
import { describe, expect, it } from 'vitest';
import { fundingSummary } from '../../enrolment/domain/funding-summary';
import { dateInputFields } from '../../platform/date-input';
import { SEED_QUALIFICATIONS } from '../seed-data';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const { anApiToken } = factoriesFor(t);

describe('public catalogue', () => {
  it('lists every NPQ, filtered by kind and by who it is for', async () => {
    const c = new Client(t);
    const all = await c.get('/qualifications');
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('12 qualifications');
    const specialist = (await c.get('/qualifications?kind=specialist')).body;
    expect(specialist).toContain('NPQLT');
    expect(specialist).not.toContain('(NPQH)');
    const heads = (await c.get('/qualifications?for=headteachers')).body;
    expect(heads).toContain('(NPQH)');
    expect(heads).toContain('(EHCO)');
    expect(heads).not.toContain('(NPQLT)');
    // A filter the selects do not offer is said to be so next to its select, and the list is not
    // filtered by it (as the select, showing "All kinds", says): never a failure, never in silence.
    const nonsense = await c.get('/qualifications?kind=%3Cscript%3E&for=aliens');
    expect(nonsense.statusCode).toBe(200);
    expect(nonsense.body).toContain('12 qualifications');
    expect(nonsense.body).toContain('<a href="#kind">Kind of NPQ: “&lt;script>” is not one of the choices, so the results are not filtered by it. Choose one from the list</a>');
    expect(nonsense.body).toContain('<a href="#audience">Who it is for: “aliens” is not one of the choices, so the results are not filtered by it. Choose one from the list</a>');
    expect(nonsense.body).toContain('id="audience-error"');
  });

  it('describes funding on every course page and the comparison from the checker’s own rules, never from prose', async () => {
    const c = new Client(t);
    const asHtml = (text: string) => text.replace(/’/g, '’').replace(/'/g, '&#39;');
    for (const q of SEED_QUALIFICATIONS) {
      const page = (await c.get(`/qualifications/${q.identifier}`)).body;
      const said = [...page.matchAll(/<p class="govuk-body" data-funding-rule[^>]*>([^<]*)<\/p>/g)].map((m) => m[1]);
      expect(said).toEqual(fundingSummary(q.identifier).sentences.map(asHtml));
      expect(page).not.toMatch(/category 5|Full DfE funding/);
    }
    const npqlt = (await c.get('/qualifications/npq-leading-teaching')).body;
    expect(npqlt).toContain('PP50');
    expect(npqlt).toContain('In other schools, academy trusts and 16 to 19 settings DfE does not fund it.');
    const compare = (await c.get('/qualifications/compare?npq=npq-headship&npq=npq-leading-teaching')).body;
    expect(compare).toContain('Only in schools on DfE’s PP50 or RISE lists');
    const { token } = await anApiToken();
    for (const q of SEED_QUALIFICATIONS) {
      const api = await t.app.inject({ method: 'GET', url: `/api/v1/qualifications/${q.identifier}`, headers: { authorization: `Bearer ${token}` } });
      expect(api.json().dfe_funding).toBe(fundingSummary(q.identifier).sentences.join(' '));
    }
  });

  it("shows seed 002's comparison table", async () => {
    const body = (await new Client(t).get('/qualifications/compare')).body;
    for (const text of ['NPQML', 'NPQSL', 'NPQH', 'NPQEL', '6 (including two 2-day residentials)', 'Up to 100', 'School improvement project across a team', '84', '115']) {
      expect(body).toContain(text);
    }
  });

  it('compares 2 to 4 chosen NPQs, and explains when the choice is wrong', async () => {
    const c = new Client(t);
    const ok = await c.get('/qualifications/compare?npq=npq-senco&npq=npq-leading-literacy');
    expect(ok.body).toContain('Your chosen NPQs compared');
    const one = await c.get('/qualifications/compare?npq=npq-senco');
    expect(one.statusCode).toBe(400);
    expect(one.body).toContain('Choose at least 2 NPQs to compare');
    const five = await c.get(`/qualifications/compare?${['npq-senco', 'npq-headship', 'npq-leading-literacy', 'npq-leading-teaching', 'npq-senior-leadership'].map((n) => `npq=${n}`).join('&')}`);
    expect(five.body).toContain('Choose no more than 4 NPQs to compare');
    expect(five.body).toMatch(/value="npq-senco" checked/);
  });

  it('shows the NPQH programme of seed 001 on its course page', async () => {
    const body = (await new Client(t).get('/qualifications/npq-headship')).body;
    for (const text of ['360° leadership diagnostic', 'Event 5: Readiness', 'Managing Resources &amp; Risk', 'Module 4: Transforming schools through school-led partnership and impact', 'Performance coaching', '4,000 words', 'at least 9 working days', 'Birmingham Regional Training Centre', 'Online, live sessions in Europe/London', '11 December 2026', 'Midlands Teaching School Hub']) {
      expect(body).toContain(text);
    }
  });

  it('answers 404 with a helpful page for an unknown NPQ', async () => {
    const res = await new Client(t).get('/qualifications/npq-unknown');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('browse all NPQs');
    expect(res.body).toContain('The qualification could not be found.');
  });

  it('offers a signed-in person their home page on a 404, not the public list', async () => {
    const lead = new Client(t);
    await lead.signIn('lead.north@demo.npq.test');
    const res = await lead.get('/admin/applications/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('The application could not be found.');
    expect(res.body).toContain('<a class="govuk-link" href="/home">your home page</a>');
    expect(res.body).not.toContain('browse all NPQs');
  });
});

describe('an admin editing the catalogue', () => {
  it('changes a qualification, sees it on the public page at once, and the audit log records before and after', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const list = (await admin.get('/admin/catalogue')).body;
    const id = list.match(/href="\/admin\/qualifications\/([0-9a-f-]{36})">NPQSL/)![1]!;
    const form = (await admin.get(`/admin/qualifications/${id}`)).body;
    const field = (name: string) => form.match(new RegExp(`name="${name}"[^>]*value="([^"]*)"`))?.[1] ?? '';
    const payload: Record<string, string | string[]> = {
      identifier: 'npq-senior-leadership',
      shortName: 'NPQSL',
      name: field('name'),
      kind: 'leadership',
      framework: 'reformed',
      summary: 'A brand new summary for senior leaders.',
      whoFor: field('whoFor'),
      audiences: ['senior-leaders'],
      durationMonthsMin: '12',
      durationMonthsMax: '18',
      personalTutor: 'yes',
      coaching: 'no',
      guidedLearningHours: '84',
      deliveryModes: ['face_to_face', 'distance'],
    };
    const saved = await admin.post(`/admin/qualifications/${id}`, payload);
    expect(saved.statusCode).toBe(303);
    const page = (await new Client(t).get('/qualifications/npq-senior-leadership')).body;
    expect(page).toContain('A brand new summary for senior leaders.');
    expect(page).toContain('12–18 months');
    const audit = (await admin.get('/admin/audit?entity=qualification')).body;
    expect(audit).toContain('qualification.updated');
    expect(audit).toContain('A brand new summary for senior leaders.');
  });

  it('shows every mistake next to its field and keeps what was typed', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/qualifications/new');
    const res = await admin.post('/admin/qualifications/new', { identifier: 'Bad Id', shortName: 'NPQX', name: '', durationMonthsMin: '18', durationMonthsMax: 'twelve', summary: 'Kept summary' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('There is a problem');
    expect(res.body).toContain('Use lower-case letters, numbers and hyphens');
    expect(res.body).toContain('Enter the full name');
    expect(res.body).toContain('Select the kind of NPQ');
    expect(res.body).toContain('href="#kind"');
    expect(res.body).toContain('Kept summary');
    expect(res.body).toContain('value="Bad Id"');
  });

  it('refuses a second qualification with the same identifier', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    await admin.get('/admin/qualifications/new');
    const res = await admin.post('/admin/qualifications/new', { identifier: 'npq-headship', shortName: 'X', name: 'Dup', kind: 'leadership', durationMonthsMin: '12', durationMonthsMax: '12' });
    expect(res.statusCode).toBe(422);
    expect(res.body).toContain('Another qualification already uses that identifier');
  });

  it('retires a qualification and offers it again, and adds an intake with checked dates', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const id = (await admin.get('/admin/catalogue')).body.match(/href="\/admin\/qualifications\/([0-9a-f-]{36})">NPQLL/)![1]!;
    await admin.get(`/admin/qualifications/${id}`);
    await admin.post(`/admin/qualifications/${id}/retire`);
    expect((await new Client(t).get('/qualifications/npq-leading-literacy')).statusCode).toBe(404);
    await admin.get(`/admin/qualifications/${id}`);
    await admin.post(`/admin/qualifications/${id}/restore`);
    expect((await new Client(t).get('/qualifications/npq-leading-literacy')).statusCode).toBe(200);

    const form = (await admin.get(`/admin/qualifications/${id}/intakes/new`)).body;
    const partnerId = form.match(/<option value="([0-9a-f-]{36})">North East Leadership Trust/)![1]!;
    const bad = await admin.post(`/admin/qualifications/${id}/intakes/new`, { name: 'Spring 2027', ...dateInputFields('startDate', '2027-03-01'), ...dateInputFields('applicationDeadline', '2027-04-01'), deliveryMode: 'distance', deliveryPartnerId: partnerId, venueId: '', timeZone: '', capacity: '0', cohortIdentifier: '2026a', schedule: 'npq-leadership-spring' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('The application deadline must be the same as or before the start date');
    expect(bad.body).toContain('Select the time zone live sessions are scheduled in');
    expect(bad.body).toContain('Capacity must be 1 or more');
    // A specialist NPQ cannot follow a leadership schedule.
    const wrongSchedule = await admin.post(`/admin/qualifications/${id}/intakes/new`, { name: 'Spring 2027', ...dateInputFields('startDate', '2027-03-01'), ...dateInputFields('applicationDeadline', '2027-02-01'), deliveryMode: 'distance', deliveryPartnerId: partnerId, venueId: '', timeZone: 'Asia/Dubai', capacity: '30', cohortIdentifier: '2026a', schedule: 'npq-leadership-spring' });
    expect(wrongSchedule.body).toContain('A specialist NPQ follows one of: npq-specialist-autumn, npq-specialist-spring');
    // Dates are typed in GOV.UK day, month and year fields, kept as typed when refused.
    const badDates = await admin.post(`/admin/qualifications/${id}/intakes/new`, { name: 'Spring 2027', 'startDate-day': '31', 'startDate-month': '2', 'startDate-year': '2027', 'applicationDeadline-day': '1', 'applicationDeadline-month': '', 'applicationDeadline-year': '2027', deliveryMode: 'distance', deliveryPartnerId: partnerId, timeZone: 'Asia/Dubai', capacity: '30', cohortIdentifier: '2026a', schedule: 'npq-specialist-spring' });
    expect(badDates.statusCode).toBe(422);
    expect(badDates.body).toContain('The start date must be a real date');
    expect(badDates.body).toContain('href="#startDate-day"');
    expect(badDates.body).toContain('The application deadline must include a month');
    expect(badDates.body).toContain('href="#applicationDeadline-month"');
    expect(badDates.body).toContain('id="startDate-day" name="startDate-day" type="text" value="31"');
    expect(badDates.body).not.toContain('type="date"');
    const noCohort = await admin.post(`/admin/qualifications/${id}/intakes/new`, { name: 'Spring 2027', ...dateInputFields('startDate', '2027-03-01'), ...dateInputFields('applicationDeadline', '2027-02-01'), deliveryMode: 'distance', deliveryPartnerId: partnerId, venueId: '', timeZone: 'Asia/Dubai', capacity: '30', cohortIdentifier: '1999z', schedule: 'npq-specialist-spring' });
    expect(noCohort.body).toContain('There is no cohort 1999z');
    const good = await admin.post(`/admin/qualifications/${id}/intakes/new`, { name: 'Spring 2027', ...dateInputFields('startDate', '2027-03-01'), ...dateInputFields('applicationDeadline', '2027-02-01'), deliveryMode: 'distance', deliveryPartnerId: partnerId, venueId: '', timeZone: 'Asia/Dubai', capacity: '30', cohortIdentifier: '2026a', schedule: 'npq-specialist-spring', waitingList: 'no' });
    expect(good.statusCode).toBe(303);
    expect((await new Client(t).get('/qualifications/npq-leading-literacy')).body).toContain('Online, live sessions in Asia/Dubai');
  });
});

describe('delivery partners and venues', () => {
  it('retires a venue so no new intake can use it, and restores it', async () => {
    const admin = new Client(t);
    await admin.signIn('admin@demo.npq.test');
    const list = (await admin.get('/admin/delivery-partners')).body;
    const venueId = list.match(/href="\/admin\/venues\/([0-9a-f-]{36})">Birmingham/)![1]!;
    await admin.get(`/admin/venues/${venueId}`);
    expect((await admin.post(`/admin/venues/${venueId}/retire`)).statusCode).toBe(303);
    expect((await admin.get('/admin/delivery-partners')).body).toContain('(retired)');

    const qid = (await admin.get('/admin/catalogue')).body.match(/href="\/admin\/qualifications\/([0-9a-f-]{36})">NPQH/)![1]!;
    const form = (await admin.get(`/admin/qualifications/${qid}/intakes/new`)).body;
    const midlands = form.match(/<option value="([0-9a-f-]{36})">Midlands Teaching School Hub/)![1]!;
    const refused = await admin.post(`/admin/qualifications/${qid}/intakes/new`, { name: 'May 2027', ...dateInputFields('startDate', '2027-05-10'), ...dateInputFields('applicationDeadline', '2027-04-01'), deliveryMode: 'face_to_face', deliveryPartnerId: midlands, venueId, timeZone: '', capacity: '', cohortIdentifier: '2027a', schedule: 'npq-leadership-autumn' });
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Birmingham Regional Training Centre is retired');
    // A schedule DfE does not have in the cohort is refused next to its field, what was typed kept.
    const wrongSchedule = await admin.post(`/admin/qualifications/${qid}/intakes/new`, { name: 'Spring 2026 late', ...dateInputFields('startDate', '2026-05-10'), ...dateInputFields('applicationDeadline', '2026-04-01'), deliveryMode: 'face_to_face', deliveryPartnerId: midlands, venueId, timeZone: '', capacity: '', cohortIdentifier: '2026a', schedule: 'npq-leadership-autumn' });
    expect(wrongSchedule.statusCode).toBe(422);
    expect(wrongSchedule.body).toContain('DfE has no npq-leadership-autumn schedule in cohort 2026a: choose npq-leadership-spring');
    expect(wrongSchedule.body).toContain('href="#schedule"');
    expect(wrongSchedule.body).toContain('value="Spring 2026 late"');

    await admin.get(`/admin/venues/${venueId}`);
    await admin.post(`/admin/venues/${venueId}/restore`);
    const accepted = await admin.post(`/admin/qualifications/${qid}/intakes/new`, { name: 'May 2027', ...dateInputFields('startDate', '2027-05-10'), ...dateInputFields('applicationDeadline', '2027-04-01'), deliveryMode: 'face_to_face', deliveryPartnerId: midlands, venueId, timeZone: '', capacity: '', cohortIdentifier: '2027a', schedule: 'npq-leadership-autumn' });
    expect(accepted.statusCode).toBe(303);
  });
});
