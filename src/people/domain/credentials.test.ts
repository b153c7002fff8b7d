import { describe, expect, it } from 'vitest';
import { afterFailure, isLocked, MAX_FAILURES, normaliseRecoveryCode, passwordSchema } from './credentials';

const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 9, m));

describe('sign-in throttle', () => {
  it('locks after the fifth failure within the window, for fifteen minutes', () => {
    let t = afterFailure(undefined, at(0));
    for (let i = 1; i < MAX_FAILURES; i++) t = afterFailure(t, at(i));
    expect(t.failures).toBe(MAX_FAILURES);
    expect(isLocked(t, at(5))).toBe(true);
    expect(isLocked(t, at(20))).toBe(false);
  });
  it('starts counting again once the window has passed', () => {
    const t = afterFailure(afterFailure(undefined, at(0)), at(30));
    expect(t.failures).toBe(1);
    expect(t.lockedUntil).toBeNull();
  });
});

describe('passwords', () => {
  it('need twelve or more varied characters', () => {
    expect(passwordSchema.safeParse('short').success).toBe(false);
    expect(passwordSchema.safeParse('aaaaaaaaaaaaaaaa').success).toBe(false);
    expect(passwordSchema.safeParse('correct horse battery').success).toBe(true);
  });
});

it('reads recovery codes however they are typed', () => {
  expect(normaliseRecoveryCode(' K7M2 9QXT ')).toBe('k7m2-9qxt');
  expect(normaliseRecoveryCode('k7m2-9qxt')).toBe('k7m2-9qxt');
});
