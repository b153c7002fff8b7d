/**
 * Issue 9, ADR 0027, found by a breaker: a person ends with two accepted applications in one cohort. Accepting
 * rejects the person's other *pending* applications in the cohort (domain: "accepting one application
 * rejects the person's other applications in that cohort"), and reopening refuses one rejected for that
 * reason ("withdraw that one first"), but acceptance itself never checks for an accepted one, so an
 * application entered after the acceptance, or one the provider rejected by hand and then reopened, is
 * accepted beside it.
 */
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../testing/test-app';
import { factoriesFor, setUp } from '../testing/factories';

const t = useTestApp();
const f = factoriesFor(t);
const call = f.anApiClient();
const enter = async (person: { email: string; trn: string }, course: string) => (await f.anApiEnteredApplication({ via: call, ...person, course })).id;
const accept = (id: string) => call('POST', `/api/v1/applications/${id}/accept`, { data: { attributes: {} } });
const acceptedOf = async (email: string) =>
  ((await call('GET', '/api/v1/applications?filter[status]=accepted&page[per_page]=3000')).json().data as { attributes: { email: string; cohort: string } }[]).filter((a) => a.attributes.email === email);

describe('one accepted application per person and cohort', () => {
  it('refuses accepting an application entered after another of the person’s was accepted in the cohort', async () => {
    const person = { email: 'entered.after@school.test', trn: '8834567' };
    expect((await accept(await enter(person, 'npq-senior-leadership'))).statusCode).toBe(200);
    const later = await enter(person, 'npq-leading-teaching');

    // Actual: 200, and the person has two accepted applications in cohort 2026a.
    expect((await accept(later)).statusCode).toBe(422);
    expect(await acceptedOf(person.email)).toHaveLength(1);
  });

  it('refuses reopening (or then accepting) an application rejected by hand once another is accepted', async () => {
    const person = { email: 'reopened@school.test', trn: '8834568' };
    const first = await enter(person, 'npq-senior-leadership');
    const second = await enter(person, 'npq-leading-teaching');
    expect((await call('POST', `/api/v1/applications/${second}/reject`, {})).statusCode).toBe(200);
    expect((await accept(first)).statusCode).toBe(200);

    // Actual: reopen succeeds (pending), then accepting it answers 200.
    await t.services.applications.reopen(setUp, second).catch(() => undefined);
    await accept(second);
    expect(await acceptedOf(person.email)).toHaveLength(1);
  });
});
