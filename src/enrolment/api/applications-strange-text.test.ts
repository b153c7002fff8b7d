import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { applications } from '../enrolment.schema';
import { expectMatchesDfeSchema } from '../../testing/dfe-contract';
import { factoriesFor } from '../../testing/factories';
import { useTestApp } from '../../testing/test-app';

const t = useTestApp();
const f = factoriesFor(t);
const api = f.anApiClient();

const STRANGE = [
  'quote " and \' apostrophe',
  'back\\slash \\u0041 \\"',
  'new\nline\r\ncrlf\ttab',
  'ctl\u0001\u0002\u001f\u007f\u0085\u2028\u2029',
  'emoji 😀👩‍👩‍👧 \uFE0F',
  'RTL \u202Eטקסט עברי\u202C مرحبا',
  'x'.repeat(5000),
  '',
  "'); drop table applications; --",
  '</script><script>alert(1)</script>',
  '{"json":[1,2]}',
];

async function allViews(id: string) {
  const one = await api('GET', `/api/v1/applications/${id}`);
  expect(one.statusCode, one.body.slice(0, 500)).toBe(200);
  const list = await api('GET', `/api/v1/applications?page[per_page]=500`);
  const streamed = await api('GET', `/api/v1/applications?page[per_page]=3000`);
  const fromList = list.json().data.find((a: { id: string }) => a.id === id);
  const fromStream = streamed.json().data.find((a: { id: string }) => a.id === id);
  return { one: one.json().data, fromList, fromStream };
}

/**
 * Whatever text a stored application holds, the API answers it exactly, as valid JSON in DfE's shape,
 * the same in one record, a page and a streamed page (PostgreSQL writes the JSON: ADR 0041), and a
 * school URN that is not one finds no school rather than a 500.
 */
describe('the applications API and strange text', () => {
  for (const [i, s] of STRANGE.entries()) {
    it(`text #${i} ${JSON.stringify(s.slice(0, 30))} round-trips`, async () => {
      const made = await f.anApiEnteredApplication();
      t.clock.advance(1000);
      await t.database.db
        .update(applications)
        .set({ fullName: s, employerName: s, employmentRole: s, privateChildcareProviderUrn: s, teacherReferenceNumber: s, ittProvider: s, fundingStatusCode: s, email: s, schoolUrn: s, schoolUkprn: s, status: 'rejected', reasonForRejection: s })
        .where(eq(applications.id, made.id));
      const v = await allViews(made.id);
      expect(v.one).toEqual(v.fromList);
      expect(v.one).toEqual(v.fromStream);
      expectMatchesDfeSchema('ApplicationResponse', { data: v.one });
      for (const k of ['full_name', 'employer_name', 'employment_role', 'itt_provider', 'reason_for_rejection', 'funding_status_code', 'teacher_reference_number', 'school_urn', 'school_ukprn', 'private_childcare_provider_urn']) expect(v.one.attributes[k], k).toBe(s);
      expect(v.one.attributes.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    });
  }
});
