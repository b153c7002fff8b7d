import type { PlainDate } from '../../platform/clock';
import { CASE_STUDY_SCHEME, type MarkScheme, NPQH_TASK_1_SCHEME, NPQH_TASK_2_SCHEME, PROJECT_ACCOUNT_SCHEME } from './mark-scheme';

/** What a task needs beside the written account (issue 12 item 2). */
export type EvidenceKind = 'project_log' | 'placement' | 'board_presentation';

/** Which parts of an account its word count leaves out (issue 12 item 3: "headings, references and appendices excluded or not"). */
export type WordCountExclusion = 'headings' | 'references' | 'appendices' | 'footnotes' | 'tables';

/**
 * One assessed task of an NPQ (issue 12 item 1): what is asked, the evidence it needs, the word
 * limit of its account and what the count leaves out, and whether over the limit is refused or only
 * flagged to the marker. A reformed NPQ's case study is answered within a window (days, questions).
 */
export interface AssessmentTask {
  key: string;
  title: string;
  /** What the participant must do, as the seed says it. */
  asks: string[];
  evidence: readonly EvidenceKind[];
  wordLimit: number;
  wordCount: { excludes: readonly WordCountExclusion[]; overLimit: 'refuse' | 'flag' };
  /** A project's least length in school terms (seed 000: "at least two terms"). */
  minimumTerms?: number;
  /** A placement's least length in working days (seed 000: "at least nine working days"). */
  minimumPlacementDays?: number;
  /** For a case study answered within a window: its length in days and how many questions it sets. */
  window?: { days: number; questions: number };
  /** How many further attempts a fail allows (domain.md: "one resit is usual"). */
  resits: number;
  /** Whose governing board sees the plan, for a task that asks for a board presentation (seed 000: Task 1 the participant's own school's, Task 2 the placement school's). */
  boardOf?: 'own' | 'placement';
  /** How its account is marked (issue 12 item 4). */
  markScheme: MarkScheme;
}

/**
 * How an NPQ is assessed, as one version (issue 12 item 1: "per NPQ and version"). A version is never
 * edited once in use: a change is a new version with a later `from`, and a participant is assessed
 * by the version in force when their intake started (docs/architecture.md: a promise is kept as it
 * was made). `projectMinutesPerWeek` is the in-school project time the log is measured against.
 */
export interface AssessmentSpec {
  qualification: string;
  version: string;
  /** The first intake start date this version applies to (UK date). */
  from: PlainDate;
  tasks: readonly AssessmentTask[];
  /** The final assessment must be passed within this many months of starting (seed 001), deferral aside. */
  passWithinMonths: number;
  projectMinutesPerWeek: number | null;
}

const LEADERSHIP_COUNT = { excludes: ['headings', 'references', 'appendices', 'footnotes', 'tables'], overLimit: 'flag' } as const;
const CASE_STUDY_COUNT = { excludes: ['references'], overLimit: 'refuse' } as const;

/** A reformed NPQ's open-book case study (domain.md: 8 days, 3 questions, one resit). */
const caseStudy = (wordLimit: number): AssessmentTask => ({
  key: 'case-study',
  title: 'Case study',
  asks: ['Answer three questions on a case study, open book, within eight days of its release.'],
  evidence: [],
  wordLimit,
  wordCount: CASE_STUDY_COUNT,
  window: { days: 8, questions: 3 },
  resits: 1,
  markScheme: CASE_STUDY_SCHEME,
});

const reformed = (qualification: string, wordLimit: number): AssessmentSpec => ({ qualification, version: '2021', from: '2021-09-01', tasks: [caseStudy(wordLimit)], passWithinMonths: 18, projectMinutesPerWeek: null });

/**
 * Every NPQ's assessment, by version: NPQH's two tasks (seeds 000 and 001), NPQEL's case-study
 * reflection (seed 003), NPQML's and NPQSL's school improvement project (seed 002), and the reformed
 * NPQs' case study with the word limits domain.md gives. The Early Headship Coaching Offer is not
 * assessed (seed 002), so it has none.
 */
export const ASSESSMENT_SPECS: readonly AssessmentSpec[] = [
  {
    qualification: 'npq-headship',
    version: '2017',
    from: '2017-09-01',
    passWithinMonths: 18,
    projectMinutesPerWeek: 120,
    tasks: [
      {
        key: 'task-1',
        title: 'Task 1: a whole-school change programme',
        asks: [
          'Lead a change programme at whole-school level lasting at least two terms, aiming to improve pupil progress and attainment.',
          'Present the plan to the governing board before it starts and gather their feedback.',
          'Submit a 4,000-word account of the project’s design, implementation and evaluation.',
        ],
        evidence: ['project_log', 'board_presentation'],
        wordLimit: 4000,
        wordCount: LEADERSHIP_COUNT,
        minimumTerms: 2,
        resits: 1,
        boardOf: 'own',
        markScheme: NPQH_TASK_1_SCHEME,
      },
      {
        key: 'task-2',
        title: 'Task 2: a placement in a contrasting school',
        asks: [
          'Undertake a placement in a contrasting school (by performance, pupil profile or geography, for example) lasting at least nine working days, which may be spread over weeks.',
          'Research the school’s resource and capability challenges and design an action plan to address them.',
          'Present the plan to that school’s governing board and gather their feedback.',
          'Submit a 2,500-word account.',
        ],
        evidence: ['placement', 'board_presentation'],
        wordLimit: 2500,
        wordCount: LEADERSHIP_COUNT,
        minimumPlacementDays: 9,
        resits: 1,
        boardOf: 'placement',
        markScheme: NPQH_TASK_2_SCHEME,
      },
    ],
  },
  {
    qualification: 'npq-executive-leadership',
    version: '2017',
    from: '2017-09-01',
    passWithinMonths: 18,
    projectMinutesPerWeek: 120,
    tasks: [
      {
        key: 'reflection',
        title: 'Case-study reflection',
        asks: ['Design an improvement strategy for your own school and lead a project to improve progress and attainment across several schools.', 'Submit a written case-study reflection of up to 2,500 words.'],
        evidence: ['project_log'],
        wordLimit: 2500,
        wordCount: LEADERSHIP_COUNT,
        resits: 1,
        markScheme: PROJECT_ACCOUNT_SCHEME,
      },
    ],
  },
  ...(['npq-middle-leadership', 'npq-senior-leadership'] as const).map(
    (qualification): AssessmentSpec => ({
      qualification,
      version: '2017',
      from: '2017-09-01',
      passWithinMonths: 18,
      projectMinutesPerWeek: 120,
      tasks: [
        {
          key: 'project',
          title: 'School improvement project',
          asks: [qualification === 'npq-middle-leadership' ? 'Lead a school improvement project across a team, lasting at least two terms.' : 'Lead a school improvement project across the whole school, lasting at least two terms.', 'Submit a written account of up to 2,000 words.'],
          evidence: ['project_log'],
          wordLimit: 2000,
          wordCount: LEADERSHIP_COUNT,
          minimumTerms: 2,
          resits: 1,
          markScheme: PROJECT_ACCOUNT_SCHEME,
        },
      ],
    }),
  ),
  reformed('npq-leading-teaching', 1500),
  reformed('npq-leading-behaviour-culture', 1500),
  reformed('npq-leading-teaching-development', 1500),
  reformed('npq-leading-literacy', 1500),
  reformed('npq-leading-primary-mathematics', 1500),
  reformed('npq-senco', 1500),
  reformed('npq-early-years-leadership', 2000),
];

/**
 * The version of an NPQ's assessment a participant is held to: the newest whose `from` is on or
 * before their start (UK date); undefined for an NPQ that is not assessed or has no version yet.
 */
export function assessmentSpecFor(qualification: string, startedOn: PlainDate, specs: readonly AssessmentSpec[] = ASSESSMENT_SPECS): AssessmentSpec | undefined {
  return specs.filter((s) => s.qualification === qualification && s.from <= startedOn).sort((a, b) => (a.from < b.from ? 1 : -1))[0];
}

/** Whether any task of the spec needs this evidence, and the tasks that do. */
export const tasksNeeding = (spec: AssessmentSpec, kind: EvidenceKind): AssessmentTask[] => spec.tasks.filter((t) => t.evidence.includes(kind));

/** Whether an NPQ (by its identifier) is assessed at all: the Early Headship Coaching Offer is not (seed 002). */
export const isAssessed = (qualification: string): boolean => ASSESSMENT_SPECS.some((s) => s.qualification === qualification);
