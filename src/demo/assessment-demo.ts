import type { Services } from '../app';
import type { Actor } from '../platform/auth/actor';
import { system } from '../platform/auth/actor';
import { addDays, type PlainDate } from '../platform/clock';
import { dateInputFields } from '../platform/date-input';
import { demoHandbookPdf } from './handbook-pdf';

const REFLECTIONS = [
  'Met the English lead to agree the reading baseline and who tests which classes.',
  'Observed two guided reading sessions in Year 4; fed back on pace and questioning.',
  'Presented the first half-term’s fluency data to the senior team; agreed to keep the groups.',
];

// What the demo's early accounts say: a few lines, with no name or school in them, as participants are told.
const ACCOUNT_LINES = [
  'Design. Reading fluency in Key Stage 2 was below the national picture, and our own assessments showed why.',
  'We chose one change: daily paired reading with fluency modelled by the teacher, for two terms.',
  'Implementation. Every class teacher was trained in the first half term and observed in the second.',
  'Evaluation. Fluency rose by eleven words a minute on average; the lowest fifth gained the most.',
  'Reflection. I learnt to protect one priority and to let staff see the data for themselves.',
];

/**
 * Assessment in the demo (issue 12): the NPQH "Autumn 2026" intake's submission dates — Task 1 open
 * now and due in eight weeks, Task 2 opening in four — project time logged by the first few of
 * Pat's classmates, and three of them who have sent their Task 1 account early, one of whose scripts
 * is allocated to the demo assessor (Asa) to mark blind; the other two wait for the admin to allocate.
 * So the lists, the project log and marking are not empty when a provider looks.
 */
export async function loadAssessmentDemo(services: Services, intakeId: string, today: PlainDate, classmates: { enrolmentId: string; userId: string; name: string }[]): Promise<void> {
  const actor = system('demo');
  const dates = (opens: number, due: number, late: number | null) => ({ ...dateInputFields('opensOn', addDays(today, opens)), ...dateInputFields('dueOn', addDays(today, due)), ...(late === null ? {} : dateInputFields('lateUntil', addDays(today, late))) });
  await services.assessment.setSubmissionWindow(actor, intakeId, 'task-1', dates(-7, 56, 63));
  await services.assessment.setSubmissionWindow(actor, intakeId, 'task-2', dates(28, 140, null));
  for (const [i, c] of classmates.slice(0, 5).entries()) {
    const them: Actor = { kind: 'user', userId: c.userId, sessionId: 'demo', name: c.name, email: '', roles: [], fullySignedIn: true };
    for (const [j, reflection] of REFLECTIONS.slice(0, 1 + (i % 3)).entries()) {
      await services.assessment.logProjectTime(them, c.enrolmentId, { ...dateInputFields('workedOn', addDays(today, -7 * (j + 1) - i)), hours: String(2 + (j % 2)), minutes: j ? '30' : '0', reflection });
    }
  }
  const early = classmates.slice(5, 8);
  for (const c of early) {
    const them: Actor = { kind: 'user', userId: c.userId, sessionId: 'demo', name: c.name, email: '', roles: [], fullySignedIn: true };
    const draft = await services.assessment.uploadAccount(them, c.enrolmentId, 'task-1', { name: 'Task 1 account.pdf', bytes: demoHandbookPdf('Task 1: leading reading fluency across the school', ACCOUNT_LINES), tooLarge: false });
    await services.assessment.confirmSubmission(them, c.enrolmentId, 'task-1', draft.id);
  }
  const list = await services.assessment.allocationList(actor, { show: 'unallocated' }, { page: 1, perPage: 1_000 });
  const asa = list.assessors.find((a) => a.email === 'assessor@demo.npq.test');
  const first = list.rows.find((s) => s.enrolmentId === early[0]?.enrolmentId);
  if (asa && first) await services.assessment.allocateScript(actor, first.submission.id, { assessor: asa.userId });
}
