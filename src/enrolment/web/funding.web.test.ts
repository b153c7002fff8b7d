import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { Client, useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);

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
    expect(await answer(c, 'school', { schoolUrn: '140001' })).toBe('/funding/check');
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
    expect(await answer(c, 'nursery', { kindOfNursery: 'childminder' })).toBe('/funding/ofsted-urn');
    await answer(c, 'ofsted-urn', { ofstedUrn: ' 600001 ' });
    expect((await c.post('/funding/check')).body).toContain('data-funding-status="funded"');
    await answer(c, 'england', { worksInEngland: 'no' });
    expect((await c.post('/funding/check')).body).toContain('data-funding-status="not_in_england"');
  });

  it('takes Ofsted’s forms of URN from childminders and a list headed “Childminder URN”', async () => {
    const admin = { kind: 'system', name: 'test' } as const;
    const list = await t.services.reference.replaceList(admin, 'childminders', 'ofsted.csv', Buffer.from('Childminder URN\nEY248638\nCA000006\n600001\n 1234567 \n'));
    expect(list).toMatchObject({ added: 3, rejected: 0 });
    const c = new Client(t);
    await c.get('/funding/start-date');
    await answer(c, 'start-date', { cohort: '2026a' });
    await answer(c, 'course', { course: 'npq-early-years-leadership' });
    await answer(c, 'england', { worksInEngland: 'yes' });
    await answer(c, 'setting', { workSetting: 'early_years_or_childcare' });
    await answer(c, 'nursery', { kindOfNursery: 'childminder' });
    for (const urn of ['EY248638', 'ey 248638', 'CA000006', 'ca000006', '1234567']) {
      expect(await answer(c, 'ofsted-urn', { ofstedUrn: urn }), urn).toBe('/funding/check');
      expect((await c.post('/funding/check')).body, urn).toContain('data-funding-status="funded"');
    }
    const wrong = await c.post('/funding/ofsted-urn', { ofstedUrn: 'EY12' });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.body).toContain('Enter an Ofsted URN as 6 or 7 digits, or EY or CA followed by 6 digits');
    expect(wrong.body).toContain('value="EY12"');
  });

  it('asks a private nursery for its Ofsted URN', async () => {
    const c = new Client(t);
    await c.get('/funding/start-date');
    await answer(c, 'start-date', { cohort: '2026a' });
    await answer(c, 'course', { course: 'npq-early-years-leadership' });
    await answer(c, 'england', { worksInEngland: 'yes' });
    await answer(c, 'setting', { workSetting: 'early_years_or_childcare' });
    expect(await answer(c, 'nursery', { kindOfNursery: 'private_nursery' })).toBe('/funding/ofsted-urn');
    expect((await c.get('/funding/ofsted-urn')).body).toContain('What is your nursery’s Ofsted unique reference number (URN)?');
    expect(await answer(c, 'ofsted-urn', { ofstedUrn: 'EY944860' })).toBe('/funding/check');
    expect((await c.post('/funding/check')).body).toContain('data-funding-status="funded"');
  });

  it('never answers from anyone’s records: no TRN is asked, and one sent anyway changes nothing', async () => {
    // A teacher DfE funded for NPQSL, who then withdrew.
    const { participant } = await f.anEnrolment({ course: 'npq-senior-leadership', status: 'withdrawn' });
    const trn = participant.trn;
    const c = new Client(t);
    await c.get('/funding/start-date');
    await answer(c, 'start-date', { cohort: '2026a' });
    await answer(c, 'course', { course: 'npq-senior-leadership' });
    await answer(c, 'england', { worksInEngland: 'yes', trn });
    await answer(c, 'setting', { workSetting: 'a_school', trn });
    await answer(c, 'school', { schoolUrn: '140001', teacher_reference_number: trn });
    expect((await c.get('/funding/trn')).statusCode).toBe(404);
    expect((await c.post('/funding/trn', { trn })).statusCode).toBe(404);
    const check = await c.get('/funding/check');
    expect(check.body).not.toMatch(/teacher reference number/i);
    const result = await c.post('/funding/check', { trn, teacher_reference_number: trn });
    expect(result.body).toContain('data-funding-status="funded"');
    expect(result.body).not.toContain('previously_funded');
    // The rule itself is still stated, for the person to judge.
    expect(result.body).toContain('DfE funds each NPQ once for each person');
  });
});
