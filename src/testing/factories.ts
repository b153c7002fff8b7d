/**
 * Factories for the main records, on top of a TestApp (docs/adr/0035). Each makes one record through the
 * services' public functions, as the platform itself would, so a factory survives a change of tables;
 * every value has a sensible default and any of them can be overridden. Unique values (addresses, TRNs,
 * identifiers) come from one counter, so records made in one file never collide.
 *
 *   const { aStaffMember, anAcceptedApplication } = factoriesFor(() => t);
 *   const assessor = await aStaffMember({ role: 'assessor' });
 *   const { application, participant } = await anAcceptedApplication({ course: 'npq-senco' });
 *
 * Types are read off the services rather than imported from the capabilities, for the same reason.
 */
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../demo/demo-data';
import { type Answers, type ColleagueGroup, SEED_INSTRUMENT, statementsOf } from '../diagnostic/domain/instrument';
import { addDays, ukDate } from '../platform/clock';
import { tokenIn } from './smtp';
import { anEnteredApplication } from '../enrolment/applications/an-entered-application';
import { apiCaller, Client, deliverEvents, outboxTo, type TestApp } from './test-app';

type Services = TestApp['services'];
/** Who is asking, as every use case takes it. */
export type Actor = Parameters<Services['applications']['accept']>[0];
/** A signed-in person, as the pages hand them to the services. */
export type UserActor = Extract<Actor, { kind: 'user' }>;
type RoleAssignment = Parameters<Services['people']['createUserDirectly']>[0]['roles'][number];
type Role = RoleAssignment['role'];
type ApplicationAnswers = Parameters<Services['applications']['saveAnswers']>[1];
type QualificationInput = Parameters<Services['catalogue']['createQualification']>[1];
type IntakeInput = Parameters<Services['catalogue']['saveIntake']>[3];
type CohortInput = Parameters<Services['cohorts']['create']>[1];
/** An application as the services return it. */
export type Application = Awaited<ReturnType<Services['applications']['submit']>>;

/** The set-up's own actor: the audit log says "system: test set-up" for what a factory made. */
export const setUp: Actor = { kind: 'system', name: 'test set-up' };

/** A person with an account: their address, password, id, the actor the services take, and a signed-in browser on demand. */
export interface Person {
  userId: string;
  name: string;
  email: string;
  password: string;
  /** Seven digits, this person's own: a shared TRN would make later applicants "previously funded". */
  trn: string;
  actor: UserActor;
  /** A browser signed in as this person (staff give the frozen clock's code); `remoteAddress` for per-address limits. */
  signIn(remoteAddress?: string): Promise<Client>;
}

/** What anAcceptedApplication takes: the person (a new one unless given), the course, intake and funded place. */
export interface AcceptedApplicationOverrides {
  participant?: Person;
  course?: string;
  intakeId?: string;
  fundedPlace?: boolean;
  /** The participant's own time zone (IANA), kept for a distance-learning intake only. */
  timeZone?: string;
}

let serial = 0;
/** The next number no other record in this test process has had. */
const next = () => ++serial;

/** Riverside Academy (URN 140002) is on every demo list: every NPQ is funded there. */
const FUNDED_SCHOOL_URN = '140002';
/** An NPQ without a gateway assessment, so an application to it can be accepted as soon as its school approves. */
const DEFAULT_COURSE = 'npq-senior-leadership';

/**
 * The factories, bound to one TestApp. `app` is the TestApp or a function returning it, so a file can
 * take the factories at its top and create the app in `beforeAll`.
 */
export function factoriesFor(app: TestApp | (() => TestApp)) {
  const t = () => (typeof app === 'function' ? app() : app);

  async function person(input: { name?: string; email?: string; password?: string; roles: RoleAssignment[]; staff: boolean }): Promise<Person> {
    const n = next();
    const name = input.name ?? `Person ${n}`;
    const email = input.email ?? `person${n}@school.test`;
    const password = input.password ?? DEMO_PASSWORD;
    const userId = await t().services.people.createUserDirectly({ name, email, password, roles: input.roles, ...(input.staff ? { totpSecret: DEMO_TOTP_SECRET } : {}) });
    const actor: UserActor = { kind: 'user', userId, sessionId: 'test', name, email, roles: input.roles, fullySignedIn: true };
    return {
      userId,
      name,
      email,
      password,
      trn: String(6_000_000 + n),
      actor,
      async signIn(remoteAddress?: string) {
        const c = new Client(t(), remoteAddress);
        await c.signIn(email, password);
        return c;
      },
    };
  }

  /** An intake of a course that is already in the catalogue, by its name ("January 2027" by default). */
  async function theIntake(course: string, name = 'January 2027') {
    const entry = (await t().services.catalogue.list()).find((c) => c.identifier === course);
    const intake = entry?.intakes.find((i) => i.name === name);
    if (!intake) throw new Error(`No intake "${name}" of ${course} in the catalogue`);
    return intake;
  }

  /**
   * A sent application's answers: a school teacher at Riverside Academy, in the course's January 2027
   * intake, with a line manager of their own.
   */
  async function answersFor(applicant: Person, course: string, overrides: Partial<ApplicationAnswers>): Promise<ApplicationAnswers> {
    const intakeId = overrides.intakeId ?? (await theIntake(course)).id;
    return {
      fullName: applicant.name,
      trn: applicant.trn,
      course,
      worksInEngland: true,
      workSetting: 'a_school',
      schoolUrn: FUNDED_SCHOOL_URN,
      employmentRole: 'Head of maths',
      lineManagerName: 'Grace Head',
      lineManagerEmail: `line.manager.${next()}@school.test`,
      intakeId,
      fundingSeen: true,
      consent: true,
      ...overrides,
    };
  }

  /**
   * A member of staff with one role (provider admin unless told), held across the provider unless
   * `scope` names a delivery partner or cohort; two-factor is set up with the demo secret, so
   * `signIn()` gives the code as staff do.
   */
  function aStaffMember(overrides: { role?: Role; scope?: Pick<RoleAssignment, 'scopeType' | 'scopeId'>; name?: string; email?: string; password?: string } = {}) {
    const { role = 'provider_admin', scope = { scopeType: 'provider', scopeId: null }, ...rest } = overrides;
    return person({ ...rest, roles: [{ role, ...scope }], staff: true });
  }

  /**
   * A person with an account of their own and no staff role, as self-service account creation makes
   * them: an applicant, and once accepted a participant. `roles` adds roles (a participant's, say).
   */
  function aParticipantUser(overrides: { name?: string; email?: string; password?: string; roles?: RoleAssignment[] } = {}) {
    const { roles = [], ...rest } = overrides;
    return person({ ...rest, roles, staff: false });
  }

  /** A reformed leadership NPQ of the admin's making, with no intakes yet; returns its id and identifier. */
  async function aQualification(overrides: Partial<QualificationInput> = {}) {
    const n = next();
    const input: QualificationInput = {
      identifier: `npq-test-${n}`,
      shortName: `NPQT${n}`,
      name: `National Professional Qualification in Testing ${n}`,
      kind: 'leadership',
      framework: 'reformed',
      engagementThresholdPercent: 90,
      summary: 'For leaders who test.',
      whoFor: '',
      audiences: [],
      whoCanApply: '',
      intakesDescription: '',
      durationMonthsMin: 12,
      durationMonthsMax: 18,
      weeklyStudyHoursMin: null,
      weeklyStudyHoursMax: null,
      studyType: '',
      faceToFaceDays: null,
      faceToFaceNote: '',
      onlineCourses: null,
      personalTutor: false,
      coaching: false,
      guidedLearningHours: null,
      assessmentType: '',
      mastersCredits: null,
      dfeFunding: '',
      learningThemes: [],
      deliveryModes: ['distance'],
      ...overrides,
    };
    const id = await t().services.catalogue.createQualification(setUp, input);
    return { id, identifier: input.identifier, shortName: input.shortName, name: input.name };
  }

  /**
   * A distance-learning intake (UK time) of a qualification (by identifier; NPQSL unless told), in cohort 2026a, with the
   * demo's first delivery partner, starting 1 February 2027 with applications until 15 January 2027
   * (after the frozen clock's today). Returns its id and name.
   */
  async function anIntake(overrides: Partial<IntakeInput> & { course?: string } = {}) {
    const { course = DEFAULT_COURSE, ...rest } = overrides;
    const qualificationId = (await t().services.catalogue.get(course)).id;
    const partner = rest.deliveryPartnerId ?? (await t().services.catalogue.partnersAndVenues(setUp)).partners[0]!.id;
    const input: IntakeInput = {
      name: `Test intake ${next()}`,
      startDate: '2027-02-01',
      applicationDeadline: '2027-01-15',
      deliveryMode: 'distance',
      venueId: null,
      timeZone: 'Europe/London',
      capacity: null,
      waitingList: false,
      cohortIdentifier: '2026a',
      schedule: 'npq-leadership-spring',
      ...rest,
      deliveryPartnerId: partner,
    };
    const id = await t().services.catalogue.saveIntake(setUp, qualificationId, null, input);
    return { id, name: input.name };
  }

  /** Saves an intake of a qualification (by identifier) again with `changes`, as its edit form would. */
  async function anIntakeChanged(course: string, intakeId: string, changes: Partial<IntakeInput>) {
    const qualificationId = (await t().services.catalogue.get(course)).id;
    const e = await t().services.catalogue.intakeForEdit(setUp, qualificationId, intakeId);
    const input: IntakeInput = {
      name: e.name,
      startDate: e.startDate,
      applicationDeadline: e.applicationDeadline,
      deliveryMode: e.deliveryMode as IntakeInput['deliveryMode'],
      deliveryPartnerId: e.deliveryPartnerId!,
      venueId: e.venueId,
      timeZone: e.timeZone,
      capacity: e.capacity,
      waitingList: e.waitingList,
      cohortIdentifier: e.cohortIdentifier!,
      schedule: e.schedule as IntakeInput['schedule'],
      ...changes,
    };
    await t().services.catalogue.saveIntake(setUp, qualificationId, intakeId, input);
  }

  /** A cohort DfE funds in full, starting in a year no demo cohort has (2030 onwards unless told). */
  function aCohort(overrides: Partial<CohortInput> = {}) {
    return t().services.cohorts.create(setUp, { startYear: 2030 + next(), suffix: 'a', funding: 'full', fundedPlaceLimits: {}, ...overrides });
  }

  /**
   * An application its applicant has sent through the journey (the services the pages call), waiting
   * for their school's approval: the line manager is emailed. `applicant` is a new person unless
   * given; `answers` overrides any answer (NPQSL's January 2027 intake, at Riverside Academy).
   */
  async function aSubmittedApplication(overrides: { applicant?: Person; course?: string; answers?: Partial<ApplicationAnswers> } = {}) {
    const applicant = overrides.applicant ?? (await aParticipantUser());
    const course = overrides.course ?? DEFAULT_COURSE;
    const { applications } = t().services;
    await applications.startDraft(applicant.actor, course);
    await applications.saveAnswers(applicant.actor, await answersFor(applicant, course, overrides.answers ?? {}));
    const application = await applications.submit(applicant.actor);
    return { application, applicant };
  }

  /**
   * An application the provider has accepted, with the enrolment accepting makes (ADR 0036): recorded
   * with its school's approval already given (as a provider records one through the API), then
   * accepted into its intake (NPQSL unless told). `participant` is the person, with an account, a new
   * one unless given. A course with a gateway assessment (NPQH) has it answered and passed first.
   */
  async function anAcceptedApplication(overrides: AcceptedApplicationOverrides = {}) {
    const participant = overrides.participant ?? (await aParticipantUser());
    const course = overrides.course ?? DEFAULT_COURSE;
    const { applications } = t().services;
    const { application: recorded } = await applications.create(setUp, {
      full_name: participant.name,
      email: participant.email,
      teacher_reference_number: participant.trn,
      course_identifier: course,
      intake_id: overrides.intakeId ?? (await theIntake(course)).id,
      works_in_england: true,
      work_setting: 'a_school',
      school_urn: FUNDED_SCHOOL_URN,
      employment_role: 'Head of maths',
      line_manager_name: 'Grace Head',
      line_manager_email: `line.manager.${next()}@school.test`,
      school_approved: true,
      ...(overrides.timeZone ? { time_zone: overrides.timeZone } : {}),
    });
    // An NPQ with a gateway (NPQH, seed 001): the participant answers it and the provider passes it first.
    const gateway = await applications.gatewayConfig(course);
    if (gateway && recorded.userId) {
      await applications.saveGatewayAnswers(participant.actor, recorded.id, Object.fromEntries(gateway.questions.map((q) => [q.id, 'I have led a change across my school for two years.'])), true);
      await applications.reviewGateway(setUp, recorded.id, { scores: Object.fromEntries(gateway.criteria.map((c) => [c.id, String(c.maxScore)])), result: 'passed', feedback: 'Ready.' });
    }
    const application = await applications.accept(setUp, recorded.id, { fundedPlace: overrides.fundedPlace });
    return { application, participant };
  }

  /**
   * An enrolment (ADR 0036): an accepted application (see anAcceptedApplication), then, when `status`
   * says so, deferred or withdrawn by the provider a minute later (the test clock moves on) with
   * `reason` (DfE's code; a default for each).
   * Returns the application as it is after the last change, its enrolment's id and the person.
   */
  async function anEnrolment(overrides: AcceptedApplicationOverrides & { status?: 'active' | 'deferred' | 'withdrawn'; reason?: string } = {}) {
    const { status = 'active', reason, ...accepted } = overrides;
    const made = await anAcceptedApplication(accepted);
    let application = made.application;
    // A minute after the acceptance, so the two lines of the status history have an order of their own.
    if (status !== 'active') t().clock.advance(60_000);
    if (status === 'deferred') application = await t().services.applications.changeParticipant(setUp, application.id, 'defer', { reason: reason ?? 'parental-leave' });
    if (status === 'withdrawn') application = await t().services.applications.changeParticipant(setUp, application.id, 'withdraw', { reason: reason ?? 'change-in-career' });
    return { application, enrolmentId: application.enrolmentId!, participant: made.participant };
  }

  /** A participant: the person of an accepted application (see anAcceptedApplication), with it. */
  async function aParticipant(overrides: AcceptedApplicationOverrides = {}) {
    const { application, participant } = await anAcceptedApplication(overrides);
    return { ...participant, application };
  }

  /**
   * An API token for the provider admin's role with every scope unless told: `scopes` narrows what it
   * may do (src/api/domain/scopes.ts). Returns its id and the secret a client sends.
   */
  function anApiToken(overrides: { scopes?: readonly string[]; role?: Role; name?: string } = {}) {
    const { apiTokens } = t().services;
    return apiTokens.create(setUp, overrides.name ?? `test token ${next()}`, overrides.role, undefined, overrides.scopes);
  }

  /**
   * A JSON API client (apiCaller: `call('POST', '/api/v1/…', body)`) with a token of its own
   * (anApiToken, `overrides` as its), made at the client's first call: a file takes it at its top, in
   * place of a token made in `beforeAll`, and the first test that calls it makes the token.
   */
  function anApiClient(overrides: Parameters<typeof anApiToken>[0] = {}): ApiClient {
    let secret: Promise<string> | undefined;
    return async (method, url, payload) => {
      secret ??= anApiToken(overrides).then((made) => made.token);
      const token = await secret;
      return apiCaller(t, () => token)(method, url, payload);
    };
  }

  /** The client anApiEnteredApplication enters through unless given one: made at its first use. */
  const providerApi = anApiClient();

  /**
   * An application as the provider enters it through DfE's API (POST /api/v1/applications), its
   * school's approval given, at Riverside Academy (anEnteredApplication's fields): pending, not yet
   * accepted. `email` and `trn` are a new person's unless given (give the same two for two of one
   * person's applications); the course is NPQSL, in its January 2027 intake, unless told; `fields`
   * adds or overrides any of DfE's fields. Entered `via` a given anApiClient, or the factories' own.
   * Returns the API's `data` (id and attributes); throws, with the answer, unless it is 201.
   */
  async function anApiEnteredApplication(overrides: { via?: ApiClient; email?: string; trn?: string; course?: string; intakeId?: string; fields?: Record<string, unknown> } = {}) {
    const n = next();
    const course = overrides.course ?? DEFAULT_COURSE;
    const entered = anEnteredApplication(
      { email: overrides.email ?? `entered${n}@school.test`, teacher_reference_number: overrides.trn ?? String(7_000_000 + n), course_identifier: course, intake_id: overrides.intakeId ?? (await theIntake(course)).id },
      overrides.fields,
    );
    const res = await (overrides.via ?? providerApi)('POST', '/api/v1/applications', entered);
    if (res.statusCode !== 201) throw new Error(`Entering an application answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
    return res.json().data as { id: string; attributes: Record<string, unknown> & { updated_at: string; schedule_identifier: string | null } };
  }
  return {
    theIntake,
    aStaffMember,
    aParticipantUser,
    aQualification,
    anIntake,
    anIntakeChanged,
    aCohort,
    aSubmittedApplication,
    anAcceptedApplication,
    anEnrolment,
    aParticipant,
    anApiToken,
    anApiClient,
    anApiEnteredApplication,
  };
}

export type Factories = ReturnType<typeof factoriesFor>;

/** A JSON API client as anApiClient makes it: `call(method, url, body?)`, with its bearer token. */
export type ApiClient = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => ReturnType<ReturnType<typeof apiCaller>>;

type DiagnosticWindow = Parameters<Services['diagnostic']['setWindow']>[1];
type RoundKind = 'start' | 'end';
/** A participant as aParticipant makes them: the person, with their accepted application. */
export type Participant = Awaited<ReturnType<Factories['aParticipant']>>;

/** A colleague asked for their view in a 360° round, as a360Round asks them. */
export interface Rater {
  group: ColleagueGroup;
  name: string;
  email: string;
  /** The key in the link of their invitation email (running what events queued first), as `/rate/<token>` and the services take it. */
  token(): Promise<string>;
}

/** The 360° diagnostic's NPQ in the demo catalogue, whose January 2027 intake is in cohort 2026a with the demo's Midlands partner. */
const LEADING_BEHAVIOUR_AND_CULTURE = 'npq-leading-behaviour-culture';

/**
 * Answers to every statement of the seed instrument (src/diagnostic/domain/instrument.ts) with one
 * rating (1–5, or null for "not able to say"), and the comments given: what a complete self-rating or
 * rater's answer holds. The seed and its types come from the diagnostic's pure domain, which no
 * service hands out and no change of tables moves.
 */
export function answersRatingEvery(value: number | null, comments: Record<string, string> = {}): Answers {
  return { ratings: Object.fromEntries(statementsOf(SEED_INSTRUMENT).map((s) => [s.id, value])), comments };
}

/**
 * Factories for the 360° leadership diagnostic's records, bound to one TestApp as factoriesFor's are
 * (and using them for the people): a participant whose rounds follow their cohort, a cohort's window
 * and a round with colleagues asked. Each goes through the diagnostic's services, as the pages do.
 */
export function diagnosticFactoriesFor(app: TestApp | (() => TestApp)) {
  const t = () => (typeof app === 'function' ? app() : app);
  const { aParticipant, aParticipantUser } = factoriesFor(app);

  /**
   * A participant in training, whose 360° rounds are made from their cohort's windows: the person of an
   * accepted application (aParticipant), on NPQ Leading Behaviour and Culture's January 2027 intake
   * (cohort 2026a, Midlands partner) unless told. `name` names a new person: reports and emails show it.
   */
  async function a360Participant(overrides: AcceptedApplicationOverrides & { name?: string } = {}): Promise<Participant> {
    const { name, participant, ...rest } = overrides;
    return aParticipant({ course: LEADING_BEHAVIOUR_AND_CULTURE, ...rest, participant: participant ?? (await aParticipantUser(name === undefined ? {} : { name })) });
  }

  /**
   * A cohort's dates for one kind of round, as the admin sets them: cohort 2026a's start round, open
   * from today (the test clock's, UK) for two weeks, unless told. Setting it again moves the dates of
   * rounds not yet closed. Returns what was set.
   */
  async function a360Window(overrides: Partial<DiagnosticWindow> = {}): Promise<DiagnosticWindow> {
    const opensOn = overrides.opensOn ?? ukDate(t().clock.now());
    const input: DiagnosticWindow = { cohort: '2026a', kind: 'start', opensOn, closesOn: addDays(opensOn, 14), ...overrides };
    await t().services.diagnostic.setWindow(setUp, input);
    return input;
  }

  /**
   * A participant's round of one kind (start unless told) with colleagues asked, each by the
   * participant as the round page asks them (so the round must be open). The participant is a new
   * a360Participant unless given; a window is set (a360Window) only when they have no round of that
   * kind yet. `raters` gives each colleague's group and name; their address is made from the name
   * (`pia.3@school.test`) unless given, and must be theirs alone for `token()` to find their link.
   */
  async function a360Round(overrides: { participant?: Participant; kind?: RoundKind; raters?: { group: ColleagueGroup; name: string; email?: string }[] } = {}) {
    const participant = overrides.participant ?? (await a360Participant());
    const kind = overrides.kind ?? 'start';
    const { diagnostic } = t().services;
    const roundOfKind = async () => (await diagnostic.myRounds(participant.actor)).find((r) => r.round.kind === kind)?.round;
    let round = await roundOfKind();
    if (!round) {
      await a360Window({ kind });
      round = await roundOfKind();
    }
    if (!round) throw new Error(`No ${kind} round for ${participant.email}: is their application in cohort 2026a?`);
    const raters: Rater[] = [];
    for (const { group, name, email = `${name.toLowerCase()}.${next()}@school.test` } of overrides.raters ?? []) {
      await diagnostic.nominate(participant.actor, round.id, { group, name, email });
      raters.push({ group, name, email, token: () => rateTokenOf(email) });
    }
    return { round, participant, raters };
  }

  /** The key in the one `/rate/` link emailed to an address, once what events queued has run. */
  async function rateTokenOf(email: string): Promise<string> {
    await deliverEvents(t());
    const tokens = new Set((await outboxTo(t(), email)).filter((m) => m.body.includes('/rate/')).map((m) => tokenIn(m.body, '/rate')));
    if (tokens.size !== 1) throw new Error(`${tokens.size} rater links emailed to ${email}: a factory rater's address must be theirs alone`);
    return [...tokens][0]!;
  }

  return { a360Participant, a360Window, a360Round };
}
