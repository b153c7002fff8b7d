import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { system } from '../../platform/auth/actor';
import type { EnrolmentContext } from '../enrolment-context';
import { applications, cohorts, participants } from '../enrolment.schema';
import { participantFor } from '../participants/participant-for';
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
}

/** What recording one did: made a new pending application, linked one the platform had, updated a linked one, or could not (with why). */
export type DfeApplicationRecorded = { kind: 'created' | 'linked' | 'updated'; applicationId: string } | { kind: 'skipped'; reason: 'unknown_cohort' | 'accepted_elsewhere' };

// A person DfE holds no email for is still one participant: an address that can never be delivered
// (RFC 2606 reserves .invalid), keyed by their DfE id, stands in until they give one.
const noEmailFor = (dfeParticipantId: string) => `${dfeParticipantId}@no-email.dfe.invalid`;

/**
 * Records an application read from DfE's API (issue 13 item 2), idempotently: reading the same record
 * again changes nothing but DfE's status and time kept beside it. Matched, in order, by DfE's
 * application id; then to a live application of the platform's own for the same NPQ and cohort whose
 * person has that DfE participant id, that TRN or that email (then linked: DfE's ids are kept); else
 * made as a new pending application in the inbox. DfE's status never overwrites the platform's
 * decision here (reconciliation lists differences); a record DfE already shows accepted that the
 * platform has never seen (a transfer in) is skipped as `accepted_elsewhere` for the admin to take up,
 * and one in a cohort the platform does not have as `unknown_cohort`. Two recordings of the same
 * record at once end with one application (its unique DfE id). Audited as the DfE sync.
 */
export const recordDfeApplication =
  (ctx: EnrolmentContext) =>
  async (record: DfeApplicationRecord): Promise<DfeApplicationRecorded> => {
    const at = ctx.now();
    const actor = system('DfE sync');
    const dfeSide = { dfeStatus: record.status, dfeUpdatedAt: record.updatedAt };
    return ctx.write(async (tx) => {
      const [known] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.dfeApplicationId, record.dfeApplicationId));
      if (known) {
        await tx.update(applications).set(dfeSide).where(eq(applications.id, known.id));
        return { kind: 'updated', applicationId: known.id };
      }
      const [cohort] = await tx.select().from(cohorts).where(eq(cohorts.identifier, record.cohort));
      if (!cohort) return { kind: 'skipped', reason: 'unknown_cohort' };
      const email = record.email?.trim().toLowerCase() || null;
      const person = or(
        sql`${applications.participantId} in (select ${participants.id} from ${participants} where ${participants.dfeParticipantId} = ${record.dfeParticipantId})`,
        record.trn ? eq(applications.teacherReferenceNumber, record.trn) : undefined,
        email ? sql`lower(${applications.email}) = ${email}` : undefined,
      );
      const [mine] = await tx
        .select({ id: applications.id, participantId: applications.participantId })
        .from(applications)
        .where(and(eq(applications.courseIdentifier, record.courseIdentifier), eq(applications.cohortId, cohort.id), inArray(applications.status, ['pending', 'accepted']), isNull(applications.dfeApplicationId), person))
        .limit(1)
        .for('update');
      if (mine) {
        await tx.update(applications).set({ dfeApplicationId: record.dfeApplicationId, ...dfeSide }).where(eq(applications.id, mine.id));
        if (mine.participantId) await tx.update(participants).set({ dfeParticipantId: record.dfeParticipantId, updatedAt: at }).where(and(eq(participants.id, mine.participantId), isNull(participants.dfeParticipantId)));
        await audit(tx, ctx.clock, actor, { action: 'application.linked_to_dfe', entityType: 'application', entityId: mine.id, after: { dfeApplicationId: record.dfeApplicationId } });
        return { kind: 'linked', applicationId: mine.id };
      }
      if (record.status === 'accepted') return { kind: 'skipped', reason: 'accepted_elsewhere' };
      const [byDfeId] = await tx.select().from(participants).where(eq(participants.dfeParticipantId, record.dfeParticipantId));
      const holder = email ? await accountByEmail(tx, email) : undefined;
      const address = email ?? noEmailFor(record.dfeParticipantId);
      const participant = byDfeId ?? (await participantFor(tx, { userId: holder?.id ?? null, email: address }, at));
      if (!participant.dfeParticipantId) await tx.update(participants).set({ dfeParticipantId: record.dfeParticipantId, updatedAt: at }).where(and(eq(participants.id, participant.id), isNull(participants.dfeParticipantId)));
      const [row] = await tx
        .insert(applications)
        .values({
          userId: holder?.id ?? null,
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
          submittedAt: at,
          decidedAt: record.status === 'rejected' ? at : null,
          createdAt: at,
          updatedAt: at,
        })
        .onConflictDoNothing()
        .returning({ id: applications.id });
      if (!row) {
        // Another recording of the same record (or the same person's live application) won the race: read what it made.
        const [won] = await tx.select({ id: applications.id }).from(applications).where(eq(applications.dfeApplicationId, record.dfeApplicationId));
        return won ? { kind: 'updated', applicationId: won.id } : { kind: 'skipped', reason: 'accepted_elsewhere' };
      }
      await audit(tx, ctx.clock, actor, { action: 'application.created_from_dfe', entityType: 'application', entityId: row.id, after: { dfeApplicationId: record.dfeApplicationId, course: record.courseIdentifier, cohort: record.cohort } });
      return { kind: 'created', applicationId: row.id };
    });
  };
