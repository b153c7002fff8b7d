import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { applications } from '../enrolment.schema';
import { system } from '../../platform/auth/actor';
import { expectMatchesDfeSchema } from '../../testing/dfe-contract';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { tokenIn, useMailHarness } from '../../testing/smtp';
import { useTestApp } from '../../testing/test-app';

const t = useTestApp();
const mail = useMailHarness(t);
let token: string;
beforeAll(async () => {
  token = (await t.services.apiTokens.create(system('test'), 'tests')).token;
});

const call = (method: 'GET' | 'POST', url: string, payload?: unknown, auth = `Bearer ${token}`) =>
  t.app.inject({ method, url, headers: { authorization: auth, 'content-type': 'application/json' }, payload: payload === undefined ? undefined : JSON.stringify(payload) });

async function intakeId(course: string, name = 'January 2027') {
  return (await t.services.catalogue.list()).find((c) => c.identifier === course)!.intakes.find((i) => i.name === name)!.id;
}

const body = async (overrides: Record<string, unknown> = {}) => ({
  full_name: 'Ravi Patel',
  email: 'Ravi.Patel@school.test',
  teacher_reference_number: '3456789',
  course_identifier: 'npq-senior-leadership',
  intake_id: await intakeId('npq-senior-leadership'),
  works_in_england: true,
  work_setting: 'a_school',
  school_urn: '140001',
  employment_role: 'Assistant headteacher',
  line_manager_name: 'Jo Head',
  line_manager_email: 'jo.head@school.test',
  ...overrides,
});

describe('applications API', () => {
  it("creates once however often it is retried, in DfE's npq_application shape", async () => {
    const first = await call('POST', '/api/v1/applications', await body());
    expect(first.statusCode).toBe(201);
    const created = first.json();
    expectMatchesDfeSchema('ApplicationResponse', created);
    await expectMatchesDocument(t.app, 'post', '/api/v1/applications', created);
    expect(created.data.attributes).toMatchObject({ status: 'pending', course_identifier: 'npq-senior-leadership', cohort: '2026', cohort_suffix: 'a', eligible_for_funding: true, school_urn: '140001', school_ukprn: '10040001', school_approval: 'pending', funded_place: null, schedule_identifier: 'npq-leadership-spring' });

    const retries = await Promise.all([call('POST', '/api/v1/applications', await body()), call('POST', '/api/v1/applications', await body({ email: 'ravi.patel@school.test' }))]);
    for (const r of retries) {
      expect(r.statusCode).toBe(200);
      expect(r.json().data.id).toBe(created.data.id);
    }
    expect(await t.database.db.select().from(applications).where(eq(applications.teacherReferenceNumber, '3456789'))).toHaveLength(1);
    expect(await mail.to('jo.head@school.test')).toHaveLength(1);
  });

  it('explains bad input field by field, and refuses without a token', async () => {
    const bad = await call('POST', '/api/v1/applications', await body({ teacher_reference_number: '12', intake_id: 'nope', work_setting: 'castle' }));
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe('validation_failed');
    expect(Object.keys(bad.json().error.details.fields)).toEqual(expect.arrayContaining(['teacher_reference_number', 'intake_id', 'work_setting']));
    expect((await call('GET', '/api/v1/applications', undefined, 'Bearer wrong')).statusCode).toBe(401);
    expect((await call('GET', '/api/v1/applications/not-a-uuid')).statusCode).toBe(404);
  });

  it('lists with filters and pages, each item in DfE’s shape', async () => {
    for (const [i, course] of ['npq-senco', 'npq-headship', 'npq-leading-teaching'].entries()) {
      const res = await call('POST', '/api/v1/applications', await body({ email: `list${i}@school.test`, teacher_reference_number: `400000${i}`, course_identifier: course, intake_id: await intakeId(course), funding_choice: 'school' }));
      expect(res.statusCode).toBe(201);
    }
    const page1 = await call('GET', '/api/v1/applications?page[per_page]=2&page[page]=1&filter[cohort]=2026');
    expect(page1.statusCode).toBe(200);
    const json = page1.json();
    expectMatchesDfeSchema('ApplicationsResponse', { data: json.data });
    await expectMatchesDocument(t.app, 'get', '/api/v1/applications', json);
    expect(json.data).toHaveLength(2);
    expect(json.meta).toMatchObject({ page: 1, per_page: 2, total: 4, total_pages: 2 });
    const page2 = (await call('GET', '/api/v1/applications?page[per_page]=2&page[page]=2&filter[cohort]=2026a')).json();
    expect(page2.data.map((a: { id: string }) => a.id)).not.toContain(json.data[0].id);
    expect((await call('GET', '/api/v1/applications?filter[cohort]=2027')).json().data).toEqual([]);
    const future = new Date(t.clock.now().getTime() + 60_000).toISOString();
    expect((await call('GET', `/api/v1/applications?filter[updated_since]=${future}`)).json().data).toEqual([]);
    expect((await call('GET', '/api/v1/applications?filter[updated_since]=yesterday')).statusCode).toBe(422);
    const one = json.data[0];
    const single = await call('GET', `/api/v1/applications/${one.id}`);
    expectMatchesDfeSchema('ApplicationResponse', single.json());
    const byParticipant = (await call('GET', `/api/v1/applications?filter[participant_id]=${one.attributes.participant_id}`)).json();
    expect(byParticipant.data.map((a: { id: string }) => a.id)).toEqual([one.id]);
  });

  it('streams pages of more than 500 as the same document a short page is, in DfE’s shape', async () => {
    const whole = await call('GET', '/api/v1/applications?page[per_page]=500&sort=-created_at');
    const streamed = await call('GET', '/api/v1/applications?page[per_page]=3000&sort=-created_at');
    expect(streamed.statusCode, streamed.body).toBe(200);
    expect(streamed.headers['content-type']).toBe('application/json; charset=utf-8');
    // Written as read, so no length is known before the last row: sent in chunks.
    expect(streamed.headers['content-length']).toBeUndefined();
    const json = streamed.json();
    expect(json.data.length).toBeGreaterThan(1);
    expect(json.data).toEqual(whole.json().data);
    expect(json.meta).toEqual({ ...whole.json().meta, per_page: 3000 });
    expectMatchesDfeSchema('ApplicationsResponse', { data: json.data });
    await expectMatchesDocument(t.app, 'get', '/api/v1/applications', json);
    // Filters and paging hold as on short pages: a page past the last is empty, with the count.
    const past = (await call('GET', '/api/v1/applications?page[per_page]=3000&page[page]=2')).json();
    expect(past).toEqual({ data: [], meta: { ...json.meta, page: 2 } });
    expect((await call('GET', '/api/v1/applications?page[per_page]=3000&filter[cohort]=2027')).json().data).toEqual([]);
  });

  it('accepts and rejects with DfE’s request bodies, idempotently, with stable refusal codes', async () => {
    // Mail earlier tests queued is delivered first: handlers run in no set order within one instant, so
    // the line manager's latest email below is this application's only once theirs have gone.
    await mail.flush();
    const created = (await call('POST', '/api/v1/applications', await body({ email: 'accept.me@school.test', teacher_reference_number: '5550001', course_identifier: 'npq-senco', intake_id: await intakeId('npq-senco') }))).json();
    const other = (await call('POST', '/api/v1/applications', await body({ email: 'accept.me@school.test', teacher_reference_number: '5550001', course_identifier: 'npq-leading-literacy', intake_id: await intakeId('npq-leading-literacy'), school_approved: true, funding_choice: 'self' }))).json();
    const accept = { data: { type: 'npq-application-accept', attributes: { funded_place: true } } };
    expectMatchesDfeSchema('ApplicationAcceptRequest', accept);
    const refused = await call('POST', `/api/v1/applications/${created.data.id}/accept`, accept);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('awaiting_school_approval');

    // The school approves from its email.
    const link = tokenIn((await mail.to('jo.head@school.test')).at(-1)!.text, '/school-approval');
    await t.services.applications.decideApproval(link, { decision: 'approve', approverName: 'Jo Head' });

    const [a, b] = await Promise.all([call('POST', `/api/v1/applications/${created.data.id}/accept`, accept), call('POST', `/api/v1/applications/${created.data.id}/accept`, accept)]);
    expect(a.statusCode, a.body).toBe(200);
    expect(b.statusCode).toBe(200);
    expectMatchesDfeSchema('ApplicationResponse', a.json());
    expect(a.json().data.attributes).toMatchObject({ status: 'accepted', training_status: 'active', funded_place: null });
    const rejectedOther = (await call('GET', `/api/v1/applications/${other.data.id}`)).json();
    expect(rejectedOther.data.attributes).toMatchObject({ status: 'rejected', reason_for_rejection: 'other_application_in_this_cohort_accepted' });

    const third = (await call('POST', '/api/v1/applications', await body({ email: 'reject.me@school.test', teacher_reference_number: '5550002' }))).json();
    const rejected = await call('POST', `/api/v1/applications/${third.data.id}/reject`, {});
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json().data.attributes).toMatchObject({ status: 'rejected', reason_for_rejection: 'rejected_by_provider' });
    expect((await call('POST', `/api/v1/applications/${third.data.id}/reject`, {})).statusCode).toBe(200);
    expect((await call('POST', `/api/v1/applications/${third.data.id}/accept`, accept)).json().error.code).toBe('application_rejected');
    expect((await call('POST', `/api/v1/applications/${created.data.id}/reject`, {})).json().error.code).toBe('application_already_accepted');
  });

  it('refuses a filter it cannot apply instead of widening it to every application', async () => {
    for (const query of ['filter[participant_id]=not-a-uuid', 'filter[participant_id]=,', 'filter[participant_id]=', 'filter[cohort]=,', `filter[participant_id]=${'0'.repeat(8)}-0000-0000-0000-000000000000,x`]) {
      const res = await call('GET', `/api/v1/applications?${query}`);
      expect(res.statusCode, query).toBe(422);
      expect(res.json().error.code).toBe('validation_failed');
    }
    // Any well-formed UUID is a filter (DfE's ids need not be version 4): one that matches nobody lists nothing.
    const none = await call('GET', '/api/v1/applications?filter[participant_id]=11111111-1111-1111-1111-111111111111');
    expect(none.statusCode).toBe(200);
    expect(none.json().meta.total).toBe(0);
  });

  it('names the field a refusal of an acceptance is about, as DfE titles its errors', async () => {
    const course = 'npq-leading-behaviour-culture';
    const created = await call('POST', '/api/v1/applications', await body({ email: 'unfunded@school.test', teacher_reference_number: '5550003', course_identifier: course, intake_id: await intakeId(course, 'September 2027'), school_approved: true, funding_choice: 'school' }));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().data.attributes.cohort).toBe('2027');
    const refused = await call('POST', `/api/v1/applications/${created.json().data.id}/accept`, { data: { type: 'npq-application-accept', attributes: { funded_place: true } } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toEqual({ code: 'funded_place_unfunded_cohort', message: expect.any(String), details: { fields: { funded_place: refused.json().error.message } } });
  });

  it('pages in DfE’s order while applications arrive: each exactly once, the new one last', async () => {
    const course = 'npq-leading-primary-mathematics';
    const arrive = async (n: number) => {
      t.clock.advance(60_000);
      const res = await call('POST', '/api/v1/applications', await body({ email: `arrive${n}@school.test`, teacher_reference_number: `600000${n}`, course_identifier: course, intake_id: await intakeId(course), funding_choice: 'school' }));
      expect(res.statusCode).toBe(201);
      return res.json().data.id as string;
    };
    const ids = async (query: string) => {
      const res = await call('GET', `/api/v1/applications?filter[course_identifier]=${course}&${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json().data.map((a: { id: string }) => a.id);
    };
    const a = await arrive(1);
    const b = await arrive(2);
    const c = await arrive(3);

    // A client pages through; one application arrives between its pages.
    expect(await ids('page[per_page]=2&page[page]=1')).toEqual([a, b]);
    const d = await arrive(4);
    expect(await ids('page[per_page]=2&page[page]=2')).toEqual([c, d]);
    expect(await ids('page[per_page]=2&page[page]=3')).toEqual([]);

    // DfE's sort: newest first on request, a list of keys, and + (or the space an unencoded + becomes) for ascending.
    expect(await ids('sort=-created_at')).toEqual([d, c, b, a]);
    expect(await ids('sort=%2Bcreated_at')).toEqual([a, b, c, d]);
    expect(await ids('sort=+created_at')).toEqual([a, b, c, d]);
    expect(await ids('sort=updated_at,-created_at&page[per_page]=3')).toEqual([a, b, c]);

    // filter[updated_since] with sort: only what changed at or after the time, in the order asked for.
    t.clock.advance(60_000);
    const since = t.clock.now().toISOString();
    expect((await call('POST', `/api/v1/applications/${c}/reject`, {})).statusCode).toBe(200);
    t.clock.advance(60_000);
    expect((await call('POST', `/api/v1/applications/${a}/reject`, {})).statusCode).toBe(200);
    expect(await ids(`filter[updated_since]=${since}`)).toEqual([a, c]);
    expect(await ids(`filter[updated_since]=${since}&sort=updated_at`)).toEqual([c, a]);
    expect(await ids(`filter[updated_since]=${since}&sort=-updated_at`)).toEqual([a, c]);

    // DfE's largest page, and larger sizes capped to it as DfE caps them.
    const big = (await call('GET', `/api/v1/applications?filter[course_identifier]=${course}&page[per_page]=5000`)).json();
    expect(big.meta).toMatchObject({ per_page: 3000, total: 4, total_pages: 1 });
  });

  it('refuses a sort it cannot apply, where DfE would silently drop the order', async () => {
    for (const sort of ['name', '-', 'created_at,', 'created_at,created_at', 'full_name,-created_at']) {
      const res = await call('GET', `/api/v1/applications?sort=${sort}`);
      expect(res.statusCode, sort).toBe(422);
      expect(res.json().error, sort).toEqual({ code: 'invalid_sort', message: expect.stringMatching(/^Sort by /), details: { fields: { sort: expect.stringMatching(/^Sort by /) } } });
    }
  });

  it('refuses a token without the permission', async () => {
    const weak = (await t.services.apiTokens.create(system('test'), 'coach token', 'coach')).token;
    expect((await call('GET', '/api/v1/applications', undefined, `Bearer ${weak}`)).statusCode).toBe(403);
  });
});
