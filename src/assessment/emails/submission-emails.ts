import type { Email } from '../../mail/outbox';

/** The receipt for an account sent (issue 12 item 3: "a receipt by email"): what was sent, when, its words as counted, and until when it can be withdrawn. */
export const submissionReceiptEmail = (p: { to: string; participant: string; task: string; file: string; words: number; limit: number; overLimit: boolean; late: boolean; at: string; reference: string; withdrawBy: string | null; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `We have your account: ${p.task}`,
  body: `Hello ${p.participant},\n\nWe received your account for ${p.task} on ${p.at}.\n\nFile: ${p.file}\nWords counted: ${p.words.toLocaleString('en-GB')} (the limit is ${p.limit.toLocaleString('en-GB')})${p.overLimit ? '\nIt is over the word limit: your marker will be told.' : ''}${p.late ? '\nIt was sent after the due date, so it is marked late.' : ''}\nReference: ${p.reference}\n\n${p.withdrawBy ? `You can withdraw it and send another until ${p.withdrawBy}.` : 'It can no longer be withdrawn.'}\n\nSee it on your assessment (you will be asked to sign in):\n${p.link}\n\n${p.providerName}\n`,
});

/** Says an account was withdrawn, and until when another can be sent. */
export const submissionWithdrawnEmail = (p: { to: string; participant: string; task: string; dueAt: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Your account is withdrawn: ${p.task}`,
  body: `Hello ${p.participant},\n\nYou withdrew your account for ${p.task}. It will not be marked.\n\nSend another by ${p.dueAt}.\n\n${p.providerName}\n`,
});

/** Tells a participant of their extension. */
export const extensionGrantedEmail = (p: { to: string; participant: string; task: string; dueOn: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `More time for ${p.task}`,
  body: `Hello ${p.participant},\n\nYour provider has given you until the end of ${p.dueOn} to send your account for ${p.task}.\n\n${p.link}\n\n${p.providerName}\n`,
});
