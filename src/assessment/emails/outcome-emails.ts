import type { Email } from '../../mail/outbox';

/** Tells a participant their results are out (issue 12 item 6), without the result itself: email is not where a fail should be read first. */
export const resultsReleasedEmail = (p: { to: string; participant: string; qualification: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Your ${p.qualification} results are ready`,
  body: `Hello ${p.participant},\n\nYour results for ${p.qualification} are ready to read, with your assessors' feedback.\n\nSign in to see them:\n${p.link}\n\n${p.providerName}\n`,
});

/** The receipt for a request for a review of marking. */
export const reviewRequestedEmail = (p: { to: string; participant: string; task: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `We have your request for a review: ${p.task}`,
  body: `Hello ${p.participant},\n\nWe received your request for a review of the marking of ${p.task}. We will tell you what the review finds.\n\n${p.link}\n\n${p.providerName}\n`,
});

/** What a review of marking found. */
export const reviewDecidedEmail = (p: { to: string; participant: string; task: string; changed: boolean; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `The review of your marking: ${p.task}`,
  body: `Hello ${p.participant},\n\nThe review of the marking of ${p.task} is done. ${p.changed ? 'Your result has changed.' : 'Your result stands.'}\n\nSign in to read what the reviewer said:\n${p.link}\n\n${p.providerName}\n`,
});
