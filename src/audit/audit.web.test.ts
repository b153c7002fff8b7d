import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../platform/clock';
import { system } from '../platform/auth/actor';
import { Client, useTestApp } from '../testing/test-app';
import { audit } from './audit';

const t = useTestApp();
let admin: Client;

// Events a moment either side of UK midnights that are not UTC midnights: in summer, and at both clock changes.
const EVENTS: [string, string][] = [
  ['summer.before', '2026-06-14T22:59:00Z'], // 23:59 BST, 14 June
  ['summer.after', '2026-06-14T23:30:00Z'], // 00:30 BST, 15 June
  ['spring.before', '2026-03-28T23:59:00Z'], // 23:59 GMT, 28 March
  ['spring.after', '2026-03-29T01:30:00Z'], // 02:30 BST, 29 March (the clocks went forward at 01:00 UTC)
  ['spring.late', '2026-03-29T22:59:00Z'], // 23:59 BST, 29 March: the 23-hour day's last minute
  ['autumn.before', '2026-10-24T22:59:00Z'], // 23:59 BST, 24 October
  ['autumn.after', '2026-10-25T01:00:00Z'], // 01:00 GMT, 25 October (the second 01:00)
  ['autumn.late', '2026-10-25T23:59:00Z'], // 23:59 GMT, 25 October: the 25-hour day's last minute
];

beforeAll(async () => {
  for (const [action, at] of EVENTS) await audit(t.database.db, fixedClock(at), system('clock test'), { action: `tz.${action}`, entityType: 'tz_test', entityId: null });
  admin = new Client(t);
  await admin.signIn('admin@demo.npq.test');
});

const day = (name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  return `${name}-day=${Number(d)}&${name}-month=${Number(m)}&${name}-year=${y}`;
};
const actionsOn = async (from: string, to = from) => {
  const page = await admin.get(`/admin/audit?entity=tz_test&${day('from', from)}&${day('to', to)}`);
  expect(page.statusCode).toBe(200);
  return [...page.body.matchAll(/<td class="govuk-table__cell">tz\.([a-z.]+)<\/td>/g)].map((m) => m[1]).sort();
};

describe('the audit log’s day filter, in UK days', () => {
  it('finds an event at 00:30 BST on 15 June under 15 June, where the log shows it', async () => {
    expect(await actionsOn('2026-06-15')).toEqual(['summer.after']);
    expect(await actionsOn('2026-06-14')).toEqual(['summer.before']);
    const page = await admin.get(`/admin/audit?entity=tz_test&${day('from', '2026-06-15')}&${day('to', '2026-06-15')}`);
    expect(page.body).toContain('15 June 2026 at 12:30am');
  });

  it('gives the day the clocks go forward its 23 hours', async () => {
    expect(await actionsOn('2026-03-28')).toEqual(['spring.before']);
    expect(await actionsOn('2026-03-29')).toEqual(['spring.after', 'spring.late']);
  });

  it('gives the day the clocks go back its 25 hours', async () => {
    expect(await actionsOn('2026-10-24')).toEqual(['autumn.before']);
    expect(await actionsOn('2026-10-25')).toEqual(['autumn.after', 'autumn.late']);
    expect(await actionsOn('2026-10-24', '2026-10-25')).toEqual(['autumn.after', 'autumn.before', 'autumn.late']);
  });

  it('takes the dates in GOV.UK date fields and keeps what was typed when one is wrong', async () => {
    const page = await admin.get('/admin/audit?entity=tz_test&from-day=31&from-month=2&from-year=2026&to-day=1&to-month=&to-year=2026');
    expect(page.body).toContain('govuk-error-summary');
    expect(page.body).toContain('The start date must be a real date');
    expect(page.body).toContain('href="#from-day"');
    expect(page.body).toContain('The end date must include a month');
    expect(page.body).toContain('href="#to-month"');
    expect(page.body).toContain('id="from-day" name="from-day" type="text" value="31"');
    expect(page.body).not.toContain('type="date"');
  });

  it('refuses an end before the start', async () => {
    const page = await admin.get(`/admin/audit?${day('from', '2026-06-15')}&${day('to', '2026-06-14')}`);
    expect(page.body).toContain('The end date must be the same as or after 15 June 2026');
  });
});
