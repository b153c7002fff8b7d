/**
 * Breaker (issue 9, item 9: "accepting with a schedule_identifier that does not fit the application is
 * refused with DfE's kind of error"). DfE's OpenAPI document (docs/reference, the copy of
 * /work/shared/reference) answers 422 with UnprocessableEntityResponse, `{ errors: [{ title, detail }] }`
 * (title the attribute). We answer 422 with our own `{ error: { code, message, details: { fields } } }`,
 * which a client written against DfE's document cannot read. (Our served OpenAPI documents our shape,
 * so our own contract test passes.)
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { anEnteredApplication } from './applications/an-entered-application';
import { createTestApp, type TestApp } from '../testing/test-app';
import { factoriesFor } from '../testing/factories';

let t: TestApp;
const f = factoriesFor(() => t);
let token: string;
beforeAll(async () => {
  t = await createTestApp();
  token = (await f.anApiToken()).token;
});
afterAll(async () => {
  await t.close();
});
const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: payload === undefined ? undefined : JSON.stringify(payload) });

describe('the refusal of a schedule that does not fit', () => {
  it('is DfE’s 422 body: errors with the attribute as title', async () => {
    const dfe = YAML.parse(readFileSync(path.resolve(import.meta.dirname, '../../docs/reference/dfe-npq-lead-provider-api-v3.yaml'), 'utf8'));
    const schema = { ...dfe.components.schemas.UnprocessableEntityResponse, required: ['errors'] };
    const validate = new Ajv({ strict: false }).compile(schema);
    const intake = await f.theIntake('npq-senior-leadership');
    const id = (await call('POST', '/api/v1/applications', anEnteredApplication({ email: 'dfe.error@school.test', teacher_reference_number: '7654321', course_identifier: 'npq-senior-leadership', intake_id: intake.id }))).json().data.id;

    const res = await call('POST', `/api/v1/applications/${id}/accept`, { data: { type: 'npq-application-accept', attributes: { schedule_identifier: 'npq-aso-march' } } });

    expect(res.statusCode).toBe(422);
    // Actual: {"error":{"code":"schedule_not_valid_for_course","message":…,"details":{"fields":{"schedule_identifier":…}}}}
    expect(validate(res.json()), JSON.stringify(res.json())).toBe(true);
    expect(res.json().errors?.[0]?.title).toBe('schedule_identifier');
  });
});
