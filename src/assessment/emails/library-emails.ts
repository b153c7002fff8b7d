import type { Email } from '../../mail/outbox';

/** Tells a participant their project is in the School Improvement Library (issue 12 item 7), with its public address. */
export const libraryEntryPublishedEmail = (p: { to: string; participant: string; title: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Your project is in the School Improvement Library: ${p.title}`,
  body: `Hello ${p.participant},\n\nThank you for sharing your project. It is now in the School Improvement Library for anyone to read:\n${p.link}\n\nYou can withdraw it at any time from your results page.\n\n${p.providerName}\n`,
});

/** Tells a participant what to change before their project can be published (or why it was taken down). */
export const libraryEntryReturnedEmail = (p: { to: string; participant: string; title: string; note: string; link: string; providerName: string }): Email => ({
  to: p.to,
  subject: `Your library entry needs a change: ${p.title}`,
  body: `Hello ${p.participant},\n\nBefore your project can be in the School Improvement Library, we ask you to change it:\n\n${p.note}\n\nChange it and share it again here:\n${p.link}\n\n${p.providerName}\n`,
});
