import { Signer } from '@fastify/cookie';
import { describe, expect, it } from 'vitest';
import { rememberingSigner } from './cookie-signer';

const SECRET = 'a-cookie-secret-of-thirty-two-chars!';

describe('the remembering cookie signer', () => {
  it('signs as @fastify/cookie does, and answers the same for a value seen again', () => {
    const signer = rememberingSigner(SECRET);
    const signed = signer.sign('csrf-secret');
    expect(signed).toBe(new Signer(SECRET, 'sha256').sign('csrf-secret'));
    expect(signer.unsign(signed)).toEqual({ valid: true, renew: false, value: 'csrf-secret' });
    expect(signer.unsign(signed)).toEqual({ valid: true, renew: false, value: 'csrf-secret' });
  });

  it('refuses a forged or altered value every time, and a caller cannot change what it remembers', () => {
    const signer = rememberingSigner(SECRET, 2);
    const signed = signer.sign('flash');
    const forged = `${'other'}${signed.slice(signed.indexOf('.'))}`;
    for (let i = 0; i < 2; i++) expect(signer.unsign(forged)).toEqual({ valid: false, renew: false, value: null });
    signer.unsign(signed).value = 'changed';
    expect(signer.unsign(signed).value).toBe('flash');
    // Past its bound it still answers right, reading again what it let go.
    for (const v of ['a', 'b', 'c']) expect(signer.unsign(signer.sign(v)).value).toBe(v);
    expect(signer.unsign(signed).value).toBe('flash');
  });
});
