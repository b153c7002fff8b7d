import { Signer, type UnsignResult } from '@fastify/cookie';

/**
 * The cookie signer (HMAC-SHA256, as @fastify/cookie's own), remembering the signed values it has
 * found valid. A browser sends the same signed CSRF secret with every request, and each page with a
 * form unsigned it again: an HMAC per request, a twentieth of a kept page's cost (docs/adr/0037).
 * A value is valid or not for good under one secret, so remembering is exact. Only valid values are
 * kept, and at most `max` of them (the oldest go first): forged values cost an HMAC each, as before.
 */
export function rememberingSigner(secret: string, max = 10_000) {
  const signer = new Signer(secret, 'sha256');
  const valid = new Map<string, UnsignResult>();
  return {
    sign: (value: string): string => signer.sign(value),
    unsign(signed: string): UnsignResult {
      const known = valid.get(signed);
      if (known) return { ...known };
      const result = signer.unsign(signed);
      if (result.valid) {
        if (valid.size >= max) valid.delete(valid.keys().next().value!);
        valid.set(signed, { ...result });
      }
      return result;
    },
  };
}
