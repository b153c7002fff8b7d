import type { FundingChoice } from './application';
import { type FundingAnswers, type FundingStep, nextStep as nextFundingStep, answered as fundingAnswered } from './funding-journey';

/**
 * The signed-in application, one question a page. It asks the funding checker's questions (the cohort
 * comes from the intake chosen) and then what the provider needs.
 */
export interface ApplicationAnswers extends Omit<FundingAnswers, 'cohort'> {
  fullName?: string;
  trn?: string;
  /**
   * "I do not have a TRN": many early years staff have none. DfE's service lets them register and
   * gets them one later; its API's `teacher_reference_number` is null until then (dfe-api.md, rule 16).
   */
  noTrn?: boolean;
  employmentRole?: string;
  employerName?: string;
  lineManagerName?: string;
  lineManagerEmail?: string;
  intakeId?: string;
  timeZone?: string;
  fundingChoice?: FundingChoice;
  /** Set when the applicant has seen that DfE funds them: nothing more to ask on that page. */
  fundingSeen?: boolean;
  consent?: boolean;
}

export const APPLICATION_STEPS = [
  'details',
  'course',
  'headteacher',
  'england',
  'setting',
  'nursery',
  'school',
  'ofsted-urn',
  'role',
  'itt-provider',
  'referred',
  'job',
  'line-manager',
  'intake',
  'time-zone',
  'funding',
  'consent',
] as const;
export type ApplicationStep = (typeof APPLICATION_STEPS)[number];
export const isApplicationStep = (s: string): s is ApplicationStep => (APPLICATION_STEPS as readonly string[]).includes(s);

const FUNDING_QUESTIONS: ReadonlySet<string> = new Set(['course', 'headteacher', 'england', 'setting', 'nursery', 'school', 'ofsted-urn', 'role', 'itt-provider', 'referred']);

/**
 * Live online sessions are scheduled in the participant's time zone, which is UK time for anyone who
 * works in England: only someone learning at a distance from elsewhere is asked.
 */
export const asksTimeZone = (a: ApplicationAnswers, mode: string | undefined): boolean => mode === 'distance' && a.worksInEngland === false;
const isFundingQuestion = (s: ApplicationStep): s is ApplicationStep & FundingStep => FUNDING_QUESTIONS.has(s);

/** The step after `step` given the answers so far, or 'check' when all are asked. */
export function nextApplicationStep(step: ApplicationStep, a: ApplicationAnswers, intakeMode: (intakeId: string) => string | undefined): ApplicationStep | 'check' {
  if (step === 'details') return 'course';
  if (isFundingQuestion(step)) {
    const next = nextFundingStep(step, a);
    // Once the funding questions are done, the provider's questions follow.
    return next === 'check' ? 'job' : (next as ApplicationStep);
  }
  switch (step) {
    case 'job':
      return 'line-manager';
    case 'line-manager':
      return 'intake';
    case 'intake':
      return a.intakeId && asksTimeZone(a, intakeMode(a.intakeId)) ? 'time-zone' : 'funding';
    case 'time-zone':
      return 'funding';
    case 'funding':
      return 'consent';
    case 'consent':
      return 'check';
  }
  return 'check';
}

export function applicationRoute(a: ApplicationAnswers, intakeMode: (intakeId: string) => string | undefined): ApplicationStep[] {
  const steps: ApplicationStep[] = [];
  let step: ApplicationStep | 'check' = 'details';
  while (step !== 'check' && steps.length < APPLICATION_STEPS.length) {
    steps.push(step);
    step = nextApplicationStep(step, a, intakeMode);
  }
  return steps;
}

export function applicationStepAnswered(step: ApplicationStep, a: ApplicationAnswers): boolean {
  if (isFundingQuestion(step)) return fundingAnswered(step, a);
  switch (step) {
    case 'details':
      return Boolean(a.fullName && (a.trn || a.noTrn));
    case 'job':
      return Boolean(a.employmentRole);
    case 'line-manager':
      return Boolean(a.lineManagerName && a.lineManagerEmail);
    case 'intake':
      return Boolean(a.intakeId);
    case 'time-zone':
      return Boolean(a.timeZone);
    case 'funding':
      return a.fundingSeen === true || Boolean(a.fundingChoice);
    case 'consent':
      return a.consent === true;
  }
  return false;
}

export const firstUnansweredApplicationStep = (a: ApplicationAnswers, intakeMode: (intakeId: string) => string | undefined): ApplicationStep | 'check' =>
  applicationRoute(a, intakeMode).find((s) => !applicationStepAnswered(s, a)) ?? 'check';

/** Answers that no longer apply once an earlier one changes are dropped, so they are asked again. */
export function withoutStaleAnswers(a: ApplicationAnswers, intakeCourse: (intakeId: string) => string | undefined): ApplicationAnswers {
  const out = { ...a };
  if (out.intakeId && out.course && intakeCourse(out.intakeId) !== out.course) delete out.intakeId;
  if (out.course !== 'npq-early-headship-coaching-offer') delete out.newHeadteacher;
  if (out.worksInEngland !== false) delete out.timeZone;
  if (out.kindOfNursery !== 'childminder' && out.kindOfNursery !== 'private_nursery') delete out.ofstedUrn;
  return out;
}
