import { z } from 'zod';
import type { CatalogueEntry } from '../catalogue.service';
import { AUDIENCES, COMPONENT_KINDS, DELIVERY_MODES, hoursFromMinutes, KINDS } from '../domain/qualification';

/**
 * The catalogue's JSON: the schemas the OpenAPI document publishes and the presenters that fill them
 * from catalogue entries. Pure: everything shown is in the entry.
 */
const intakeSchema = z.object({
  id: z.string(),
  name: z.string(),
  start_date: z.iso.date(),
  application_deadline: z.iso.date(),
  delivery_mode: z.enum(DELIVERY_MODES),
  delivery_partner: z.object({ id: z.string(), name: z.string() }),
  venue: z.object({ name: z.string(), town: z.string(), postcode: z.string() }).nullable(),
  time_zone: z.string().nullable(),
});

export const qualificationSummarySchema = z
  .object({
    identifier: z.string().meta({ description: "DfE course identifier, like npq-headship" }),
    short_name: z.string(),
    name: z.string(),
    kind: z.enum(KINDS),
    framework: z.enum(['reformed', 'legacy']),
    summary: z.string(),
    who_for: z.string(),
    audiences: z.array(z.enum(AUDIENCES)),
    duration_months: z.object({ min: z.number().int(), max: z.number().int() }),
    guided_learning_hours: z.number().nullable(),
    next_start_date: z.iso.date().nullable(),
  })
  .meta({ id: 'QualificationSummary' });

export const qualificationSchema = qualificationSummarySchema
  .extend({
    who_can_apply: z.string(),
    intakes_description: z.string(),
    weekly_study_hours: z.object({ min: z.number().int().nullable(), max: z.number().int().nullable() }),
    study_type: z.string(),
    face_to_face_days: z.number().int().nullable(),
    face_to_face_note: z.string(),
    online_courses: z.number().int().nullable(),
    personal_tutor: z.boolean(),
    coaching: z.boolean(),
    assessment_type: z.string(),
    masters_credits: z.number().int().nullable(),
    dfe_funding: z.string().meta({ description: 'Who DfE funds for this NPQ, generated from the rules POST /api/v1/funding-eligibility applies' }),
    dfe_accredited: z.boolean(),
    learning_themes: z.array(z.string()),
    delivery_modes: z.array(z.enum(DELIVERY_MODES)),
    components: z.array(
      z.object({
        kind: z.enum(COMPONENT_KINDS),
        title: z.string(),
        description: z.string(),
        guided_learning_hours: z.number(),
        items: z.array(z.object({ title: z.string(), points: z.array(z.string()) })),
      }),
    ),
    intakes: z.array(intakeSchema),
  })
  .meta({ id: 'Qualification' });

/** A qualification as the list shows it: what it is, who it is for, how long, and when it next starts. */
export function presentQualificationSummary(q: CatalogueEntry): z.infer<typeof qualificationSummarySchema> {
  return {
    identifier: q.identifier,
    short_name: q.shortName,
    name: q.name,
    kind: q.kind as z.infer<typeof qualificationSummarySchema>['kind'],
    framework: q.framework as 'reformed' | 'legacy',
    summary: q.summary,
    who_for: q.whoFor,
    audiences: q.audiences as z.infer<typeof qualificationSummarySchema>['audiences'],
    duration_months: { min: q.durationMonthsMin, max: q.durationMonthsMax },
    guided_learning_hours: q.guidedLearningHours,
    next_start_date: q.intakes[0]?.startDate ?? null,
  };
}

/** A qualification with its programme components and open intakes. */
export function presentQualification(q: CatalogueEntry): z.infer<typeof qualificationSchema> {
  return {
    ...presentQualificationSummary(q),
    who_can_apply: q.whoCanApply,
    intakes_description: q.intakesDescription,
    weekly_study_hours: { min: q.weeklyStudyHoursMin, max: q.weeklyStudyHoursMax },
    study_type: q.studyType,
    face_to_face_days: q.faceToFaceDays,
    face_to_face_note: q.faceToFaceNote,
    online_courses: q.onlineCourses,
    personal_tutor: q.personalTutor,
    coaching: q.coaching,
    assessment_type: q.assessmentType,
    masters_credits: q.mastersCredits,
    dfe_funding: q.funding.sentences.join(' '),
    dfe_accredited: q.dfeAccredited,
    learning_themes: q.learningThemes,
    delivery_modes: q.deliveryModes as z.infer<typeof qualificationSchema>['delivery_modes'],
    components: q.components.map((c) => ({
      kind: c.kind as (typeof COMPONENT_KINDS)[number],
      title: c.title,
      description: c.description,
      guided_learning_hours: hoursFromMinutes(c.guidedLearningMinutes),
      items: c.items,
    })),
    intakes: q.intakes.map((i) => ({
      id: i.id,
      name: i.name,
      start_date: i.startDate,
      application_deadline: i.applicationDeadline,
      delivery_mode: i.deliveryMode as (typeof DELIVERY_MODES)[number],
      delivery_partner: { id: i.deliveryPartnerId, name: i.partnerName },
      venue: i.venue ? { name: i.venue.name, town: i.venue.town, postcode: i.venue.postcode } : null,
      time_zone: i.timeZone,
    })),
  };
}

