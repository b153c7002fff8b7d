import type { Email } from '../../mail/outbox';
import { formatDate } from '../../platform/clock';

/**
 * Asks a placement host to confirm the days a participant spent with them (issue 12 item 2), by a
 * link of their own: no account, nothing to sign in to. Lists the days, so the email alone says what
 * is asked.
 */
export const placementConfirmationEmail = (p: { to: string; hostName: string; participant: string; school: string; days: string[]; link: string; until: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Please confirm ${p.participant}’s placement days`,
  body: `Hello ${p.hostName},\n\n${p.participant} is taking a National Professional Qualification with ${p.providerName}, and has recorded ${p.days.length} working day${p.days.length === 1 ? '' : 's'} on placement at ${p.school}:\n\n${p.days.map((d) => `- ${formatDate(d)}`).join('\n')}\n\nPlease confirm these days, or tell us which are wrong, using this link (no account needed) by ${p.until}:\n${p.link}\n\nIf you were not expecting this, you can ignore it.\n\n${p.providerName}\n`,
});

/** Tells the participant what their host said of the days put to them. */
export const placementAnsweredEmail = (p: { to: string; participant: string; host: string; answer: 'confirmed' | 'disputed'; comment: string; days: number; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: p.answer === 'confirmed' ? 'Your placement days are confirmed' : 'Your host says some placement days are not right',
  body:
    p.answer === 'confirmed'
      ? `Hello ${p.participant},\n\n${p.host} has confirmed the ${p.days} placement day${p.days === 1 ? '' : 's'} you put to them.\n\nSee your placement:\n${p.link}\n\n${p.providerName}\n`
      : `Hello ${p.participant},\n\n${p.host} says the placement days you put to them are not right:\n\n${p.comment}\n\nCorrect the days and ask them to confirm again:\n${p.link}\n\n${p.providerName}\n`,
});

/** Asks a governing board's chair or clerk for the board's feedback on a plan presented to it, by a link of their own (no account). */
export const boardFeedbackEmail = (p: { to: string; name: string; participant: string; board: string; presentedOn: string; link: string; until: string; providerName: string }): Email => ({
  to: p.to,
  subject: `The board’s feedback on ${p.participant}’s plan`,
  body: `Hello ${p.name},\n\n${p.participant} presented their plan to ${p.board} on ${p.presentedOn}, as part of their National Professional Qualification with ${p.providerName}. The board’s feedback is part of their assessment.\n\nPlease give the board’s feedback using this link (no account needed) by ${p.until}:\n${p.link}\n\nIf you were not expecting this, you can ignore it.\n\n${p.providerName}\n`,
});

/** Tells the participant the board's feedback has arrived. */
export const boardFeedbackGivenEmail = (p: { to: string; participant: string; board: string; by: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `${p.board} has given its feedback`,
  body: `Hello ${p.participant},\n\n${p.by} has given ${p.board}’s feedback on your plan. Read it here:\n${p.link}\n\n${p.providerName}\n`,
});
