import { expect, it } from 'vitest';
import { securityHeaders } from './security-headers';

it("gives helmet's headers: a strict CSP, no framing, no sniffing, HSTS only when asked", () => {
  const h = securityHeaders({ hsts: false });
  expect(h['content-security-policy']).toContain("default-src 'self'");
  expect(h['content-security-policy']).toContain("script-src 'self'");
  expect(h['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(h['x-content-type-options']).toBe('nosniff');
  expect(h['x-frame-options']).toBe('SAMEORIGIN');
  expect(h['strict-transport-security']).toBeUndefined();
  expect(securityHeaders({ hsts: true })['strict-transport-security']).toMatch(/max-age=\d+/);
});
