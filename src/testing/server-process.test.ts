import { expect, it } from 'vitest';
import { freePort } from './server-process';

// The Fetch standard's "bad ports" that lie below the ephemeral range: fetch() refuses them with
// "bad port" before connecting (stop 24's CI drew 3659 from the old fixed range).
const FETCH_BAD_PORTS = [3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080];

it('hands out ports that are free and that fetch will connect to', async () => {
  const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
  for (const port of ports) {
    expect(port).toBeGreaterThan(1024);
    expect(FETCH_BAD_PORTS).not.toContain(port);
  }
});
