import path from 'node:path';
import { diskFileStore } from './platform/file-store';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config';
import type { Database } from './db/client';
import { createCatalogueService } from './catalogue/catalogue.service';
import { adminCatalogueRoutes } from './catalogue/web/admin.routes';
import { publicCatalogueRoutes } from './catalogue/web/public.routes';
import { catalogueApi } from './catalogue/api/catalogue.api';
import { accessibilityRoutes } from './home/accessibility.routes';
import { homeRoutes } from './home/home.routes';
import { createHomeService } from './home/home.service';
import { createPeopleService } from './people/people.service';
import { enrolmentApi } from './enrolment/api/enrolment.api';
import { createCohortsService } from './enrolment/cohorts.service';
import { createFundingService } from './enrolment/funding.service';
import { fundingSummary } from './enrolment/domain/funding-summary';
import { createReferenceService } from './enrolment/reference.service';
import { cohortRoutes } from './enrolment/web/cohorts.routes';
import { fundingRoutes } from './enrolment/web/funding.routes';
import { interestRoutes } from './enrolment/web/interest.routes';
import { createInterestService } from './enrolment/interest.service';
import { createApplicationsService } from './enrolment/applications.service';
import { applicationRoutes } from './enrolment/web/application.routes';
import { schoolApprovalRoutes } from './enrolment/web/school-approval.routes';
import { gatewayRoutes } from './enrolment/web/gateway.routes';
import { inboxRoutes } from './enrolment/web/inbox.routes';
import { applicationsApi } from './enrolment/api/applications.api';
import { createDiagnosticService } from './diagnostic/diagnostic.service';
import { createLearningService } from './learning/learning.service';
import { programmeRoutes } from './learning/web/programme.routes';
import { deliveryRoutes } from './learning/web/delivery.routes';
import { groupsRoutes } from './learning/web/groups.routes';
import { learningApi } from './learning/api/learning.api';
import { learningMenu } from './learning/web/learning.menu';
import { createCoachingService } from './coaching/coaching.service';
import { coachingMenu } from './coaching/web/coaching.menu';
import { coachRoutes } from './coaching/web/coach.routes';
import { myCoachingRoutes } from './coaching/web/my-coaching.routes';
import { allocationsRoutes } from './coaching/web/allocations.routes';
import { messagesRoutes } from './coaching/web/messages.routes';
import { createEngagementService } from './engagement/engagement.service';
import { engagementRoutes } from './engagement/web/engagement.routes';
import { engagementMenu } from './engagement/web/engagement.menu';
import { engagementApi } from './engagement/api/engagement.api';
import { createFeedbackService } from './feedback/feedback.service';
import { feedbackRoutes } from './feedback/web/feedback.routes';
import { createAssessmentService } from './assessment/assessment.service';
import { evidenceRoutes } from './assessment/web/evidence.routes';
import { submissionsRoutes } from './assessment/web/submissions.routes';
import { markingRoutes } from './assessment/web/marking.routes';
import { moderationRoutes } from './assessment/web/moderation.routes';
import { libraryRoutes } from './assessment/web/library.routes';
import { outcomesRoutes } from './assessment/web/outcomes.routes';
import { assessmentMenu } from './assessment/web/assessment.menu';
import { coachingApi } from './coaching/api/coaching.api';
import { assessmentApi } from './assessment/api/assessment.api';
import { programmesAdminRoutes } from './learning/web/programmes-admin.routes';
import { diagnosticRoutes } from './diagnostic/web/diagnostic.routes';
import { diagnosticAdminRoutes } from './diagnostic/web/diagnostic-admin.routes';
import { pdfPrinter } from './platform/pdf';
import { diagnosticApi } from './diagnostic/api/diagnostic.api';
import { referenceRoutes } from './enrolment/web/reference.routes';
import { accountRoutes } from './people/web/account.routes';
import { adminPeopleRoutes } from './people/web/admin.routes';
import { createApiTokenService } from './api/api-tokens.service';
import { apiPlatform } from './api/api-platform';
import { adminApiTokenRoutes } from './api/web/api-tokens.routes';
import { apiDocsRoutes } from './api/web/docs.routes';
import { auditRoutes } from './audit/audit.routes';
import { createJobs } from './jobs/jobs';
import { outboxRoutes, outboxShowsLinks } from './mail/outbox.routes';
import { declarationRoutes } from './dfe/web/declarations.routes';
import { dfeRoutes } from './dfe/web/dfe.routes';
import { reconciliationRoutes } from './dfe/web/reconciliation.routes';
import { financeRoutes } from './dfe/web/finance.routes';
import type { Clock } from './platform/clock';
import { FORM_BODY_LIMIT, frameworkErrorHandler, MAX_PARAM_LENGTH, rewriteBadUrl } from './platform/boundary';
import { secretBox } from './platform/crypto';
import { postgresRateLimitStore } from './platform/rate-limit-store';
import { localNotifier, type Notifier } from './platform/notifier';
import { formReplayStore } from './platform/form-replay';
import { securityHeaders } from './platform/security-headers';
import { installZodMessages } from './platform/zod-messages';
import { webPlatform } from './platform/web';
import { contributeMenu } from './platform/navigation';
import { auditMenu } from './audit/audit.menu';
import { dfeMenu } from './dfe/web/dfe.menu';
import { catalogueMenu } from './catalogue/web/catalogue.menu';
import { diagnosticMenu } from './diagnostic/web/diagnostic.menu';
import { enrolmentMenu } from './enrolment/web/enrolment.menu';
import { homeMenu } from './home/home.menu';
import { peopleMenu } from './people/web/people.menu';

export interface AppDeps {
  config: Config;
  database: Database;
  clock: Clock;
  logger?: boolean | object;
  /** Tells the other processes on one PostgreSQL of changes to what they cache; this process alone when absent. */
  notifier?: Notifier;
}

export function buildServices(deps: AppDeps) {
  const { db } = deps.database;
  const secrets = secretBox(deps.config.cookieSecret);
  const notifier = deps.notifier ?? localNotifier();
  const people = createPeopleService({ db, clock: deps.clock, secrets, notifier, baseUrl: deps.config.baseUrl, providerName: deps.config.branding.name });
  const cohorts = createCohortsService({ db, clock: deps.clock });
  const catalogue = createCatalogueService({ db, clock: deps.clock, notifier, cohortExists: async (identifier) => Boolean(await cohorts.byIdentifier(identifier)), cohortChoices: async () => (await cohorts.publicList()).map((c) => c.identifier), describeFunding: fundingSummary,
    // Applications show their intake's schedule: they move with it (declared below, called only on a change).
    intakeChanged: (tx, before, after) => applications.intakeChanged(tx, before, after),
  });
  const apiTokens = createApiTokenService({ db, clock: deps.clock });
  const reference = createReferenceService({ db, clock: deps.clock });
  const funding = createFundingService({ db, cohorts, reference, catalogue });
  const interest = createInterestService({ db, clock: deps.clock, catalogue });
  const applications = createApplicationsService({ db, clock: deps.clock, secrets, catalogue, cohorts, funding, reference, baseUrl: deps.config.baseUrl, providerName: deps.config.branding.name, soleWriter: deps.database.kind === 'pglite', notifier, pageCache: deps.config.INBOX_CACHE === 'on' });
  const diagnostic = createDiagnosticService({ db, clock: deps.clock, secrets, baseUrl: deps.config.baseUrl, providerName: deps.config.branding.name, notifier });
  const files = diskFileStore(path.resolve(deps.config.DATA_DIR, 'uploads'));
  const learning = createLearningService({ db, clock: deps.clock, secrets, baseUrl: deps.config.baseUrl, providerName: deps.config.branding.name, notifier, files });
  const coaching = createCoachingService({ db, clock: deps.clock, baseUrl: deps.config.baseUrl, providerName: deps.config.branding.name, notifier, files });
  const engagement = createEngagementService({ db, clock: deps.clock, notifier });
  const feedback = createFeedbackService({ db, clock: deps.clock });
  const assessment = createAssessmentService({ db, clock: deps.clock, files, baseUrl: deps.config.baseUrl, providerName: deps.config.branding.name, university: { name: deps.config.PARTNER_UNIVERSITY, award: deps.config.PARTNER_AWARD } });
  const services = { people, catalogue, apiTokens, reference, cohorts, funding, interest, applications, diagnostic, learning, coaching, engagement, feedback, assessment };
  return { ...services, notifier, jobs: createJobs({ db, clock: deps.clock, config: deps.config }, services) };
}
export type Services = ReturnType<typeof buildServices>;

/** Builds the whole application without listening: server.ts listens; tests use app.inject. */
export async function buildApp(deps: AppDeps, services: Services = buildServices(deps)): Promise<FastifyInstance> {
  installZodMessages();
  const app = Fastify({
    logger: deps.logger ?? { level: deps.config.LOG_LEVEL },
    trustProxy: false,
    // Forms and JSON are small; routes that take files (imports) set their own larger limit.
    bodyLimit: FORM_BODY_LIMIT,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // A URL the router cannot read goes through the platform's error page or JSON, with its headers.
    rewriteUrl: rewriteBadUrl,
    frameworkErrors: frameworkErrorHandler(securityHeaders({ hsts: deps.config.NODE_ENV === 'production' })),
  });
  const { database, config } = deps;
  // Each capability brings its own entries; the platform's navigation knows none of them.
  contributeMenu([...catalogueMenu, ...homeMenu, ...peopleMenu, ...enrolmentMenu, ...diagnosticMenu, ...learningMenu, ...coachingMenu, ...engagementMenu, ...assessmentMenu, ...dfeMenu, ...auditMenu]);

  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_req, reply) => {
    try {
      await database.ping();
      return { status: 'ready', database: database.kind };
    } catch {
      return reply.code(503).send({ status: 'unavailable', database: database.kind });
    }
  });

  await app.register(webPlatform, {
    branding: config.branding,
    cookieSecret: config.cookieSecret,
    secureCookies: config.NODE_ENV === 'production',
    sessions: services.people,
    formReplays: formReplayStore({ db: database.db, clock: deps.clock }),
    publicDir: 'public',
    ...(database.kind === 'postgres' ? { rateLimitStore: postgresRateLimitStore(database.db) } : {}),
  });
  await app.register(apiPlatform, { apiTokens: services.apiTokens });

  await app.register(homeRoutes, { catalogue: services.catalogue, home: createHomeService({ ...services, clock: deps.clock }) });
  await app.register(accessibilityRoutes);
  await app.register(publicCatalogueRoutes, { catalogue: services.catalogue });
  await app.register(accountRoutes, { people: services.people, secureCookies: config.NODE_ENV === 'production', signInLimitPerMinute: config.SIGN_IN_LIMIT_PER_MINUTE });
  await app.register(adminPeopleRoutes, { people: services.people, db: database.db });
  await app.register(adminCatalogueRoutes, { catalogue: services.catalogue });
  await app.register(fundingRoutes, { funding: services.funding, cohorts: services.cohorts, catalogue: services.catalogue, reference: services.reference, secureCookies: config.NODE_ENV === 'production' });
  await app.register(referenceRoutes, { reference: services.reference, log: (msg, err) => app.log.error({ err }, msg) });
  await app.register(cohortRoutes, { cohorts: services.cohorts, catalogue: services.catalogue });
  await app.register(interestRoutes, { interest: services.interest, catalogue: services.catalogue });
  const enrolment = { applications: services.applications, catalogue: services.catalogue, reference: services.reference, cohorts: services.cohorts };
  await app.register(applicationRoutes, enrolment);
  await app.register(schoolApprovalRoutes, enrolment);
  await app.register(gatewayRoutes, enrolment);
  await app.register(inboxRoutes, enrolment);
  const pdf = pdfPrinter({ chromiumPath: config.CHROMIUM_PATH });
  app.addHook('onClose', () => pdf.close());
  await app.register(diagnosticRoutes, { diagnostic: services.diagnostic, catalogue: services.catalogue, pdf });
  await app.register(diagnosticAdminRoutes, { diagnostic: services.diagnostic, cohorts: services.cohorts });
  await app.register(deliveryRoutes, { learning: services.learning, kept: { notifier: services.notifier, clock: deps.clock, on: config.KEPT_PAGES === 'on' } });
  await app.register(groupsRoutes, { learning: services.learning });
  await app.register(programmesAdminRoutes, { learning: services.learning });
  await app.register(programmeRoutes, { learning: services.learning, diagnostic: services.diagnostic, catalogue: services.catalogue, kept: { notifier: services.notifier, clock: deps.clock, on: config.KEPT_PAGES === 'on' }, site: { baseUrl: config.baseUrl, providerName: config.branding.name } });
  const kept = { notifier: services.notifier, clock: deps.clock, on: config.KEPT_PAGES === 'on' };
  await app.register(coachRoutes, { coaching: services.coaching, kept });
  await app.register(myCoachingRoutes, { coaching: services.coaching, kept });
  await app.register(allocationsRoutes, { coaching: services.coaching });
  await app.register(messagesRoutes, { coaching: services.coaching });
  await app.register(feedbackRoutes, { feedback: services.feedback });
  await app.register(submissionsRoutes, { assessment: services.assessment });
  await app.register(markingRoutes, { assessment: services.assessment });
  await app.register(moderationRoutes, { assessment: services.assessment });
  await app.register(outcomesRoutes, { assessment: services.assessment, pdf });
  await app.register(libraryRoutes, { assessment: services.assessment });
  await app.register(evidenceRoutes, { assessment: services.assessment, searchSchools: (q) => services.reference.searchSchools(q, { limit: 20 }) });
  await app.register(engagementRoutes, { engagement: services.engagement, kept: { notifier: services.notifier, clock: deps.clock, on: config.KEPT_PAGES === 'on' } });
  await app.register(auditRoutes, { db: database.db });
  await app.register(outboxRoutes, { db: database.db, showLinks: outboxShowsLinks(config) });
  await app.register(dfeRoutes, { db: database.db, clock: deps.clock });
  await app.register(declarationRoutes, { db: database.db, clock: deps.clock });
  await app.register(reconciliationRoutes, { db: database.db, clock: deps.clock });
  await app.register(financeRoutes, { db: database.db, clock: deps.clock });
  await app.register(adminApiTokenRoutes, { apiTokens: services.apiTokens });
  await app.register(catalogueApi, { catalogue: services.catalogue, prefix: '/api' });
  await app.register(enrolmentApi, { cohorts: services.cohorts, funding: services.funding, reference: services.reference, prefix: '/api' });
  await app.register(applicationsApi, { applications: services.applications, db: database.db, prefix: '/api' });
  await app.register(diagnosticApi, { diagnostic: services.diagnostic, prefix: '/api' });
  await app.register(learningApi, { learning: services.learning, prefix: '/api' });
  await app.register(coachingApi, { coaching: services.coaching, prefix: '/api' });
  await app.register(engagementApi, { engagement: services.engagement, prefix: '/api' });
  await app.register(assessmentApi, { assessment: services.assessment, prefix: '/api' });
  await app.register(apiDocsRoutes, { serverUrl: config.baseUrl });
  return app;
}
