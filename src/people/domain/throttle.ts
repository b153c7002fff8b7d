import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';

/**
 * How failed sign-ins and second-factor codes slow down guessing without letting a stranger lock the
 * owner out (docs/adr/0019, after OWASP's Authentication Cheat Sheet and its "device cookies" scheme).
 * Counters live in the database (sign_in_throttles), one row per email address and source, so every
 * process on the database sees the same counts.
 */
export interface ThrottlePolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it… */
  firstDelayMinutes: number;
  /** …up to this. */
  maxDelayMinutes: number;
  /** A run of failures is forgotten this long after it began. */
  forgetAfterHours: number;
}

/** One email address from one source (an IP address, or a browser's device cookie): the guesser's own counter. */
export const SOURCE_POLICY: ThrottlePolicy = { freeFailures: 5, firstDelayMinutes: 1, maxDelayMinutes: 60, forgetAfterHours: 24 };
/**
 * Every source together: a ceiling far above what the owner types, reached only by guessing spread over
 * many addresses. It does not hold back a source the owner has signed in from before.
 */
export const ACCOUNT_POLICY: ThrottlePolicy = { freeFailures: 50, firstDelayMinutes: 5, maxDelayMinutes: 60, forgetAfterHours: 24 };
/** Wrong authenticator or recovery codes for one account, from every source together. */
export const SECOND_FACTOR_POLICY: ThrottlePolicy = { freeFailures: 10, firstDelayMinutes: 15, maxDelayMinutes: 24 * 60, forgetAfterHours: 24 };

/** A source trusted because the account signed in from it: a device cookie for 180 days, an address for 30. */
export const TRUSTED_DEVICE_DAYS = 180;
export const TRUSTED_ADDRESS_DAYS = 30;

/**
 * The wait, in seconds, after the n-th failure of a run: index n (from 1); 0 means none. The database
 * applies it in the same statement that counts the failure, so concurrent attempts cannot slip past.
 * Failures beyond the end of the list wait as long as the last entry.
 */
export function delaySeconds(policy: ThrottlePolicy): number[] {
  const delays = [0];
  for (let n = 1; n < policy.freeFailures; n++) delays.push(0);
  for (let minutes = policy.firstDelayMinutes; ; minutes *= 2) {
    delays.push(Math.min(minutes, policy.maxDelayMinutes) * 60);
    if (minutes >= policy.maxDelayMinutes) return delays;
  }
}

export const ACCOUNT_SOURCE = 'account';
export const SECOND_FACTOR_SOURCE = 'second_factor';

/**
 * The counter key of an address: hashed, so the table keeps no addresses; an IPv6 address by its /64,
 * which one household or school is given whole.
 */
export function addressSource(ip: string): string {
  const key = isIPv6(ip) && !ip.startsWith('::ffff:') ? expandIPv6(ip).slice(0, 4).join(':') : ip.replace(/^::ffff:/, '');
  return `ip:${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}

export const deviceSource = (deviceId: string): string => `device:${deviceId}`;

function expandIPv6(ip: string): string[] {
  const [head = '', tail = ''] = ip.split('%')[0]!.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  return [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t].map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''));
}

export interface SourceRow {
  source: string;
  lastSucceededAt: Date | null;
}

/**
 * Which counters an attempt is charged to and held back by. A browser with a device cookie the account
 * signed in with before, or an address it signed in from before, is the owner's: only its own counter
 * holds it back, so guessing from elsewhere cannot lock the owner out. Anyone else is held back by the
 * counter of their address and by the account's ceiling.
 */
export function signInGates(rows: SourceRow[], attempt: { ipSource: string; deviceSource?: string | undefined }, now: Date) {
  const within = (row: SourceRow | undefined, days: number) => Boolean(row?.lastSucceededAt && now.getTime() - row.lastSucceededAt.getTime() < days * 86_400_000);
  const find = (source: string | undefined) => rows.find((r) => r.source === source);
  const trustedDevice = attempt.deviceSource !== undefined && within(find(attempt.deviceSource), TRUSTED_DEVICE_DAYS);
  const trustedAddress = within(find(attempt.ipSource), TRUSTED_ADDRESS_DAYS);
  return {
    /** The counter of this source, which holds it back. */
    source: trustedDevice ? attempt.deviceSource! : attempt.ipSource,
    /** Whether the account's ceiling holds this attempt back too (it is counted either way). */
    ceilingApplies: !trustedDevice && !trustedAddress,
  };
}

/** Whole minutes until a wait ends, for messages: never "0 minutes". */
export const minutesUntil = (until: Date, now: Date): number => Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
