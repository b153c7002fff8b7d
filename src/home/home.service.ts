import type { RoundState } from '../diagnostic/domain/diagnostic.policy';
import type { ApplicationStatus, ApprovalStatus } from '../enrolment/domain/application';
import type { Actor } from '../platform/auth/actor';
import { isSignedIn } from '../platform/auth/actor';
import type { Role } from '../platform/auth/roles';
import { type Clock, endOfDay, ukDate } from '../platform/clock';
import type { Notifier } from '../platform/notifier';
import { UnauthenticatedError } from '../platform/errors';
import { type HomeSection, homeSectionsFor } from './domain/sections';

export interface CohortProgress {
  cohort: string;
  participants: number;
  /** Participants who have sent their own ratings in a round open now. */
  selfSent: number;
  openRounds: number;
  colleaguesAsked: number;
  colleaguesAnswered: number;
}

/** An application as the home page shows it: whose, for which NPQ, where it stands. */
export interface ApplicationOnHome {
  fullName: string;
  courseIdentifier: string;
  status: string;
  approvalRequestedAt: Date | null;
}

/** A 360° round as the home page shows it. */
export interface RoundOnHome {
  round: { applicationId: string; kind: string; opensOn: string; closesOn: string; selfSubmitted: boolean };
  courseIdentifier: string;
  state: RoundState;
}

/**
 * What the home page reads from the other capabilities (docs/adr/0029): their own verbs, which
 * authorise and scope as they do for their own pages, declared here by what home needs and handed in
 * by the composition root (src/app.ts), so home imports none of them.
 */
export interface HomeSources {
  applications: {
    myApplications(actor: Actor): Promise<ApplicationOnHome[]>;
    approvalsAwaiting(actor: Actor): Promise<ApplicationOnHome[]>;
    list(actor: Actor, filter: { status?: ApplicationStatus; approval?: ApprovalStatus }, page: number, perPage: number): Promise<{ total: number }>;
    gatewayQueue(actor: Actor, status: 'submitted', page: number, perPage: number): Promise<{ total: number }>;
  };
  diagnostic: {
    windows(actor: Actor): Promise<{ cohort: string }[]>;
    cohortRounds(actor: Actor, cohort: string): Promise<(RoundOnHome & { asked: number; answered: number | null })[]>;
    myRounds(actor: Actor): Promise<RoundOnHome[]>;
  };
  people: { listUsers(actor: Actor, filter: Record<string, never>, page: number, perPage: number): Promise<{ total: number }> };
  catalogue: { list(): Promise<{ identifier: string; name: string }[]> };
}

/** What someone's home page holds: the sections that apply to them (homeSectionsFor), each filled. */
export interface Home {
  sections: HomeSection[];
  roles: Role[];
  inbox?: { pending: number; awaitingSchool: number; participants: number };
  gatewayWaiting?: number;
  approvals?: ApplicationOnHome[];
  cohorts?: CohortProgress[];
  users?: number;
  ownApplications?: ApplicationOnHome[];
  ownRounds?: RoundOnHome[];
  courseNames: Map<string, string>;
}

/**
 * The notifier channels on which every change to what a person's own sections show is told, in every
 * process (docs/adr/0031): their applications and drafts (enrolment), the NPQs' names (catalogue), their
 * 360° rounds' dates (diagnostic). Who they are (name, roles) is the session's, compared per page.
 */
export const HOME_CHANNELS = ['applications', 'catalogue', 'diagnostic'] as const;

/**
 * Sections whose data moves with HOME_CHANNELS and the day alone. Staff sections (counts over the
 * inbox, accounts, raters' answers) change with writes no channel tells of, so a page with any of them
 * is never kept: staff are few, participants many.
 */
const KEPT_SECTIONS: readonly HomeSection[] = ['own_applications', 'own_360'];

/**
 * Someone's home, gathered from the capabilities' own verbs (each authorises and scopes as it does
 * for its pages: a partner lead's counts are their partners'). Raises UnauthenticatedError for anyone
 * not signed in. `notifier` and `clock` give `version`, which moves whenever a kept home may be stale.
 */
export function createHomeService(deps: HomeSources & { clock: Clock; notifier: Pick<Notifier, 'subscribe'> }) {
  const { applications, diagnostic, people, catalogue } = deps;
  // Every change heard on a home channel, here or in another process, moves the version; so does midnight
  // in England, when a 360° round opens or closes.
  let changes = 0;
  for (const channel of HOME_CHANNELS) deps.notifier.subscribe(channel, () => void changes++);
  let day = { today: '', until: 0 };

  const cohortProgress = async (actor: Actor): Promise<CohortProgress[]> => {
    const cohorts = [...new Set((await diagnostic.windows(actor)).map((w) => w.cohort))];
    return Promise.all(
      cohorts.map(async (cohort) => {
        const rounds = await diagnostic.cohortRounds(actor, cohort);
        const open = rounds.filter((r) => r.state === 'open');
        return {
          cohort,
          participants: new Set(rounds.map((r) => r.round.applicationId)).size,
          selfSent: open.filter((r) => r.round.selfSubmitted).length,
          openRounds: open.length,
          // As the cohort view counts them: rounds whose count is held back for anonymity add to neither
          // figure, so no total minus the shown rounds' counts gives one participant's answers.
          colleaguesAsked: open.filter((r) => r.answered !== null).reduce((n, r) => n + r.asked, 0),
          colleaguesAnswered: open.reduce((n, r) => n + (r.answered ?? 0), 0),
        };
      }),
    );
  };
  const total = async (actor: Actor, filter: Parameters<HomeSources['applications']['list']>[1]) => (await applications.list(actor, filter, 1, 1)).total;

  return {
    /** Names the state of everything a kept home page shows: read it before reading the data. */
    version(): string {
      const now = deps.clock.now().getTime();
      if (now >= day.until || now < day.until - 90_000_000) {
        const today = ukDate(new Date(now));
        day = { today, until: endOfDay(today).getTime() };
      }
      return `${changes} ${day.today}`;
    },
    /** Whether a home may be kept until `version` moves: only when every section it shows follows it. */
    mayKeep(home: Home): boolean {
      return home.sections.every((s) => KEPT_SECTIONS.includes(s));
    },
    async homeOf(actor: Actor): Promise<Home> {
      if (!isSignedIn(actor)) throw new UnauthenticatedError();
      const ownApplications = await applications.myApplications(actor);
      const hasAccepted = ownApplications.some((a) => a.status === 'accepted');
      const ownRounds = hasAccepted ? await diagnostic.myRounds(actor) : [];
      const sections = homeSectionsFor(actor, { hasOwnApplications: ownApplications.length > 0, hasOwnRounds: ownRounds.length > 0 });
      const has = (s: HomeSection) => sections.includes(s);
      const home: Home = { sections, roles: actor.roles.map((r) => r.role), courseNames: new Map((await catalogue.list()).map((q) => [q.identifier, q.name])) };
      if (has('own_applications')) home.ownApplications = ownApplications;
      if (has('own_360')) home.ownRounds = ownRounds;
      if (has('inbox') || has('partner_applications')) {
        const [pending, awaitingSchool, participants] = await Promise.all([total(actor, { status: 'pending' }), total(actor, { status: 'pending', approval: 'pending' }), total(actor, { status: 'accepted' })]);
        home.inbox = { pending, awaitingSchool, participants };
      }
      if (has('gateway')) home.gatewayWaiting = (await applications.gatewayQueue(actor, 'submitted', 1, 1)).total;
      if (has('approvals')) home.approvals = await applications.approvalsAwaiting(actor);
      if (has('cohorts_360')) home.cohorts = await cohortProgress(actor);
      if (has('users')) home.users = (await people.listUsers(actor, {}, 1, 1)).total;
      return home;
    },
  };
}

export type HomeService = ReturnType<typeof createHomeService>;
