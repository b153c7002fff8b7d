import type { Email } from '../../mail/outbox';

/**
 * A core task waiting for its group facilitator's review (issue 10 item 4). It names the participant
 * and the task; what they wrote stays on the platform, behind sign-in.
 */
export const coreTaskToReviewEmail = (p: { to: string; name: string; participant: string; task: string; attempt: number; group: string; intake: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Core task to review: ${p.participant}`,
  body: `Hello ${p.name},\n\n${p.participant} has sent ${p.attempt > 1 ? `attempt ${p.attempt} of ` : ''}their core task for ${p.task}, in ${p.group} of ${p.intake}, which you facilitate.\n\nReview it (you will be asked to sign in):\n${p.link}\n\nMark it complete, or say what more it needs: they see your feedback on their programme.\n\n${p.providerName}\n`,
});
