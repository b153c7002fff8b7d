import type { FastifyReply } from 'fastify';
import { AppError, ValidationError } from '../../platform/errors';

/**
 * Answers a refusal the participant can act on that belongs to no field (an AppError of 422): said at
 * the top of the page it came from (`to`), in an "Important" banner (docs/adr/0062). Anything else is
 * thrown on, for the route or the platform to answer.
 */
export function refusedTo(reply: FastifyReply, err: unknown, to: string) {
  if (err instanceof AppError && err.status === 422 && !(err instanceof ValidationError)) {
    reply.flash(err.message, 'important');
    return reply.redirect(to, 303);
  }
  throw err;
}
