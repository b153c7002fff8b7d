import { z } from 'zod';
import type { ProgrammeContent } from '../domain/programme';
import type { ComponentProgress, PlanEntry } from '../domain/timeline';
import type { LearningService } from '../learning.service';

/*
 * An intake's delivery plan and a participant's progress as JSON (issue 10 item 8): instants in UTC
 * (ISO 8601), days as YYYY-MM-DD, guided learning in minutes.
 */

const instant = z.string().nullable().meta({ description: 'UTC, ISO 8601; null while not scheduled' });
const day = z.string().nullable().meta({ description: 'YYYY-MM-DD; null while not set' });
const venue = z.object({ id: z.string(), name: z.string(), address_line: z.string(), town: z.string(), postcode: z.string() }).nullable();
const session = { key: z.string(), title: z.string(), guided_learning_minutes: z.number().int(), starts_at: instant, ends_at: instant, join_url: z.string().nullable(), recording_url: z.string().nullable().meta({ description: 'Added after the session; null until then' }) };

export const planSchema = z
  .object({
    intake: z.object({ id: z.string(), name: z.string(), delivery_mode: z.string(), time_zone: z.string().meta({ description: 'The zone the plan is made in; participants see times in their own' }), start_date: z.string() }),
    programme_version: z.number().int(),
    events: z.array(z.object({ ...session, agenda: z.array(z.string()), runs_until: day, venue, room: z.string(), pre_work: z.object({ title: z.string(), due_on: day }).nullable() })),
    briefings: z.array(z.object(session)),
    modules: z.array(z.object({ key: z.string(), course: z.string(), title: z.string(), guided_learning_minutes: z.number().int(), releases_on: day, activities: z.number().int() })),
  })
  .meta({ id: 'IntakePlan' });

const component = z.object({
  component: z.enum(['events', 'online_courses', 'briefings']),
  expected_minutes: z.number().int().meta({ description: 'Guided learning expected by now: sessions ended, modules four weeks after release' }),
  evidenced_minutes: z.number().int().meta({ description: 'Guided learning evidenced: sessions attended (an event missed: its catch-up task done), module activities done (in proportion)' }),
  items_done: z.number().int(),
  items_total: z.number().int(),
});
export const progressSchema = z
  .object({
    participant_id: z.string(),
    places: z.array(
      z.object({
        application_id: z.string(),
        course_identifier: z.string(),
        intake_id: z.string().nullable(),
        training_status: z.string(),
        programme_version: z.number().int().nullable().meta({ description: 'Null while the intake has no programme' }),
        components: z.array(component),
      }),
    ),
  })
  .meta({ id: 'ParticipantProgress' });

const iso = (d: Date | null) => (d ? d.toISOString() : null);

type Plan = Awaited<ReturnType<LearningService['intakePlan']>>;
export function presentPlan(p: Plan): z.infer<typeof planSchema> {
  const content: ProgrammeContent = p.content;
  const entry = (key: string): PlanEntry | undefined => p.entries.get(key);
  const venueOf = (id: string | null | undefined) => {
    const v = id ? p.venues.find((x) => x.id === id) : undefined;
    return v ? { id: v.id, name: v.name, address_line: v.addressLine, town: v.town, postcode: v.postcode } : null;
  };
  return {
    intake: { id: p.intake.id, name: p.intake.name, delivery_mode: p.intake.deliveryMode, time_zone: p.timeZone, start_date: p.intake.startDate },
    programme_version: p.version.version,
    events: content.events.map((e) => {
      const x = entry(e.key);
      return {
        key: e.key,
        title: e.title,
        guided_learning_minutes: e.minutes,
        starts_at: iso(x?.startsAt ?? null),
        ends_at: iso(x?.endsAt ?? null),
        join_url: x?.joinUrl ?? null,
        recording_url: x?.recordingUrl ?? null,
        agenda: e.agenda,
        runs_until: x?.runsUntil ?? null,
        venue: venueOf(x?.venueId),
        room: x?.room ?? '',
        pre_work: e.preWork ? { title: e.preWork.title, due_on: x?.preWorkDueOn ?? null } : null,
      };
    }),
    briefings: content.briefings.map((b) => {
      const x = entry(b.key);
      return { key: b.key, title: b.title, guided_learning_minutes: b.minutes, starts_at: iso(x?.startsAt ?? null), ends_at: iso(x?.endsAt ?? null), join_url: x?.joinUrl ?? null, recording_url: x?.recordingUrl ?? null };
    }),
    modules: content.courses.flatMap((c) => c.modules.map((m) => ({ key: m.key, course: c.title, title: m.title, guided_learning_minutes: m.minutes, releases_on: entry(m.key)?.releasesOn ?? null, activities: m.activities.length }))),
  };
}

type Progress = Awaited<ReturnType<LearningService['progressOfParticipant']>>;
const presentComponent = (c: ComponentProgress) => ({ component: c.component, expected_minutes: c.expectedMinutes, evidenced_minutes: c.evidencedMinutes, items_done: c.itemsDone, items_total: c.itemsTotal });
export function presentProgress(participantId: string, progress: Progress): z.infer<typeof progressSchema> {
  return {
    participant_id: participantId,
    places: progress.map(({ place, programme }) => ({
      application_id: place.enrolmentId,
      course_identifier: place.courseIdentifier,
      intake_id: place.intakeId,
      training_status: place.trainingStatus,
      programme_version: programme?.version.version ?? null,
      components: programme ? programme.progress.map(presentComponent) : [],
    })),
  };
}
