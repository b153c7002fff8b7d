import type { EventHandlers } from '../platform/events';
import type { LearningContext } from './learning.context';
import { enqueueEmail } from '../mail/outbox';
import { sessionMovedEmails } from './reminders/send-reminders';
import { reviewerEmailFor } from './participants/core-tasks';

declare module '../platform/events' {
  interface DomainEvents {
    /** A dated session of an intake's plan moved: its time, venue, room or join link changed. */
    'plan.session_moved': { intakeId: string; itemKey: string };
    /** A participant sent a core task (a first attempt, or again after "needs more work"). */
    'core_task.submitted': { attemptId: string };
  }
}

/** What follows programme delivery's changes, after commit: participants told of a moved session, with its calendar entry; a group's facilitator told of a core task to review. */
export function learningEventHandlers(events: EventHandlers, ctx: LearningContext) {
  events.on('plan.session_moved', 'email', async ({ payload }, job) => {
    const emails = await sessionMovedEmails(ctx, payload.intakeId, payload.itemKey);
    await job.transaction(async (tx) => {
      for (const email of emails) await enqueueEmail(tx, ctx.clock, email);
    });
  });
  events.on('core_task.submitted', 'email', async ({ payload }, job) => {
    const email = await reviewerEmailFor(ctx, payload.attemptId);
    if (email) await job.transaction((tx) => enqueueEmail(tx, ctx.clock, email));
  });
}
