import { describe, expect, it } from 'vitest';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';
import { anEnteredApplication } from '../applications/an-entered-application';

const t = useTestApp();
const f = factoriesFor(t);

/**
 * Every refusal of the API carries DfE's `errors` list beside our `error` (docs/adr/0039), whichever
 * part of the platform answered it: the token check, the scope check, the router, input validation,
 * a use case's refusal of a field, the not-found handler.
 */
describe('the API’s refusals in DfE’s shape too', () => {
  const ask = (method: 'GET' | 'POST', url: string, token?: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });

  it('answers each kind of refusal with our code and DfE’s title and detail', async () => {
    const { token } = await f.anApiToken();
    const course = (await t.services.catalogue.list()).find((c) => c.identifier === 'npq-senior-leadership')!;
    const entered = await ask('POST', '/api/v1/applications', token, anEnteredApplication({ email: 'dfe.shape@school.test', teacher_reference_number: '3456782', course_identifier: course.identifier, intake_id: course.intakes[0]!.id }));
    expect(entered.statusCode, entered.body.slice(0, 300)).toBe(201);
    const application = entered.json().data as { id: string };
    const cases: [string, Awaited<ReturnType<typeof ask>>, number, string, string][] = [
      ['no token', await ask('GET', '/api/v1/applications'), 401, 'unauthenticated', 'Unauthorized'],
      ['a bad page size', await ask('GET', '/api/v1/applications?page[per_page]=abc', token), 422, 'validation_failed', 'page[per_page]'],
      ['a body that is not JSON', await t.app.inject({ method: 'POST', url: '/api/v1/applications', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"data":' }), 400, '', 'Bad request'],
      ['no such route', await ask('GET', '/api/v1/nothing-here', token), 404, 'not_found', 'Resource not found'],
      [
        'a schedule that does not fit the application',
        await ask('POST', `/api/v1/applications/${application.id}/accept`, token, { data: { type: 'npq-application-accept', attributes: { schedule_identifier: 'npq-aso-march' } } }),
        422,
        '',
        'schedule_identifier',
      ],
    ];
    for (const [what, res, status, code, title] of cases) {
      expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(status);
      const body = res.json() as { error: { code: string; message: string }; errors: { title: string; detail: string }[] };
      if (code) expect(body.error.code, what).toBe(code);
      expect(body.errors, what).toEqual([expect.objectContaining({ title, detail: expect.any(String) })]);
      expect(body.errors[0]!.detail.length, what).toBeGreaterThan(0);
    }
  });
});
