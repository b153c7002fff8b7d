import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { operation, serveOperations } from '../../api/operation';
import type { LearningService } from '../learning.service';
import { planSchema, presentPlan, presentProgress, progressSchema } from './learning.presenter';

/** Programme delivery's operations (issue 10 item 8), scoped as the pages are (learning policy). */
export async function learningApi(app: FastifyInstance, opts: { learning: LearningService }) {
  const { learning } = opts;
  serveOperations(app, [
    operation({
      method: 'get',
      path: '/api/v1/intakes/{id}/plan',
      scope: 'delivery:read',
      tag: 'Programme delivery',
      summary: 'An intake’s delivery plan: its events, briefings and module releases with their dates, venues and links',
      params: z.object({ id: z.uuid() }),
      response: planSchema,
      handle: ({ actor, params }) => learning.intakePlan(actor, params.id),
      present: presentPlan,
    }),
    operation({
      method: 'get',
      path: '/api/v1/participants/{id}/progress',
      scope: 'delivery:read',
      tag: 'Programme delivery',
      summary: 'A participant’s progress on each of their places: guided learning expected by now and evidenced, in minutes, and items done, per component',
      params: z.object({ id: z.uuid() }),
      response: progressSchema,
      handle: async ({ actor, params }) => ({ id: params.id, progress: await learning.progressOfParticipant(actor, params.id) }),
      present: ({ id, progress }) => presentProgress(id, progress),
    }),
  ]);
}
