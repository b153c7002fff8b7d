/**
 * DfE's `npq_application` shape as PostgreSQL writes it (ADR 0041), on a real database: every
 * attribute the presenter works out, the page's text in the order of its ids, and the page written in
 * chunks (ADR 0038) being the very text the whole page would be.
 */
import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { expectMatchesDfeSchema } from '../../../testing/dfe-contract';
import { factoriesFor } from '../../../testing/factories';
import { planReadsOf } from '../../../testing/plan-reads';
import { FROZEN_NOW, useTestApp } from '../../../testing/test-app';
import { ineligibleForFundingReason } from '../../domain/application';
import { FUNDING_STATUS_CODES } from '../../domain/funding-eligibility';
import { applications, cohorts } from '../../enrolment.schema';
import { applicationsInDfeShape, applicationsPageInChunks, applicationsPageText, inDfeShapeSelect } from './application.presenter';

const t = useTestApp();
const f = factoriesFor(t);

type Presented = { id: string; type: string; attributes: Record<string, unknown> };
const presented = async (ids: string[]): Promise<Presented[]> => (await applicationsInDfeShape(t.database.db)(ids)).map((text) => JSON.parse(text));

/** An application stored as given, beside the columns every application has. */
async function stored(columns: Partial<typeof applications.$inferInsert>): Promise<string> {
  const [cohort] = await t.database.db.select().from(cohorts).where(eq(cohorts.identifier, '2026a'));
  const [row] = await t.database.db
    .insert(applications)
    .values({ courseIdentifier: 'npq-headship', fullName: 'Ada Lovelace', email: `ada${Math.random()}@school.test`, status: 'pending', cohortId: cohort?.id ?? null, ...columns })
    .returning({ id: applications.id });
  return row!.id;
}

describe('applications in DfE’s shape, written by PostgreSQL', () => {
  it('works out each attribute DfE reads from our columns', async () => {
    const at = new Date(FROZEN_NOW);
    const pending = await stored({ newHeadteacher: true, workSetting: 'a_school', worksInEngland: true, employmentType: 'lead_mentor_for_accredited_itt_provider', eligibleForFunding: true, fundingStatusCode: 'funded', schoolUrn: '140002', createdAt: at, updatedAt: new Date(at.getTime() + 1) });
    const previouslyFunded = await stored({ email: '', workSetting: 'early_years_or_childcare', worksInEngland: false, employmentType: 'other', eligibleForFunding: false, fundingStatusCode: 'previously_funded' });
    const establishment = await stored({ status: 'rejected', reasonForRejection: 'rejected_by_provider', eligibleForFunding: false, fundingStatusCode: 'ineligible_establishment_not_a_pp50' });
    const withdrawn = await stored({ status: 'withdrawn', reasonForRejection: 'withdrawn_by_applicant', eligibleForFunding: false, fundingStatusCode: 'not_in_england', cohortId: null });

    const [a, b, c, d] = await presented([pending, previouslyFunded, establishment, withdrawn]);
    expect(a).toMatchObject({ id: pending, type: 'npq_application' });
    expect(a!.attributes).toMatchObject({
      headteacher_status: 'yes_in_first_five_years',
      works_in_school: true,
      teacher_catchment: true,
      teacher_catchment_country: 'England',
      teacher_catchment_iso_country_code: 'GBR',
      lead_mentor: true,
      eligible_for_funding: true,
      ineligible_for_funding_reason: null,
      school_urn: '140002',
      status: 'pending',
      reason_for_rejection: null,
      cohort: '2026',
      cohort_suffix: 'a',
      participant_id: pending,
      email_validated: false,
      created_at: at.toISOString(),
      updated_at: new Date(at.getTime() + 1).toISOString(),
      school_approval: 'not_requested',
      gateway: 'not_required',
      training_status: null,
      funded_place: null,
      on_waiting_list: false,
      withdrawn_by_applicant: false,
      schedule_identifier: null,
    });
    expect(b!.attributes).toMatchObject({ email: null, headteacher_status: 'no', works_in_school: false, teacher_catchment: false, teacher_catchment_country: null, lead_mentor: false, ineligible_for_funding_reason: 'previously-funded', school_urn: '' });
    expect(c!.attributes).toMatchObject({ status: 'rejected', reason_for_rejection: 'rejected_by_provider', ineligible_for_funding_reason: 'establishment-ineligible', lead_mentor: null, teacher_catchment: null });
    // DfE has no "withdrawn": rejected, with no made-up reason, and ours beside it.
    expect(d!.attributes).toMatchObject({ status: 'rejected', reason_for_rejection: null, withdrawn_by_applicant: true, ineligible_for_funding_reason: null, cohort: null, cohort_suffix: '' });
    for (const p of [a, b, c, d]) expectMatchesDfeSchema('ApplicationResponse', { data: p });
  });

  it('gives DfE’s reason for no funding as the domain’s rule does, for every code and for codes from elsewhere', async () => {
    const codes = [...FUNDING_STATUS_CODES, 'legacy_establishment_closed', 'a_code_from_elsewhere'];
    const ids: string[] = [];
    for (const code of codes) ids.push(await stored({ eligibleForFunding: false, fundingStatusCode: code }));
    const eligible = await stored({ eligibleForFunding: true, fundingStatusCode: 'funded' });
    const reasons = (await presented([...ids, eligible])).map((p) => p.attributes.ineligible_for_funding_reason);
    expect(reasons).toEqual([...codes.map((code) => ineligibleForFundingReason(code, false)), null]);
  });

  it('shows an accepted application’s enrolment, its intake’s schedule and its participant', async () => {
    const { application } = await f.anAcceptedApplication({ course: 'npq-senior-leadership', fundedPlace: true });
    const intake = await f.theIntake('npq-senior-leadership');
    const [p] = await presented([application.id]);
    expect(p!.attributes).toMatchObject({ status: 'accepted', training_status: 'active', intake_id: intake.id, schedule_identifier: intake.schedule, school_approval: 'approved', email_validated: true });
    expect(p!.attributes.participant_id).toBe(application.participantId);
    expectMatchesDfeSchema('ApplicationResponse', { data: p });
  });

  it('writes a page in the order of its ids, leaving out ids not found', async () => {
    const ids = [await stored({ fullName: 'First' }), await stored({ fullName: 'Second' }), await stored({ fullName: 'Third' })];
    const asked = [ids[2]!, '00000000-0000-4000-8000-000000000000', ids[0]!, ids[1]!];
    expect((await presented(asked)).map((p) => p.attributes.full_name)).toEqual(['Third', 'First', 'Second']);
    expect(await applicationsInDfeShape(t.database.db)([])).toEqual([]);
  });

  it('writes a streamed page as the very text of the whole page', async () => {
    const ids = [await stored({}), await stored({}), await stored({})];
    const inDfeShape = applicationsInDfeShape(t.database.db);
    const meta = { total: 3, total_pages: 1, page: 1, per_page: 3000 };
    const chunks: string[] = [];
    for await (const c of applicationsPageInChunks([ids.slice(0, 2), [], ['00000000-0000-4000-8000-000000000000'], ids.slice(2)], inDfeShape, meta)) chunks.push(c);
    expect(chunks.join('')).toBe(applicationsPageText(await inDfeShape(ids), meta));
    expect(JSON.parse(chunks.join('')).data).toHaveLength(3);
    const empty: string[] = [];
    for await (const c of applicationsPageInChunks([], inDfeShape, meta)) empty.push(c);
    expect(empty.join('')).toBe(JSON.stringify({ data: [], meta }));
  });

  it('looks up an application’s intake once for its schedule, not once each time the schedule is named', async () => {
    // The schedule is the only attribute read from the intake; its case names it twice, which a
    // pulled-up subquery turned into two look-ups a row (6,000 on a page of 3,000).
    const reads = await planReadsOf(t.database.db, inDfeShapeSelect(t.database.db, sql`'{}'`).getSQL(), 'intakes');
    expect(reads).toBe(1);
  });
});

