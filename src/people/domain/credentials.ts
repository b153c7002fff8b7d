import { z } from 'zod';
import { whenMissing } from '../../platform/zod-messages';

export const MAX_FAILURES = 5;
export const LOCK_MINUTES = 15;
export const INVITATION_DAYS = 7;
export const RESET_MINUTES = 60;
export const SESSION_IDLE_HOURS = 8;

export const passwordSchema = z
  .string({ error: whenMissing('Enter a password') })
  .min(12, 'Password must be 12 characters or more')
  .max(128, 'Password must be 128 characters or fewer')
  .refine((p) => new Set(p).size >= 5, 'Password must not repeat the same few characters');

export interface Throttle {
  failures: number;
  windowStartedAt: Date;
  lockedUntil: Date | null;
}

export const isLocked = (t: Throttle | undefined, now: Date): boolean =>
  Boolean(t?.lockedUntil && t.lockedUntil.getTime() > now.getTime());

/** The throttle after one more failure: the window restarts after LOCK_MINUTES; MAX_FAILURES locks. */
export function afterFailure(t: Throttle | undefined, now: Date): Throttle {
  const windowMs = LOCK_MINUTES * 60_000;
  const fresh = !t || now.getTime() - t.windowStartedAt.getTime() > windowMs;
  const failures = fresh ? 1 : t.failures + 1;
  return {
    failures,
    windowStartedAt: fresh ? now : t.windowStartedAt,
    lockedUntil: failures >= MAX_FAILURES ? new Date(now.getTime() + windowMs) : null,
  };
}

/** Recovery codes as people read them: ten groups like "k7m2-9qxt". */
export function formatRecoveryCode(bytes: Buffer): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = [...bytes].slice(0, 8).map((b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export const normaliseRecoveryCode = (code: string): string => code.trim().toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^(.{4})(.{4})$/, '$1-$2');
