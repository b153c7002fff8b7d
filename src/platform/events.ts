import { eq } from 'drizzle-orm';
import type { Executor } from '../db/client';
import type { Clock } from './clock';
import { enqueueJob, type JobContext, type JobRunner } from './jobs';
import { domainEvents } from './platform.schema';

/**
 * Every domain event the platform records, by type (docs/adr/0030). Each capability adds its own in the
 * file that declares its handlers, by declaration merging, so this module imports no capability:
 *
 *     declare module '../platform/events' {
 *       interface DomainEvents {
 *         'interest.registered': { interestId: string; email: string; … };
 *       }
 *     }
 *
 * A payload is plain JSON (strings, numbers, booleans, arrays, objects; dates as ISO strings): it is
 * stored in `domain_events.payload` and read back by handlers after commit, perhaps in another process.
 */
// biome-ignore lint/suspicious/noEmptyInterface: capabilities add their events to it by declaration merging.
export interface DomainEvents {}

export type EventType = keyof DomainEvents;

/** What a use case records: the type and that type's facts. */
export type DomainEvent<T extends EventType = EventType> = { type: T } & DomainEvents[T];

/** An event as its handlers receive it, after commit. */
export interface RecordedEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAt: Date;
  payload: DomainEvents[T];
}

/** A handler of one event type: runs after commit, at least once; see JobHandler for what that asks. */
export type EventHandler<T extends EventType> = (event: RecordedEvent<T>, ctx: JobContext) => Promise<void>;

const DISPATCH = 'events.dispatch';

/**
 * Records `event` in the caller's transaction (the use case's one transaction) with the job that
 * dispatches it to its handlers after commit: the event exists, and is handled, exactly when the change
 * commits. Returns the event's id.
 */
export async function recordEvent<T extends EventType>(tx: Executor, clock: Clock, event: DomainEvent<T>): Promise<string> {
  const { type, ...payload } = event;
  const [row] = await tx.insert(domainEvents).values({ type, payload, occurredAt: clock.now() }).returning({ id: domainEvents.id });
  await enqueueJob(tx, clock, { name: DISPATCH, payload: { eventId: row!.id } });
  return row!.id;
}

/**
 * Handlers by event type, on the jobs runner. Recording an event queues one dispatch job; dispatching
 * queues one job per handler of its type (keyed by event and handler, so a retried dispatch queues none
 * twice), and each handler then runs, retries and fails on its own: a failing DfE call never re-sends
 * the email.
 */
export function createEventHandlers(runner: JobRunner, db: Executor, clock: Clock) {
  const byType = new Map<string, string[]>();
  const load = async (eventId: string): Promise<RecordedEvent> => {
    const [row] = await db.select().from(domainEvents).where(eq(domainEvents.id, eventId));
    if (!row) throw new Error(`no domain event ${eventId}`);
    return { id: row.id, type: row.type as EventType, occurredAt: row.occurredAt, payload: row.payload as DomainEvents[EventType] };
  };
  runner.handle(DISPATCH, async (payload, ctx) => {
    const event = await load((payload as { eventId: string }).eventId);
    const names = byType.get(event.type) ?? [];
    await ctx.transaction(async (tx) => {
      for (const name of names) await enqueueJob(tx, clock, { name, payload: { eventId: event.id }, key: `${event.id}:${name}` });
    });
  });
  return {
    /** Registers `handler` for events of `type`, under a name unique to it (`interest.registered:email`). */
    on<T extends EventType>(type: T, handlerName: string, handler: EventHandler<T>) {
      const name = `${type}:${handlerName}`;
      byType.set(type, [...(byType.get(type) ?? []), name]);
      runner.handle(name, async (payload, ctx) => handler((await load((payload as { eventId: string }).eventId)) as RecordedEvent<T>, ctx));
      return this;
    },
  };
}
export type EventHandlers = ReturnType<typeof createEventHandlers>;
