import { z } from 'zod';
import type { Db } from '../db/client';
import type { Notifier } from '../platform/notifier';
import { type Clock, ukDate } from '../platform/clock';
import { NotFoundError } from '../platform/errors';
import { wholeNumber } from '../platform/forms';
import { bindUseCases } from '../platform/use-cases';
import type { CatalogueContext } from './catalogue.context';
import { DELIVERY_MODES, type DeliveryMode, type Kind } from './domain/qualification';
import { SCHEDULES } from './domain/schedules';
import { intakeForEdit, saveIntake, setIntakeRetired } from './intakes/save-intake';
import { linkPartnersToDfe, partnersAndVenues, savePartner, saveVenue, setPartnerRetired, setVenueRetired } from './partners/save-partner';
import { adminGet, adminList } from './qualifications/qualifications-for-admin';
import { removeComponent, saveComponent } from './qualifications/save-component';
import { createQualification, setQualificationRetired, updateQualification } from './qualifications/save-qualification';
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
  names: CatalogueNames;
}

/**
 * Every qualification and delivery partner there has ever been, by name, retired ones too: what
 * records made earlier (applications, enrolments) may name, for filters and labels of those records,
 * where `list` offers only what is on offer today.
 */
export interface CatalogueNames {
  qualifications: { identifier: string; shortName: string; retired: boolean }[];
  partners: { id: string; name: string; retired: boolean }[];
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
  capacity: wholeNumber('Capacity', { min: 1, max: 10_000, optional: true }),
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
  intakeChanged?: CatalogueContext['intakeChanged'];
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
    const names: CatalogueNames = {
      qualifications: quals.map((q) => ({ identifier: q.identifier, shortName: q.shortName, retired: Boolean(q.retiredAt) })),
      partners: partners.map((p) => ({ id: p.id, name: p.name, retired: Boolean(p.retiredAt) })),
    };
    return { version: builtFor, builtForDay: day, entries, byIdentifier: new Map(entries.map((e) => [e.identifier, e])), names };
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
  const ctx: CatalogueContext = {
    db,
    clock,
    // A failed NOTIFY must not fail an edit that has committed: the other processes then catch up at the next day.
    changed: async () => {
      version++;
      await deps.notifier?.publish('catalogue').catch(() => undefined);
    },
    cohortExists: deps.cohortExists,
    intakeChanged: deps.intakeChanged,
  };

  return {
    /** Every qualification and delivery partner by name, retired ones too (CatalogueNames), from the same kept snapshot as `list`. */
    async everyName(): Promise<CatalogueNames> {
      return (await current()).names;
    },

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

    async cohortChoices(): Promise<string[]> {
      return deps.cohortChoices ? deps.cohortChoices() : [];
    },

    // The admin's use cases, one file each (qualifications/, partners/, intakes/).
    ...bindUseCases(ctx, {
      adminList,
      adminGet,
      createQualification,
      updateQualification,
      setQualificationRetired,
      saveComponent,
      removeComponent,
      partnersAndVenues,
      savePartner,
      linkPartnersToDfe,
      saveVenue,
      setPartnerRetired,
      setVenueRetired,
      saveIntake,
      setIntakeRetired,
      intakeForEdit,
    }),
  };
}

export type CatalogueService = ReturnType<typeof createCatalogueService>;
export type { DeliveryMode };
