/** The secret box: what one box seals another box of the same secret opens, and nothing else does. */
import { describe, expect, it } from 'vitest';
import { secretBox } from './crypto';

describe('secretBox', () => {
  it('opens what a box of the same secret sealed, in this process or after a restart', () => {
    const sealed = secretBox('the application secret, at least thirty-two characters').seal('JBSWY3DPEHPK3PXP');
    expect(sealed).not.toContain('JBSWY3DPEHPK3PXP');
    // The services' box and the jobs' are two boxes of one secret: the key is derived alike for both.
    expect(secretBox('the application secret, at least thirty-two characters').open(sealed)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('seals the same text differently each time', () => {
    const box = secretBox('another application secret, thirty-two characters');
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('refuses what another secret sealed, and what was altered or cut', () => {
    const sealed = secretBox('one application secret, thirty-two characters long').seal('code');
    expect(() => secretBox('two application secret, thirty-two characters long').open(sealed)).toThrow();
    const [iv, tag, body] = sealed.split('.');
    const flipped = `${iv}.${tag}.${body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`}`;
    expect(() => secretBox('one application secret, thirty-two characters long').open(flipped)).toThrow();
    expect(() => secretBox('one application secret, thirty-two characters long').open(`${iv}.${tag}`)).toThrow('sealed value is malformed');
  });
});
