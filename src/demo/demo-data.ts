import { eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { deliveryPartners, intakes, programmeComponents, qualifications, venues } from '../db/schema';
import type { PeopleService } from '../people/people.service';
import type { Role, ScopeType } from '../people/domain/roles';
import { SEED_QUALIFICATIONS } from '../catalogue/seed-data';

export const DEMO_PASSWORD = 'demo-password-2026';
/** Every demo staff account shares this authenticator secret so a person can add it to an app once. */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface DemoAccount {
  email: string;
  name: string;
  role: Role;
  scope: 'provider' | 'midlands' | 'north';
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin@demo.npq.test', name: 'Ada Admin', role: 'provider_admin', scope: 'provider' },
  { email: 'lead.midlands@demo.npq.test', name: 'Mina Lead', role: 'delivery_partner_lead', scope: 'midlands' },
  { email: 'lead.north@demo.npq.test', name: 'Nora Lead', role: 'delivery_partner_lead', scope: 'north' },
  { email: 'facilitator@demo.npq.test', name: 'Fred Facilitator', role: 'facilitator', scope: 'midlands' },
  { email: 'coach@demo.npq.test', name: 'Cora Coach', role: 'coach', scope: 'provider' },
  { email: 'assessor@demo.npq.test', name: 'Asa Assessor', role: 'assessor', scope: 'provider' },
  { email: 'moderator@demo.npq.test', name: 'Moe Moderator', role: 'moderator', scope: 'provider' },
  { email: 'participant@demo.npq.test', name: 'Pat Participant', role: 'participant', scope: 'provider' },
  { email: 'approver@demo.npq.test', name: 'Sam Approver', role: 'school_approver', scope: 'provider' },
];

/** Loads the catalogue from the seeds, two delivery partners with venues and intakes. Idempotent. */
export async function loadCatalogue(db: Db): Promise<{ midlands: string; north: string }> {
  const existing = await db.select({ id: deliveryPartners.id, name: deliveryPartners.name }).from(deliveryPartners);
  if (existing.length > 0) {
    return { midlands: existing.find((p) => p.name.includes('Midlands'))?.id ?? existing[0]!.id, north: existing.find((p) => p.name.includes('North'))?.id ?? existing[0]!.id };
  }
  return db.transaction(async (tx) => {
    const [midlands] = await tx
      .insert(deliveryPartners)
      .values({ name: 'Midlands Teaching School Hub', region: 'West Midlands', description: 'Serving and former school leaders across the Midlands.' })
      .returning();
    const [north] = await tx
      .insert(deliveryPartners)
      .values({ name: 'North East Leadership Trust', region: 'North East', description: 'A school-led partnership of trusts in the North East.' })
      .returning();
    const [birmingham] = await tx
      .insert(venues)
      .values({ deliveryPartnerId: midlands!.id, name: 'Birmingham Regional Training Centre', addressLine: '1 Colmore Row', town: 'Birmingham', postcode: 'B3 2BJ' })
      .returning();
    const [newcastle] = await tx
      .insert(venues)
      .values({ deliveryPartnerId: north!.id, name: 'Newcastle Regional Training Centre', addressLine: '10 Grey Street', town: 'Newcastle upon Tyne', postcode: 'NE1 6AE' })
      .returning();
    let position = 0;
    for (const { components, ...q } of SEED_QUALIFICATIONS) {
      const [row] = await tx.insert(qualifications).values({ ...q, position: position++ }).returning();
      if (components?.length) {
        await tx.insert(programmeComponents).values(
          components.map((c, i) => ({
            qualificationId: row!.id,
            position: i + 1,
            kind: c.kind,
            title: c.title,
            description: c.description,
            guidedLearningMinutes: Math.round(c.guidedLearningHours * 60),
            items: c.items ?? [],
          })),
        );
      }
      if (q.kind === 'coaching') continue;
      await tx.insert(intakes).values([
        { qualificationId: row!.id, name: 'January 2027', startDate: '2027-01-18', applicationDeadline: '2026-12-11', deliveryMode: 'face_to_face', deliveryPartnerId: midlands!.id, venueId: birmingham!.id, capacity: 40 },
        { qualificationId: row!.id, name: 'January 2027 (distance)', startDate: '2027-01-25', applicationDeadline: '2026-12-18', deliveryMode: 'distance', deliveryPartnerId: north!.id, timeZone: 'Europe/London', capacity: 60 },
        { qualificationId: row!.id, name: 'September 2027', startDate: '2027-09-20', applicationDeadline: '2027-07-16', deliveryMode: 'face_to_face', deliveryPartnerId: north!.id, venueId: newcastle!.id, capacity: 40 },
      ]);
    }
    return { midlands: midlands!.id, north: north!.id };
  });
}

export async function loadDemo(db: Db, people: PeopleService): Promise<boolean> {
  const partners = await loadCatalogue(db);
  if ((await people.countUsers()) > 0) return false;
  for (const account of DEMO_ACCOUNTS) {
    const scopeType: ScopeType = account.scope === 'provider' ? 'provider' : 'delivery_partner';
    const scopeId = account.scope === 'provider' ? null : partners[account.scope];
    const staff = !['participant', 'school_approver'].includes(account.role);
    await people.createUserDirectly({
      name: account.name,
      email: account.email,
      password: DEMO_PASSWORD,
      roles: [{ role: account.role, scopeType, scopeId }],
      ...(staff ? { totpSecret: DEMO_TOTP_SECRET } : {}),
    });
  }
  return true;
}

export async function hasCatalogue(db: Db): Promise<boolean> {
  const rows = await db.select({ id: qualifications.id }).from(qualifications).where(eq(qualifications.identifier, 'npq-headship')).limit(1);
  return rows.length > 0;
}
