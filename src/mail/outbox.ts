import { and, asc, desc, count, eq, isNull, lte, sql } from 'drizzle-orm';
import type { Transporter } from 'nodemailer';
import type { Db, Executor } from '../db/client';
import { outboundEmails } from './mail.schema';
import type { Clock } from '../platform/clock';

export interface Email {
  to: string;
  subject: string;
  body: string;
  /** An iCalendar text sent with the message as an invitation (`text/calendar`, METHOD:PUBLISH) and an .ics file. */
  calendar?: string | null | undefined;
}

/** Written in the same transaction as the change that causes it, so mail is never lost nor sent for a rollback. */
export async function enqueueEmail(db: Executor, clock: Clock, email: Email): Promise<void> {
  const now = clock.now();
  await db.insert(outboundEmails).values({ ...email, createdAt: now, nextAttemptAt: now });
}

export const outboxRepository = {
  async page(db: Executor, page: number, perPage: number, to?: string) {
    const where = to ? sql`lower(${outboundEmails.to}) = ${to.toLowerCase()}` : undefined;
    const [rows, [total]] = await Promise.all([
      db.select().from(outboundEmails).where(where).orderBy(desc(outboundEmails.createdAt)).limit(perPage).offset((page - 1) * perPage),
      db.select({ n: count() }).from(outboundEmails).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  },
};

const MAX_ATTEMPTS = 8;

export interface MailDelivery {
  db: Db;
  transport: Transporter;
  from: string;
  clock: Clock;
  log?: (msg: string, err?: unknown) => void;
}

/**
 * Delivers the mail due now over SMTP and returns how many it handled. Each message is claimed with
 * SKIP LOCKED so two processes never send the same one; failures back off exponentially and stop after
 * MAX_ATTEMPTS. The jobs runner calls it once a second across processes (docs/adr/0030).
 */
export async function deliverDueMail(opts: MailDelivery): Promise<number> {
  let sent = 0;
  for (;;) {
    const delivered = await opts.db.transaction(async (tx) => {
      const [message] = await tx
        .select()
        .from(outboundEmails)
        .where(and(isNull(outboundEmails.sentAt), lte(outboundEmails.nextAttemptAt, opts.clock.now()), sql`${outboundEmails.attempts} < ${MAX_ATTEMPTS}`))
        .orderBy(asc(outboundEmails.nextAttemptAt))
        .limit(1)
        .for('update', { skipLocked: true });
      if (!message) return false;
      try {
        await opts.transport.sendMail({ from: opts.from, to: message.to, subject: message.subject, text: message.body, ...(message.calendar ? { icalEvent: { filename: 'invite.ics', method: 'PUBLISH', content: message.calendar } } : {}) });
        await tx.update(outboundEmails).set({ sentAt: opts.clock.now(), attempts: message.attempts + 1, lastError: null }).where(eq(outboundEmails.id, message.id));
      } catch (err) {
        const attempts = message.attempts + 1;
        opts.log?.(`mail to ${message.to} failed (attempt ${attempts})`, err);
        await tx
          .update(outboundEmails)
          .set({ attempts, lastError: String(err), nextAttemptAt: new Date(opts.clock.now().getTime() + 2 ** attempts * 1000) })
          .where(eq(outboundEmails.id, message.id));
      }
      return true;
    });
    if (!delivered) return sent;
    sent++;
  }
}

/** deliverDueMail on a timer of its own, for tests that send mail without the jobs runner. */
export function startMailDelivery(opts: MailDelivery & { intervalMs?: number }) {
  let stopped = false;
  let running: Promise<void> | null = null;
  const deliverDue = () => deliverDueMail(opts);
  const tick = async () => {
    if (stopped) return;
    running = deliverDue().then(
      () => undefined,
      (err) => opts.log?.('mail delivery failed', err),
    );
    await running;
    if (!stopped) timer = setTimeout(tick, opts.intervalMs ?? 1000);
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0);
  return {
    /** Sends whatever is due now; tests call it rather than wait for the timer. */
    flush: deliverDue,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
