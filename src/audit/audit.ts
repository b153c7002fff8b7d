import type { Executor } from '../db/client';
import type { Actor } from '../platform/auth/actor';
import { actorId, actorLabel } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';
import { type AuditEntry, auditRepository } from './audit.repository';

/** Records who changed what, before and after; called inside the transaction that makes the change. */
export async function audit(db: Executor, clock: Clock, actor: Actor, entry: AuditEntry): Promise<void> {
  await auditRepository.insert(db, {
    at: clock.now(),
    actorId: actorId(actor),
    actorLabel: actorLabel(actor),
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: redact(entry.before) ?? null,
    after: redact(entry.after) ?? null,
  });
}

const SECRET_KEYS = new Set(['passwordHash', 'totpSecret', 'tokenHash', 'codeHash', 'password', 'approvalTokenHash', 'approvalTokenSealed']);

/** Secrets never reach the audit log, even hashed. */
function redact(value: unknown): unknown {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(redact);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEYS.has(k) ? '[redacted]' : redact(v);
  return out;
}
