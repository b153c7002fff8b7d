import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { pageMeta, pageMetaSchema, pageNumberSchema } from '../../api/domain/paging';
import { operation, serveOperations } from '../../api/operation';
import { RISK_SIGNALS, type RiskSignal } from '../domain/early-warning';
import { ENGAGEMENT_COMPONENTS } from '../domain/engagement';
import type { EngagementService } from '../engagement.service';

const componentSchema = z.object({
  component: z.enum(ENGAGEMENT_COMPONENTS),
  expected_minutes: z.number().int().meta({ description: 'Guided learning expected by today, in minutes' }),
  evidenced_minutes: z.number().int().meta({ description: 'Guided learning evidenced, in minutes (ahead of what is expected too)' }),
});
const engagementFields = {
  expected_minutes: z.number().int().meta({ description: 'All guided learning expected by today, in minutes' }),
  counted_minutes: z.number().int().meta({ description: 'Evidence counted: each component’s up to what it expects, in minutes' }),
  percent: z.number().int().nullable().meta({ description: 'counted of expected, in whole per cent rounded down; null while nothing is expected yet' }),
  threshold_percent: z.number().int().meta({ description: 'The NPQ’s engagement threshold' }),
  below_threshold: z.boolean(),
  components: z.array(componentSchema),
  at_risk: z.boolean().meta({ description: 'Flagged at risk (issue 11 item 4): the signals’ weights reach 5 and no follow-up since has seen them all' }),
  risk_score: z.number().int().meta({ description: 'The sum of the signals’ weights' }),
  risk_signals: z.array(
    z.object({
      signal: z.enum(RISK_SIGNALS),
      weight: z.number().int(),
      reason: z.string().meta({ description: 'The signal in words, as the pages show it' }),
    }),
  ),
};
/** Early warning's fields, as both operations give them. */
const riskFields = (r: { atRisk: boolean; score: number; signals: readonly RiskSignal[] }) => ({ at_risk: r.atRisk, risk_score: r.score, risk_signals: r.signals.map((s) => ({ signal: s.signal, weight: s.weight, reason: s.reason })) });

export const participantEngagementSchema = z
  .object({
    participant_id: z.string(),
    places: z.array(z.object({ application_id: z.string(), course_identifier: z.string(), training_status: z.string(), computed_at: z.string().meta({ description: 'UTC, ISO 8601' }), ...engagementFields })),
  })
  .meta({ id: 'ParticipantEngagement' });

export const cohortEngagementSchema = z
  .object({
    data: z.array(
      z.object({
        application_id: z.string(),
        full_name: z.string(),
        course_identifier: z.string(),
        intake_id: z.string().nullable(),
        delivery_partner_id: z.string().nullable(),
        group_name: z.string().nullable(),
        computed_at: z.string(),
        ...engagementFields,
        flagged_since: z.string().nullable().meta({ description: 'When this stretch of being flagged at risk began (UTC, ISO 8601); null when not flagged' }),
      }),
    ),
    meta: pageMetaSchema,
  })
  .meta({ id: 'CohortEngagement' });

/** Engagement's operations (issue 11 item 6), scoped as the pages are (engagementScope). */
export async function engagementApi(app: FastifyInstance, opts: { engagement: EngagementService }) {
  const { engagement } = opts;
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/participants/{id}/engagement',
      scope: 'delivery:read',
      tag: 'Engagement',
      summary: 'A participant’s engagement on each of their places, computed now: guided learning expected by today and evidenced per component, the percentage against their NPQ’s threshold, and early warning’s signals and flag',
      params: z.object({ id: z.uuid() }),
      response: participantEngagementSchema,
      handle: async ({ actor, params }) => ({ id: params.id, ...(await engagement.engagementOfDfeParticipant(actor, params.id)) }),
      present: ({ id, computedAt, places }) => ({
        participant_id: id,
        places: places.map(({ place, engagement: e, risk }) => ({
          application_id: place.enrolmentId,
          course_identifier: place.courseIdentifier,
          training_status: place.trainingStatus,
          computed_at: computedAt.toISOString(),
          expected_minutes: e.expectedMinutes,
          counted_minutes: e.countedMinutes,
          percent: e.percent,
          threshold_percent: e.thresholdPercent,
          below_threshold: e.below,
          components: e.components.map((c) => ({ component: c.component, expected_minutes: c.expectedMinutes, evidenced_minutes: c.evidencedMinutes })),
          ...riskFields(risk),
        })),
      }),
    }),
    operation({
      method: 'get',
      path: '/api/v1/cohorts/{identifier}/engagement',
      scope: 'delivery:read',
      tag: 'Engagement',
      summary: 'The engagement of a cohort’s participants in training whom the token may see, as last computed (nightly, or when computed for one participant), in name order',
      params: z.object({ identifier: z.string().max(20).describe('The cohort’s identifier, like 2026a') }),
      query: z.object({
        'filter[below_threshold]': z.enum(['true', 'false']).optional().describe('Only those below (true) their NPQ’s threshold'),
        'filter[at_risk]': z.enum(['true', 'false']).optional().describe('Only those flagged at risk (true)'),
        'page[page]': pageNumberSchema(10_000),
        'page[per_page]': z.coerce.number().int().min(1).max(100).default(50).describe('Results per page, up to 100'),
      }),
      response: cohortEngagementSchema,
      handle: async ({ actor, params, query }) => {
        const cohort = await engagement.cohortIdOf(actor, params.identifier);
        return { list: await engagement.engagementList(actor, { cohort, below: query['filter[below_threshold]'] === 'true' || undefined, atRisk: query['filter[at_risk]'] === 'true' || undefined }, 'name', query['page[page]'], query['page[per_page]'], 'empty'), perPage: query['page[per_page]'] };
      },
      present: ({ list, perPage }) => ({
        data: list.rows.map((r) => ({
          application_id: r.enrolmentId,
          full_name: r.fullName,
          course_identifier: r.courseIdentifier,
          intake_id: r.intakeId,
          delivery_partner_id: r.deliveryPartnerId,
          group_name: r.groupName,
          computed_at: r.computedAt.toISOString(),
          expected_minutes: r.expectedMinutes,
          counted_minutes: r.countedMinutes,
          percent: r.percent,
          threshold_percent: r.thresholdPercent,
          below_threshold: r.below,
          components: r.components.map((c) => ({ component: c.component, expected_minutes: c.expectedMinutes, evidenced_minutes: c.evidencedMinutes })),
          ...riskFields({ atRisk: r.atRisk, score: r.riskScore, signals: r.riskSignals }),
          flagged_since: r.flaggedSince?.toISOString() ?? null,
        })),
        meta: pageMeta(list.total, list.page, perPage),
      }),
    }),
  ]);
}
