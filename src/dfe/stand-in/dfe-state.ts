import { randomUUID } from 'node:crypto';
import { COHORTS, type Cohort, COURSE_GROUPS, type DeclarationType, DECLARATION_TYPES, defaultScheduleIdentifier, DEFERRAL_REASONS, hasOutcomes, type Schedule, SCHEDULES, sameCourse, WITHDRAWAL_REASONS } from '../domain/dfe-reference-data';

/*
 * DfE's side of the Lead Provider API as the stand-in keeps it, in memory, and the rules DfE applies
 * to each change (issue 13 item 1; docs/dfe-api.md §1–§4, the code's behaviour where it and the
 * guidance differ). Pure: every change takes the time it happens at; nothing here does I/O.
 */

/** A refusal as DfE answers it: the status and DfE's body (§5.6). */
export class DfeRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 410 | 422,
    readonly body: unknown,
  ) {
    super(`DfE ${status}: ${JSON.stringify(body)}`);
  }
}

const unprocessable = (title: string, detail: string) => new DfeRefusal(422, { errors: [{ title, detail }] });
const badRequest = (detail: string) => new DfeRefusal(400, { errors: [{ title: 'Bad request', detail }] });
const notFound = () => new DfeRefusal(404, { error: 'Resource not found' });

export interface LeadProvider {
  id: string;
  name: string;
  token: string;
}

export interface DeliveryPartner {
  id: string;
  name: string;
  /** Partnerships: lead provider id → the cohort identifiers (with suffix) it is confirmed for. */
  partnerships: Map<string, Set<string>>;
  createdAt: Date;
}

export interface Person {
  id: string;
  fullName: string;
  previousNames: string[];
  trn: string | null;
  trnVerified: boolean;
  email: string | null;
  createdAt: Date;
  significantlyUpdatedAt: Date;
  /** Set once DfE merged this identity into another (§4.5). */
  retiredInto: string | null;
}

export type TrainingStatus = 'active' | 'deferred' | 'withdrawn';

export interface Application {
  id: string;
  personId: string;
  leadProviderId: string;
  course: string;
  cohort: string;
  schedule: string | null;
  status: 'pending' | 'accepted' | 'rejected';
  reasonForRejection: 'rejected_by_provider' | 'other_application_in_this_cohort_accepted' | 'registration_expired' | null;
  fundedPlace: boolean | null;
  eligibleForFunding: boolean;
  ineligibleForFundingReason: 'previously-funded' | 'establishment-ineligible' | null;
  targetedDeliveryFunding: boolean;
  teacherCatchment: boolean;
  schoolUrn: string;
  employerName: string | null;
  employmentRole: string | null;
  fundingChoice: 'school' | 'trust' | 'self' | 'another' | 'employer' | null;
  headteacherStatus: 'no' | 'yes_when_course_starts' | 'yes_in_first_two_years' | 'yes_over_two_years' | 'yes_in_first_five_years' | 'yes_over_five_years';
  worksInSchool: boolean;
  trainingStatus: TrainingStatus | null;
  acceptedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A training-status change, kept per lead provider (§4.1). */
export interface ApplicationState {
  applicationId: string;
  leadProviderId: string;
  state: TrainingStatus;
  reason: string | null;
  at: Date;
}

export type DeclarationState = 'submitted' | 'eligible' | 'payable' | 'paid' | 'voided' | 'ineligible' | 'awaiting_clawback' | 'clawed_back';

export interface Declaration {
  id: string;
  applicationId: string;
  /** The lead provider that made it: only it may void it (§1.3). */
  leadProviderId: string;
  personId: string;
  type: DeclarationType;
  /** As sent (RFC 3339). */
  date: string;
  course: string;
  cohort: string;
  state: DeclarationState;
  deliveryPartnerId: string | null;
  secondaryDeliveryPartnerId: string | null;
  statementId: string | null;
  clawbackStatementId: string | null;
  ineligibleForFundingReason: 'duplicate_declaration' | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface Outcome {
  id: string;
  declarationId: string;
  state: 'passed' | 'failed' | 'voided';
  /** UK date `YYYY-MM-DD`. */
  completionDate: string;
  createdAt: Date;
}

export interface Statement {
  id: string;
  leadProviderId: string;
  cohort: string;
  month: string;
  year: string;
  /** `YYYY-MM-DD`: declarations submitted on or before it are on this statement. */
  cutOffDate: string;
  paymentDate: string;
  outputFee: boolean;
  state: 'open' | 'payable' | 'paid';
  createdAt: Date;
  updatedAt: Date;
}

export interface ParticipantIdChange {
  from: string;
  to: string;
  changedAt: Date;
}

const BILLABLE_OR_SUBMITTED: readonly DeclarationState[] = ['submitted', 'eligible', 'payable', 'paid'];
const VOIDABLE: readonly DeclarationState[] = ['submitted', 'eligible', 'payable', 'ineligible'];
const UUIDS = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// RFC 3339 with a time part (§2.4 item 5).
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}(:?\d{2})?)$/;

/** Whether a calendar date exists: 2026-09-31 and 2026-02-30 do not (a JavaScript Date would roll them over). */
const realDate = (y: number, m: number, d: number) => {
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
};

/** Whether text is an RFC 3339 time with a date and time that exist (Ruby's parser refuses the rest). */
export function isRfc3339(text: string): boolean {
  const m = RFC3339.exec(text);
  return Boolean(m) && realDate(Number(m![1]), Number(m![2]), Number(m![3])) && Number(m![4]) < 24 && Number(m![5]) < 60 && Number(m![6]) < 60;
}

const attributesOf = (body: unknown): Record<string, unknown> => {
  const data = (body as { data?: unknown } | null)?.data;
  const attributes = (data as { attributes?: unknown } | null | undefined)?.attributes;
  if (!data || typeof data !== 'object' || !attributes || typeof attributes !== 'object' || Array.isArray(attributes) || !Object.keys(attributes).length) throw badRequest('correct json data structure required. See API docs for reference');
  return attributes as Record<string, unknown>;
};

/**
 * DfE's records and the rules that change them. Each method is one API action for the lead provider
 * `lp`, at `now`; it returns what DfE answers, or throws DfeRefusal with DfE's status and message.
 */
export class DfeState {
  readonly leadProviders = new Map<string, LeadProvider>();
  readonly deliveryPartners = new Map<string, DeliveryPartner>();
  readonly people = new Map<string, Person>();
  readonly applications = new Map<string, Application>();
  readonly states: ApplicationState[] = [];
  readonly declarations = new Map<string, Declaration>();
  readonly outcomes: Outcome[] = [];
  readonly statements = new Map<string, Statement>();
  readonly idChanges: ParticipantIdChange[] = [];
  /** Each person's applications, kept as they are added and merged: lists of 100,000 participants read each one's, which a pass over every application made quadratic. */
  private readonly byPerson = new Map<string, Application[]>();

  private readonly statesByApplication = new Map<string, ApplicationState[]>();

  /** Keeps a change of training status, in the list and by application (read per participant listed). */
  private recordState(change: ApplicationState): void {
    this.states.push(change);
    this.statesByApplication.set(change.applicationId, [...(this.statesByApplication.get(change.applicationId) ?? []), change]);
  }

  /** A person's applications (any provider, any status). */
  applicationsOfPerson(personId: string): Application[] {
    return (this.byPerson.get(personId) ?? []).filter((a) => a.personId === personId);
  }

  cohort(identifier: string): Cohort | undefined {
    return COHORTS.find((c) => c.identifier === identifier);
  }

  schedule(cohort: string, identifier: string | null): Schedule | undefined {
    return identifier ? SCHEDULES.find((s) => s.cohort === cohort && s.identifier === identifier) : undefined;
  }

  // ——— Seeding (what DfE holds before a provider asks) ———

  addLeadProvider(name: string, token: string): LeadProvider {
    const lp = { id: randomUUID(), name, token };
    this.leadProviders.set(lp.id, lp);
    return lp;
  }

  addDeliveryPartner(name: string, partnerships: Record<string, string[]>, now = new Date()): DeliveryPartner {
    const dp = { id: randomUUID(), name, partnerships: new Map(Object.entries(partnerships).map(([lp, cohorts]) => [lp, new Set(cohorts)])), createdAt: now };
    this.deliveryPartners.set(dp.id, dp);
    return dp;
  }

  addPerson(p: { fullName: string; trn?: string | null; email?: string | null; id?: string }, now: Date): Person {
    const person: Person = { id: p.id ?? randomUUID(), fullName: p.fullName, previousNames: [], trn: p.trn ?? null, trnVerified: Boolean(p.trn), email: p.email ?? null, createdAt: now, significantlyUpdatedAt: now, retiredInto: null };
    this.people.set(person.id, person);
    return person;
  }

  /** An application registered at DfE for a lead provider, pending its decision. */
  addApplication(a: Partial<Application> & { personId: string; leadProviderId: string; course: string; cohort: string }, now: Date): Application {
    const cohort = this.cohort(a.cohort);
    const app: Application = {
      id: randomUUID(),
      schedule: null,
      status: 'pending',
      reasonForRejection: null,
      fundedPlace: cohort?.funding === 'zero' ? false : null,
      eligibleForFunding: true,
      ineligibleForFundingReason: null,
      targetedDeliveryFunding: false,
      teacherCatchment: true,
      schoolUrn: '100000',
      employerName: null,
      employmentRole: null,
      fundingChoice: null,
      headteacherStatus: 'no',
      worksInSchool: true,
      trainingStatus: null,
      acceptedAt: null,
      createdAt: now,
      updatedAt: now,
      ...a,
    };
    this.applications.set(app.id, app);
    this.byPerson.set(app.personId, [...(this.byPerson.get(app.personId) ?? []), app]);
    return app;
  }

  addStatement(s: Omit<Statement, 'id' | 'createdAt' | 'updatedAt' | 'state' | 'outputFee'> & { outputFee?: boolean }, now: Date): Statement {
    const statement: Statement = { id: randomUUID(), outputFee: true, state: 'open', createdAt: now, updatedAt: now, ...s };
    this.statements.set(statement.id, statement);
    return statement;
  }

  // ——— What a lead provider sees ———

  /** The lead provider whose token this is (the raw Authorization header's bearer), or undefined. */
  leadProviderByToken(token: string): LeadProvider | undefined {
    for (const lp of this.leadProviders.values()) if (lp.token === token) return lp;
    return undefined;
  }

  applicationOf(lp: LeadProvider, id: string): Application {
    const a = this.applications.get(id);
    if (!a || a.leadProviderId !== lp.id) throw notFound();
    return a;
  }

  /** A participant is seen by a lead provider while it holds one of their applications accepted (§0). */
  acceptedOf(lp: LeadProvider, personId: string): Application[] {
    return this.applicationsOfPerson(personId).filter((a) => a.leadProviderId === lp.id && a.status === 'accepted');
  }

  /** The participant by id for a GET: 410 with the change when the id was retired (§4.5), 404 when not this provider's. */
  participantOf(lp: LeadProvider, id: string, retired: 'gone' | 'not-found'): Person {
    const p = this.people.get(id);
    if (p?.retiredInto) {
      if (retired === 'not-found') throw notFound();
      const changes = this.idChanges.filter((c) => c.from === id);
      throw new DfeRefusal(410, { errors: [{ title: 'Participant ID has been changed', detail: `The participant_id '${id}' has been replaced with '${p.retiredInto}'.`, participant_id_changes: changes.map((c) => ({ from_participant_id: c.from, to_participant_id: c.to, changed_at: rfc3339(c.changedAt) })) }] });
    }
    if (!p || !this.acceptedOf(lp, id).length) throw notFound();
    return p;
  }

  /** When a participant last changed, as the API gives it: the latest of the person's, their applications' and their id changes' times (§1.2). */
  participantUpdatedAt(p: Person): Date {
    let at = p.significantlyUpdatedAt;
    for (const a of this.applicationsOfPerson(p.id)) if (a.updatedAt > at) at = a.updatedAt;
    for (const c of this.idChanges) if (c.to === p.id && c.changedAt > at) at = c.changedAt;
    return at;
  }

  hasPassedOf(d: Declaration): boolean | null {
    const latest = this.outcomes.filter((o) => o.declarationId === d.id).at(-1);
    return latest ? (latest.state === 'voided' ? null : latest.state === 'passed') : null;
  }

  /** Declarations a lead provider sees: its own, and others' on applications now its own (§1.3). */
  declarationsOf(lp: LeadProvider): Declaration[] {
    return [...this.declarations.values()].filter((d) => d.leadProviderId === lp.id || this.applications.get(d.applicationId)?.leadProviderId === lp.id);
  }

  // ——— Applications (§1.1) ———

  accept(lp: LeadProvider, id: string, body: unknown, now: Date): Application {
    const a = this.applicationOf(lp, id);
    const hasData = body !== undefined && body !== null && typeof body === 'object' && 'data' in (body as object);
    const attrs = hasData ? attributesOf(body) : {};
    if (a.status === 'accepted') throw unprocessable('application', 'This NPQ application has already been accepted');
    if (a.status === 'rejected') throw unprocessable('application', 'Once rejected an application cannot change state');
    const cohort = this.cohort(a.cohort)!;
    const person = this.people.get(a.personId)!;
    const clash = [...this.applications.values()].some((o) => o.id !== a.id && o.status === 'accepted' && o.trainingStatus !== 'withdrawn' && o.cohort === a.cohort && sameCourse(o.course, a.course) && (o.personId === a.personId || (person.trnVerified && person.trn !== null && this.people.get(o.personId)?.trn === person.trn)));
    if (clash) throw unprocessable('application', 'The participant has already had an application accepted for this course.');
    let fundedPlace = a.fundedPlace;
    if (cohort.funding === 'capped') {
      if (typeof attrs.funded_place !== 'boolean') throw unprocessable('funded_place', "Set '#/funded_place' to true or false.");
      if (attrs.funded_place && !(a.eligibleForFunding && !a.ineligibleForFundingReason)) throw unprocessable('funded_place', "The participant is not eligible for funding, so '#/funded_place' cannot be set to true.");
      fundedPlace = attrs.funded_place;
    } else if (cohort.funding === 'zero') {
      if (attrs.funded_place !== false) throw unprocessable('funded_place', "The '#/funded_place' field should be false for unfunded cohorts.");
      fundedPlace = false;
    } else fundedPlace = null;
    let schedule: string;
    if (attrs.schedule_identifier !== undefined && attrs.schedule_identifier !== null) {
      const found = SCHEDULES.find((s) => s.cohort === a.cohort && s.identifier === attrs.schedule_identifier);
      if (!found) throw unprocessable('schedule_identifier', 'The selected schedule cannot be found in the application cohort');
      if (found.group !== COURSE_GROUPS[a.course]) throw unprocessable('schedule_identifier', 'The selected schedule is not valid for the course');
      schedule = found.identifier;
    } else {
      schedule = defaultScheduleIdentifier(a.course, cohort, now.toISOString().slice(0, 10));
      // DfE's own gap (§1.1): a default the cohort lacks is a 404.
      if (!this.schedule(a.cohort, schedule)) throw notFound();
    }
    Object.assign(a, { status: 'accepted', fundedPlace, schedule, trainingStatus: 'active', acceptedAt: now, updatedAt: now });
    this.recordState({ applicationId: a.id, leadProviderId: lp.id, state: 'active', reason: null, at: now });
    // Every other application for the same course and cohort, with any provider, is rejected.
    for (const o of this.applications.values()) {
      if (o.id !== a.id && o.personId === a.personId && o.cohort === a.cohort && sameCourse(o.course, a.course) && o.status === 'pending') Object.assign(o, { status: 'rejected', reasonForRejection: 'other_application_in_this_cohort_accepted', updatedAt: now });
    }
    return a;
  }

  reject(lp: LeadProvider, id: string, now: Date): Application {
    const a = this.applicationOf(lp, id);
    if (a.status === 'rejected') throw unprocessable('application', 'This NPQ application has already been rejected');
    if (this.declarationsOnApplication(a.id).some((d) => BILLABLE_OR_SUBMITTED.includes(d.state))) throw unprocessable('application', 'This application has declarations that prevent it from being rejected. Void the declarations first, or contact us for assistance.');
    Object.assign(a, { status: 'rejected', reasonForRejection: 'rejected_by_provider', updatedAt: now });
    return a;
  }

  changeFundedPlace(lp: LeadProvider, id: string, body: unknown, now: Date): Application {
    const a = this.applicationOf(lp, id);
    const attrs = attributesOf(body);
    if (a.status !== 'accepted') throw unprocessable('application', "You must accept the application before attempting to change the '#/funded_place' setting.");
    if (this.cohort(a.cohort)?.funding !== 'capped') throw unprocessable('funded_place', "Leave the '#/funded_place' field blank. It's only needed for participants starting NPQs from autumn 2024 onwards.");
    if (typeof attrs.funded_place !== 'boolean') throw unprocessable('funded_place', "Set '#/funded_place' to true or false.");
    if (attrs.funded_place && !(a.eligibleForFunding && !a.ineligibleForFundingReason)) throw unprocessable('funded_place', 'This participant is not eligible for funding. Contact us if you think this is wrong.');
    if (this.declarationsOnApplication(a.id).some((d) => BILLABLE_OR_SUBMITTED.includes(d.state))) throw unprocessable('funded_place', 'You cannot change the funded place because declarations have been submitted. You will need to void the existing declarations and resubmit them after changing the funded place.');
    Object.assign(a, { fundedPlace: attrs.funded_place, updatedAt: now });
    return a;
  }

  private declarationsOnApplication(applicationId: string): Declaration[] {
    return [...this.declarations.values()].filter((d) => d.applicationId === applicationId);
  }

  // ——— Participants (§1.2, §4) ———

  private enrolmentFor(lp: LeadProvider, participantId: string, attrs: Record<string, unknown>): Application {
    const p = this.people.get(participantId);
    if (!p || p.retiredInto) throw notFound();
    const a = this.acceptedOf(lp, participantId).find((x) => x.course === attrs.course_identifier);
    if (!this.acceptedOf(lp, participantId).length) throw notFound();
    if (!a) throw unprocessable('participant_id', "Your update cannot be made as an accepted application cannot be found for the given '#/participant_id' and '#/course_identifier'.");
    return a;
  }

  private changeStatus(lp: LeadProvider, a: Application, state: TrainingStatus, reason: string | null, now: Date): Application {
    Object.assign(a, { trainingStatus: state, updatedAt: now });
    this.recordState({ applicationId: a.id, leadProviderId: lp.id, state, reason, at: now });
    return a;
  }

  defer(lp: LeadProvider, participantId: string, body: unknown, now: Date): Person {
    const attrs = attributesOf(body);
    const a = this.enrolmentFor(lp, participantId, attrs);
    if (attrs.reason === undefined || attrs.reason === '') throw unprocessable('reason', "The property '#/reason' must be present");
    if (!(DEFERRAL_REASONS as readonly unknown[]).includes(attrs.reason)) throw unprocessable('reason', "The property '#/reason' must be a valid reason");
    if (a.trainingStatus === 'deferred') throw unprocessable('participant_id', 'The participant is already deferred');
    if (a.trainingStatus === 'withdrawn') throw unprocessable('participant_id', 'The participant is already withdrawn');
    if (!this.declarationsOnApplication(a.id).length) throw unprocessable('participant_id', 'You cannot defer an NPQ participant that has no declarations');
    this.changeStatus(lp, a, 'deferred', attrs.reason as string, now);
    return this.people.get(participantId)!;
  }

  resume(lp: LeadProvider, participantId: string, body: unknown, now: Date): Person {
    const attrs = attributesOf(body);
    const a = this.enrolmentFor(lp, participantId, attrs);
    if (a.trainingStatus === 'active') throw unprocessable('participant_id', 'The participant is already active');
    this.changeStatus(lp, a, 'active', null, now);
    return this.people.get(participantId)!;
  }

  withdraw(lp: LeadProvider, participantId: string, body: unknown, now: Date): Person {
    const attrs = attributesOf(body);
    const a = this.enrolmentFor(lp, participantId, attrs);
    if (attrs.reason === undefined || attrs.reason === '') throw unprocessable('reason', "The property '#/reason' must be present");
    if (!(WITHDRAWAL_REASONS as readonly unknown[]).includes(attrs.reason)) throw unprocessable('reason', "The property '#/reason' must be a valid reason");
    if (a.trainingStatus === 'withdrawn') throw unprocessable('participant_id', 'The participant is already withdrawn');
    if (!this.declarationsOnApplication(a.id).some((d) => d.type === 'started')) throw unprocessable('participant_id', 'An NPQ participant who has not got a started declaration cannot be withdrawn. Please contact support for assistance');
    this.changeStatus(lp, a, 'withdrawn', attrs.reason as string, now);
    return this.people.get(participantId)!;
  }

  changeSchedule(lp: LeadProvider, participantId: string, body: unknown, now: Date): Person {
    const attrs = attributesOf(body);
    const a = this.enrolmentFor(lp, participantId, attrs);
    const year = typeof attrs.cohort === 'string' && attrs.cohort ? Number(attrs.cohort) : this.cohort(a.cohort)!.startYear;
    // Looked up among the cohorts of that start year, the latest suffix first (§4.3).
    const target = SCHEDULES.filter((s) => this.cohort(s.cohort)?.startYear === year && s.identifier === attrs.schedule_identifier).sort((x, y) => y.cohort.localeCompare(x.cohort))[0];
    if (!target) throw unprocessable('schedule_identifier', "The property '#/schedule_identifier' must be present");
    if (target.cohort === a.cohort && target.identifier === a.schedule) throw unprocessable('schedule_identifier', 'The participant already has the specified schedule');
    if (a.trainingStatus === 'withdrawn') throw unprocessable('participant_id', 'The participant is already withdrawn');
    if (target.group !== COURSE_GROUPS[a.course]) throw unprocessable('schedule_identifier', 'The selected schedule is not valid for the course');
    const live = this.declarationsOnApplication(a.id).filter((d) => BILLABLE_OR_SUBMITTED.includes(d.state));
    if (live.some((d) => !target.allowed.includes(d.type) || new Date(d.date) <= new Date(`${target.appliesFrom}T00:00:00Z`))) throw unprocessable('schedule_identifier', 'Changing schedule would invalidate existing declarations. Please void them first.');
    if (target.cohort !== a.cohort) {
      if (live.length) throw unprocessable('cohort', "You cannot change the '#/cohort' field when there are submitted, eligible, payable, or paid declarations in the new cohort");
      const from = this.cohort(a.cohort)!;
      const to = this.cohort(target.cohort)!;
      if (from.funding === 'capped' && to.funding === 'full') throw unprocessable('cohort', "You cannot change the '#/cohort' field from one with a funding cap to one without a funding cap");
      if (from.funding === 'zero' && to.funding !== 'zero') throw unprocessable('cohort', "You cannot change the '#/cohort' field from one that is not funded to with that is funded");
      a.fundedPlace = to.funding === 'zero' ? false : from.funding === 'full' && to.funding === 'capped' ? a.eligibleForFunding : a.fundedPlace;
    }
    Object.assign(a, { cohort: target.cohort, schedule: target.identifier, updatedAt: now });
    return this.people.get(participantId)!;
  }

  /** The latest status change this lead provider made to an application, for `withdrawal` and `deferral` (§1.2). */
  latestStateBy(lp: LeadProvider, applicationId: string): ApplicationState | undefined {
    return (this.statesByApplication.get(applicationId) ?? []).filter((s) => s.leadProviderId === lp.id).at(-1);
  }

  // ——— Declarations (§2) ———

  /** Whether DfE pays for an application (§2.6). */
  fundable(a: Application): boolean {
    return a.eligibleForFunding && !a.ineligibleForFundingReason && a.fundedPlace !== false;
  }

  private openStatement(lp: LeadProvider, cohort: string, today: string): Statement | undefined {
    return [...this.statements.values()].filter((s) => s.leadProviderId === lp.id && s.outputFee && s.state === 'open' && s.cohort === cohort && s.cutOffDate >= today).sort((x, y) => x.cutOffDate.localeCompare(y.cutOffDate))[0];
  }

  /** POST /participant-declarations, validated in DfE's order, one error at a time (§2.4). */
  declare(lp: LeadProvider, body: unknown, now: Date): Declaration {
    const attrs = attributesOf(body);
    const participantId = String(attrs.participant_id ?? '');
    const person = this.people.get(participantId);
    if (person?.retiredInto) throw unprocessable('participant_id', `The participant_id '${participantId}' has been replaced with '${person.retiredInto}'.`);
    const accepted = person ? this.acceptedOf(lp, participantId) : [];
    if (!accepted.length) throw unprocessable('participant_id', "Your update cannot be made as the '#/participant_id' is not recognised. Check participant details and try again.");
    const a = accepted.find((x) => sameCourse(x.course, String(attrs.course_identifier)));
    const date = String(attrs.declaration_date ?? '');
    if (a) {
      const last = this.latestStateBy(lp, a.id);
      if (last?.state === 'withdrawn' && isRfc3339(date) && new Date(date) >= last.at) throw unprocessable('declaration_date', `This participant withdrew from this course on ${rfc3339(last.at)}. Enter a '#/declaration_date' that's on or before the withdrawal date.`);
    }
    if (!a) throw unprocessable('course_identifier', "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.");
    if (!isRfc3339(date)) throw unprocessable('declaration_date', "Enter a valid RFC3339 '#/declaration_date'.");
    const schedule = this.schedule(a.cohort, a.schedule);
    if (!schedule) throw unprocessable('schedule_identifier', 'The application is missing a schedule.');
    if (new Date(date) < new Date(`${schedule.appliesFrom}T00:00:00Z`)) throw unprocessable('declaration_date', "Enter a '#/declaration_date' that's on or after the schedule start.");
    if (new Date(date) > now) throw unprocessable('declaration_date', "The '#/declaration_date' value cannot be a future date. Check the date and try again.");
    const type = attrs.declaration_type as DeclarationType;
    if (!DECLARATION_TYPES.includes(type) || !schedule.allowed.includes(type)) throw unprocessable('declaration_type', "The property '#/declaration_type' does not exist for this schedule.");
    const today = now.toISOString().slice(0, 10);
    const existing = this.declarationsOnApplication(a.id);
    const statement = this.openStatement(lp, a.cohort, today);
    if ((this.fundable(a) || existing.some((d) => ['eligible', 'payable', 'paid'].includes(d.state))) && !statement) throw unprocessable('cohort', `You cannot submit or void declarations for the ${this.cohort(a.cohort)!.startYear} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.`);
    let hasPassed: boolean | null = null;
    if (type === 'completed' && hasOutcomes(a.course)) {
      const v = attrs.has_passed;
      if (v === true || v === 'true') hasPassed = true;
      else if (v === false || v === 'false') hasPassed = false;
      else throw unprocessable('has_passed', "Enter 'true' or 'false' in the '#/has_passed' field to indicate whether this participant has passed or failed their course.");
    }
    if (existing.some((d) => d.type === type && BILLABLE_OR_SUBMITTED.includes(d.state))) throw unprocessable('base', 'A declaration has already been submitted that will be, or has been, paid for this event');
    const cohort = this.cohort(a.cohort)!;
    const dp = attrs.delivery_partner_id as string | undefined;
    const dp2 = attrs.secondary_delivery_partner_id as string | undefined;
    if (!a.teacherCatchment && dp) throw unprocessable('delivery_partner_id', "The property '#/delivery_partner_id' cannot be specified for Applications from outside of England");
    if (!a.teacherCatchment && dp2) throw unprocessable('secondary_delivery_partner_id', "The property '#/secondary_delivery_partner_id' cannot be specified for Applications from outside of England");
    if (a.teacherCatchment && cohort.startYear >= 2024 && !dp) throw unprocessable('delivery_partner_id', "The property '#/delivery_partner_id' must be present");
    for (const [field, id] of [
      ['delivery_partner_id', dp],
      ['secondary_delivery_partner_id', dp2],
    ] as const) {
      if (!id) continue;
      const partner = this.deliveryPartners.get(id);
      if (!partner) throw unprocessable(field, `The property '#/${field}' does not exist`);
      if (!partner.partnerships.get(lp.id)?.has(a.cohort)) throw unprocessable(field, `The entered '#/${field}' is not from your list of confirmed Delivery Partners for the Cohort`);
    }
    if (dp2 && dp2 === dp) throw unprocessable('secondary_delivery_partner_id', "The property '#/secondary_delivery_partner_id' cannot have the same value as the property '#/delivery_partner_id'");
    const d: Declaration = { id: randomUUID(), applicationId: a.id, leadProviderId: lp.id, personId: participantId, type, date, course: a.course, cohort: a.cohort, state: 'submitted', deliveryPartnerId: dp ?? null, secondaryDeliveryPartnerId: dp2 ?? null, statementId: null, clawbackStatementId: null, ineligibleForFundingReason: null, createdAt: now, updatedAt: now };
    const duplicatePerson = person!.trnVerified && person!.trn && [...this.declarations.values()].some((o) => o.type === type && sameCourse(o.course, a.course) && o.personId !== participantId && BILLABLE_OR_SUBMITTED.includes(o.state) && this.people.get(o.personId)?.trn === person!.trn);
    if (duplicatePerson) Object.assign(d, { state: 'ineligible', ineligibleForFundingReason: 'duplicate_declaration' });
    else if (this.fundable(a)) Object.assign(d, { state: 'eligible', statementId: statement!.id });
    this.declarations.set(d.id, d);
    if (hasPassed !== null) this.outcomes.push({ id: randomUUID(), declarationId: d.id, state: hasPassed ? 'passed' : 'failed', completionDate: new Date(date).toISOString().slice(0, 10), createdAt: now });
    return d;
  }

  declarationOf(lp: LeadProvider, id: string): Declaration {
    const d = this.declarations.get(id);
    if (!d || !this.declarationsOf(lp).includes(d)) throw notFound();
    return d;
  }

  /** PUT …/void (§2.7): voided before payment; awaiting clawback on the next open statement after. */
  voidDeclaration(lp: LeadProvider, id: string, now: Date): Declaration {
    const d = this.declarationOf(lp, id);
    if (d.leadProviderId !== lp.id) throw new DfeRefusal(403, { errors: [{ title: 'Cannot modify declaration', detail: 'The declaration cannot be modified because it was created by another lead provider' }] });
    if (d.state === 'voided') throw unprocessable('declaration', 'This declaration has already been voided.');
    if (d.state === 'awaiting_clawback' || d.state === 'clawed_back') throw unprocessable('declaration', 'The declaration will or has been be refunded.');
    if (VOIDABLE.includes(d.state)) Object.assign(d, { state: 'voided', statementId: null, updatedAt: now });
    else {
      const statement = this.openStatement(lp, d.cohort, now.toISOString().slice(0, 10));
      if (!statement) throw unprocessable('cohort', `You cannot submit or void declarations for the ${this.cohort(d.cohort)!.startYear} cohort. The funding contract for this cohort has ended. Get in touch if you need to discuss this with us.`);
      Object.assign(d, { state: 'awaiting_clawback', clawbackStatementId: statement.id, updatedAt: now });
    }
    if (d.type === 'completed' && hasOutcomes(d.course) && this.outcomes.some((o) => o.declarationId === d.id)) this.outcomes.push({ id: randomUUID(), declarationId: d.id, state: 'voided', completionDate: d.date.slice(0, 10), createdAt: now });
    return d;
  }

  // ——— Outcomes (§3) ———

  /** Outcomes on declarations this lead provider made, oldest first. */
  outcomesOf(lp: LeadProvider): Outcome[] {
    return this.outcomes.filter((o) => this.declarations.get(o.declarationId)?.leadProviderId === lp.id);
  }

  recordOutcome(lp: LeadProvider, participantId: string, body: unknown, now: Date): Outcome {
    const attrs = attributesOf(body);
    const p = this.people.get(participantId);
    if (!p || p.retiredInto || !this.acceptedOf(lp, participantId).length) throw notFound();
    if (!hasOutcomes(String(attrs.course_identifier))) throw unprocessable('course_identifier', "The entered '#/course_identifier' is not recognised for the given participant. Check details and try again.");
    if (attrs.state !== 'passed' && attrs.state !== 'failed') throw unprocessable('state', "The attribute '#/state' can only include 'passed' or 'failed' values. If you need to void an outcome, you will need to void the associated 'completed' declaration.");
    const date = String(attrs.completion_date ?? '');
    const ymd = /(\d{4})-(\d{2})-(\d{2})/.exec(date);
    if (!ymd || !realDate(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]))) throw unprocessable('completion_date', "Enter a valid RFC3339 '#/completion_date'.");
    if (ymd[0] > now.toISOString().slice(0, 10)) throw unprocessable('completion_date', "The property '#/completion_date' cannot be a future date.");
    const completed = [...this.declarations.values()].filter((d) => d.personId === participantId && d.type === 'completed' && d.course === attrs.course_identifier && ['submitted', 'eligible', 'payable', 'paid', 'ineligible'].includes(d.state) && (d.leadProviderId === lp.id || this.applications.get(d.applicationId)?.leadProviderId === lp.id)).at(-1);
    if (!completed) throw unprocessable('base', "The participant has not had a 'completed' declaration submitted for them. Therefore you cannot update their outcome.");
    const latest = this.outcomes.filter((o) => o.declarationId === completed.id).at(-1);
    if (latest && latest.state === attrs.state && (latest.state === 'passed' || latest.completionDate === ymd[0])) return latest;
    const outcome: Outcome = { id: randomUUID(), declarationId: completed.id, state: attrs.state, completionDate: ymd[0], createdAt: now };
    this.outcomes.push(outcome);
    completed.updatedAt = now;
    return outcome;
  }

  // ——— What DfE does on its own (the stand-in's controls) ———

  /** DfE merges a duplicate identity (§4.5): every application moves to `into`, the retired id is recorded. */
  mergeParticipants(fromId: string, intoId: string, now: Date): void {
    const from = this.people.get(fromId);
    const into = this.people.get(intoId);
    if (!from || !into || from === into) throw badRequest('Both participants must exist and differ');
    for (const a of this.applicationsOfPerson(fromId)) Object.assign(a, { personId: intoId, updatedAt: now });
    this.byPerson.set(intoId, [...this.applicationsOfPerson(intoId), ...(this.byPerson.get(fromId) ?? []).filter((a) => a.personId === intoId)]);
    this.byPerson.delete(fromId);
    for (const d of this.declarations.values()) if (d.personId === fromId) Object.assign(d, { personId: intoId, updatedAt: now });
    from.retiredInto = intoId;
    this.idChanges.push({ from: fromId, to: intoId, changedAt: now });
  }

  /** DfE moves an accepted application to another lead provider (§4.4): same ids, gone from the old provider's view. */
  transferApplication(applicationId: string, toLeadProviderId: string, now: Date): void {
    const a = this.applications.get(applicationId);
    if (!a || !this.leadProviders.has(toLeadProviderId)) throw badRequest('The application and the lead provider must exist');
    Object.assign(a, { leadProviderId: toLeadProviderId, updatedAt: now });
  }

  /** DfE's nightly job and its payment run (§2.5): a statement past its cut-off becomes payable with its eligible declarations; paid, with its payable ones and the clawbacks on it. */
  runPayments(now: Date, pay: boolean): void {
    const today = now.toISOString().slice(0, 10);
    for (const s of this.statements.values()) {
      if (s.state === 'open' && s.cutOffDate < today) {
        Object.assign(s, { state: 'payable', updatedAt: now });
        for (const d of this.declarations.values()) if (d.statementId === s.id && d.state === 'eligible') Object.assign(d, { state: 'payable', updatedAt: now });
      }
      if (pay && s.state === 'payable') {
        Object.assign(s, { state: 'paid', updatedAt: now });
        for (const d of this.declarations.values()) {
          if (d.statementId === s.id && d.state === 'payable') Object.assign(d, { state: 'paid', updatedAt: now });
          if (d.clawbackStatementId === s.id && d.state === 'awaiting_clawback') Object.assign(d, { state: 'clawed_back', updatedAt: now });
        }
      }
    }
  }
}

/** A time as DfE writes it: RFC 3339 to the second, `+00:00` (§5.4). */
export const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** Whether text is DfE's comma-separated UUIDs (filter[participant_id]). */
export const areUuids = (text: string) => text.split(',').every((id) => UUIDS.test(id.trim()));
