import { verify } from '@node-rs/argon2';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Services } from '../app';
import { audit } from '../audit/audit';
import { auditEvents } from '../audit/audit.schema';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { users } from '../people/people.schema';
import { system } from '../platform/auth/actor';
import type { Clock } from '../platform/clock';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, loadDemo, loadDemoApplications, loadDiagnosticDemo, loadEnrolmentDemo } from './demo-data';
import { loadProgrammeDemo } from './programme-demo';
import { loadCoachingDemo } from './coaching-demo';
import { loadDfeDemo } from './dfe-demo';

/**
 * The demo accounts still signing in with the password the README publishes, deactivated (sessions
 * ended, audited as the system "production safety"). Returns their email addresses. Accounts whose
 * password was changed are left alone: someone made them their own (docs/adr/0017).
 */
export async function deactivatePublishedDemoAccounts(db: Db, people: Services['people']): Promise<string[]> {
  const emails = DEMO_ACCOUNTS.map((a) => a.email.toLowerCase());
  const rows = await db
    .select({ id: users.id, email: users.email, passwordHash: users.passwordHash })
    .from(users)
    .where(and(inArray(sql`lower(${users.email})`, emails), isNull(users.deactivatedAt)));
  const published: string[] = [];
  for (const row of rows) {
    if (!row.passwordHash || !(await verify(row.passwordHash, DEMO_PASSWORD))) continue;
    await people.setDeactivated(system('production safety'), row.id, true);
    published.push(row.email);
  }
  return published;
}

/**
 * The demo's content, as a version: a start finds the demo loaded when this version of it was. Bump it
 * when the demo gains something, so databases loaded before get it (each step finds what exists).
 */
export const DEMO_VERSION = '1';

/** Whether this version of the demo finished loading into the database (recorded in the audit log). */
async function demoLoaded(db: Db): Promise<boolean> {
  const rows = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(and(eq(auditEvents.entityType, 'demo'), eq(auditEvents.entityId, DEMO_VERSION), eq(auditEvents.action, 'demo.loaded')))
    .limit(1);
  return rows.length > 0;
}

/**
 * What start-up does about the demo. Asked for (DEMO=true, which config refuses in production): loads
 * the demo provider, its applications and its open 360° round, once: a start that finds this version
 * of the demo loaded does nothing, so a restart serves at once (docs/adr/0034). `loaded` says whether
 * the accounts were created now. In production: deactivates demo accounts an earlier, non-production start left with the
 * published password (`deactivated` lists them). Otherwise nothing.
 */
export async function applyDemoSetting(deps: { config: Pick<Config, 'DEMO' | 'NODE_ENV'>; db: Db; services: Services; clock: Clock }): Promise<{ loaded: boolean; deactivated: string[] }> {
  const { config, db, services, clock } = deps;
  if (config.DEMO) {
    if (await demoLoaded(db)) return { loaded: false, deactivated: [] };
    const loaded = await loadDemo(db, services.people);
    await loadEnrolmentDemo(services);
    await loadDemoApplications(services.applications);
    await loadDiagnosticDemo(services.diagnostic, clock);
    await loadProgrammeDemo(db, services, clock);
    await loadCoachingDemo(db, services, clock);
    await loadDfeDemo(db, services, clock);
    // Everyone's engagement and early warning as the nightly run would have them: the lists are not empty until the first night.
    await services.engagement.refreshEngagement();
    await audit(db, clock, system('demo'), { action: 'demo.loaded', entityType: 'demo', entityId: DEMO_VERSION });
    return { loaded, deactivated: [] };
  }
  if (config.NODE_ENV === 'production') return { loaded: false, deactivated: await deactivatePublishedDemoAccounts(db, services.people) };
  return { loaded: false, deactivated: [] };
}
