import { and, asc, count, desc, eq, gte, inArray, isNotNull, isNull, ne, or, type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit/audit';
import type { CatalogueService } from '../catalogue/catalogue.service';
import type { Db, Executor } from '../db/client';
import { applications, cohorts, gatewayConfigs } from './enrolment.schema';
import { intakes, qualifications } from '../catalogue/catalogue.schema';
import { users } from '../people/people.schema';
import { enqueueEmail } from '../mail/outbox';
import type { Actor } from '../people/domain/actor';
import { can, ledPartners } from '../people/domain/policy';
import { type Clock, formatDate, ukDate } from '../platform/clock';
import { randomToken, type SecretBox, sha256 } from '../platform/crypto';
import { AppError, ForbiddenError, NotFoundError, UnauthenticatedError, ValidationError } from '../platform/errors';
import { fieldErrors } from '../platform/forms';
import type { CohortsService } from './cohorts.service';
import {
  APPLICATION_EVENTS,
  allows,
  type ApplicationStatus,
  type ApprovalStatus,
  approvalExpiry,
  approvalReminderDue,
  decideAcceptance,
  decideParticipantChange,
  FUNDING_CHOICES,
  type GatewayStatus,
  isOwnAddress,
  OWN_ADDRESS_MESSAGE,
  type ParticipantChange,
  type TrainingStatus,
} from './domain/application';
import { decideGatewayReview, type GatewayReviewInput } from './domain/gateway';
import { TEXT_LIMITS, tooLong } from './domain/text-limits';
import { isTimeZone, UK_TIME_ZONE } from './domain/time-zones';
import { type ApplicationAnswers, firstUnansweredApplicationStep } from './domain/application-journey';
import { toQuestion } from './domain/funding-journey';
import { EMPLOYMENT_TYPES, KINDS_OF_NURSERY, WORK_SETTINGS } from './domain/funding-eligibility';
import { type FundingAnswer, type FundingService, ofstedUrnField } from './funding.service';
import type { ReferenceService } from './reference.service';
import { whenMissing } from '../platform/zod-messages';

export type ApplicationRow = typeof applications.$inferSelect;

/**
 * What is wrong with a line manager as the applicant named them: each field's message, empty when
 * right. `own` are the applicant's addresses: an applicant never names themself.
 */
export function lineManagerErrors(input: { lineManagerName?: string | undefined; lineManagerEmail?: string | undefined }, own: readonly string[]): Record<string, string> {
  const name = (input.lineManagerName ?? '').trim();
  const email = (input.lineManagerEmail ?? '').trim().toLowerCase();
  const errors: Record<string, string> = {};
  if (!name) errors.lineManagerName = 'Enter your line manager’s name';
  else if (name.length > TEXT_LIMITS.name) errors.lineManagerName = tooLong('Your line manager’s name', TEXT_LIMITS.name);
  if (!email) errors.lineManagerEmail = 'Enter your line manager’s email address';
  else if (email.length > TEXT_LIMITS.email) errors.lineManagerEmail = tooLong('Their email address', TEXT_LIMITS.email);
  else if (!z.email().safeParse(email).success) errors.lineManagerEmail = 'Enter an email address in the correct format, like head@school.org.uk';
  else if (own.some((mine) => mine && isOwnAddress(mine, email))) errors.lineManagerEmail = OWN_ADDRESS_MESSAGE;
  return errors;
}
export type GatewayConfig = typeof gatewayConfigs.$inferSelect;

export interface InboxFilter {
  status?: ApplicationStatus | undefined;
  /** Any of these statuses (the API's "rejected" is rejected or withdrawn). */
  statuses?: readonly ApplicationStatus[] | undefined;
  course?: string | undefined;
  cohortId?: string | undefined;
  deliveryPartnerId?: string | undefined;
  funding?: 'eligible' | 'not_eligible' | undefined;
  gateway?: GatewayStatus | undefined;
  approval?: ApprovalStatus | undefined;
  query?: string | undefined;
  updatedSince?: Date | undefined;
  cohortIdentifiers?: string[] | undefined;
  participantIds?: string[] | undefined;
  /** Set from who is asking, never from the request: a partner lead's own partners. */
  deliveryPartnerIds?: string[] | undefined;
}

const limited = (max: number, what: string) => z.string().trim().max(max, tooLong(what, max));

/** An application as the API and the direct-entry form take it: the journey's fields, DfE's names. */
export const applicationInputSchema = z
  .object({
    full_name: limited(TEXT_LIMITS.name, 'The full name').min(1, 'Enter the applicant’s full name'),
    email: z.string({ error: whenMissing('Enter the applicant’s email address') }).trim().toLowerCase().max(TEXT_LIMITS.email, tooLong('The email address', TEXT_LIMITS.email)).email('Enter an email address in the correct format'),
    teacher_reference_number: z
      .string()
      .trim()
      .regex(/^\d{7}$/, 'A teacher reference number is 7 digits')
      .nullish()
      .meta({ description: 'Null or absent for someone without a TRN yet: DfE gives them one later' }),
    course_identifier: z.string({ error: whenMissing('Enter the NPQ') }).trim().min(1).max(80),
    intake_id: z.uuid({ error: 'Enter the intake’s id' }),
    works_in_england: z.boolean({ error: 'Say whether the applicant works in England' }),
    work_setting: z.enum(WORK_SETTINGS),
    school_urn: z.string().trim().regex(/^\d{6}$/, 'A school URN is 6 digits').optional(),
    kind_of_nursery: z.enum(KINDS_OF_NURSERY).optional(),
    private_childcare_provider_urn: ofstedUrnField().optional(),
    employment_type: z.enum(EMPLOYMENT_TYPES).optional(),
    itt_provider: limited(TEXT_LIMITS.ittProvider, 'The ITT provider’s name').optional(),
    new_headteacher: z.boolean().default(false),
    referred_by_return_to_teaching_adviser: z.boolean().default(false),
    employment_role: limited(TEXT_LIMITS.role, 'The job title').min(1, 'Enter the applicant’s role'),
    employer_name: limited(TEXT_LIMITS.employer, 'The employer’s name').optional(),
    line_manager_name: limited(TEXT_LIMITS.name, 'The line manager’s name').min(1, 'Enter the line manager’s name'),
    line_manager_email: z.string().trim().toLowerCase().max(TEXT_LIMITS.email, tooLong('The line manager’s email address', TEXT_LIMITS.email)).email('Enter the line manager’s email address'),
    time_zone: z.string().trim().max(60).optional().meta({ description: 'IANA name, for distance learning; UK time when absent' }),
    funding_choice: z.enum(FUNDING_CHOICES).optional(),
    school_approved: z.boolean().default(false).meta({ description: 'True when the school’s approval was obtained outside this service: no email is sent' }),
  })
  // An applicant never approves their own application.
  .refine((i) => !isOwnAddress(i.email, i.line_manager_email), { path: ['line_manager_email'], message: 'The line manager’s email address must not be the applicant’s own' })
  .meta({ id: 'ApplicationInput' });
export type ApplicationInput = z.infer<typeof applicationInputSchema>;

const SCHOOL_SETTINGS = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);
const PAST_TENSE: Record<ParticipantChange, string> = { defer: 'deferred', resume: 'resumed', withdraw: 'withdrawn', move: 'moved' };

export interface ApplicationsDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  catalogue: CatalogueService;
  cohorts: CohortsService;
  funding: FundingService;
  reference: ReferenceService;
  baseUrl: string;
  providerName: string;
  /** True when no other process can change the database (the embedded PGlite): cached pages then last until a change. */
  soleWriter?: boolean;
  /** False: every inbox and API page and count is read from the database, as staff see it after a decision (INBOX_CACHE=off; ADR 0034). */
  pageCache?: boolean;
}

/**
 * Inbox pages and counts are kept a few seconds per filter and page. Every change made through this
 * service clears them at once, so a decision shows immediately in this process and within
 * LIST_CACHE_MS in another (ADR 0010).
 */
const LIST_CACHE_MS = 5_000;
/** The embedded database belongs to this one process, so every change passes through here: keep pages until one. */
const UNTIL_CHANGED = Number.POSITIVE_INFINITY;
const LIST_CACHE_MAX = 2_000;
/**
 * Pages longer than this are never kept: an API client's 3,000-row pages are read once each as it
 * syncs, and keeping them held hundreds of megabytes for nothing (ADR 0034).
 */
const CACHED_PAGE_MAX = 500;

export function createApplicationsService(deps: ApplicationsDeps) {
  const { db, clock, catalogue } = deps;
  const now = () => clock.now();
  const cacheMs = deps.pageCache === false ? 0 : deps.soleWriter ? UNTIL_CHANGED : LIST_CACHE_MS;
  const listCache = new Map<string, { until: number; refreshing?: boolean; value: Promise<{ rows: ApplicationRow[]; total: number }> }>();
  // A filter's count is the same on each of its pages: kept once per filter, not once per page (ADR 0034).
  const countCache = new Map<string, { until: number; value: Promise<number> }>();
  // Bumped on every change, so a refresh begun before a change never stores what it read.
  let listGeneration = 0;
  let labels: { until: number; value: Promise<Map<string, CohortLabel>> } | undefined;
  const changed = () => {
    listGeneration++;
    listCache.clear();
    countCache.clear();
    labels = undefined;
  };
  /** Every change runs in one transaction, after which cached inbox pages are dropped. */
  const write = async <T>(work: Parameters<typeof db.transaction<T>>[0]): Promise<T> => {
    try {
      return await db.transaction(work);
    } finally {
      changed();
    }
  };

  // Every signed-in home page reads it: the SQL is built once, and planned once per connection (ADR 0034).
  const myApplicationsQuery = db.select().from(applications).where(eq(applications.userId, sql.placeholder('userId'))).orderBy(desc(applications.createdAt)).prepare('my_applications');

  const requireApplicant = (actor: Actor) => {
    if (actor.kind !== 'user' || !actor.fullySignedIn) throw new UnauthenticatedError();
    return actor;
  };
  const requireManager = (actor: Actor) => {
    if (!can(actor, 'applications:manage')) throw new ForbiddenError();
  };
  /**
   * Who may read applications, and which: the provider all of them; a delivery partner lead only
   * those placed with their own partners (and never another partner's); anyone else none.
   */
  const readScope = (actor: Actor): { all: true } | { partners: string[] } => {
    if (can(actor, 'applications:manage')) return { all: true };
    const partners = ledPartners(actor);
    if (partners.length) return { partners };
    throw new ForbiddenError();
  };
  const requireReviewer = (actor: Actor) => {
    if (!can(actor, 'gateway:review')) throw new ForbiddenError();
  };
  const refuse = (code: string, message: string, status = 422) => new AppError(code, message, status);

  async function intakeById(id: string) {
    const [row] = await db.select().from(intakes).where(eq(intakes.id, id));
    return row;
  }
  async function courseNamed(identifier: string) {
    return (await catalogue.list()).find((c) => c.identifier === identifier);
  }
  /** Intakes an applicant may choose now: not retired, deadline not passed, with a cohort. */
  async function openIntakes(course: string) {
    const today = ukDate(now());
    return db
      .select({ intake: intakes })
      .from(intakes)
      .innerJoin(qualifications, eq(qualifications.id, intakes.qualificationId))
      .where(and(eq(qualifications.identifier, course), isNull(intakes.retiredAt), gte(intakes.applicationDeadline, today), isNotNull(intakes.cohortIdentifier)))
      .orderBy(asc(intakes.startDate))
      .then((rows) => rows.map((r) => r.intake));
  }

  async function mine(actor: Actor, id: string): Promise<ApplicationRow> {
    const me = requireApplicant(actor);
    const [row] = await db.select().from(applications).where(and(eq(applications.id, id), eq(applications.userId, me.userId)));
    if (!row) throw new NotFoundError('application');
    return row;
  }

  async function gatewayConfig(course: string): Promise<GatewayConfig | undefined> {
    const [row] = await db.select().from(gatewayConfigs).where(eq(gatewayConfigs.courseIdentifier, course));
    return row;
  }

  /**
   * Checks an application's facts against the catalogue, intake and funding rules; the columns to store.
   * `person` is who the application belongs to, for "funded once per NPQ" and the own-address rule.
   */
  async function assess(i: ApplicationInput, person: { userId?: string | null | undefined; accountEmail?: string | undefined; exceptApplicationId?: string | undefined } = {}) {
    if (person.accountEmail && isOwnAddress(person.accountEmail, i.line_manager_email)) throw new ValidationError({ line_manager_email: 'The line manager’s email address must not be the applicant’s own' });
    const course = await courseNamed(i.course_identifier);
    if (!course) throw new ValidationError({ course_identifier: `We do not offer an NPQ with the identifier ${i.course_identifier}` });
    const intake = await intakeById(i.intake_id);
    if (!intake || intake.retiredAt || intake.qualificationId !== course.id) throw new ValidationError({ intake_id: `Choose one of the ${course.shortName}’s intakes` });
    if (!intake.cohortIdentifier) throw new ValidationError({ intake_id: 'That intake has no cohort yet: choose another' });
    if (intake.applicationDeadline < ukDate(now())) throw new ValidationError({ intake_id: `Applications for ${intake.name} closed on ${formatDate(intake.applicationDeadline)}` });
    const cohort = await deps.cohorts.byIdentifier(intake.cohortIdentifier);
    if (!cohort) throw new ValidationError({ intake_id: 'That intake’s cohort does not exist' });
    if (i.time_zone && !isTimeZone(i.time_zone)) throw new ValidationError({ time_zone: 'Choose a time zone from the list' });
    // The application carries the funding question's own fields by their API names; the check ignores the rest.
    const fundedBefore = await deps.funding.previouslyFunded({ trn: i.teacher_reference_number, userId: person.userId, exceptApplicationId: person.exceptApplicationId }, course.identifier);
    const answer: FundingAnswer = await deps.funding.check({ ...i, teacher_reference_number: undefined, cohort: cohort.identifier }, { previouslyFunded: fundedBefore });
    if (!answer.funded && !i.funding_choice) throw new ValidationError({ funding_choice: 'DfE will not fund this: say who will pay' });
    const school = i.school_urn && (SCHOOL_SETTINGS.has(i.work_setting) || i.kind_of_nursery) ? await deps.reference.school(Number(i.school_urn)) : undefined;
    const gateway = await gatewayConfig(course.identifier);
    return {
      course,
      intake,
      cohort,
      answer,
      columns: {
        fullName: i.full_name,
        email: i.email,
        teacherReferenceNumber: i.teacher_reference_number ?? null,
        courseIdentifier: course.identifier,
        cohortId: cohort.id,
        intakeId: intake.id,
        deliveryPartnerId: intake.deliveryPartnerId,
        deliveryMode: intake.deliveryMode,
        // Live sessions are in UK time unless someone abroad said otherwise.
        timeZone: intake.deliveryMode === 'distance' ? (i.time_zone ?? UK_TIME_ZONE) : null,
        worksInEngland: i.works_in_england,
        workSetting: i.work_setting,
        schoolUrn: school ? String(school.urn) : null,
        schoolUkprn: school?.ukprn ?? null,
        employerName: i.employer_name ?? school?.name ?? null,
        employmentRole: i.employment_role,
        employmentType: i.employment_type ?? null,
        kindOfNursery: i.kind_of_nursery ?? null,
        privateChildcareProviderUrn: i.private_childcare_provider_urn ?? null,
        ittProvider: i.itt_provider ?? null,
        newHeadteacher: i.new_headteacher,
        lineManagerName: i.line_manager_name,
        lineManagerEmail: i.line_manager_email,
        fundingChoice: answer.funded ? null : (i.funding_choice ?? null),
        eligibleForFunding: answer.funded,
        fundingStatusCode: answer.status_code,
        subjectToReview: answer.subject_to_review,
        gatewayStatus: (gateway ? 'awaiting_submission' : 'not_required') as GatewayStatus,
      },
    };
  }

  /** Starts (or restarts) the line manager's approval: a fresh link, valid APPROVAL_VALID_DAYS. */
  async function requestApproval(tx: Executor, app: ApplicationRow, courseName: string) {
    const token = randomToken();
    const at = now();
    await tx
      .update(applications)
      .set({ approvalStatus: 'pending', approvalTokenHash: sha256(token), approvalTokenSealed: deps.secrets.seal(token), approvalRequestedAt: at, approvalExpiresAt: approvalExpiry(at), approvalRemindersSent: 0, approvalLastRemindedAt: null, approvalDecidedAt: null, approvalComment: null, updatedAt: at })
      .where(eq(applications.id, app.id));
    await enqueueEmail(tx, clock, approvalEmail(app, courseName, token, approvalExpiry(at), false));
  }

  function approvalEmail(app: ApplicationRow, courseName: string, token: string, expires: Date, reminder: boolean) {
    return {
      to: app.lineManagerEmail ?? '',
      subject: `${reminder ? 'Reminder: ' : ''}${app.fullName} asks you to approve their NPQ application`,
      body: `Hello ${app.lineManagerName ?? ''},\n\n${app.fullName} has applied to ${deps.providerName} for the ${courseName} and named you as their line manager. The course needs your school's support: time to study, attend sessions and complete a school-based project.\n\nPlease approve or decline their application (no account needed):\n${deps.baseUrl}/school-approval/${token}\n\nThe link works until ${formatDate(expires)}. If you did not expect this email, you can ignore it.\n`,
    };
  }

  /** How the intake the answers chose is delivered: the journey asks the time zone only for distance learning. */
  const intakeModeFor = async (answers: ApplicationAnswers) => {
    const intake = answers.intakeId ? await intakeById(answers.intakeId) : undefined;
    return (id: string) => (intake && intake.id === id ? intake.deliveryMode : undefined);
  };

  /** The answers a draft holds, as the application the API would take. */
  function inputFromAnswers(a: ApplicationAnswers, actor: { email: string }): unknown {
    // The funding questions are asked as in the checker, so they map to the API the same way.
    const { cohort: _unused, ...question } = toQuestion(a);
    return {
      ...question,
      teacher_reference_number: a.noTrn ? null : a.trn,
      full_name: a.fullName,
      email: actor.email,
      intake_id: a.intakeId,
      employment_role: a.employmentRole,
      employer_name: a.employerName || undefined,
      line_manager_name: a.lineManagerName,
      line_manager_email: a.lineManagerEmail,
      time_zone: a.timeZone,
      funding_choice: a.fundingChoice,
    };
  }


  /**
   * The school or setting the applicant named, as the line manager and the provider need to see it:
   * a school from GIAS by its URN, or a childcare provider by its Ofsted URN, or their employer.
   */
  async function workplaceOf(app: ApplicationRow): Promise<{ name: string; urn: string | null; town: string | null; kind: 'school' | 'childcare' | 'employer' } | null> {
    if (app.schoolUrn) {
      const school = await deps.reference.school(Number(app.schoolUrn));
      return { name: school?.name ?? app.employerName ?? 'A school', urn: app.schoolUrn, town: school?.town ?? null, kind: 'school' };
    }
    if (app.privateChildcareProviderUrn) return { name: app.employerName ?? 'A childcare provider registered with Ofsted', urn: app.privateChildcareProviderUrn, town: null, kind: 'childcare' };
    if (app.employerName) return { name: app.employerName, urn: null, town: null, kind: 'employer' };
    return null;
  }

  /** The provider's reason for a rejection, as stored and shown to the applicant; raises when missing or too long. */
  function rejectionText(reason: string | undefined): string {
    const text = (reason ?? '').trim();
    if (!text) throw new ValidationError({ reason: 'Give the reason for rejecting the application' });
    if (text.length > TEXT_LIMITS.reason) throw new ValidationError({ reason: tooLong('The reason', TEXT_LIMITS.reason) });
    return text;
  }

  /** Raises unless a live application may be rejected now. */
  function mayReject(app: ApplicationRow) {
    if (app.status === 'accepted') throw refuse('application_already_accepted', 'An accepted application cannot be rejected: withdraw the participant instead');
    if (!allows('reject', app.status)) throw refuse('application_withdrawn', 'The applicant withdrew this application: there is nothing to reject');
  }

  /** The training status a change leads to; raises the refusal (or the missing reason) otherwise. */
  function participantDecision(app: ApplicationRow, change: ParticipantChange, reason: string | undefined): TrainingStatus {
    const decision = decideParticipantChange(change, app.status === 'accepted' ? (app.trainingStatus as TrainingStatus) : null, reason);
    if (decision.ok) return decision.to;
    if (decision.code === 'reason_required') throw new ValidationError({ reason: decision.message });
    throw refuse(decision.code, decision.message);
  }

  async function placedIn(tx: Executor, intakeId: string, exceptId?: string) {
    const [row] = await tx
      .select({ n: count() })
      .from(applications)
      .where(and(eq(applications.intakeId, intakeId), eq(applications.status, 'accepted'), inArray(applications.trainingStatus, ['active', 'deferred']), eq(applications.onWaitingList, false), exceptId ? ne(applications.id, exceptId) : undefined));
    return row?.n ?? 0;
  }

  /** When a place in an intake frees up, the longest-waiting person on its list takes it. */
  async function promoteFromWaitingList(tx: Executor, intakeId: string) {
    const intake = (await tx.select().from(intakes).where(eq(intakes.id, intakeId)))[0];
    if (!intake || intake.capacity === null) return;
    if ((await placedIn(tx, intakeId)) >= intake.capacity) return;
    const [next] = await tx
      .select()
      .from(applications)
      .where(and(eq(applications.intakeId, intakeId), eq(applications.onWaitingList, true), eq(applications.status, 'accepted'), eq(applications.trainingStatus, 'active')))
      .orderBy(asc(applications.decidedAt))
      .limit(1);
    if (!next) return;
    await tx.update(applications).set({ onWaitingList: false, updatedAt: now() }).where(eq(applications.id, next.id));
    await enqueueEmail(tx, clock, { to: next.email, subject: 'You have a place on your NPQ', body: `Hello ${next.fullName},\n\nA place has come up in ${intake.name}, starting on ${formatDate(intake.startDate)}, and it is yours. We will be in touch about your first session.\n` });
  }

  /**
   * The ids of the cohorts named by identifier or start year, looked up before the page is read, so the
   * planner sees the ids and reads one cohort's applications in order from its index (ADR 0034).
   */
  const cohortIdsNamed = async (identifiers: string[]): Promise<string[]> =>
    identifiers.length === 0 ? [] : (await db.select({ id: cohorts.id }).from(cohorts).where(or(inArray(cohorts.identifier, identifiers), inArray(sql`${cohorts.startYear}::text`, identifiers)))).map((r) => r.id);

  const whereOf = (f: InboxFilter, cohortIds: string[] | undefined): SQL | undefined => {
    const where: (SQL | undefined)[] = [f.status ? eq(applications.status, f.status) : f.statuses?.length ? inArray(applications.status, [...f.statuses]) : ne(applications.status, 'draft')];
    if (f.course) where.push(eq(applications.courseIdentifier, f.course));
    if (f.cohortId) where.push(eq(applications.cohortId, f.cohortId));
    // A filter given is a filter kept: an empty list matches nothing rather than everything.
    if (cohortIds) where.push(cohortIds.length === 0 ? sql`false` : inArray(applications.cohortId, cohortIds));
    // An application made without an account has its own id as the participant's id.
    if (f.participantIds) where.push(f.participantIds.length === 0 ? sql`false` : or(inArray(applications.userId, f.participantIds), and(isNull(applications.userId), inArray(applications.id, f.participantIds)))!);
    if (f.deliveryPartnerId) where.push(eq(applications.deliveryPartnerId, f.deliveryPartnerId));
    if (f.deliveryPartnerIds) where.push(inArray(applications.deliveryPartnerId, f.deliveryPartnerIds.length ? f.deliveryPartnerIds : ['00000000-0000-0000-0000-000000000000']));
    if (f.funding) where.push(eq(applications.eligibleForFunding, f.funding === 'eligible'));
    if (f.gateway) where.push(eq(applications.gatewayStatus, f.gateway));
    if (f.approval) where.push(eq(applications.approvalStatus, f.approval));
    if (f.updatedSince) where.push(gte(applications.updatedAt, f.updatedSince));
    if (f.query) {
      const q = `%${f.query.replace(/[%_\\]/g, '\\$&')}%`;
      // One expression, as the trigram index has it, so the search does not read every row.
      where.push(or(sql`(${applications.fullName} || ' ' || ${applications.email}) ilike ${q}`, eq(applications.teacherReferenceNumber, f.query.trim()))!);
    }
    return and(...where);
  };

  /**
   * How many applications match `where` (counting stops past `countUpTo` when given). Kept per filter
   * while pages are kept, since every page of a filter shows the same count.
   */
  const countOf = (filter: InboxFilter, where: SQL | undefined, countUpTo: number | undefined): Promise<number> => {
    const key = JSON.stringify([filter, countUpTo]);
    const hit = countCache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = (
      countUpTo ? db.select({ n: count() }).from(db.select({ one: sql`1` }).from(applications).where(where).limit(countUpTo + 1).as('capped')) : db.select({ n: count() }).from(applications).where(where)
    ).then(([total]) => total?.n ?? 0);
    if (cacheMs === 0) return value;
    if (countCache.size >= LIST_CACHE_MAX) countCache.clear();
    countCache.set(key, { until: Date.now() + cacheMs, value });
    value.catch(() => countCache.delete(key));
    return value;
  };

  return {
    gatewayConfig,
    openIntakes,
    intakeById,

    /** The DfE schedule of each intake, in one query: a page of the API names up to 3,000 applications. */
    async schedulesOf(intakeIds: string[]): Promise<Map<string, string | null>> {
      const ids = [...new Set(intakeIds)];
      if (!ids.length) return new Map();
      const rows = await db.select({ id: intakes.id, schedule: intakes.schedule }).from(intakes).where(inArray(intakes.id, ids));
      return new Map(rows.map((r) => [r.id, r.schedule]));
    },

    // ── The applicant ──
    async draft(actor: Actor): Promise<ApplicationRow | undefined> {
      const me = requireApplicant(actor);
      const [row] = await db.select().from(applications).where(and(eq(applications.userId, me.userId), eq(applications.status, 'draft')));
      return row;
    },

    /** Opens the applicant's draft, starting one if there is none; at most one exists per person. */
    async startDraft(actor: Actor, course?: string): Promise<ApplicationRow> {
      const me = requireApplicant(actor);
      const existing = await this.draft(actor);
      if (existing) return existing;
      const validCourse = course && (await courseNamed(course)) ? course : undefined;
      const answers: ApplicationAnswers = { fullName: me.name, ...(validCourse ? { course: validCourse } : {}) };
      const at = now();
      await db
        .insert(applications)
        .values({ userId: me.userId, status: 'draft', answers: answers as Record<string, unknown>, fullName: me.name, email: me.email, courseIdentifier: validCourse ?? '', createdAt: at, updatedAt: at })
        .onConflictDoNothing();
      return (await this.draft(actor))!;
    },

    async saveAnswers(actor: Actor, answers: ApplicationAnswers): Promise<void> {
      const me = requireApplicant(actor);
      await db
        .update(applications)
        .set({ answers: answers as Record<string, unknown>, courseIdentifier: answers.course ?? '', fullName: answers.fullName ?? me.name, updatedAt: now() })
        .where(and(eq(applications.userId, me.userId), eq(applications.status, 'draft')));
    },

    async discardDraft(actor: Actor): Promise<void> {
      const me = requireApplicant(actor);
      await db.delete(applications).where(and(eq(applications.userId, me.userId), eq(applications.status, 'draft')));
    },

    /** What DfE's rules say about the signed-in applicant's draft as it stands (for the funding page), their own history included. */
    async fundingFor(actor: Actor, answers: ApplicationAnswers): Promise<FundingAnswer | undefined> {
      const me = requireApplicant(actor);
      if (!answers.intakeId || !answers.course) return undefined;
      const intake = await intakeById(answers.intakeId);
      if (!intake?.cohortIdentifier) return undefined;
      try {
        const fundedBefore = await deps.funding.previouslyFunded({ trn: answers.noTrn ? null : answers.trn, userId: me.userId }, answers.course);
        return await deps.funding.check(toQuestion({ ...answers, cohort: intake.cohortIdentifier }), { previouslyFunded: fundedBefore });
      } catch (err) {
        if (err instanceof ValidationError) return undefined;
        throw err;
      }
    },

    intakeModeFor,

    /**
     * Sends the draft: checks every answer again, records the funding result, asks the line manager to
     * approve. A second submit finds the draft gone and returns the application the first one made.
     */
    async submit(actor: Actor): Promise<ApplicationRow> {
      const me = requireApplicant(actor);
      const draft = await this.draft(actor);
      if (!draft) {
        const [latest] = await db.select().from(applications).where(and(eq(applications.userId, me.userId), ne(applications.status, 'draft'))).orderBy(desc(applications.submittedAt)).limit(1);
        if (latest) return latest;
        throw new NotFoundError('application');
      }
      const answers = draft.answers as ApplicationAnswers;
      if (firstUnansweredApplicationStep(answers, await intakeModeFor(answers)) !== 'check') throw new ValidationError({ answers: 'Answer every question before you send your application' });
      if (!answers.consent) throw new ValidationError({ consent: 'Confirm that we may share your details with DfE' });
      const parsed = applicationInputSchema.safeParse(inputFromAnswers(answers, me));
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
      const { course, columns } = await assess(parsed.data, { userId: me.userId, accountEmail: me.email, exceptApplicationId: draft.id });
      const at = now();
      try {
        return await write(async (tx) => {
          const [row] = await tx
            .update(applications)
            .set({ ...columns, status: 'pending', consentedAt: at, submittedAt: at, updatedAt: at })
            .where(and(eq(applications.id, draft.id), eq(applications.status, 'draft')))
            .returning();
          if (!row) return (await tx.select().from(applications).where(eq(applications.id, draft.id)))[0]!;
          await requestApproval(tx, row, course.name);
          await enqueueEmail(tx, clock, {
            to: row.email,
            subject: `We have your application for the ${course.shortName}`,
            body: `Hello ${row.fullName},\n\nThank you for applying for the ${course.name}. We have asked ${row.lineManagerName} to approve it for your school.${row.gatewayStatus === 'awaiting_submission' ? '\n\nThis NPQ has a gateway assessment: answer its questions from your application page.' : ''}\n\nFollow your application: ${deps.baseUrl}/applications/${row.id}\n`,
          });
          await audit(tx, clock, actor, { action: 'application.submitted', entityType: 'application', entityId: row.id, after: { ...columns } });
          return (await tx.select().from(applications).where(eq(applications.id, row.id)))[0]!;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw new ValidationError({ course: `You have already applied for the ${course.shortName} in this cohort` });
        throw err;
      }
    },

    async myApplications(actor: Actor): Promise<ApplicationRow[]> {
      const me = requireApplicant(actor);
      return myApplicationsQuery.execute({ userId: me.userId });
    },

    mine,

    /**
     * Applications waiting for the signed-in person's answer as line manager, matched by their email
     * address (the address the applicant named), oldest request first, at most 50. They answer through
     * the emailed link, which only the email holds.
     */
    async approvalsAwaiting(actor: Actor): Promise<ApplicationRow[]> {
      const me = requireApplicant(actor);
      return db
        .select()
        .from(applications)
        .where(and(sql`lower(${applications.lineManagerEmail}) = ${me.email.toLowerCase()}`, eq(applications.approvalStatus, 'pending'), eq(applications.status, 'pending')))
        .orderBy(asc(applications.approvalRequestedAt))
        .limit(50);
    },

    /** The applicant names a different line manager, or asks again once a link has expired or been declined. */
    async askApprovalAgain(actor: Actor, id: string, input: { lineManagerName: string; lineManagerEmail: string }): Promise<void> {
      const app = await mine(actor, id);
      if (!allows('askApproval', app.status)) throw refuse('approval_not_open', app.status === 'withdrawn' ? 'You withdrew this application' : 'This application has been decided: there is nothing to approve');
      if (app.approvalStatus === 'approved') throw refuse('approval_not_open', 'Your school has already approved this application');
      const errors = lineManagerErrors(input, [app.email, actor.kind === 'user' ? actor.email : '']);
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const name = input.lineManagerName.trim();
      const email = input.lineManagerEmail.trim().toLowerCase();
      const course = await courseNamed(app.courseIdentifier);
      await write(async (tx) => {
        await tx.update(applications).set({ lineManagerName: name, lineManagerEmail: email }).where(eq(applications.id, app.id));
        await requestApproval(tx, { ...app, lineManagerName: name, lineManagerEmail: email }, course?.name ?? app.courseIdentifier);
        await audit(tx, clock, actor, { action: 'application.approval_requested_again', entityType: 'application', entityId: app.id, before: { lineManagerEmail: app.lineManagerEmail }, after: { lineManagerEmail: email } });
      });
    },

    /**
     * The applicant takes back an application they sent by mistake, before the provider decides it: it
     * becomes `withdrawn` (not a rejection), and every form on it closes. Withdrawing again changes nothing.
     */
    async withdrawMine(actor: Actor, id: string): Promise<ApplicationRow> {
      const app = await mine(actor, id);
      if (app.status === 'withdrawn') return app;
      if (!allows('withdraw', app.status)) throw refuse(app.status === 'accepted' ? 'application_already_accepted' : 'application_decided', app.status === 'accepted' ? 'Your application is accepted: ask us to withdraw you from the course instead' : 'Your application has been decided: there is nothing to withdraw');
      return write(async (tx) => {
        const [row] = await tx
          .update(applications)
          .set({ status: 'withdrawn', decidedAt: now(), updatedAt: now() })
          .where(and(eq(applications.id, app.id), inArray(applications.status, [...APPLICATION_EVENTS.withdraw.from])))
          .returning();
        if (!row) throw refuse('application_decided', 'Your application has just been decided: refresh the page');
        await audit(tx, clock, actor, { action: 'application.withdrawn_by_applicant', entityType: 'application', entityId: app.id, before: { status: app.status }, after: { status: 'withdrawn' } });
        return row;
      });
    },

    // ── The school's approval, through the emailed link ──
    async approvalByToken(token: string) {
      const [app] = await db.select().from(applications).where(eq(applications.approvalTokenHash, sha256(token)));
      if (!app) return undefined;
      const course = await courseNamed(app.courseIdentifier);
      const intake = app.intakeId ? await intakeById(app.intakeId) : undefined;
      const expired = app.approvalStatus === 'expired' || (app.approvalStatus === 'pending' && app.approvalExpiresAt !== null && app.approvalExpiresAt <= now());
      return { app, course, intake, expired, workplace: await workplaceOf(app) };
    },

    workplaceOf,

    /**
     * Whether the signed-in person is the applicant: they may not answer their own approval link, or
     * even read it as the approver would.
     */
    isApplicant(actor: Actor | undefined, app: ApplicationRow): boolean {
      return actor?.kind === 'user' && (actor.userId === app.userId || isOwnAddress(actor.email, app.email));
    },

    /** The line manager's answer through the emailed link; refused to the applicant themself (403 own_application). */
    async decideApproval(token: string, input: { decision?: string | undefined; comment?: string | undefined; approverName?: string | undefined }, actor?: Actor): Promise<ApplicationRow> {
      const found = await this.approvalByToken(token);
      if (!found || found.expired) throw new AppError('link_expired', 'This link has expired or is not valid', 410);
      if (this.isApplicant(actor, found.app)) throw refuse('own_application', 'You cannot approve your own application: your line manager must answer', 403);
      if (found.app.approvalStatus !== 'pending') throw refuse('already_decided', 'You have already answered for this application', 409);
      if (!allows('decideApproval', found.app.status)) throw refuse('application_closed', 'This application has been withdrawn or decided: there is nothing to approve', 409);
      const errors: Record<string, string> = {};
      const decision = input.decision === 'approve' || input.decision === 'decline' ? input.decision : undefined;
      const comment = (input.comment ?? '').trim();
      const approverName = (input.approverName ?? '').trim();
      if (!decision) errors.decision = 'Select whether you approve this application';
      if (decision === 'decline' && !comment) errors.comment = 'Tell the applicant why you are declining';
      if (comment.length > TEXT_LIMITS.comment) errors.comment = tooLong('Your comment', TEXT_LIMITS.comment);
      if (!approverName) errors.approverName = 'Enter your name';
      else if (approverName.length > TEXT_LIMITS.name) errors.approverName = tooLong('Your name', TEXT_LIMITS.name);
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const at = now();
      const status: ApprovalStatus = decision === 'approve' ? 'approved' : 'declined';
      return write(async (tx) => {
        const [row] = await tx
          .update(applications)
          .set({ approvalStatus: status, approvalDecidedAt: at, approvalComment: comment || null, approverName, approverEmail: found.app.lineManagerEmail, updatedAt: at })
          .where(and(eq(applications.id, found.app.id), eq(applications.approvalStatus, 'pending')))
          .returning();
        if (!row) throw refuse('already_decided', 'You have already answered for this application', 409);
        const courseName = found.course?.name ?? row.courseIdentifier;
        await enqueueEmail(tx, clock, {
          to: row.email,
          subject: status === 'approved' ? 'Your school has approved your NPQ application' : 'Your school has declined your NPQ application',
          body:
            status === 'approved'
              ? `Hello ${row.fullName},\n\n${approverName} has approved your application for the ${courseName}.${comment ? `\n\nTheir comment: ${comment}` : ''}\n\nWhat happens next: ${deps.baseUrl}/applications/${row.id}\n`
              : `Hello ${row.fullName},\n\n${approverName} has declined your application for the ${courseName}.\n\nTheir reason: ${comment}\n\nYou can talk to them, or ask another senior leader to approve it: ${deps.baseUrl}/applications/${row.id}\n`,
        });
        await audit(tx, clock, { kind: 'system', name: `school approver ${approverName.slice(0, 100)}` }, { action: `application.school_${status}`, entityType: 'application', entityId: row.id, after: { approvalStatus: status, comment, approverName, approverEmail: found.app.lineManagerEmail } });
        return row;
      });
    },

    /**
     * Reminds line managers who have not answered, and expires links that ran out. Each change is made
     * with a condition on what was read, so two workers running at once never send the same reminder twice.
     */
    async remindAndExpireApprovals(): Promise<{ reminded: number; expired: number }> {
      const at = now();
      const open = await db.select().from(applications).where(and(eq(applications.status, 'pending'), eq(applications.approvalStatus, 'pending')));
      let reminded = 0;
      let expired = 0;
      for (const app of open) {
        const courseName = (await courseNamed(app.courseIdentifier))?.name ?? app.courseIdentifier;
        if (app.approvalExpiresAt && app.approvalExpiresAt <= at) {
          await write(async (tx) => {
            const [row] = await tx.update(applications).set({ approvalStatus: 'expired', updatedAt: at }).where(and(eq(applications.id, app.id), eq(applications.approvalStatus, 'pending'))).returning();
            if (!row) return;
            expired++;
            await enqueueEmail(tx, clock, {
              to: row.email,
              subject: 'Your school has not answered your NPQ application',
              body: `Hello ${row.fullName},\n\n${row.lineManagerName} did not answer the request to approve your application for the ${courseName}, and the link has expired. You can send the request again, or to someone else: ${deps.baseUrl}/applications/${row.id}\n`,
            });
            await audit(tx, clock, { kind: 'system', name: 'approval reminders' }, { action: 'application.approval_expired', entityType: 'application', entityId: row.id });
          });
        } else if (app.approvalRequestedAt && app.approvalTokenSealed && approvalReminderDue(app.approvalRequestedAt, app.approvalRemindersSent, at)) {
          await write(async (tx) => {
            const [row] = await tx
              .update(applications)
              .set({ approvalRemindersSent: app.approvalRemindersSent + 1, approvalLastRemindedAt: at })
              .where(and(eq(applications.id, app.id), eq(applications.approvalStatus, 'pending'), eq(applications.approvalRemindersSent, app.approvalRemindersSent)))
              .returning();
            if (!row) return;
            reminded++;
            await enqueueEmail(tx, clock, approvalEmail(row, courseName, deps.secrets.open(app.approvalTokenSealed!), row.approvalExpiresAt!, true));
          });
        }
      }
      return { reminded, expired };
    },

    // ── The gateway assessment ──
    async saveGatewayConfig(actor: Actor, course: string, input: { questions: GatewayConfig['questions']; criteria: GatewayConfig['criteria']; passMark: number }): Promise<void> {
      requireManager(actor);
      const errors: Record<string, string> = {};
      if (!(await courseNamed(course))) errors.course = 'Choose an NPQ';
      if (!input.questions.length) errors.questions = 'Add at least one question';
      if (!input.criteria.length) errors.criteria = 'Add at least one criterion, like “Leadership experience | 4”';
      const total = input.criteria.reduce((s, c) => s + c.maxScore, 0);
      if (!Number.isInteger(input.passMark) || input.passMark < 1 || input.passMark > total) errors.passMark = `Enter a pass mark from 1 to ${total || 'the total of the criteria'}`;
      if (Object.keys(errors).length) throw new ValidationError(errors);
      const before = await gatewayConfig(course);
      await write(async (tx) => {
        await tx
          .insert(gatewayConfigs)
          .values({ courseIdentifier: course, ...input, updatedAt: now() })
          .onConflictDoUpdate({ target: gatewayConfigs.courseIdentifier, set: { ...input, updatedAt: now() } });
        await audit(tx, clock, actor, { action: 'gateway.configured', entityType: 'qualification', entityId: course, before, after: input });
      });
    },

    async removeGatewayConfig(actor: Actor, course: string): Promise<void> {
      requireManager(actor);
      const before = await gatewayConfig(course);
      if (!before) return;
      await write(async (tx) => {
        await tx.delete(gatewayConfigs).where(eq(gatewayConfigs.courseIdentifier, course));
        await audit(tx, clock, actor, { action: 'gateway.removed', entityType: 'qualification', entityId: course, before });
      });
    },

    async listGatewayConfigs(): Promise<GatewayConfig[]> {
      return db.select().from(gatewayConfigs).orderBy(asc(gatewayConfigs.courseIdentifier));
    },

    /** Saves the applicant's gateway answers; with `submit`, checks them and sends them for review. */
    async saveGatewayAnswers(actor: Actor, id: string, answers: Record<string, string>, submit: boolean): Promise<ApplicationRow> {
      const app = await mine(actor, id);
      if (!allows('answerGateway', app.status)) throw refuse('gateway_not_open', app.status === 'withdrawn' ? 'You withdrew this application: its gateway assessment is closed' : 'This application has been decided: its gateway assessment is closed');
      if (app.gatewayStatus !== 'awaiting_submission') throw refuse('gateway_not_open', 'Your gateway answers have already been sent');
      const config = await gatewayConfig(app.courseIdentifier);
      if (!config) throw refuse('gateway_not_open', 'This NPQ has no gateway assessment');
      const kept: Record<string, string> = {};
      const errors: Record<string, string> = {};
      for (const q of config.questions) {
        const text = (answers[q.id] ?? '').trim();
        kept[q.id] = text.slice(0, TEXT_LIMITS.gatewayAnswer);
        const words = text ? text.split(/\s+/).length : 0;
        if (text.length > TEXT_LIMITS.gatewayAnswer) errors[q.id] = tooLong('Your answer', TEXT_LIMITS.gatewayAnswer);
        else if (words > q.wordLimit) errors[q.id] = `Your answer is ${words} words: the limit is ${q.wordLimit}`;
        else if (submit && !text) errors[q.id] = `Answer “${q.prompt}”`;
      }
      // Answers are kept even when some are wrong: nothing typed is lost.
      await db.update(applications).set({ gatewayAnswers: kept, updatedAt: now() }).where(and(eq(applications.id, app.id), eq(applications.gatewayStatus, 'awaiting_submission')));
      if (Object.keys(errors).length) throw new ValidationError(errors);
      if (!submit) return { ...app, gatewayAnswers: kept };
      return write(async (tx) => {
        const [row] = await tx
          .update(applications)
          .set({ gatewayStatus: 'submitted', gatewaySubmittedAt: now(), updatedAt: now() })
          .where(and(eq(applications.id, app.id), eq(applications.gatewayStatus, 'awaiting_submission'), inArray(applications.status, [...APPLICATION_EVENTS.answerGateway.from])))
          .returning();
        await audit(tx, clock, actor, { action: 'gateway.submitted', entityType: 'application', entityId: app.id });
        return row ?? app;
      });
    },

    async gatewayQueue(actor: Actor, status: 'submitted' | 'passed' | 'failed', page: number, perPage = 50) {
      requireReviewer(actor);
      // Only live applications wait for review: a withdrawn or decided one has nothing left to review.
      const where = and(eq(applications.gatewayStatus, status), status === 'submitted' ? inArray(applications.status, [...APPLICATION_EVENTS.reviewGateway.from]) : ne(applications.status, 'draft'));
      const [rows, [total]] = await Promise.all([
        db.select().from(applications).where(where).orderBy(asc(applications.gatewaySubmittedAt)).limit(perPage).offset((page - 1) * perPage),
        db.select({ n: count() }).from(applications).where(where),
      ]);
      return { rows, total: total?.n ?? 0 };
    },

    async forReview(actor: Actor, id: string) {
      requireReviewer(actor);
      const [app] = await db.select().from(applications).where(and(eq(applications.id, id), ne(applications.status, 'draft')));
      if (!app || app.gatewayStatus === 'not_required') throw new NotFoundError('gateway assessment');
      const config = await gatewayConfig(app.courseIdentifier);
      if (!config) throw new NotFoundError('gateway assessment');
      return { app, config };
    },

    /**
     * A reviewer scores each criterion and records pass or fail with feedback; the applicant is told. A
     * result against the pass mark needs a reason (decideGatewayReview), kept with the result and in
     * the audit log. Refused (409) once reviewed, or when the application is no longer live.
     */
    async reviewGateway(actor: Actor, id: string, input: GatewayReviewInput): Promise<ApplicationRow> {
      const { app, config } = await this.forReview(actor, id);
      if (!allows('reviewGateway', app.status)) throw refuse('application_closed', app.status === 'withdrawn' ? 'The applicant withdrew this application: there is nothing to review' : 'This application has been decided: there is nothing to review', 409);
      if (app.gatewayStatus !== 'submitted') throw refuse('gateway_not_submitted', app.gatewayStatus === 'awaiting_submission' ? 'The applicant has not sent their answers yet' : 'This gateway assessment has already been reviewed', 409);
      const decision = decideGatewayReview(config.criteria, config.passMark, input);
      if (!decision.ok) throw new ValidationError(decision.errors);
      const { scores, result, feedback, overrideReason, total } = decision;
      const at = now();
      const course = await courseNamed(app.courseIdentifier);
      return write(async (tx) => {
        const [row] = await tx
          .update(applications)
          .set({ gatewayStatus: result, gatewayScores: scores, gatewayFeedback: feedback, gatewayOverrideReason: overrideReason, gatewayReviewerId: actor.kind === 'user' ? actor.userId : null, gatewayReviewedAt: at, updatedAt: at })
          .where(and(eq(applications.id, app.id), eq(applications.gatewayStatus, 'submitted'), inArray(applications.status, [...APPLICATION_EVENTS.reviewGateway.from])))
          .returning();
        if (!row) throw refuse('gateway_not_submitted', 'This gateway assessment has already been reviewed', 409);
        await enqueueEmail(tx, clock, {
          to: row.email,
          subject: result === 'passed' ? `You have passed the ${course?.shortName ?? 'NPQ'} gateway assessment` : `Your ${course?.shortName ?? 'NPQ'} gateway assessment`,
          body: `Hello ${row.fullName},\n\n${result === 'passed' ? 'You have passed the gateway assessment.' : 'You did not pass the gateway assessment this time.'}\n\nFeedback from your reviewer:\n${feedback}\n\nYour application: ${deps.baseUrl}/applications/${row.id}\n`,
        });
        await audit(tx, clock, actor, { action: `gateway.${result}`, entityType: 'application', entityId: row.id, after: { scores, total, passMark: config.passMark, feedback, ...(overrideReason ? { againstPassMark: true, overrideReason } : {}) } });
        return row;
      });
    },

    // ── The provider's inbox ──
    /**
     * A page of applications, newest first. With `countUpTo`, counting stops there (the page then says
     * "more than"), so a broad filter over a large inbox costs no more than a narrow one.
     */
    async list(actor: Actor, requested: InboxFilter, page: number, perPage = 50, countUpTo?: number): Promise<{ rows: ApplicationRow[]; total: number }> {
      const scope = readScope(actor);
      const filter: InboxFilter = 'partners' in scope ? { ...requested, deliveryPartnerIds: scope.partners } : requested;
      const key = JSON.stringify([filter, page, perPage, countUpTo]);
      const at = Date.now();
      const hit = listCache.get(key);
      if (hit && hit.until > at) return hit.value;
      const fresh = async () => {
        const where = whereOf(filter, filter.cohortIdentifiers && (await cohortIdsNamed(filter.cohortIdentifiers)));
        const newestFirst = [desc(applications.createdAt), desc(applications.id)];
        // The page's ids first, from an index alone, then only its own rows: reading the rows skipped
        // by the offset in full cost a deep page thousands of table reads (ADR 0034).
        const pageIds = db.select({ id: applications.id }).from(applications).where(where).orderBy(...newestFirst).limit(perPage).offset((page - 1) * perPage);
        const [rows, total] = await Promise.all([db.select().from(applications).where(inArray(applications.id, pageIds)).orderBy(...newestFirst), countOf(filter, where, countUpTo)]);
        return { rows, total };
      };
      if (cacheMs === 0 || perPage > CACHED_PAGE_MAX) return fresh();
      // Just expired: answer with what we have and refresh once behind it, so many readers of the
      // same page never wait for the database together. Older than that, or never read: wait.
      if (hit && !hit.refreshing && at - hit.until < cacheMs) {
        hit.refreshing = true;
        const generation = listGeneration;
        fresh().then(
          (value) => {
            if (generation === listGeneration) listCache.set(key, { until: Date.now() + cacheMs, value: Promise.resolve(value) });
          },
          () => listCache.delete(key),
        );
        return hit.value;
      }
      const value = fresh();
      if (listCache.size >= LIST_CACHE_MAX) listCache.clear();
      listCache.set(key, { until: at + cacheMs, value });
      value.catch(() => listCache.delete(key));
      return value;
    },

    async detail(actor: Actor, id: string) {
      const scope = readScope(actor);
      const [app] = await db.select().from(applications).where(and(eq(applications.id, id), ne(applications.status, 'draft')));
      // Another partner's application is "not found", so its existence is not given away either.
      if (!app || ('partners' in scope && !scope.partners.includes(app.deliveryPartnerId ?? ''))) throw new NotFoundError('application');
      const [cohort] = app.cohortId ? await db.select().from(cohorts).where(eq(cohorts.id, app.cohortId)) : [];
      const [reviewer] = app.gatewayReviewerId ? await db.select({ name: users.name }).from(users).where(eq(users.id, app.gatewayReviewerId)) : [];
      return { app, cohort, reviewerName: reviewer?.name, workplace: await workplaceOf(app) };
    },

    /**
     * Accepts into an intake. The cohort row is locked for the decision so two acceptances at once cannot
     * both take the last funded place or the last seat. Accepting again with the same terms changes nothing.
     */
    async accept(actor: Actor, id: string, input: { fundedPlace?: boolean | undefined; intakeId?: string | undefined }): Promise<ApplicationRow> {
      requireManager(actor);
      return write(async (tx) => {
        const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
        if (!app || app.status === 'draft') throw new NotFoundError('application');
        const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.id, app.cohortId!)).for('update');
        if (!cohort) throw refuse('no_cohort', 'The application has no cohort');
        // The same acceptance again (funded_place only counts in a capped cohort) returns what was done.
        const sameFunding = input.fundedPlace === undefined || cohort.funding !== 'capped' || input.fundedPlace === app.fundedPlace;
        if (app.status === 'accepted' && sameFunding && (!input.intakeId || input.intakeId === app.intakeId)) return app;
        const intakeId = input.intakeId ?? app.intakeId;
        const intake = intakeId ? (await tx.select().from(intakes).where(eq(intakes.id, intakeId)))[0] : undefined;
        if (intakeId && !intake) throw new ValidationError({ intakeId: 'Choose an intake' });
        if (intake && intake.cohortIdentifier !== cohort.identifier) throw new ValidationError({ intakeId: `Choose an intake in cohort ${cohort.identifier}` });
        const [funded] = await tx
          .select({ n: count() })
          .from(applications)
          .where(and(eq(applications.cohortId, cohort.id), eq(applications.courseIdentifier, app.courseIdentifier), eq(applications.status, 'accepted'), eq(applications.fundedPlace, true)));
        const decision = decideAcceptance({
          status: app.status as ApplicationStatus,
          approvalStatus: app.approvalStatus as ApprovalStatus,
          gatewayStatus: app.gatewayStatus as GatewayStatus,
          cohortFunding: cohort.funding as 'none' | 'capped' | 'full',
          eligibleForFunding: app.eligibleForFunding,
          requestedFundedPlace: input.fundedPlace,
          fundedPlacesTaken: funded?.n ?? 0,
          fundedPlaceLimit: cohort.fundedPlaceLimits[app.courseIdentifier] ?? 0,
          intake: intake ? { capacity: intake.capacity, placed: await placedIn(tx, intake.id), waitingList: intake.waitingList } : null,
        });
        if (!decision.ok) throw refuse(decision.code, decision.message);
        const at = now();
        const [row] = await tx
          .update(applications)
          .set({ status: 'accepted', fundedPlace: decision.fundedPlace, intakeId: intake?.id ?? null, deliveryPartnerId: intake?.deliveryPartnerId ?? app.deliveryPartnerId, deliveryMode: intake?.deliveryMode ?? app.deliveryMode, trainingStatus: 'active', onWaitingList: decision.onWaitingList, decidedAt: at, updatedAt: at })
          .where(eq(applications.id, app.id))
          .returning();
        const others = await tx
          .update(applications)
          .set({ status: 'rejected', reasonForRejection: 'other_application_in_this_cohort_accepted', decidedAt: at, updatedAt: at })
          .where(and(eq(applications.cohortId, cohort.id), eq(applications.status, 'pending'), ne(applications.id, app.id), or(app.userId ? eq(applications.userId, app.userId) : undefined, sql`lower(${applications.email}) = lower(${app.email})`)))
          .returning({ id: applications.id });
        const course = await courseNamed(app.courseIdentifier);
        await enqueueEmail(tx, clock, {
          to: app.email,
          subject: `You have a place on the ${course?.shortName ?? 'NPQ'}`,
          body: `Hello ${app.fullName},\n\nWe have accepted your application for the ${course?.name ?? app.courseIdentifier}${intake ? `, in ${intake.name} starting on ${formatDate(intake.startDate)}` : ''}.${decision.onWaitingList ? ' The intake is full, so you are on its waiting list: we will email you as soon as a place comes up.' : ''}${decision.fundedPlace === false ? ' DfE is not funding your place: we will be in touch about payment.' : ''}\n\nYour application: ${deps.baseUrl}/applications/${app.id}\n`,
        });
        await audit(tx, clock, actor, { action: 'application.accepted', entityType: 'application', entityId: app.id, before: { status: app.status }, after: { status: 'accepted', fundedPlace: decision.fundedPlace, intakeId: intake?.id, onWaitingList: decision.onWaitingList, otherApplicationsRejected: others.map((o) => o.id) } });
        return row!;
      });
    },

    /**
     * Checks a rejection without making it, for the page that confirms it: the application and the
     * reason as it will be stored. Raises what `reject` would.
     */
    async checkReject(actor: Actor, id: string, reason: string | undefined): Promise<{ app: ApplicationRow; reason: string }> {
      requireManager(actor);
      const text = rejectionText(reason);
      const [app] = await db.select().from(applications).where(eq(applications.id, id));
      if (!app || app.status === 'draft') throw new NotFoundError('application');
      if (app.status !== 'rejected') mayReject(app);
      return { app, reason: text };
    },

    async reject(actor: Actor, id: string, reason: string | undefined): Promise<ApplicationRow> {
      requireManager(actor);
      const text = rejectionText(reason);
      return write(async (tx) => {
        const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
        if (!app || app.status === 'draft') throw new NotFoundError('application');
        if (app.status === 'rejected') return app;
        mayReject(app);
        const at = now();
        const [row] = await tx.update(applications).set({ status: 'rejected', reasonForRejection: text, decidedAt: at, updatedAt: at }).where(eq(applications.id, app.id)).returning();
        const course = await courseNamed(app.courseIdentifier);
        await enqueueEmail(tx, clock, {
          to: app.email,
          subject: `Your application for the ${course?.shortName ?? 'NPQ'}`,
          body: `Hello ${app.fullName},\n\nWe are sorry: we cannot offer you a place on the ${course?.name ?? app.courseIdentifier}.\n\nThe reason: ${text}\n\nIf you would like to talk about it, reply to this email.\n`,
        });
        await audit(tx, clock, actor, { action: 'application.rejected', entityType: 'application', entityId: app.id, before: { status: app.status }, after: { status: 'rejected', reason: text } });
        return row!;
      });
    },

    /** Undoes a rejection by the provider: the application is pending again, its reason kept in the audit log. */
    async reopen(actor: Actor, id: string): Promise<ApplicationRow> {
      requireManager(actor);
      return write(async (tx) => {
        const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
        if (!app || app.status === 'draft') throw new NotFoundError('application');
        if (!allows('reopen', app.status)) throw refuse('not_rejected', app.status === 'withdrawn' ? 'The applicant withdrew this application: they can apply again' : 'Only a rejected application can be reopened');
        if (app.reasonForRejection === 'other_application_in_this_cohort_accepted') throw refuse('other_application_accepted', 'Another of this person’s applications in the cohort is accepted: withdraw that one first');
        const at = now();
        const [row] = await tx
          .update(applications)
          .set({ status: 'pending', reasonForRejection: null, decidedAt: null, updatedAt: at })
          .where(eq(applications.id, app.id))
          .returning()
          .catch((err: unknown) => {
            if (isUniqueViolation(err)) throw refuse('applied_again', 'This person has applied again for this NPQ in this cohort: decide that application instead');
            throw err;
          });
        await audit(tx, clock, actor, { action: 'application.reopened', entityType: 'application', entityId: app.id, before: { status: app.status, reasonForRejection: app.reasonForRejection }, after: { status: 'pending' } });
        return row!;
      });
    },

    /** Checks a change to a participant without making it, for the page that confirms it; raises what `changeParticipant` would. */
    async checkParticipantChange(actor: Actor, id: string, change: ParticipantChange, input: { reason?: string | undefined }): Promise<{ app: ApplicationRow; to: string }> {
      requireManager(actor);
      const [app] = await db.select().from(applications).where(eq(applications.id, id));
      if (!app || app.status === 'draft') throw new NotFoundError('application');
      return { app, to: participantDecision(app, change, input.reason) };
    },

    /** Defer, resume, withdraw or move a participant; a freed place goes to the intake's waiting list. */
    async changeParticipant(actor: Actor, id: string, change: ParticipantChange, input: { reason?: string | undefined; intakeId?: string | undefined }): Promise<ApplicationRow> {
      requireManager(actor);
      return write(async (tx) => {
        const [app] = await tx.select().from(applications).where(eq(applications.id, id)).for('update');
        if (!app || app.status === 'draft') throw new NotFoundError('application');
        const decision = { to: participantDecision(app, change, input.reason) };
        const at = now();
        let intakeId = app.intakeId;
        let onWaitingList = app.onWaitingList;
        if (change === 'move') {
          const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.id, app.cohortId!));
          const target = input.intakeId ? (await tx.select().from(intakes).where(eq(intakes.id, input.intakeId)))[0] : undefined;
          if (!target || target.id === app.intakeId || target.cohortIdentifier !== cohort?.identifier) throw new ValidationError({ intakeId: 'Choose a different intake in the same cohort' });
          const placed = await placedIn(tx, target.id);
          if (target.capacity !== null && placed >= target.capacity && !target.waitingList) throw refuse('intake_full', `${target.name} is full and has no waiting list`);
          onWaitingList = target.capacity !== null && placed >= target.capacity;
          intakeId = target.id;
        }
        const [row] = await tx
          .update(applications)
          .set({ trainingStatus: decision.to, trainingStatusReason: input.reason ?? app.trainingStatusReason, intakeId, deliveryPartnerId: intakeId === app.intakeId ? app.deliveryPartnerId : (await tx.select().from(intakes).where(eq(intakes.id, intakeId!)))[0]?.deliveryPartnerId, onWaitingList: decision.to === 'withdrawn' ? false : onWaitingList, updatedAt: at })
          .where(eq(applications.id, app.id))
          .returning();
        await audit(tx, clock, actor, { action: `participant.${PAST_TENSE[change]}`, entityType: 'application', entityId: app.id, before: { trainingStatus: app.trainingStatus, intakeId: app.intakeId }, after: { trainingStatus: decision.to, intakeId, reason: input.reason } });
        if (app.intakeId && !app.onWaitingList && (change === 'withdraw' || change === 'move')) await promoteFromWaitingList(tx, app.intakeId);
        return row!;
      });
    },

    // ── API and direct entry ──
    /** Creates a pending application; the same person, NPQ and cohort again returns the first one. */
    async create(actor: Actor, raw: unknown): Promise<{ created: boolean; application: ApplicationRow }> {
      requireManager(actor);
      const parsed = applicationInputSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
      const [holder] = await db.select({ id: users.id, email: users.email }).from(users).where(sql`lower(${users.email}) = ${parsed.data.email}`);
      const { course, cohort, columns } = await assess(parsed.data, { userId: holder?.id, accountEmail: holder?.email });
      const findLive = async () =>
        (await db.select().from(applications).where(and(sql`lower(${applications.email}) = ${columns.email}`, eq(applications.courseIdentifier, course.identifier), eq(applications.cohortId, cohort.id), inArray(applications.status, ['pending', 'accepted']))))[0];
      const existing = await findLive();
      if (existing) return { created: false, application: existing };
      const owner = holder;
      const at = now();
      try {
        const application = await write(async (tx) => {
          const [row] = await tx
            .insert(applications)
            .values({ ...columns, userId: owner?.id ?? null, status: 'pending', submittedAt: at, createdAt: at, updatedAt: at, ...(parsed.data.school_approved ? { approvalStatus: 'approved', approvalDecidedAt: at, approvalComment: 'The school’s approval was recorded by the provider' } : {}) })
            .returning();
          if (!parsed.data.school_approved) await requestApproval(tx, row!, course.name);
          await audit(tx, clock, actor, { action: 'application.created', entityType: 'application', entityId: row!.id, after: columns });
          return (await tx.select().from(applications).where(eq(applications.id, row!.id)))[0]!;
        });
        return { created: true, application };
      } catch (err) {
        if (isUniqueViolation(err)) {
          const again = await findLive();
          if (again) return { created: false, application: again };
        }
        throw err;
      }
    },

    async cohortIdentifierOf(cohortId: string | null): Promise<CohortLabel | undefined> {
      if (!cohortId) return undefined;
      return cohortLabels().then((m) => m.get(cohortId));
    },
    cohortLabels,
  };

  async function cohortLabels(): Promise<Map<string, CohortLabel>> {
    const at = Date.now();
    if (labels && labels.until > at) return labels.value;
    const value = db
      .select({ id: cohorts.id, identifier: cohorts.identifier, startYear: cohorts.startYear, suffix: cohorts.suffix, funding: cohorts.funding })
      .from(cohorts)
      .then((rows) => new Map(rows.map((r) => [r.id, r])));
    labels = { until: at + LIST_CACHE_MS, value };
    value.catch(() => {
      labels = undefined;
    });
    return value;
  }
}
export type CohortLabel = { id: string; identifier: string; startYear: number; suffix: string; funding: string };
export type ApplicationsService = ReturnType<typeof createApplicationsService>;

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e?.code === '23505' || e?.cause?.code === '23505';
}
