import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadContract } from './contract';
import { type Application, type Person, rfc3339 } from './dfe-state';
import { seedDfe, type SeededDfe } from './stand-in-seed';
import { createDfeStandIn, type DfeStandIn } from './stand-in-server';

/**
 * Issue 13 item 1: the DfE API stand-in over HTTP, as a lead provider's client meets it. Every call a
 * test makes by DfE's document leaves no violation; those a test makes wrong on purpose are caught.
 * The clock is frozen and moved by hand.
 */
let clock = new Date('2026-11-20T10:00:00Z');
let dfe: DfeStandIn;
let url: string;
let seeded: SeededDfe;
const TOKEN = 'test-token';

const call = async (method: string, path: string, body?: unknown, token = TOKEN) => {
  const res = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {}
  // biome-ignore lint/suspicious/noExplicitAny: DfE's JSON, each test reads the fields it asserts on
  return { status: res.status, body: json as any, headers: res.headers };
};

let n = 0;
function registered(over: Partial<Application> = {}, person: Partial<Person> = {}) {
  clock = new Date(clock.getTime() + 1000);
  const p = dfe.state.addPerson({ fullName: `Teacher ${++n}`, trn: String(3000000 + n), email: `t${n}@school.test`, ...person }, clock);
  return { person: p, application: dfe.state.addApplication({ personId: p.id, leadProviderId: seeded.provider.id, course: 'npq-headship', cohort: '2026b', ...over }, clock) };
}
const acceptBody = (funded = true) => ({ data: { type: 'npq-application-accept', attributes: { funded_place: funded } } });
const declaration = (participant: string, type: string, extra: Record<string, unknown> = {}) => ({ data: { type: 'participant-declaration', attributes: { participant_id: participant, declaration_type: type, declaration_date: '2026-10-01T09:00:00Z', course_identifier: 'npq-headship', delivery_partner_id: seeded.partners[0]!.id, ...extra } } });
async function acceptedParticipant(over: Partial<Application> = {}) {
  const r = registered(over);
  expect((await call('POST', `/api/v3/npq-applications/${r.application.id}/accept`, acceptBody())).status).toBe(200);
  return r;
}

beforeAll(async () => {
  dfe = createDfeStandIn({ now: () => clock, rateLimit: 1000 });
  seeded = seedDfe(dfe.state, clock, { providerName: 'Northern Lights Leadership', token: TOKEN });
  url = await dfe.listen();
});
afterAll(() => dfe.close());
beforeEach(() => {
  dfe.faults.length = 0;
});

/** The violations a test made on purpose, taken off the list so that the end can say no others were made. */
const takeViolations = () => dfe.violations.splice(0);

describe('applications', () => {
  it('refuses a missing or wrong token with DfE’s 401', async () => {
    const res = await call('GET', '/api/v3/npq-applications', undefined, 'nope');
    expect(res).toMatchObject({ status: 401, body: { error: 'HTTP Token: Access denied' } });
  });

  it('lists this provider’s applications oldest first, a page at a time, with no meta, and filters by cohort and updated_since', async () => {
    const made = [registered(), registered(), registered()];
    const mine = await call('GET', '/api/v3/npq-applications?page[per_page]=2&page[page]=1');
    expect(mine.status).toBe(200);
    expect(Object.keys(mine.body)).toEqual(['data']);
    expect(mine.body.data).toHaveLength(2);
    const all = await call('GET', '/api/v3/npq-applications?page[per_page]=3000');
    const ids = all.body.data.map((a: { id: string }) => a.id);
    expect(ids.slice(-3)).toEqual(made.map((m) => m.application.id));
    expect((await call('GET', '/api/v3/npq-applications?page[page]=999')).body).toEqual({ data: [] });
    expect((await call('GET', '/api/v3/npq-applications?filter[cohort]=2025')).body.data).toEqual([]);
    const since = await call('GET', `/api/v3/npq-applications?filter[updated_since]=${made[2]!.application.updatedAt.toISOString().replace(/\.\d+Z/, 'Z')}`);
    expect(since.body.data.map((a: { id: string }) => a.id)).toEqual([made[2]!.application.id]);
    expect(all.body.data[0].attributes).toMatchObject({ status: 'pending', cohort: '2026', cohort_suffix: 'b' });
  });

  it('answers bad pages and filters with DfE’s 400s, including an offset time DfE’s double decode breaks', async () => {
    expect((await call('GET', '/api/v3/npq-applications?page[page]=0')).body.errors[0].detail).toBe("The '#/page[page]' and '#/page[per_page]' parameter values must be a valid positive number");
    expect((await call('GET', '/api/v3/npq-applications?filter=x')).status).toBe(400);
    expect((await call('GET', '/api/v3/npq-applications?filter[updated_since]=2026-01-01T00:00:00%2B01:00')).body.errors[0].detail).toBe("The filter '#/updated_since' must be a valid ISO 8601 date");
    expect((await call('GET', '/api/v3/npq-applications?filter[participant_id]=not-a-uuid')).status).toBe(400);
    // A page number of 0 breaks the document too (it is one, the stand-in says so).
    takeViolations();
  });

  it('accepts with a funded place and the default schedule, once; a string funded_place is refused and caught as off-contract', async () => {
    const { application } = registered();
    const wrong = await call('POST', `/api/v3/npq-applications/${application.id}/accept`, { data: { type: 'npq-application-accept', attributes: { funded_place: 'true' } } });
    expect(wrong).toMatchObject({ status: 422, body: { errors: [{ title: 'funded_place', detail: "Set '#/funded_place' to true or false." }] } });
    expect(takeViolations().map((v) => v.problem)).toEqual([expect.stringContaining('funded_place must be boolean')]);
    const ok = await call('POST', `/api/v3/npq-applications/${application.id}/accept`, acceptBody());
    expect(ok.body.data.attributes).toMatchObject({ status: 'accepted', funded_place: true, schedule_identifier: 'npq-leadership-autumn' });
    expect((await call('POST', `/api/v3/npq-applications/${application.id}/accept`, acceptBody())).body.errors[0].detail).toBe('This NPQ application has already been accepted');
    expect((await call('GET', `/api/v3/participants/npq/${application.personId}`)).body.data.attributes.npq_enrolments[0]).toMatchObject({ npq_application_id: application.id, training_status: 'active', funded_place: true });
  });

  it('rejects, and refuses a schedule of another course group or cohort', async () => {
    const { application } = registered();
    const wrongGroup = await call('POST', `/api/v3/npq-applications/${application.id}/accept`, { data: { type: 'npq-application-accept', attributes: { funded_place: true, schedule_identifier: 'npq-specialist-autumn' } } });
    expect(wrongGroup.body.errors[0].detail).toBe('The selected schedule is not valid for the course');
    const wrongCohort = await call('POST', `/api/v3/npq-applications/${application.id}/accept`, { data: { type: 'npq-application-accept', attributes: { funded_place: true, schedule_identifier: 'npq-leadership-spring' } } });
    expect(wrongCohort.body.errors[0].detail).toBe('The selected schedule cannot be found in the application cohort');
    expect((await call('POST', `/api/v3/npq-applications/${application.id}/reject`)).body.data.attributes).toMatchObject({ status: 'rejected', reason_for_rejection: 'rejected_by_provider' });
    expect((await call('POST', `/api/v3/npq-applications/${application.id}/reject`)).body.errors[0].detail).toBe('This NPQ application has already been rejected');
  });

  it('shows another provider’s application to no one else', async () => {
    const { application } = registered({ leadProviderId: seeded.otherProvider.id });
    expect(await call('GET', `/api/v3/npq-applications/${application.id}`)).toMatchObject({ status: 404, body: { error: 'Resource not found' } });
  });
});

describe('declarations', () => {
  it('makes a started declaration eligible on the next open statement; the same again is refused', async () => {
    const { person } = await acceptedParticipant();
    const started = await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'));
    expect(started.status).toBe(200);
    const statement = await call('GET', `/api/v3/statements/${started.body.data.attributes.statement_id}`);
    expect(statement.body.data.attributes).toMatchObject({ cohort: '2026', cut_off_date: '2026-11-30', payment_date: '2026-12-25', paid: false });
    expect(started.body.data.attributes).toMatchObject({ state: 'eligible', declaration_type: 'started', has_passed: null, lead_provider_name: 'Northern Lights Leadership' });
    expect((await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'))).body.errors[0]).toEqual({ title: 'base', detail: 'A declaration has already been submitted that will be, or has been, paid for this event' });
  });

  it('refuses, one error at a time in DfE’s order: an unknown participant, a future date, a date before the schedule, a type the schedule lacks, a missing has_passed, a missing delivery partner', async () => {
    const { person } = await acceptedParticipant();
    const detail = async (body: unknown) => (await call('POST', '/api/v3/participant-declarations', body)).body.errors[0].detail;
    expect(await detail(declaration('0f5f3d56-6bb2-4b6a-9d1e-0d5d3f7b6c11', 'started'))).toContain("'#/participant_id' is not recognised");
    expect(await detail(declaration(person.id, 'started', { declaration_date: '2026-12-01T09:00:00Z' }))).toBe("The '#/declaration_date' value cannot be a future date. Check the date and try again.");
    expect(await detail(declaration(person.id, 'started', { declaration_date: '2026-07-31T09:00:00Z' }))).toBe("Enter a '#/declaration_date' that's on or after the schedule start.");
    expect(await detail(declaration(person.id, 'completed'))).toContain("Enter 'true' or 'false' in the '#/has_passed' field");
    expect(await detail(declaration(person.id, 'started', { delivery_partner_id: undefined }))).toBe("The property '#/delivery_partner_id' must be present");
    const specialist = await acceptedParticipant({ course: 'npq-leading-literacy' });
    expect(await detail(declaration(specialist.person.id, 'retained-2', { course_identifier: 'npq-leading-literacy' }))).toBe("The property '#/declaration_type' does not exist for this schedule.");
    // The completed without has_passed broke the document's request schema: caught.
    expect(takeViolations().some((v) => v.direction === 'request' && v.problem.includes('has_passed'))).toBe(true);
  });

  it('a completed declaration with has_passed makes an outcome; voiding it appends a voided one', async () => {
    const { person } = await acceptedParticipant();
    const completed = await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'completed', { has_passed: true }));
    expect(completed.body.data.attributes).toMatchObject({ has_passed: 'true', state: 'eligible' });
    expect((await call('GET', `/api/v3/participants/npq/${person.id}/outcomes`)).body.data.map((o: { attributes: { state: string } }) => o.attributes.state)).toEqual(['passed']);
    const voided = await call('PUT', `/api/v3/participant-declarations/${completed.body.data.id}/void`);
    expect(voided.body.data.attributes).toMatchObject({ state: 'voided', statement_id: null, has_passed: null });
    expect((await call('GET', `/api/v3/participants/npq/${person.id}/outcomes`)).body.data.map((o: { attributes: { state: string } }) => o.attributes.state)).toEqual(['passed', 'voided']);
    expect((await call('PUT', `/api/v3/participant-declarations/${completed.body.data.id}/void`)).body.errors[0].detail).toBe('This declaration has already been voided.');
  });

  it('a paid declaration voided awaits clawback on the next statement, and is clawed back when that is paid', async () => {
    const { person } = await acceptedParticipant();
    const started = await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'));
    clock = new Date('2026-12-02T10:00:00Z');
    await fetch(`${url}/__stand-in/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pay: true }) });
    expect((await call('GET', `/api/v3/participant-declarations/${started.body.data.id}`)).body.data.attributes.state).toBe('paid');
    const voided = await call('PUT', `/api/v3/participant-declarations/${started.body.data.id}/void`);
    expect(voided.body.data.attributes).toMatchObject({ state: 'awaiting_clawback', statement_id: started.body.data.attributes.statement_id });
    expect(voided.body.data.attributes.clawback_statement_id).not.toBe(started.body.data.attributes.statement_id);
    clock = new Date('2027-01-02T10:00:00Z');
    await fetch(`${url}/__stand-in/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pay: true }) });
    expect((await call('GET', `/api/v3/participant-declarations/${started.body.data.id}`)).body.data.attributes.state).toBe('clawed_back');
    clock = new Date('2026-11-20T10:00:00Z');
  });

  it('lets only the provider that made a declaration void it', async () => {
    const { person } = await acceptedParticipant();
    const started = await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'));
    expect((await call('PUT', `/api/v3/participant-declarations/${started.body.data.id}/void`, undefined, `${TOKEN}-other`)).status).toBe(404);
  });
});

describe('participants', () => {
  it('withdraws only with a started declaration and one of DfE’s reasons; a later declaration is refused; resume brings them back', async () => {
    const { person } = await acceptedParticipant();
    const withdraw = (reason: string) => call('PUT', `/api/v3/participants/npq/${person.id}/withdraw`, { data: { type: 'participant-withdraw', attributes: { course_identifier: 'npq-headship', reason } } });
    expect((await withdraw('other')).body.errors[0].detail).toBe('An NPQ participant who has not got a started declaration cannot be withdrawn. Please contact support for assistance');
    await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'));
    expect((await withdraw('bored')).body.errors[0].detail).toBe("The property '#/reason' must be a valid reason");
    takeViolations();
    const out = await withdraw('quality-of-programme-structure-not-suitable.');
    expect(out.body.data.attributes.npq_enrolments[0]).toMatchObject({ training_status: 'withdrawn', withdrawal: { reason: 'quality-of-programme-structure-not-suitable.', date: rfc3339(clock) } });
    const late = await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'retained-1', { declaration_date: clock.toISOString() }));
    expect(late.body.errors[0].detail).toContain(`This participant withdrew from this course on ${rfc3339(clock)}`);
    const back = await call('PUT', `/api/v3/participants/npq/${person.id}/resume`, { data: { type: 'participant-resume', attributes: { course_identifier: 'npq-headship' } } });
    expect(back.body.data.attributes.npq_enrolments[0]).toMatchObject({ training_status: 'active', withdrawal: null });
  });

  it('refuses a change of schedule for a withdrawn participant, as DfE does, but changes their funded place (§4.3, §1.1)', async () => {
    const EHCO = 'npq-early-headship-coaching-offer';
    const { person, application } = await acceptedParticipant({ course: EHCO });
    await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started', { course_identifier: EHCO }));
    expect((await call('PUT', `/api/v3/participants/npq/${person.id}/withdraw`, { data: { type: 'participant-withdraw', attributes: { course_identifier: EHCO, reason: 'other' } } })).status).toBe(200);
    const other = dfe.state.applications.get(application.id)!.schedule === 'npq-ehco-november' ? 'npq-ehco-december' : 'npq-ehco-november';
    const moved = await call('PUT', `/api/v3/participants/npq/${person.id}/change-schedule`, { data: { type: 'participant-change-schedule', attributes: { schedule_identifier: other, course_identifier: EHCO } } });
    expect(moved.status).toBe(422);
    expect(moved.body.errors[0].detail).toBe('The participant is already withdrawn');
    expect(dfe.state.applications.get(application.id)!.schedule).not.toBe(other);
    // DfE's change-funded-place has no such check: the declaration made, it is refused for that instead.
    const funded = await call('PUT', `/api/v3/npq-applications/${application.id}/change-funded-place`, { data: { type: 'npq-application-change-funded-place', attributes: { funded_place: false } } });
    expect(funded.body.errors[0].detail).toContain('You cannot change the funded place because declarations have been submitted');
    dfe.state.declarations.forEach((d) => {
      if (d.applicationId === application.id) d.state = 'voided';
    });
    const unfunded = await call('PUT', `/api/v3/npq-applications/${application.id}/change-funded-place`, { data: { type: 'npq-application-change-funded-place', attributes: { funded_place: false } } });
    expect(unfunded.status).toBe(200);
    expect(unfunded.body.data.attributes.funded_place).toBe(false);
  });

  it('a merged identity answers 410 with its change, and is found by filter[from_participant_id]', async () => {
    const kept = await acceptedParticipant();
    const retired = await acceptedParticipant({ course: 'npq-senior-leadership' });
    await fetch(`${url}/__stand-in/participants/merge`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: retired.person.id, into: kept.person.id }) });
    const gone = await call('GET', `/api/v3/participants/npq/${retired.person.id}`);
    expect(gone.status).toBe(410);
    expect(gone.body.errors[0].detail).toBe(`The participant_id '${retired.person.id}' has been replaced with '${kept.person.id}'.`);
    const found = await call('GET', `/api/v3/participants/npq?filter[from_participant_id]=${retired.person.id}`);
    expect(found.body.data.map((p: { id: string }) => p.id)).toEqual([kept.person.id]);
    expect(found.body.data[0].attributes.npq_enrolments.map((e: { course_identifier: string }) => e.course_identifier).sort()).toEqual(['npq-headship', 'npq-senior-leadership']);
    const declared = await call('POST', '/api/v3/participant-declarations', declaration(retired.person.id, 'started'));
    expect(declared.body.errors[0]).toEqual({ title: 'participant_id', detail: `The participant_id '${retired.person.id}' has been replaced with '${kept.person.id}'.` });
  });

  it('a transferred application leaves the old provider’s view and appears in the new one’s', async () => {
    const { application, person } = await acceptedParticipant();
    await fetch(`${url}/__stand-in/applications/${application.id}/transfer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ lead_provider: 'Another Lead Provider' }) });
    expect((await call('GET', `/api/v3/npq-applications/${application.id}`)).status).toBe(404);
    expect((await call('GET', `/api/v3/participants/npq/${person.id}`)).status).toBe(404);
    expect((await call('GET', `/api/v3/npq-applications/${application.id}`, undefined, `${TOKEN}-other`)).body.data.attributes.status).toBe('accepted');
  });
});

describe('misbehaving on request', () => {
  const fault = (f: Record<string, unknown>) => fetch(`${url}/__stand-in/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(f) });

  it('answers 500, 502 and 429 with Retry-After once each, then as usual', async () => {
    await fault({ kind: '500', path: '/statements', times: 1 });
    await fault({ kind: '502', path: '/statements', times: 1 });
    await fault({ kind: '429', path: '/statements', times: 1, amount: 7 });
    expect((await call('GET', '/api/v3/statements')).status).toBe(500);
    expect((await call('GET', '/api/v3/statements')).status).toBe(502);
    const limited = await call('GET', '/api/v3/statements');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect((await call('GET', '/api/v3/statements')).status).toBe(200);
  });

  it('drops the connection after committing: the client hears nothing, and DfE has the declaration', async () => {
    const { person } = await acceptedParticipant();
    await fault({ kind: 'drop-after-commit', method: 'POST', path: '/participant-declarations', times: 1 });
    await expect(call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'))).rejects.toThrow();
    const seen = await call('GET', `/api/v3/participant-declarations?filter[participant_id]=${person.id}`);
    expect(seen.body.data.map((d: { attributes: { declaration_type: string } }) => d.attributes.declaration_type)).toEqual(['started']);
  });

  it('times out: holds the request, then closes it unanswered', async () => {
    await fault({ kind: 'timeout', path: '/statements', times: 1, amount: 50 });
    await expect(call('GET', '/api/v3/statements')).rejects.toThrow();
  });

  it('repeats records across pages when told to', async () => {
    await fault({ kind: 'page-overlap', path: '/npq-applications', times: 1, amount: 1 });
    const first = await call('GET', '/api/v3/npq-applications?page[per_page]=2&page[page]=1');
    await fault({ kind: 'page-overlap', path: '/npq-applications', times: 1, amount: 1 });
    const second = await call('GET', '/api/v3/npq-applications?page[per_page]=2&page[page]=2');
    expect(second.body.data[0].id).toBe(first.body.data[1].id);
  });

  it('holds every token to DfE’s limit per 5-minute window, with DfE’s bare 429', async () => {
    const limited = createDfeStandIn({ now: () => clock, rateLimit: 3 });
    seedDfe(limited.state, clock, { providerName: 'P', token: 't' });
    const base = await limited.listen();
    const get = () => fetch(`${base}/api/v3/statements`, { headers: { authorization: 'Bearer t' } });
    expect([(await get()).status, (await get()).status, (await get()).status]).toEqual([200, 200, 200]);
    const fourth = await get();
    expect(fourth.status).toBe(429);
    expect(await fourth.text()).toBe('Retry later');
    expect(limited.stats.rateLimited).toBe(1);
    clock = new Date(clock.getTime() + 5 * 60 * 1000);
    expect((await get()).status).toBe(200);
    await limited.close();
  });
});

describe('what the break-it review found', () => {
  it('drops query keys that would reach an object’s prototype, as DfE ignores unknown keys', async () => {
    expect((await call('GET', '/api/v3/statements?__proto__[participant_id]=x&constructor[prototype]=y')).status).toBe(200);
    expect((await call('GET', '/api/v3/npq-applications')).status).toBe(200);
    expect(({} as Record<string, unknown>).participant_id).toBeUndefined();
    takeViolations();
  });

  it('answers a body not sent as JSON, or empty attributes, with DfE’s 400, and counts both as off-contract', async () => {
    const { person } = await acceptedParticipant();
    const form = await fetch(`${url}/api/v3/participant-declarations`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=b' });
    expect(form.status).toBe(400);
    expect((await form.json()).errors[0].detail).toBe('correct json data structure required. See API docs for reference');
    const empty = await call('POST', '/api/v3/participant-declarations', { data: { type: 'participant-declaration', attributes: {} } });
    expect(empty.status).toBe(400);
    expect((await call('GET', `/api/v3/participant-declarations?filter[participant_id]=${person.id}`)).body.data).toEqual([]);
    expect(takeViolations().length).toBeGreaterThanOrEqual(2);
  });

  it('refuses a date that does not exist, and an outcome for a course that has none', async () => {
    const { person } = await acceptedParticipant();
    for (const date of ['2026-09-31T09:00:00Z', '2026-10-01T24:00:00Z']) expect((await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started', { declaration_date: date }))).body.errors[0].detail).toBe("Enter a valid RFC3339 '#/declaration_date'.");
    const ehco = await acceptedParticipant({ course: 'npq-early-headship-coaching-offer' });
    expect((await call('POST', '/api/v3/participant-declarations', declaration(ehco.person.id, 'completed', { course_identifier: 'npq-early-headship-coaching-offer', declaration_date: '2026-11-01T09:00:00Z' }))).status).toBe(200);
    const outcome = await call('POST', `/api/v3/participants/npq/${ehco.person.id}/outcomes`, { data: { type: 'npq-outcome-confirmation', attributes: { course_identifier: 'npq-early-headship-coaching-offer', state: 'passed', completion_date: '2026-11-01' } } });
    expect(outcome.status).toBe(422);
    takeViolations();
  });

  it('puts a declaration on a statement of its own cohort, suffix and all', async () => {
    const { person } = await acceptedParticipant();
    const started = await call('POST', '/api/v3/participant-declarations', declaration(person.id, 'started'));
    expect(dfe.state.statements.get(started.body.data.attributes.statement_id)!.cohort).toBe('2026b');
  });

  it('counts a path DfE’s document does not have as a violation, answered with DfE’s 404', async () => {
    const res = await call('GET', '/api/v3/participants/ecf');
    expect(res).toMatchObject({ status: 404, body: { error: 'Resource not found' } });
    expect(takeViolations().map((v) => v.problem)).toEqual([expect.stringContaining('no operation in DfE')]);
    expect((await call('GET', '/api/v3/npq-applications/not-a-uuid')).status).toBe(404);
    expect(takeViolations().map((v) => v.problem)).toEqual([expect.stringContaining('path parameter 1 must match format "uuid"')]);
  });
});

describe('the contract', () => {
  it('is no yes-man: a declaration off DfE’s schema is caught', () => {
    const contract = loadContract();
    expect(contract.checkSchema('ParticipantDeclaration', { id: 'x', type: 'participant-declaration', attributes: { state: 'awaiting-clawback' } })).not.toEqual([]);
    // A refusal with nothing in it passes DfE's own error schemas (they require nothing); it does not pass the stand-in.
    const op = contract.match('GET', '/api/v3/npq-applications/0f5f3d56-6bb2-4b6a-9d1e-0d5d3f7b6c11')!;
    expect(contract.checkResponse(op, 404, {})).toEqual(['body (404) must have an error text']);
  });

  it('found nothing else wrong in any request or response these tests made', () => {
    expect(dfe.violations).toEqual([]);
  });
});
