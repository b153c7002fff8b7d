import { and, count, desc, eq, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../db/client';
import { auditEvents } from './audit.schema';

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: unknown;
  after?: unknown;
}

export interface AuditFilter {
  actor?: string | undefined;
  entityType?: string | undefined;
  entityId?: string | undefined;
  action?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

export const auditRepository = {
  insert(db: Executor, row: typeof auditEvents.$inferInsert) {
    return db.insert(auditEvents).values(row);
  },

  async page(db: Executor, filter: AuditFilter, page: number, perPage: number) {
    const where: SQL[] = [];
    if (filter.actor) where.push(ilike(auditEvents.actorLabel, `%${filter.actor.replace(/[%_\\]/g, '\\$&')}%`));
    if (filter.entityType) where.push(eq(auditEvents.entityType, filter.entityType));
    if (filter.entityId) where.push(eq(auditEvents.entityId, filter.entityId));
    if (filter.action) where.push(or(eq(auditEvents.action, filter.action), ilike(auditEvents.action, `${filter.action}%`))!);
    if (filter.from) where.push(gte(auditEvents.at, filter.from));
    if (filter.to) where.push(lt(auditEvents.at, filter.to));
    const condition = where.length ? and(...where) : undefined;
    const [rows, [total]] = await Promise.all([
      db
        .select()
        .from(auditEvents)
        .where(condition)
        .orderBy(desc(auditEvents.at), desc(auditEvents.id))
        .limit(perPage)
        .offset((page - 1) * perPage),
      db.select({ n: count() }).from(auditEvents).where(condition),
    ]);
    return { rows, total: total?.n ?? 0 };
  },

  async entityTypes(db: Executor): Promise<string[]> {
    const rows = await db.selectDistinct({ t: auditEvents.entityType }).from(auditEvents).orderBy(auditEvents.entityType);
    return rows.map((r) => r.t);
  },
};
