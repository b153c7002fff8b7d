import { formatDate, ukDate } from '../../platform/clock';
import { ValidationError } from '../../platform/errors';
import { type GatewayStatus, isOwnAddress } from '../domain/application';
import { isTimeZone, UK_TIME_ZONE } from '../domain/time-zones';
import type { EnrolmentContext } from '../enrolment-context';
import type { FundingAnswer } from '../funding.service';
import type { ApplicationInput } from './application-input';

const SCHOOL_SETTINGS = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);

/**
 * Checks an application's facts against the catalogue, intake and funding rules; the columns to store.
 * `person` is who the application belongs to, for "funded once per NPQ" and the own-address rule.
 * Raises ValidationError keyed by the API's field names.
 */
export async function assessApplication(ctx: EnrolmentContext, i: ApplicationInput, person: { userId?: string | null | undefined; accountEmail?: string | undefined; exceptApplicationId?: string | undefined } = {}) {
  const { deps } = ctx;
  if (person.accountEmail && isOwnAddress(person.accountEmail, i.line_manager_email)) throw new ValidationError({ line_manager_email: 'The line manager’s email address must not be the applicant’s own' });
  const course = await ctx.courseNamed(i.course_identifier);
  if (!course) throw new ValidationError({ course_identifier: `We do not offer an NPQ with the identifier ${i.course_identifier}` });
  const intake = await ctx.intakeById(i.intake_id);
  if (!intake || intake.retiredAt || intake.qualificationId !== course.id) throw new ValidationError({ intake_id: `Choose one of the ${course.shortName}’s intakes` });
  if (!intake.cohortIdentifier) throw new ValidationError({ intake_id: 'That intake has no cohort yet: choose another' });
  if (intake.applicationDeadline < ukDate(ctx.now())) throw new ValidationError({ intake_id: `Applications for ${intake.name} closed on ${formatDate(intake.applicationDeadline)}` });
  const cohort = await deps.cohorts.byIdentifier(intake.cohortIdentifier);
  if (!cohort) throw new ValidationError({ intake_id: 'That intake’s cohort does not exist' });
  if (i.time_zone && !isTimeZone(i.time_zone)) throw new ValidationError({ time_zone: 'Choose a time zone from the list' });
  // The application carries the funding question's own fields by their API names; the check ignores the rest.
  const fundedBefore = await deps.funding.previouslyFunded({ trn: i.teacher_reference_number, userId: person.userId, exceptApplicationId: person.exceptApplicationId }, course.identifier);
  const answer: FundingAnswer = await deps.funding.check({ ...i, teacher_reference_number: undefined, cohort: cohort.identifier }, { previouslyFunded: fundedBefore });
  if (!answer.funded && !i.funding_choice) throw new ValidationError({ funding_choice: 'DfE will not fund this: say who will pay' });
  const school = i.school_urn && (SCHOOL_SETTINGS.has(i.work_setting) || i.kind_of_nursery) ? await deps.reference.school(Number(i.school_urn)) : undefined;
  const gateway = await ctx.gatewayConfig(course.identifier);
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
      // The intake chosen; its delivery partner is read through it until acceptance (ADR 0036).
      intakeId: intake.id,
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
    },
    /** Where the gateway starts: `awaiting_submission` for an NPQ that has one (a gateway_assessments row is made), else `not_required`. */
    gatewayStatus: (gateway ? 'awaiting_submission' : 'not_required') as GatewayStatus,
  };
}
