import { describe, expect, it } from 'vitest';
import { ACCOUNT_POLICY, addressSource, delaySeconds, minutesUntil, SECOND_FACTOR_POLICY, SOURCE_POLICY, signInGates } from './throttle';

const now = new Date('2026-11-25T10:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

describe('waits after failures', () => {
  it('let a source fail five times freely, then wait 1, 2, 4 … up to 60 minutes', () => {
    const d = delaySeconds(SOURCE_POLICY);
    expect(d.slice(1, 5)).toEqual([0, 0, 0, 0]);
    expect(d.slice(5).map((s) => s / 60)).toEqual([1, 2, 4, 8, 16, 32, 60]);
  });
  it('hold the account’s ceiling far above what an owner types', () => {
    const d = delaySeconds(ACCOUNT_POLICY);
    expect(d.findIndex((s) => s > 0)).toBe(50);
  });
  it('stop second factors after ten wrong codes, for 15 minutes, then longer', () => {
    const d = delaySeconds(SECOND_FACTOR_POLICY);
    expect(d.findIndex((s) => s > 0)).toBe(10);
    expect(d.slice(10, 13).map((s) => s / 60)).toEqual([15, 30, 60]);
    expect(d.at(-1)).toBe(24 * 3600);
  });
  it('are told in whole minutes', () => {
    expect(minutesUntil(new Date(now.getTime() + 61_000), now)).toBe(2);
    expect(minutesUntil(now, now)).toBe(1);
  });
});

describe('which counters hold an attempt back', () => {
  const ip = addressSource('203.0.113.9');
  it('a stranger: their address and the account’s ceiling', () => {
    expect(signInGates([], { ipSource: ip }, now)).toEqual({ source: ip, ceilingApplies: true });
  });
  it('the owner’s browser (device cookie used to sign in before): only its own counter', () => {
    const rows = [{ source: 'device:abc', lastSucceededAt: daysAgo(100) }];
    expect(signInGates(rows, { ipSource: ip, deviceSource: 'device:abc' }, now)).toEqual({ source: 'device:abc', ceilingApplies: false });
    expect(signInGates([{ source: 'device:abc', lastSucceededAt: daysAgo(200) }], { ipSource: ip, deviceSource: 'device:abc' }, now).ceilingApplies).toBe(true);
  });
  it('an address the owner signed in from this month: its own counter, not the ceiling', () => {
    expect(signInGates([{ source: ip, lastSucceededAt: daysAgo(3) }], { ipSource: ip }, now)).toEqual({ source: ip, ceilingApplies: false });
    expect(signInGates([{ source: ip, lastSucceededAt: daysAgo(31) }], { ipSource: ip }, now).ceilingApplies).toBe(true);
    expect(signInGates([{ source: ip, lastSucceededAt: null }], { ipSource: ip }, now).ceilingApplies).toBe(true);
  });
  it('keep no addresses, and count an IPv6 household by its /64', () => {
    expect(ip).not.toContain('203.0.113.9');
    expect(addressSource('2001:db8:1:2::1')).toBe(addressSource('2001:db8:1:2:ffff::9'));
    expect(addressSource('2001:db8:1:3::1')).not.toBe(addressSource('2001:db8:1:2::1'));
    expect(addressSource('::ffff:203.0.113.9')).toBe(ip);
  });
});
