import { z } from 'zod';
import { whenMissing } from '../../platform/zod-messages';

export const INVITATION_DAYS = 7;
export const RESET_MINUTES = 60;
export const SESSION_IDLE_HOURS = 8;
export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

/**
 * The cheap checks a password form makes before the service judges how guessable the password is
 * (src/people/domain/passwords.ts): length, per NIST SP 800-63B §5.1.1.2 (at least 8; we ask 12).
 */
export const passwordSchema = z
  .string({ error: whenMissing('Enter a password') })
  .min(PASSWORD_MIN, `Password must be ${PASSWORD_MIN} characters or more`)
  .max(PASSWORD_MAX, `Password must be ${PASSWORD_MAX} characters or fewer`);

/** Recovery codes as people read them: ten groups like "k7m2-9qxt". */
export function formatRecoveryCode(bytes: Buffer): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const chars = [...bytes].slice(0, 8).map((b) => alphabet[b % alphabet.length]);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

export const normaliseRecoveryCode = (code: string): string => code.trim().toLowerCase().replace(/[^a-z0-9]/g, '').replace(/^(.{4})(.{4})$/, '$1-$2');
