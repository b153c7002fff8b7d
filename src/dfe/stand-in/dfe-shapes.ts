import type { Application, Declaration, DeliveryPartner, DfeState, LeadProvider, Outcome, Person, Statement } from './dfe-state';
import { rfc3339 } from './dfe-state';

/*
 * DfE's records in the API's JSON shapes (DfE's OpenAPI document, components/schemas). Where DfE's
 * service and its document differ, the stand-in answers as the document says, since it is held to the
 * document (docs/adr/0068): declaration states with underscores (`awaiting_clawback`) and `has_passed`
 * as the text "true"/"false" or null. A client reads both spellings (docs/dfe-api.md §6 rule 15).
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `npq_application` (§1.1). */
export function applicationShape(state: DfeState, a: Application) {
  const p = state.people.get(a.personId)!;
  const cohort = state.cohort(a.cohort)!;
  return {
    id: a.id,
    type: 'npq_application',
    attributes: {
      course_identifier: a.course,
      email: p.email,
      email_validated: true,
      employer_name: a.employerName,
      employment_role: a.employmentRole,
      full_name: p.fullName,
      funding_choice: a.fundingChoice,
      headteacher_status: a.headteacherStatus,
      ineligible_for_funding_reason: a.ineligibleForFundingReason,
      participant_id: a.personId,
      private_childcare_provider_urn: null,
      teacher_reference_number: p.trnVerified ? p.trn : null,
      teacher_reference_number_validated: p.trnVerified,
      school_urn: a.schoolUrn,
      school_ukprn: null,
      status: a.status,
      reason_for_rejection: a.reasonForRejection,
      works_in_school: a.worksInSchool,
      cohort: String(cohort.startYear),
      cohort_suffix: cohort.suffix,
      eligible_for_funding: a.eligibleForFunding && !a.ineligibleForFundingReason,
      targeted_delivery_funding_eligibility: a.targetedDeliveryFunding,
      teacher_catchment: a.teacherCatchment,
      teacher_catchment_country: a.teacherCatchment ? 'United Kingdom of Great Britain and Northern Ireland' : null,
      teacher_catchment_iso_country_code: a.teacherCatchment ? 'GBR' : null,
      itt_provider: null,
      lead_mentor: false,
      funded_place: a.fundedPlace,
      created_at: rfc3339(a.createdAt),
      updated_at: rfc3339(new Date(Math.max(a.updatedAt.getTime(), p.significantlyUpdatedAt.getTime()))),
      schedule_identifier: a.schedule,
      works_as_senco: false,
      senco_start_date: null,
    },
  };
}

/** `npq-participant` as one lead provider sees them (§1.2): their accepted applications with it as enrolments. */
export function participantShape(state: DfeState, lp: LeadProvider, p: Person) {
  return {
    id: p.id,
    type: 'npq-participant',
    attributes: {
      full_name: p.fullName,
      previous_names: p.previousNames,
      teacher_reference_number: p.trnVerified ? p.trn : null,
      updated_at: rfc3339(state.participantUpdatedAt(p)),
      npq_enrolments: state.acceptedOf(lp, p.id).map((a) => {
        const last = state.latestStateBy(lp, a.id);
        const cohort = state.cohort(a.cohort)!;
        return {
          course_identifier: a.course,
          schedule_identifier: a.schedule,
          cohort: String(cohort.startYear),
          cohort_suffix: cohort.suffix,
          npq_application_id: a.id,
          eligible_for_funding: a.eligibleForFunding,
          training_status: a.trainingStatus ?? 'active',
          school_urn: a.schoolUrn,
          targeted_delivery_funding_eligibility: a.targetedDeliveryFunding,
          funded_place: a.fundedPlace,
          email: p.email,
          withdrawal: a.trainingStatus === 'withdrawn' && last?.state === 'withdrawn' ? { reason: last.reason, date: rfc3339(last.at) } : null,
          deferral: a.trainingStatus === 'deferred' && last?.state === 'deferred' ? { reason: last.reason, date: rfc3339(last.at) } : null,
          created_at: rfc3339(a.acceptedAt ?? a.createdAt),
        };
      }),
      participant_id_changes: state.idChanges.filter((c) => c.to === p.id).map((c) => ({ from_participant_id: c.from, to_participant_id: c.to, changed_at: rfc3339(c.changedAt) })),
    },
  };
}

/** `participant-declaration` (§1.3). */
export function declarationShape(state: DfeState, d: Declaration) {
  const lp = state.leadProviders.get(d.leadProviderId)!;
  const hasPassed = state.hasPassedOf(d);
  const partner = (id: string | null) => (id ? (state.deliveryPartners.get(id)?.name ?? null) : null);
  return {
    id: d.id,
    type: 'participant-declaration',
    attributes: {
      participant_id: d.personId,
      declaration_type: d.type,
      course_identifier: d.course,
      declaration_date: d.date,
      state: d.state,
      has_passed: hasPassed === null ? null : String(hasPassed),
      statement_id: ['eligible', 'payable', 'paid', 'awaiting_clawback', 'clawed_back'].includes(d.state) ? d.statementId : null,
      clawback_statement_id: d.clawbackStatementId,
      uplift_paid: false,
      lead_provider_name: lp.name,
      ineligible_for_funding_reason: d.ineligibleForFundingReason,
      created_at: rfc3339(d.createdAt),
      delivery_partner_id: d.deliveryPartnerId,
      delivery_partner_name: partner(d.deliveryPartnerId),
      secondary_delivery_partner_id: d.secondaryDeliveryPartnerId,
      secondary_delivery_partner_name: partner(d.secondaryDeliveryPartnerId),
      application_id: d.applicationId,
      updated_at: rfc3339(d.updatedAt),
    },
  };
}

/** `participant-outcome` (§3): its completion date as DfE's global date format writes it. */
export function outcomeShape(state: DfeState, o: Outcome) {
  const d = state.declarations.get(o.declarationId)!;
  return { id: o.id, type: 'participant-outcome', attributes: { state: o.state, completion_date: `${o.completionDate}T00:00:00+00:00`, course_identifier: d.course, participant_id: d.personId, created_at: rfc3339(o.createdAt), updated_at: rfc3339(o.createdAt) } };
}

/** `statement` (§1.4): the cohort as its start year, no suffix. */
export function statementShape(s: Statement) {
  return { id: s.id, type: 'statement', attributes: { month: MONTHS[Number(s.paymentDate.slice(5, 7)) - 1]!, year: s.paymentDate.slice(0, 4), cohort: s.cohort.slice(0, 4), cut_off_date: s.cutOffDate, payment_date: s.paymentDate, paid: s.state === 'paid', created_at: rfc3339(s.createdAt), updated_at: rfc3339(s.updatedAt) } };
}

/** `delivery-partner` (§1.5): the start years of the cohorts it is confirmed for with this lead provider, as DfE's document types them (strings; DfE's code sends numbers). */
export function deliveryPartnerShape(dp: DeliveryPartner, lp: LeadProvider) {
  const years = [...new Set([...(dp.partnerships.get(lp.id) ?? [])].map((c) => c.slice(0, 4)))].sort();
  return { id: dp.id, type: 'delivery-partner', attributes: { name: dp.name, cohort: years, created_at: rfc3339(dp.createdAt), updated_at: rfc3339(dp.createdAt) } };
}
