import { scheduleMissingFromCohort } from '../domain/dfe-reference-data';
import { dfeTrainingStatusOf } from '../domain/status-changes';
import type { SendDeps } from './send-status-changes';
import { sendValueChange, type ValueChange } from './send-value-change';

/** DfE's body for a change of schedule (PUT /participants/npq/{id}/change-schedule; DfE's OpenAPI document, ParticipantChangeScheduleRequest). */
export const scheduleBody = (scheduleIdentifier: string, courseIdentifier: string) => ({ data: { type: 'participant-change-schedule', attributes: { schedule_identifier: scheduleIdentifier, course_identifier: courseIdentifier } } });

/** Why a schedule change is not sent for a participant withdrawn in the platform: DfE refuses one (docs/dfe-api.md §4.3), and the platform never resumes a withdrawn participant. */
export const WITHDRAWN_NOTE = 'Not sent: they are withdrawn, and DfE refuses a change of schedule for a withdrawn participant ("The participant is already withdrawn"). Nothing to do unless they come back, when their schedule is sent with the move.';

/**
 * A change of an accepted participant's schedule (issue 13 item 2: "wrong schedules" are among providers'
 * most expensive faults): the schedule of the intake they are placed in, after a move to another intake
 * or a change of the intake's schedule. The cohort is not sent: a move stays in the cohort. DfE refuses a
 * change of schedule for a withdrawn participant ("The participant is already withdrawn", docs/dfe-api.md
 * §4.3): for one withdrawn in the platform (whether or not DfE has been told yet; withdrawal is final in
 * the platform) it is recorded as not sent, with why, and nothing goes to DfE; while DfE shows them
 * withdrawn and the platform does not (DfE's own act, for reconciliation), it is held pending, nothing
 * sent, and a later sweep sends it once DfE has them active again.
 */
export const SCHEDULE_CHANGE: ValueChange = {
  kind: 'change_schedule',
  name: 'change of schedule',
  body: (at) => {
    if (at.decision.status !== 'accepted') return { nothing: 'Not an accepted participant: DfE is told the schedule with the acceptance.' };
    const { schedule, cohort, courseIdentifier } = at.decision;
    if (!schedule) return { nothing: 'Their intake names no DfE schedule, so DfE keeps the one it gave.' };
    // DfE looks a schedule up among every cohort of the start year (docs/dfe-api.md §4.3): one its
    // cohort lacks would move the participant to another cohort, perhaps unfunded, or be refused.
    if (cohort && scheduleMissingFromCohort(cohort, schedule)) {
      return { refuse: `Not sent: DfE has no schedule ${schedule} in cohort ${cohort}, and sending it would move them to another cohort or be refused. Put the intake's schedule right, then move them again.` };
    }
    if (at.trainingStatus === 'withdrawn') return { refuse: WITHDRAWN_NOTE };
    return { body: scheduleBody(schedule, courseIdentifier) };
  },
  paths: (at) => {
    if (!at.dfeParticipantId) return 'DfE’s participant id for them is not known yet: the next pull of applications brings it.';
    const read = `/api/v3/participants/npq/${encodeURIComponent(at.dfeParticipantId)}`;
    return { read, write: `${read}/change-schedule` };
  },
  shows: (answer, body, at) => {
    const enrolments = (answer as { data?: { attributes?: { npq_enrolments?: { npq_application_id?: unknown; schedule_identifier?: unknown }[] } } }).data?.attributes?.npq_enrolments ?? [];
    const enrolment = enrolments.find((e) => e.npq_application_id === at.dfeApplicationId);
    return enrolment?.schedule_identifier === (body as ReturnType<typeof scheduleBody>).data.attributes.schedule_identifier;
  },
  heldAtDfe: (answer, at) => (dfeTrainingStatusOf(answer, at.dfeApplicationId) === 'withdrawn' ? 'Held: DfE shows them withdrawn though the platform does not, and refuses a change of schedule for a withdrawn participant: reconcile with DfE; sent once DfE has them active again.' : null),
};

/**
 * Tells DfE of a change to an accepted participant's schedule (issue 13 item 2), exactly once, as the
 * schedule of their intake when sending (sendValueChange): a move between intakes of one schedule sends
 * nothing, DfE already showing it; DfE's 422 (declarations the new schedule would invalidate) is kept in
 * its words. Returns the number of changes settled.
 */
export const sendSchedule = (deps: SendDeps, applicationId: string, changeKey: string | null): Promise<number> => sendValueChange(deps, SCHEDULE_CHANGE, applicationId, changeKey);
