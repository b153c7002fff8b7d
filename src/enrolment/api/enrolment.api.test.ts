import { beforeAll, describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { expectMatchesDocument } from '../../testing/openapi-check';
import { useTestApp } from '../../testing/test-app';
import { giasCsv } from '../gias-csv';

const t = useTestApp();
const f = factoriesFor(t);
let token: string;
beforeAll(async () => {
  token = (await f.anApiToken()).token;
});

const call = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown, contentType = 'application/json') =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, payload: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload) });

const check = async (question: Record<string, unknown>) => {
  const res = await call('POST', '/api/v1/funding-eligibility', { cohort: '2026a', works_in_england: true, ...question });
  return { status: res.statusCode, body: res.json() };
};

describe('funding eligibility API', () => {
  it("answers with DfE's rules on the reference data", async () => {
    const funded = await check({ course_identifier: 'npq-headship', work_setting: 'a_school', school_urn: '140001' });
    expect(funded.body).toMatchObject({ funded: true, status_code: 'funded', subject_to_review: false });
    expect(funded.body.message).toContain('National Professional Qualification for Headship');
    await expectMatchesDocument(t.app, 'post', '/api/v1/funding-eligibility', funded.body);

    const cases: [Record<string, unknown>, string][] = [
      [{ course_identifier: 'npq-headship', work_setting: 'a_school', school_urn: '140004' }, 'ineligible_establishment_type'],
      [{ course_identifier: 'npq-leading-teaching', work_setting: 'an_academy_trust', school_urn: '140002' }, 'funded'],
      [{ course_identifier: 'npq-leading-teaching', work_setting: 'a_school', school_urn: '140001' }, 'ineligible_establishment_not_a_pp50'],
      [{ course_identifier: 'npq-leading-literacy', work_setting: 'a_16_to_19_educational_setting', school_urn: '140003' }, 'funded'],
      [{ course_identifier: 'npq-leading-literacy', work_setting: 'a_school', school_urn: '140007' }, 'funded'],
      [{ course_identifier: 'npq-headship', work_setting: 'a_school', school_urn: '140001', cohort: '2027a' }, 'unfunded_cohort'],
      [{ course_identifier: 'npq-headship', work_setting: 'a_school', school_urn: '140001', works_in_england: false }, 'not_in_england'],
      [{ course_identifier: 'npq-early-years-leadership', work_setting: 'early_years_or_childcare', kind_of_nursery: 'childminder', private_childcare_provider_urn: '600001' }, 'funded'],
      [{ course_identifier: 'npq-early-years-leadership', work_setting: 'early_years_or_childcare', kind_of_nursery: 'childminder', private_childcare_provider_urn: '600002' }, 'not_entitled_childminder'],
      [{ course_identifier: 'npq-leading-teaching-development', work_setting: 'another_setting', employment_type: 'lead_mentor_for_accredited_itt_provider', itt_provider: 'northern lights  teacher training' }, 'funded'],
      [{ course_identifier: 'npq-senco', work_setting: 'another_setting', employment_type: 'hospital_school' }, 'subject_to_review'],
      [{ course_identifier: 'npq-headship', work_setting: 'other', referred_by_return_to_teaching_adviser: true }, 'referred_by_return_to_teaching_adviser'],
      [{ course_identifier: 'npq-early-headship-coaching-offer', work_setting: 'a_school', school_urn: '140001', new_headteacher: true }, 'funded'],
    ];
    for (const [question, expected] of cases) expect((await check(question)).body.status_code, JSON.stringify(question)).toBe(expected);
  });

  it('finds an earlier funded application by teacher reference number', async () => {
    // An NPQSL participant at a funded school, in a cohort DfE funds in full (funded_place null counts as funded).
    const { participant } = await f.anAcceptedApplication({ course: 'npq-senior-leadership' });
    const again = await check({ course_identifier: 'npq-senior-leadership', work_setting: 'a_school', school_urn: '140001', teacher_reference_number: participant.trn });
    expect(again.body.status_code).toBe('previously_funded');
    const other = await check({ course_identifier: 'npq-senco', work_setting: 'a_school', school_urn: '140001', teacher_reference_number: participant.trn });
    expect(other.body.status_code).toBe('funded');
  });

  it('explains each missing or wrong answer with a stable code', async () => {
    const res = await check({ course_identifier: 'npq-headship', work_setting: 'a_school', teacher_reference_number: '12' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'validation_failed', details: { fields: { school_urn: expect.stringContaining('URN'), teacher_reference_number: 'A teacher reference number is 7 digits' } } });
    expect((await check({ course_identifier: 'npq-headship', work_setting: 'a_school', school_urn: '999999' })).body.error.details.fields.school_urn).toContain('We cannot find a school with URN 999999');
    expect((await check({ cohort: '1999z', course_identifier: 'npq-headship', work_setting: 'other' })).body.error.details.fields.cohort).toBe('There is no cohort 1999z');
    expect((await check({ course_identifier: 'npq-nothing', work_setting: 'other' })).body.error.details.fields.course_identifier).toContain('npq-nothing');
    const garbage = await call('POST', '/api/v1/funding-eligibility', '{not json');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().error.code).toBeDefined();
  });
});

describe('cohorts API', () => {
  it('lists and creates cohorts; a retried create makes nothing twice', async () => {
    const list = await call('GET', '/api/v1/cohorts');
    expect(list.json().data.map((c: { identifier: string }) => c.identifier)).toEqual(['2025a', '2026a', '2027a']);
    await expectMatchesDocument(t.app, 'get', '/api/v1/cohorts', list.json());
    const created = await call('POST', '/api/v1/cohorts', { start_year: 2028, suffix: 'a', funding: 'capped', funded_place_limits: { 'npq-headship': 10 } });
    expect(created.statusCode).toBe(201);
    expect(created.json().data).toMatchObject({ identifier: '2028a', funding: 'capped', funded_place_limits: { 'npq-headship': 10 } });
    const again = await call('POST', '/api/v1/cohorts', { start_year: 2028, suffix: 'a', funding: 'capped' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('cohort_exists');
    const bad = await call('POST', '/api/v1/cohorts', { start_year: 2028, suffix: 'B2', funding: 'lots' });
    expect(bad.statusCode).toBe(422);
  });
});

describe('reference data API', () => {
  it('imports a GIAS extract and replaces a list from CSV bodies', async () => {
    const schools = await call('POST', '/api/v1/reference/schools', giasCsv([{ urn: 150001, name: 'Api Primary' }, { urn: 150002, name: 'Api Academy', typeCode: 28 }]), 'text/csv');
    expect(schools.statusCode).toBe(200);
    expect(schools.json()).toMatchObject({ status: 'finished', added: 2, rejected: 0 });
    await expectMatchesDocument(t.app, 'post', '/api/v1/reference/schools', schools.json());
    // One invalid row stops the upload: nothing changes, and each refused line is named.
    const refused = await call('PUT', '/api/v1/reference/lists/rise-schools', 'URN\n150001\n140007\nbad\n12\n', 'text/csv');
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toEqual({ error: { code: 'invalid_rows', message: expect.stringContaining('skip_invalid=true'), details: { rejected: 2, rejections: [{ row: 4, reason: '"bad" is not a 6-digit URN' }, { row: 5, reason: '"12" is not a 6-digit URN' }] } }, errors: [{ title: 'base', detail: expect.stringContaining('skip_invalid=true') }] });
    expect(await t.services.reference.onList('rise-schools', '150001')).toBe(false);
    expect(await t.services.reference.onList('rise-schools', '140007')).toBe(true);
    expect((await call('PUT', '/api/v1/reference/lists/rise-schools?skip_invalid=maybe', 'URN\n150001\n', 'text/csv')).statusCode).toBe(422);
    const list = await call('PUT', '/api/v1/reference/lists/rise-schools?skip_invalid=true', 'URN\n150001\n140007\nbad\n', 'text/csv');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ added: 1, removed: 0, rejected: 1, rejections: [{ row: 4, reason: '"bad" is not a 6-digit URN' }] });
    await expectMatchesDocument(t.app, 'put', '/api/v1/reference/lists/{list}', list.json());
    expect(await t.services.reference.onList('rise-schools', '150001')).toBe(true);
    expect((await call('PUT', '/api/v1/reference/lists/not-a-list', 'URN\n1\n', 'text/csv')).statusCode).toBe(404);
    const empty = await call('POST', '/api/v1/reference/schools', '', 'text/csv');
    expect(empty.statusCode).toBe(422);
  });

  it('is for provider-admin tokens and signed-in admins only', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/reference/schools', headers: { 'content-type': 'text/csv' }, payload: 'URN\n' });
    expect(res.statusCode).toBe(401);
  });
});
