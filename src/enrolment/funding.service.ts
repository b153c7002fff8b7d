import { and, eq, inArray, isNull, ne, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client';
import { applications, enrolments } from './enrolment.schema';
import type { PublicCatalogue } from '../catalogue/catalogue.queries';
import { ValidationError } from '../platform/errors';
import { fieldErrors } from '../platform/forms';
import type { CohortsService } from './cohorts.service';
import {
  decideFunding,
  EMPLOYMENT_TYPES,
  explainFunding,
  type FundingStatusCode,
  KINDS_OF_NURSERY,
  sameFundingCourse,
  WORK_SETTINGS,
} from './domain/funding-eligibility';
import { OFSTED_URN_FORMAT_MESSAGE, parseOfstedUrn } from './domain/ofsted-urn';
import { normaliseProviderName } from './domain/reference-data';
import type { ReferenceService } from './reference.service';
import { whenMissing } from '../platform/zod-messages';

const SCHOOL_SETTINGS = new Set(['a_school', 'an_academy_trust', 'a_16_to_19_educational_setting']);

/** An Ofsted URN in any of Ofsted's forms and any case, kept in Ofsted's own form (EY123456). */
export const ofstedUrnField = () =>
  z
    .string()
    .max(40, OFSTED_URN_FORMAT_MESSAGE)
    .transform((v, ctx) => {
      const parsed = parseOfstedUrn(v);
      if (parsed.ok) return parsed.urn;
      ctx.addIssue({ code: 'custom', message: OFSTED_URN_FORMAT_MESSAGE });
      return z.NEVER;
    });

/** The question as DfE's registration service asks it; the same fields in the JSON API and the journey. */
export const fundingQuestionSchema = z
  .object({
    cohort: z.string({ error: whenMissing('Enter the cohort, like 2026a') }).trim().min(1, 'Enter the cohort, like 2026a').max(10),
    course_identifier: z.string({ error: whenMissing('Select an NPQ') }).trim().min(1, 'Select an NPQ').max(80),
    works_in_england: z.boolean({ error: 'Say whether you work in England' }),
    work_setting: z.enum(WORK_SETTINGS, { error: 'Select where you work' }),
    school_urn: z
      .union([z.string(), z.number()])
      .transform((v) => String(v).trim())
      .pipe(z.string().regex(/^\d{6}$/, 'A school URN is 6 digits'))
      .optional(),
    kind_of_nursery: z.enum(KINDS_OF_NURSERY, { error: 'Select the kind of nursery or setting' }).optional(),
    private_childcare_provider_urn: ofstedUrnField().optional(),
    employment_type: z.enum(EMPLOYMENT_TYPES, { error: 'Select your role' }).optional(),
    itt_provider: z.string().trim().max(300).optional(),
    new_headteacher: z.boolean().default(false),
    referred_by_return_to_teaching_adviser: z.boolean().default(false),
    teacher_reference_number: z
      .string()
      .trim()
      .regex(/^\d{7}$/, 'A teacher reference number is 7 digits')
      .optional(),
  })
  .superRefine((q, ctx) => {
    if (q.works_in_england && SCHOOL_SETTINGS.has(q.work_setting) && !q.school_urn) ctx.addIssue({ code: 'custom', path: ['school_urn'], message: 'Enter the URN of the school, trust school or college where you work' });
    if (q.works_in_england && q.work_setting === 'early_years_or_childcare' && !q.kind_of_nursery) ctx.addIssue({ code: 'custom', path: ['kind_of_nursery'], message: 'Select the kind of nursery or setting' });
    if (q.works_in_england && q.work_setting === 'another_setting' && !q.employment_type) ctx.addIssue({ code: 'custom', path: ['employment_type'], message: 'Select your role' });
  });
export type FundingQuestionInput = z.input<typeof fundingQuestionSchema>;

export interface FundingAnswer {
  funded: boolean;
  status_code: FundingStatusCode;
  subject_to_review: boolean;
  message: string;
}

export function createFundingService(deps: { db: Db; cohorts: CohortsService; reference: ReferenceService; catalogue: PublicCatalogue }) {
  const { db, cohorts, reference, catalogue } = deps;

  /**
   * Whether DfE has already funded this person for the NPQ (EHCO counts with the old support offer):
   * an accepted, fundable application of theirs, found by TRN or by their account. Only for the
   * person's own application or the provider's review: never for an anonymous question (ADR 0022).
   */
  async function previouslyFunded(who: { trn?: string | null | undefined; userId?: string | null | undefined; exceptApplicationId?: string | undefined }, course: string): Promise<boolean> {
    const whose: SQL[] = [];
    if (who.trn) whose.push(eq(applications.teacherReferenceNumber, who.trn));
    if (who.userId) whose.push(eq(applications.userId, who.userId));
    if (!whose.length) return false;
    const courses = ['npq-early-headship-coaching-offer', 'npq-additional-support-offer'].includes(course) ? ['npq-early-headship-coaching-offer', 'npq-additional-support-offer'] : [course];
    const rows = await db
      .select({ course: applications.courseIdentifier })
      .from(applications)
      .innerJoin(enrolments, eq(enrolments.applicationId, applications.id))
      .where(
        and(
          or(...whose),
          who.exceptApplicationId ? ne(applications.id, who.exceptApplicationId) : undefined,
          inArray(applications.courseIdentifier, courses),
          eq(applications.status, 'accepted'),
          eq(applications.eligibleForFunding, true),
          or(isNull(enrolments.fundedPlace), eq(enrolments.fundedPlace, true)),
        ),
      )
      .limit(1);
    return rows.some((r) => sameFundingCourse(r.course, course));
  }

  return {
    previouslyFunded,

    /**
     * Validates a question from any boundary and answers it with DfE's rules and the reference data.
     * What is known about the person (funded before) is passed in by whoever may know it; the
     * question's own `teacher_reference_number` is never looked up here.
     */
    async check(raw: unknown, person: { previouslyFunded?: boolean } = {}): Promise<FundingAnswer> {
      const parsed = fundingQuestionSchema.safeParse(raw);
      if (!parsed.success) throw new ValidationError(fieldErrors(parsed.error));
      const q = parsed.data;
      const cohort = await cohorts.byIdentifier(q.cohort);
      if (!cohort) throw new ValidationError({ cohort: `There is no cohort ${q.cohort}` });
      const course = (await catalogue.list()).find((c) => c.identifier === q.course_identifier);
      if (!course) throw new ValidationError({ course_identifier: `We do not offer an NPQ with the identifier ${q.course_identifier}` });

      let schoolFacts = null;
      if (SCHOOL_SETTINGS.has(q.work_setting) || q.kind_of_nursery === 'local_authority_maintained_nursery' || q.kind_of_nursery === 'preschool_class_as_part_of_school') {
        if (q.school_urn) {
          const school = await reference.school(Number(q.school_urn));
          if (!school) throw new ValidationError({ school_urn: `We cannot find a school with URN ${q.school_urn}. Check the URN, or search by name` });
          const [onRise, onPp50, onPp50Fe] = await Promise.all([
            reference.onList('rise-schools', q.school_urn),
            reference.onList('pp50-schools', q.school_urn),
            school.ukprn ? reference.onList('pp50-further-education', school.ukprn) : Promise.resolve(false),
          ]);
          schoolFacts = { establishmentTypeCode: school.typeCode, onRiseList: onRise, onPp50List: onPp50, onPp50FeList: onPp50Fe };
        }
      }
      const decision = decideFunding({
        cohortFunded: cohort.funding !== 'none',
        courseIdentifier: q.course_identifier,
        worksInEngland: q.works_in_england,
        previouslyFunded: person.previouslyFunded ?? false,
        newHeadteacher: q.new_headteacher,
        workSetting: q.work_setting,
        school: schoolFacts,
        kindOfNursery: q.kind_of_nursery ?? null,
        childminderOnList: q.private_childcare_provider_urn ? await reference.onList('childminders', q.private_childcare_provider_urn) : false,
        employmentType: q.employment_type ?? null,
        ittProviderApproved: q.itt_provider ? await reference.onList('approved-itt-providers', normaliseProviderName(q.itt_provider)) : false,
        referredByReturnToTeachingAdviser: q.referred_by_return_to_teaching_adviser,
      });
      return {
        funded: decision.funded,
        status_code: decision.statusCode,
        subject_to_review: decision.subjectToReview,
        message: explainFunding(decision.statusCode, course.name),
      };
    },
  };
}
export type FundingService = ReturnType<typeof createFundingService>;
