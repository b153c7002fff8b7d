import { and, eq, max } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../audit/audit';
import type { Db, Executor } from '../db/client';
import { deliveryPartners, intakes, programmeComponents, qualifications, venues } from './catalogue.schema';
import type { Actor } from '../platform/auth/actor';
import { catalogueAbilities } from './domain/catalogue.policy';
import type { Notifier } from '../platform/notifier';
import { type Clock, ukDate } from '../platform/clock';
import { ForbiddenError, NotFoundError, ValidationError } from '../platform/errors';
import { wholeNumber } from '../platform/forms';
import {
  type ComponentInput,
  DELIVERY_MODES,
  type DeliveryMode,
  type Kind,
  minutesFromHours,
  type QualificationInput,
} from './domain/qualification';
import { SCHEDULES, schedulesFor } from './domain/schedules';
import { catalogueRepository, type ComponentRow, type IntakeRow, type PartnerRow, type QualificationRow, type VenueRow } from './catalogue.repository';
import { whenMissing } from '../platform/zod-messages';

export interface PublicIntake extends IntakeRow {
  partnerName: string;
  venue: VenueRow | undefined;
}

export interface CatalogueEntry extends QualificationRow {
  components: ComponentRow[];
  intakes: PublicIntake[];
  partners: PartnerRow[];
  /** What DfE funds for this NPQ, from the funding checker's own rules: one line and the full sentences. */
  funding: FundingDescription;
}

/** DfE funding as pages describe it: generated from enrolment's funding rules, passed in (the catalogue does not import enrolment). */
export interface FundingDescription {
  short: string;
  sentences: string[];
}
const NO_FUNDING_RULES: FundingDescription = { short: 'Ask us', sentences: ['Ask us whether DfE funds this NPQ for you.'] };

/** What the public pages read: built once, kept until an admin changes the catalogue. */
interface Snapshot {
  version: number;
  builtForDay: string;
  entries: CatalogueEntry[];
  byIdentifier: Map<string, CatalogueEntry>;
}

const isoDate = z.iso.date({ error: 'Enter a real date' });

export const partnerInputSchema = z.object({
  name: z.string().trim().min(1, 'Enter the delivery partner’s name').max(200, 'Name must be 200 characters or fewer'),
  region: z.string().trim().max(100, 'Region must be 100 characters or fewer').default(''),
  description: z.string().trim().max(2000, 'Description must be 2,000 characters or fewer').default(''),
});
export const venueInputSchema = z.object({
  deliveryPartnerId: z.uuid({ error: 'Select a delivery partner' }),
  name: z.string().trim().min(1, 'Enter the venue’s name').max(200, 'Name must be 200 characters or fewer'),
  addressLine: z.string().trim().max(300).default(''),
  town: z.string().trim().min(1, 'Enter the town or city').max(100),
  postcode: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/, 'Enter a real postcode, like B1 1AA'),
});
export const intakeInputSchema = z
  .object({
    name: z.string().trim().min(1, 'Enter a name for the intake, like January 2027').max(100),
    startDate: isoDate,
    applicationDeadline: isoDate,
    deliveryMode: z.enum(DELIVERY_MODES, { error: 'Select how this intake is delivered' }),
    deliveryPartnerId: z.uuid({ error: 'Select a delivery partner' }),
    venueId: z.preprocess((v) => (v === '' ? null : v), z.uuid().nullable().default(null)),
    timeZone: z.preprocess((v) => (v === '' ? null : v), z.string().nullable().default(null)),
    capacity: wholeNumber('Capacity', { min: 1, max: 10_000, optional: true }),
    waitingList: z.preprocess((v) => v === true || v === 'yes', z.boolean()),
    cohortIdentifier: z.string({ error: whenMissing('Select the cohort') }).trim().min(1, 'Select the cohort'),
    schedule: z.enum(SCHEDULES, { error: 'Select the DfE schedule the intake follows' }),
  })
  .superRefine((i, ctx) => {
    if (i.applicationDeadline > i.startDate) ctx.addIssue({ code: 'custom', path: ['applicationDeadline'], message: 'The application deadline must be the same as or before the start date' });
    if (i.deliveryMode === 'face_to_face' && !i.venueId) ctx.addIssue({ code: 'custom', path: ['venueId'], message: 'Select the venue for face-to-face delivery' });
    if (i.deliveryMode === 'distance') {
      if (!i.timeZone) ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'Select the time zone live sessions are scheduled in' });
      else if (!Intl.supportedValuesOf('timeZone').includes(i.timeZone) && i.timeZone !== 'UTC') ctx.addIssue({ code: 'custom', path: ['timeZone'], message: 'Select a time zone from the list' });
    }
  });
export type PartnerInput = z.infer<typeof partnerInputSchema>;
export type VenueInput = z.infer<typeof venueInputSchema>;
export type IntakeInput = z.infer<typeof intakeInputSchema>;

export interface QualificationFilter {
  kind?: Kind | undefined;
  audience?: string | undefined;
}

/** The cohort check comes from enrolment, which builds on the catalogue: passed in, not imported. */
export function createCatalogueService(deps: {
  db: Db;
  clock: Clock;
  notifier?: Notifier;
  cohortExists?: (identifier: string) => Promise<boolean>;
  cohortChoices?: () => Promise<string[]>;
  describeFunding?: (courseIdentifier: string) => FundingDescription;
  /** Told of a changed intake inside the change's transaction, so records that show it (enrolment's applications) move with it. */
  intakeChanged?: (tx: Executor, before: IntakeRow, after: IntakeRow) => Promise<void>;
}) {
  const { db, clock } = deps;
  let version = 0;
  let snapshot: Promise<Snapshot> | null = null;
  const today = () => ukDate(clock.now());

  async function build(): Promise<Snapshot> {
    const builtFor = version;
    const day = today();
    const [quals, components, partners, venueRows, intakeRows] = await Promise.all([
      catalogueRepository.allQualifications(db),
      catalogueRepository.allComponents(db),
      catalogueRepository.partners(db),
      catalogueRepository.venues(db),
      catalogueRepository.intakesFrom(db, day),
    ]);
    const partnerById = new Map(partners.map((p) => [p.id, p]));
    const venueById = new Map(venueRows.map((v) => [v.id, v]));
    const entries = quals
      .filter((q) => !q.retiredAt)
      .map((q) => {
        const qIntakes = intakeRows
          .filter((i) => i.qualificationId === q.id)
          .map((i) => ({ ...i, partnerName: partnerById.get(i.deliveryPartnerId)?.name ?? '', venue: i.venueId ? venueById.get(i.venueId) : undefined }));
        const partnerIds = [...new Set(qIntakes.map((i) => i.deliveryPartnerId))];
        return {
          ...q,
          components: components.filter((c) => c.qualificationId === q.id),
          intakes: qIntakes,
          partners: partnerIds.map((id) => partnerById.get(id)!).filter((p) => p && !p.retiredAt),
          funding: deps.describeFunding?.(q.identifier) ?? NO_FUNDING_RULES,
        };
      });
    return { version: builtFor, builtForDay: day, entries, byIdentifier: new Map(entries.map((e) => [e.identifier, e])) };
  }

  async function current(): Promise<Snapshot> {
    if (snapshot) {
      const s = await snapshot;
      if (s.version === version && s.builtForDay === today()) return s;
    }
    snapshot = build();
    snapshot.catch(() => {
      snapshot = null;
    });
    return snapshot;
  }

  // An edit in any process makes every process build its snapshot again (docs/adr/0031).
  deps.notifier?.subscribe('catalogue', () => {
    version++;
  });
  // Awaited before the answer goes out, so the next request, to any process, sees the edit. A failed
  // NOTIFY must not fail an edit that has committed: the other processes then catch up at the next day.
  const changed = async () => {
    version++;
    await deps.notifier?.publish('catalogue').catch(() => undefined);
  };

  function authorise(actor: Actor) {
    if (!catalogueAbilities(actor).manage) throw new ForbiddenError();
  }

  async function requireQualification(id: string) {
    const q = await catalogueRepository.qualificationById(db, id);
    if (!q) throw new NotFoundError('qualification');
    return q;
  }

  async function checkIdentifierFree(identifier: string, exceptId?: string) {
    const existing = await catalogueRepository.qualificationByIdentifier(db, identifier);
    if (existing && existing.id !== exceptId) throw new ValidationError({ identifier: 'Another qualification already uses that identifier' });
  }

  async function checkIntakeReferences(input: IntakeInput, qualificationKind: string) {
    if (!schedulesFor(qualificationKind).includes(input.schedule)) {
      throw new ValidationError({ schedule: `A ${qualificationKind.replace('_', ' ')} NPQ follows one of: ${schedulesFor(qualificationKind).join(', ')}` });
    }
    if (deps.cohortExists && !(await deps.cohortExists(input.cohortIdentifier))) throw new ValidationError({ cohortIdentifier: `There is no cohort ${input.cohortIdentifier}` });
    const partner = await catalogueRepository.partner(db, input.deliveryPartnerId);
    if (!partner) throw new ValidationError({ deliveryPartnerId: 'Select a delivery partner' });
    if (partner.retiredAt) throw new ValidationError({ deliveryPartnerId: `${partner.name} is retired: choose another delivery partner, or restore it first` });
    if (input.venueId) {
      const venue = await catalogueRepository.venue(db, input.venueId);
      if (!venue || venue.deliveryPartnerId !== input.deliveryPartnerId) throw new ValidationError({ venueId: 'Select a venue of the chosen delivery partner' });
      if (venue.retiredAt) throw new ValidationError({ venueId: `${venue.name} is retired: choose another venue, or restore it first` });
    }
  }

  const columnsOf = (input: QualificationInput) => ({ ...input, updatedAt: clock.now() });

  return {
    /** Public: the NPQs on offer, with filters. */
    async list(filter: QualificationFilter = {}): Promise<CatalogueEntry[]> {
      const { entries } = await current();
      return entries.filter(
        (e) => (!filter.kind || e.kind === filter.kind) && (!filter.audience || e.audiences.includes(filter.audience)),
      );
    },

    async get(identifier: string): Promise<CatalogueEntry> {
      const entry = (await current()).byIdentifier.get(identifier);
      if (!entry) throw new NotFoundError('qualification');
      return entry;
    },

    /** Changes whenever the public pages would: an admin's edit, or a new day (intakes that have started drop off). */
    async version(): Promise<string> {
      const s = await current();
      return `${s.version}:${s.builtForDay}`;
    },

    // ── Admin ──
    async adminList(actor: Actor) {
      authorise(actor);
      const [quals, components] = await Promise.all([catalogueRepository.allQualifications(db), catalogueRepository.allComponents(db)]);
      return quals.map((q) => ({ ...q, componentCount: components.filter((c) => c.qualificationId === q.id).length }));
    },

    async adminGet(actor: Actor, id: string) {
      authorise(actor);
      const q = await requireQualification(id);
      const [components, allIntakes, partners, venueRows] = await Promise.all([
        catalogueRepository.componentsOf(db, id),
        catalogueRepository.allIntakes(db),
        catalogueRepository.partners(db),
        catalogueRepository.venues(db),
      ]);
      return { qualification: q, components, intakes: allIntakes.filter((i) => i.qualificationId === id), partners, venues: venueRows };
    },

    async createQualification(actor: Actor, input: QualificationInput): Promise<string> {
      authorise(actor);
      await checkIdentifierFree(input.identifier);
      const id = await db.transaction(async (tx) => {
        const [{ top } = { top: 0 }] = await tx.select({ top: max(qualifications.position) }).from(qualifications);
        const [row] = await tx
          .insert(qualifications)
          .values({ ...columnsOf(input), position: (top ?? 0) + 1, createdAt: clock.now() })
          .returning();
        await audit(tx, clock, actor, { action: 'qualification.created', entityType: 'qualification', entityId: row!.id, after: row });
        return row!.id;
      });
      await changed();
      return id;
    },

    async updateQualification(actor: Actor, id: string, input: QualificationInput): Promise<void> {
      authorise(actor);
      const before = await requireQualification(id);
      await checkIdentifierFree(input.identifier, id);
      await db.transaction(async (tx) => {
        const [after] = await tx.update(qualifications).set(columnsOf(input)).where(eq(qualifications.id, id)).returning();
        await audit(tx, clock, actor, { action: 'qualification.updated', entityType: 'qualification', entityId: id, before, after });
      });
      await changed();
    },

    async setQualificationRetired(actor: Actor, id: string, retired: boolean): Promise<void> {
      authorise(actor);
      const before = await requireQualification(id);
      await db.transaction(async (tx) => {
        const retiredAt = retired ? clock.now() : null;
        await tx.update(qualifications).set({ retiredAt, updatedAt: clock.now() }).where(eq(qualifications.id, id));
        await audit(tx, clock, actor, {
          action: retired ? 'qualification.retired' : 'qualification.restored',
          entityType: 'qualification',
          entityId: id,
          before: { retiredAt: before.retiredAt },
          after: { retiredAt },
        });
      });
      await changed();
    },

    async saveComponent(actor: Actor, qualificationId: string, componentId: string | null, input: ComponentInput): Promise<void> {
      authorise(actor);
      await requireQualification(qualificationId);
      const values = {
        kind: input.kind,
        title: input.title,
        description: input.description,
        guidedLearningMinutes: minutesFromHours(input.guidedLearningHours),
        items: input.items,
      };
      await db.transaction(async (tx) => {
        if (componentId) {
          const before = await catalogueRepository.component(tx, componentId);
          if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('component');
          const [after] = await tx.update(programmeComponents).set(values).where(eq(programmeComponents.id, componentId)).returning();
          await audit(tx, clock, actor, { action: 'component.updated', entityType: 'qualification', entityId: qualificationId, before, after });
        } else {
          const [{ top } = { top: 0 }] = await tx
            .select({ top: max(programmeComponents.position) })
            .from(programmeComponents)
            .where(eq(programmeComponents.qualificationId, qualificationId));
          const [after] = await tx.insert(programmeComponents).values({ ...values, qualificationId, position: (top ?? 0) + 1 }).returning();
          await audit(tx, clock, actor, { action: 'component.added', entityType: 'qualification', entityId: qualificationId, after });
        }
      });
      await changed();
    },

    async removeComponent(actor: Actor, qualificationId: string, componentId: string): Promise<void> {
      authorise(actor);
      await db.transaction(async (tx) => {
        const before = await catalogueRepository.component(tx, componentId);
        if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('component');
        await tx.delete(programmeComponents).where(and(eq(programmeComponents.id, componentId)));
        await audit(tx, clock, actor, { action: 'component.removed', entityType: 'qualification', entityId: qualificationId, before });
      });
      await changed();
    },

    async partnersAndVenues(actor: Actor) {
      authorise(actor);
      const [partners, venueRows] = await Promise.all([catalogueRepository.partners(db), catalogueRepository.venues(db)]);
      return { partners, venues: venueRows };
    },

    async savePartner(actor: Actor, id: string | null, input: PartnerInput): Promise<string> {
      authorise(actor);
      const saved = await db.transaction(async (tx) => {
        if (id) {
          const before = await catalogueRepository.partner(tx, id);
          if (!before) throw new NotFoundError('delivery partner');
          const [after] = await tx.update(deliveryPartners).set(input).where(eq(deliveryPartners.id, id)).returning();
          await audit(tx, clock, actor, { action: 'delivery_partner.updated', entityType: 'delivery_partner', entityId: id, before, after });
          return id;
        }
        const [after] = await tx.insert(deliveryPartners).values({ ...input, createdAt: clock.now() }).returning();
        await audit(tx, clock, actor, { action: 'delivery_partner.created', entityType: 'delivery_partner', entityId: after!.id, after });
        return after!.id;
      });
      await changed();
      return saved;
    },

    async saveVenue(actor: Actor, id: string | null, input: VenueInput): Promise<string> {
      authorise(actor);
      if (!(await catalogueRepository.partner(db, input.deliveryPartnerId))) throw new ValidationError({ deliveryPartnerId: 'Select a delivery partner' });
      const saved = await db.transaction(async (tx) => {
        if (id) {
          const before = await catalogueRepository.venue(tx, id);
          if (!before) throw new NotFoundError('venue');
          const [after] = await tx.update(venues).set(input).where(eq(venues.id, id)).returning();
          await audit(tx, clock, actor, { action: 'venue.updated', entityType: 'venue', entityId: id, before, after });
          return id;
        }
        const [after] = await tx.insert(venues).values({ ...input, createdAt: clock.now() }).returning();
        await audit(tx, clock, actor, { action: 'venue.created', entityType: 'venue', entityId: after!.id, after });
        return after!.id;
      });
      await changed();
      return saved;
    },

    /** Retiring keeps the record and its history; a retired partner or venue is offered for nothing new. */
    async setPartnerRetired(actor: Actor, id: string, retired: boolean): Promise<void> {
      authorise(actor);
      await db.transaction(async (tx) => {
        const before = await catalogueRepository.partner(tx, id);
        if (!before) throw new NotFoundError('delivery partner');
        const retiredAt = retired ? clock.now() : null;
        await tx.update(deliveryPartners).set({ retiredAt }).where(eq(deliveryPartners.id, id));
        await audit(tx, clock, actor, { action: retired ? 'delivery_partner.retired' : 'delivery_partner.restored', entityType: 'delivery_partner', entityId: id, before: { retiredAt: before.retiredAt }, after: { retiredAt } });
      });
      await changed();
    },

    async setVenueRetired(actor: Actor, id: string, retired: boolean): Promise<void> {
      authorise(actor);
      await db.transaction(async (tx) => {
        const before = await catalogueRepository.venue(tx, id);
        if (!before) throw new NotFoundError('venue');
        const retiredAt = retired ? clock.now() : null;
        await tx.update(venues).set({ retiredAt }).where(eq(venues.id, id));
        await audit(tx, clock, actor, { action: retired ? 'venue.retired' : 'venue.restored', entityType: 'venue', entityId: id, before: { retiredAt: before.retiredAt }, after: { retiredAt } });
      });
      await changed();
    },

    async saveIntake(actor: Actor, qualificationId: string, id: string | null, input: IntakeInput): Promise<string> {
      authorise(actor);
      const qualification = await requireQualification(qualificationId);
      await checkIntakeReferences(input, qualification.kind);
      const values = {
        ...input,
        venueId: input.deliveryMode === 'face_to_face' ? input.venueId : null,
        timeZone: input.deliveryMode === 'distance' ? input.timeZone : null,
      };
      const saved = await db.transaction(async (tx) => {
        if (id) {
          const before = await catalogueRepository.intake(tx, id);
          if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('intake');
          const [after] = await tx.update(intakes).set(values).where(eq(intakes.id, id)).returning();
          await deps.intakeChanged?.(tx, before, after!);
          await audit(tx, clock, actor, { action: 'intake.updated', entityType: 'intake', entityId: id, before, after });
          return id;
        }
        const [after] = await tx.insert(intakes).values({ ...values, qualificationId, createdAt: clock.now() }).returning();
        await audit(tx, clock, actor, { action: 'intake.created', entityType: 'intake', entityId: after!.id, after });
        return after!.id;
      });
      await changed();
      return saved;
    },

    async setIntakeRetired(actor: Actor, qualificationId: string, id: string, retired: boolean): Promise<void> {
      authorise(actor);
      await db.transaction(async (tx) => {
        const before = await catalogueRepository.intake(tx, id);
        if (!before || before.qualificationId !== qualificationId) throw new NotFoundError('intake');
        const retiredAt = retired ? clock.now() : null;
        await tx.update(intakes).set({ retiredAt }).where(eq(intakes.id, id));
        await audit(tx, clock, actor, { action: retired ? 'intake.retired' : 'intake.restored', entityType: 'intake', entityId: id, before: { retiredAt: before.retiredAt }, after: { retiredAt } });
      });
      await changed();
    },

    async cohortChoices(): Promise<string[]> {
      return deps.cohortChoices ? deps.cohortChoices() : [];
    },

    async intakeForEdit(actor: Actor, qualificationId: string, id: string) {
      authorise(actor);
      const intake = await catalogueRepository.intake(db, id);
      if (!intake || intake.qualificationId !== qualificationId) throw new NotFoundError('intake');
      return intake;
    },
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
export type { DeliveryMode };
