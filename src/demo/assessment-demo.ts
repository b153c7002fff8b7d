import type { Services } from '../app';
import type { Actor } from '../platform/auth/actor';
import { system } from '../platform/auth/actor';
import { addDays, type PlainDate } from '../platform/clock';
import { dateInputFields } from '../platform/date-input';

const REFLECTIONS = [
  'Met the English lead to agree the reading baseline and who tests which classes.',
  'Observed two guided reading sessions in Year 4; fed back on pace and questioning.',
  'Presented the first half-term’s fluency data to the senior team; agreed to keep the groups.',
];

/**
 * Assessment in the demo (issue 12): the NPQH "Autumn 2026" intake's submission dates — Task 1 open
 * now and due in eight weeks, Task 2 opening in four — and project time logged by the first few of
 * Pat's classmates, so the lists and the project log are not empty when a provider looks.
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
}
