import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, createTestApp, type TestApp } from '../../testing/test-app';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

/** Posts an answer and follows the redirect to the next question. */
async function answer(c: Client, step: string, form: Record<string, string>) {
  const res = await c.post(`/funding/${step}`, form);
  expect(res.statusCode, `${step}: ${res.body.match(/<a href="#[^"]+">([^<]+)/)?.[1] ?? ''}`).toBe(303);
  const next = res.headers.location as string;
  await c.get(next);
  return next;
}

describe('the public funding checker', () => {
  it('walks a school teacher to a funded result, one question a page', async () => {
    const c = new Client(t);
    expect((await c.get('/funding')).body).toContain('Check if DfE will fund your NPQ');
    await c.get('/funding/start-date');
    expect(await answer(c, 'start-date', { cohort: '2026a' })).toBe('/funding/course');
    expect(await answer(c, 'course', { course: 'npq-senco' })).toBe('/funding/england');
    expect(await answer(c, 'england', { worksInEngland: 'yes' })).toBe('/funding/setting');
    expect(await answer(c, 'setting', { workSetting: 'a_school' })).toBe('/funding/school');
    const search = await c.get('/funding/school?q=oakfield');
    expect(search.body).toContain('Oakfield Primary School');
    expect(await answer(c, 'school', { schoolUrn: '140001' })).toBe('/funding/trn');
    expect(await answer(c, 'trn', { trn: '' })).toBe('/funding/check');
    const check = await c.get('/funding/check');
    expect(check.body).toContain('Oakfield Primary School, Birmingham (URN 140001)');
    const result = await c.post('/funding/check');
    expect(result.statusCode).toBe(200);
    expect(result.body).toContain('DfE will fund your NPQ');
    expect(result.body).toContain('data-funding-status="funded"');
  });

  it('explains a wrong or missing answer on the same page and keeps the others', async () => {
    const c = new Client(t);
    await c.get('/funding/start-date');
    const none = await c.post('/funding/start-date', {});
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Select when you want to start');
    await answer(c, 'start-date', { cohort: '2026a' });
    const bad = await c.post('/funding/course', { course: 'npq-nonsense' });
    expect(bad.body).toContain('Select the NPQ you want to take');
    await answer(c, 'course', { course: 'npq-leading-teaching' });
    await answer(c, 'england', { worksInEngland: 'yes' });
    await answer(c, 'setting', { workSetting: 'a_school' });
    const noSchool = await c.post('/funding/school', { schoolUrn: '' });
    expect(noSchool.body).toContain('Search for your school, then select it from the results');
    const none2 = await c.get('/funding/school?q=zzzz');
    expect(none2.body).toContain('No open schools match');
    await answer(c, 'school', { schoolUrn: '140001' });
    const trn = await c.post('/funding/trn', { trn: '12ab' });
    expect(trn.body).toContain('Enter your teacher reference number as 7 digits');
    expect(trn.body).toContain('value="12ab"');
    await answer(c, 'trn', { trn: '' });
    const result = await c.post('/funding/check');
    expect(result.body).toContain('data-funding-status="ineligible_establishment_not_a_pp50"');
    expect(result.body).toContain('What you can do');

    // Changing one answer goes straight back to check-your-answers.
    await c.get('/funding/school?q=riverside');
    expect(await answer(c, 'school', { schoolUrn: '140002' })).toBe('/funding/check');
    expect((await c.post('/funding/check')).body).toContain('data-funding-status="funded"');
  });

  it('sends someone who skips ahead back to the first unanswered question', async () => {
    const c = new Client(t);
    const res = await c.get('/funding/check');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/funding/start-date');
  });

  it('answers an early years childminder and someone outside England', async () => {
    const c = new Client(t);
    await c.get('/funding/start-date');
    await answer(c, 'start-date', { cohort: '2026a' });
    await answer(c, 'course', { course: 'npq-early-years-leadership' });
    await answer(c, 'england', { worksInEngland: 'yes' });
    await answer(c, 'setting', { workSetting: 'early_years_or_childcare' });
    expect(await answer(c, 'nursery', { kindOfNursery: 'childminder' })).toBe('/funding/childminder');
    await answer(c, 'childminder', { childminderUrn: 'EY600001' });
    await answer(c, 'trn', { trn: '' });
    expect((await c.post('/funding/check')).body).toContain('data-funding-status="funded"');
    await answer(c, 'england', { worksInEngland: 'no' });
    expect((await c.post('/funding/check')).body).toContain('data-funding-status="not_in_england"');
  });
});
