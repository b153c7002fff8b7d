import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { system } from '../../platform/auth/actor';
import { type EnrolmentContext, isUniqueViolation } from '../enrolment-context';
import { applications, cohorts, participants } from '../enrolment.schema';
import { intakeForTransferIn, qualificationByIdentifier } from '../../catalogue/catalogue.queries';
import { recordEvent } from '../../platform/events';
import { createEnrolment } from '../participants/enrolment-writes';
import { participantFor, recordStatusChange } from '../participants/participant-for';
import { courseNamed } from './applications.events';
import { accountByEmail } from './applications.repository';

/**
 * An application as DfE's Lead Provider API gives it (`npq_application`, read by the DfE client), in
 * the terms the platform keeps. Email and TRN may be null (docs/dfe-api.md §6 rule 16).
 */
export interface DfeApplicationRecord {
  dfeApplicationId: string;
  dfeParticipantId: string;
  fullName: string;
  email: string | null;
  trn: string | null;
  courseIdentifier: string;
  /** DfE's cohort and suffix together, e.g. `2026b` (rule 11). */
  cohort: string;
  schoolUrn: string | null;
  employerName: string | null;
  employmentRole: string | null;
  fundingChoice: string | null;
  eligibleForFunding: boolean;
  status: 'pending' | 'accepted' | 'rejected';
  updatedAt: Date;
  /** DfE's `funded_place` (null where the cohort asks none) and `schedule_identifier`: what a place transferred in keeps. */
  fundedPlace?: boolean | null;
  scheduleIdentifier?: string | null;
}

/**
 * What recording one did: made a new pending application, linked one the platform had, updated a
 * linked one, took in a place DfE shows accepted that the platform never saw (a transfer in from
 * another provider: `transferred_in`, accepted with its enrolment), or could not, with why: a cohort
 * the platform lacks, or a person the platform holds under another DfE id. (`accepted_elsewhere` is no
 * longer given: transfers are taken in; it stays for the records kept under it before.)
 * `applicationStatus` is the platform's, for the sync to send a decision made before the link.
 */
export type DfeApplicationRecorded = { kind: 'created' | 'linked' | 'updated' | 'transferred_in'; applicationId: string; applicationStatus: string } | { kind: 'skipped'; reason: 'unknown_cohort' | 'accepted_elsewhere' | 'person_conflict' };

// A person DfE holds no email for is still one participant: an address that can never be delivered
// (RFC 2606 reserves .invalid), keyed by their DfE id, stands in until they give one.
const noEmailFor = (dfeParticipantId: string) => `${dfeParticipantId}@no-email.dfe.invalid`;

/**
 * Records an application read from DfE's API (issue 13 item 2), idempotently: reading the same record
 * again changes nothing but DfE's status and time kept beside it. Matched, in order (docs/dfe-api.md
 * §6 rules 1 and 16: DfE's ids are the keys, email only a way to find a person not yet linked): by
 * DfE's application id; then to an application of the platform's own (pending, accepted or rejected)
 * for the same NPQ and cohort whose person holds that DfE participant id, or, holding none, has that
 * email — then linked, DfE's ids kept; else made as a new pending application in the inbox. A person
 * the platform holds under another DfE id is never linked or reused (`person_conflict`). DfE's status
 * never overwrites the platform's decision here (reconciliation lists differences); a record DfE
 * shows accepted that the platform never saw — DfE moved the place from another provider (docs/dfe-api.md
 * §4.4: no API tells of it; the record appears, already accepted) — is taken in (`transferred_in`):
 * accepted with DfE's funded place, placed in the intake on DfE's schedule (intakeForTransferIn; none
 * when none fits, for the admin to place), active, audited and told (`application.transferred_in`),
 * and never sent to DfE as a decision. One in a cohort the platform lacks is skipped as `unknown_cohort`. A clash with another record at once (a unique index) is
 * `person_conflict`, never an error that would stop the sync. Audited as the DfE sync.
 */
export const recordDfeApplication =
  (ctx: EnrolmentContext) =>
  async (record: DfeApplicationRecord): Promise<DfeApplicationRecorded> => {
    try {
      return await recordOnce(ctx, record);
    } catch (err) {
      if (isUniqueViolation(err)) return { kind: 'skipped', reason: 'person_conflict' };
      throw err;
    }
  };

async function recordOnce(ctx: EnrolmentContext, record: DfeApplicationRecord): Promise<DfeApplicationRecorded> {
  const at = ctx.now();
  const actor = system('DfE sync');
  const dfeSide = { dfeStatus: record.status, dfeUpdatedAt: record.updatedAt };
  return ctx.write(async (tx) => {
    const [known] = await tx.select({ id: applications.id, status: applications.status }).from(applications).where(eq(applications.dfeApplicationId, record.dfeApplicationId));
    if (known) {
      await tx.update(applications).set(dfeSide).where(eq(applications.id, known.id));
      return { kind: 'updated', applicationId: known.id, applicationStatus: known.status };
    }
    const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.identifier, record.cohort));
    if (!cohort) return { kind: 'skipped', reason: 'unknown_cohort' };
    const email = record.email?.trim().toLowerCase() || null;
    const [byDfeId] = await tx.select().from(participants).where(eq(participants.dfeParticipantId, record.dfeParticipantId));
    // The person: the one holding this DfE id; else, by email, one holding no DfE id yet.
    const person = byDfeId
      ? eq(applications.participantId, byDfeId.id)
      : email
        ? and(sql`lower(${applications.email}) = ${email}`, sql`${applications.participantId} in (select ${participants.id} from ${participants} where ${participants.dfeParticipantId} is null)`)
        : undefined;
    const [mine] = person
      ? await tx
          .select({ id: applications.id, participantId: applications.participantId, status: applications.status })
          .from(applications)
          .where(and(eq(applications.courseIdentifier, record.courseIdentifier), eq(applications.cohortId, cohort.id), inArray(applications.status, ['pending', 'accepted', 'rejected']), isNull(applications.dfeApplicationId), person))
          // A live application before a rejected one; the newest of each.
          .orderBy(sql`${applications.status} = 'rejected'`, desc(applications.createdAt))
          .limit(1)
          .for('update')
      : [];
    if (mine) {
      await tx.update(applications).set({ dfeApplicationId: record.dfeApplicationId, ...dfeSide }).where(eq(applications.id, mine.id));
      if (mine.participantId) await tx.update(participants).set({ dfeParticipantId: record.dfeParticipantId, updatedAt: at }).where(and(eq(participants.id, mine.participantId), isNull(participants.dfeParticipantId)));
      await audit(tx, ctx.clock, actor, { action: 'application.linked_to_dfe', entityType: 'application', entityId: mine.id, after: { dfeApplicationId: record.dfeApplicationId } });
      return { kind: 'linked', applicationId: mine.id, applicationStatus: mine.status };
    }
    const address = email ?? noEmailFor(record.dfeParticipantId);
    let participant = byDfeId;
    if (!participant) {
      const holder = email ? await accountByEmail(tx, email) : undefined;
      participant = await participantFor(tx, { userId: holder?.id ?? null, email: address }, at);
      // The email's person is already someone else at DfE: not this person.
      if (participant.dfeParticipantId && participant.dfeParticipantId !== record.dfeParticipantId) return { kind: 'skipped', reason: 'person_conflict' };
      if (!participant.dfeParticipantId) await tx.update(participants).set({ dfeParticipantId: record.dfeParticipantId, updatedAt: at }).where(eq(participants.id, participant.id));
    }
    const transferredIn = record.status === 'accepted';
    const intake = transferredIn ? await intakeForTransferIn(tx, record.courseIdentifier, record.cohort, record.scheduleIdentifier ?? null) : undefined;
    const [row] = await tx
      .insert(applications)
      .values({
        userId: participant.userId,
        participantId: participant.id,
        fullName: record.fullName,
        email: address,
        teacherReferenceNumber: record.trn,
        courseIdentifier: record.courseIdentifier,
        cohortId: cohort.id,
        schoolUrn: record.schoolUrn,
        employerName: record.employerName,
        employmentRole: record.employmentRole,
        fundingChoice: record.fundingChoice,
        status: record.status,
        reasonForRejection: record.status === 'rejected' ? 'Rejected at DfE' : null,
        eligibleForFunding: record.eligibleForFunding,
        dfeApplicationId: record.dfeApplicationId,
        ...dfeSide,
        intakeId: intake?.id ?? null,
        deliveryMode: intake?.deliveryMode ?? null,
        submittedAt: at,
        decidedAt: record.status === 'pending' ? null : at,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: applications.id });
    if (!transferredIn) {
      await audit(tx, ctx.clock, actor, { action: 'application.created_from_dfe', entityType: 'application', entityId: row!.id, after: { dfeApplicationId: record.dfeApplicationId, course: record.courseIdentifier, cohort: record.cohort } });
      return { kind: 'created', applicationId: row!.id, applicationStatus: record.status };
    }
    // DfE's funded place stands as it holds it: DfE already accepted the place, so no limit is weighed here.
    const fundedPlace = cohort.funding === 'capped' ? (record.fundedPlace ?? false) : null;
    const enrolmentId = await createEnrolment(tx, { applicationId: row!.id, participantId: participant.id, intakeId: intake?.id ?? null, deliveryPartnerId: intake?.deliveryPartnerId ?? null, fundedPlace, trainingStatus: 'active', onWaitingList: false }, at);
    await recordStatusChange(tx, { participantId: participant.id, enrolmentId, from: null, to: 'active', reason: null, at, by: actor });
    const course = await qualificationByIdentifier(tx, record.courseIdentifier);
    await recordEvent(tx, ctx.clock, {
      type: 'application.transferred_in',
      applicationId: row!.id,
      participantId: participant.id,
      course: courseNamed(record.courseIdentifier, course),
      intake: intake ? { id: intake.id, name: intake.name, startDate: intake.startDate } : null,
      fundedPlace,
    });
    await audit(tx, ctx.clock, actor, {
      action: 'application.transferred_in',
      entityType: 'application',
      entityId: row!.id,
      after: { dfeApplicationId: record.dfeApplicationId, course: record.courseIdentifier, cohort: record.cohort, schedule: record.scheduleIdentifier ?? null, intakeId: intake?.id ?? null, fundedPlace },
    });
    return { kind: 'transferred_in', applicationId: row!.id, applicationStatus: 'accepted' };
  });
}
