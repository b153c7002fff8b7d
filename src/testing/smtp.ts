import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { madeInHooks, type TestApp } from './test-app';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  /** Each text/calendar part or attachment, as text. */
  calendars: string[];
}

/** A real SMTP server on a free local port: mail goes over the wire and is parsed as a client would. */
export async function startTestSmtpServer() {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          received.push({
            to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? ''),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            calendars: mail.attachments.filter((a) => a.contentType.startsWith('text/calendar')).map((a) => a.content.toString('utf8')),
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    received,
    transport: nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }),
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export const linkIn = (text: string, path: string): string => {
  const match = text.match(new RegExp(`https?://\\S+${path}/[A-Za-z0-9_-]+`));
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return new URL(match[0]).pathname;
};

/** The token at the end of an emailed link, as the service that sent it takes it. */
export const tokenIn = (text: string, path: string): string => linkIn(text, path).split('/').at(-1)!;

/**
 * A real SMTP server and the outbox's delivery loop pointed at it: `flush()` delivers what is due. With
 * `jobs` (the app's runner), the jobs due are run first, so mail that event handlers queue is sent too.
 */
export async function startMailHarness(db: import('../db/client').Db, clock: import('../platform/clock').Clock, jobs?: { runDue(): Promise<number> }) {
  const { startMailDelivery } = await import('../mail/outbox');
  const { afterResponsesSettled } = await import('../platform/web');
  const smtp = await startTestSmtpServer();
  const delivery = startMailDelivery({ db, transport: smtp.transport, from: 'NPQ <no-reply@npq.test>', clock, intervalMs: 60_000 });
  return {
    received: smtp.received,
    // Mail a route queues after its response (afterResponse) is waited for first.
    flush: async () => {
      await afterResponsesSettled();
      await jobs?.runDue();
      return delivery.flush();
    },
    /** Delivers what is due, then what has arrived for this address, oldest first. */
    async to(address: string) {
      await afterResponsesSettled();
      await jobs?.runDue();
      await delivery.flush();
      return smtp.received.filter((m) => m.to.includes(address));
    },
    stop: async () => {
      await delivery.stop();
      await smtp.close();
    },
  };
}

/** What startMailHarness gives. */
export type MailHarness = Awaited<ReturnType<typeof startMailHarness>>;

/**
 * A mail harness (startMailHarness) on a useTestApp's app, for the tests of one file or `describe`
 * block: started in `beforeAll` once the app exists and stopped in `afterAll` before the app closes, so
 * call it after useTestApp. The handle reads through to the harness once started.
 */
export function useMailHarness(t: Pick<TestApp, 'database' | 'clock' | 'services'>): MailHarness {
  const held = madeInHooks('useMailHarness', () => startMailHarness(t.database.db, t.clock, t.services.jobs), (harness) => harness.stop());
  return {
    get received() {
      return held.get().received;
    },
    flush: () => held.get().flush(),
    to: (address: string) => held.get().to(address),
    stop: held.end,
  };
}
