import { describe, expect, it } from 'vitest';
import { countsOf, type DfeSide, fixLinkOf, type PlatformApplication, type PlatformSide, reconcile } from './reconciliation';

/** Issue 13 item 6: the platform's records beside DfE's, every difference with the action that fixes it; changes on their way said, not flagged. */

const place = (over: Partial<PlatformApplication> = {}): PlatformApplication => ({ applicationId: 'app-1', dfeApplicationId: 'dfe-app-1', dfeParticipantId: 'dfe-p-1', fullName: 'Ada Lovelace', courseIdentifier: 'npq-headship', cohort: '2026b', status: 'accepted', trainingStatus: 'active', schedule: 'npq-leadership-autumn', fundedPlace: true, ...over });
const platformOf = (over: Partial<PlatformSide> = {}): PlatformSide => ({ applications: [place()], declarations: [], changes: [], ...over });
/** DfE holding exactly what `place()` holds. */
const dfeOf = (over: { status?: 'pending' | 'accepted' | 'rejected'; trainingStatus?: 'active' | 'deferred' | 'withdrawn'; schedule?: string; cohort?: string; fundedPlace?: boolean | null; participantId?: string } = {}): DfeSide => {
  const cohort = over.cohort ?? '2026b';
  const enrolment = { applicationId: 'dfe-app-1', courseIdentifier: 'npq-headship', cohort, schedule: over.schedule ?? 'npq-leadership-autumn', trainingStatus: over.trainingStatus ?? 'active', fundedPlace: over.fundedPlace === undefined ? true : over.fundedPlace };
  const status = over.status ?? 'accepted';
  return {
    applications: [{ id: 'dfe-app-1', participantId: over.participantId ?? 'dfe-p-1', fullName: 'Ada Lovelace', courseIdentifier: 'npq-headship', cohort, status, reasonForRejection: status === 'rejected' ? 'other_application_in_this_cohort_accepted' : null, fundedPlace: enrolment.fundedPlace, schedule: enrolment.schedule }],
    participants: status === 'accepted' ? [{ id: over.participantId ?? 'dfe-p-1', fullName: 'Ada Lovelace', enrolments: [enrolment] }] : [],
    declarations: [],
  };
};
const sent = { id: 'decl-1', applicationId: 'app-1', declarationType: 'started', state: 'sent', dfeDeclarationId: 'dfe-decl-1', dfeState: 'eligible', voidRequested: false, voided: false };
const atDfe = { id: 'dfe-decl-1', participantId: 'dfe-p-1', applicationId: 'dfe-app-1', declarationType: 'started', state: 'eligible', leadProviderName: 'Northern Lights Leadership' };

describe('reconcile', () => {
  it('finds nothing when both sides agree', () => {
    const dfe = { ...dfeOf(), declarations: [atDfe] };
    const platform = platformOf({ declarations: [sent] });
    expect(reconcile(platform, dfe)).toEqual([]);
    expect(countsOf([], platform, dfe).compared).toEqual({ applications: 1, participants: 1, declarations: 1, platformApplications: 1, platformDeclarations: 1 });
  });

  it('names a participant DfE no longer shows as a transfer away, with where to withdraw them', () => {
    const [d, ...rest] = reconcile(platformOf(), { applications: [], participants: [], declarations: [] });
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ kind: 'participant', applicationId: 'app-1', dfeId: 'dfe-app-1', dfe: null, onItsWay: false });
    expect(d!.action).toContain('DfE no longer shows this participant to you: they transferred to another provider (docs/dfe-api.md §4.4)');
    expect(d!.action).toContain('withdraw them on their application page');
    expect(fixLinkOf(d!)).toEqual({ href: '/admin/applications/app-1', text: 'Their application' });
  });

  it('names a participant accepted at DfE the platform never had as a transfer in', () => {
    const dfe = dfeOf();
    const [d] = reconcile(platformOf({ applications: [] }), dfe);
    expect(d).toMatchObject({ kind: 'participant', applicationId: null, dfeId: 'dfe-app-1', platform: null, dfe: { status: 'accepted', course: 'npq-headship', cohort: '2026b', trainingStatus: 'active' } });
    expect(d!.action).toContain('transferred to you from another provider');
    expect(fixLinkOf(d!).href).toBe('/admin/dfe');
  });

  it('names an application DfE shows accepted that the platform rejected, and one DfE rejected that the platform accepted', () => {
    const [accepted] = reconcile(platformOf({ applications: [place({ status: 'rejected', trainingStatus: null })] }), dfeOf());
    expect(accepted).toMatchObject({ kind: 'participant', platform: { status: 'rejected' }, dfe: { status: 'accepted' } });
    expect(accepted!.action).toContain('ask DfE to reject it');
    const [rejected] = reconcile(platformOf(), dfeOf({ status: 'rejected' }));
    expect(rejected).toMatchObject({ kind: 'participant', platform: { status: 'accepted' }, dfe: { status: 'rejected' } });
    expect(rejected!.action).toContain('other application in this cohort accepted');
  });

  it('names an application the platform rejected that DfE still shows pending', () => {
    const rejected = platformOf({ applications: [place({ status: 'rejected', trainingStatus: null })] });
    const [d] = reconcile(rejected, dfeOf({ status: 'pending' }));
    expect(d).toMatchObject({ kind: 'participant', platform: { status: 'rejected' }, dfe: { status: 'pending' }, onItsWay: false });
    expect(reconcile({ ...rejected, changes: [{ applicationId: 'app-1', kind: 'reject', state: 'pending' }] }, dfeOf({ status: 'pending' }))[0]).toMatchObject({ onItsWay: true });
    expect(reconcile(rejected, dfeOf({ status: 'rejected' }))).toEqual([]);
  });

  it('says an acceptance or rejection still being sent is on its way, not a difference', () => {
    const [d] = reconcile(platformOf({ changes: [{ applicationId: 'app-1', kind: 'accept', state: 'pending' }] }), dfeOf({ status: 'pending' }));
    expect(d).toMatchObject({ kind: 'participant', onItsWay: true });
    expect(d!.action).toMatch(/^On its way: the platform’s acceptance is being sent to DfE/);
  });

  it('names a place DfE lists among its applications but not its participants', () => {
    const [d] = reconcile(platformOf(), { ...dfeOf(), participants: [] });
    expect(d).toMatchObject({ kind: 'participant', dfe: { status: 'accepted', participantId: 'dfe-p-1' } });
    expect(d!.action).toContain('DfE’s lists disagree');
  });

  it('names a participant DfE knows by another id (a merge)', () => {
    const [d] = reconcile(platformOf(), dfeOf({ participantId: 'dfe-p-2' }));
    expect(d).toMatchObject({ kind: 'participant', platform: { participantId: 'dfe-p-1' }, dfe: { participantId: 'dfe-p-2' }, dfeParticipantId: 'dfe-p-2' });
    expect(d!.action).toContain('docs/dfe-api.md §4.5');
  });

  it('names a training status that differs, with the way to put it right each way round', () => {
    const [deferredAtDfe] = reconcile(platformOf(), dfeOf({ trainingStatus: 'deferred' }));
    expect(deferredAtDfe).toMatchObject({ kind: 'status', platform: { trainingStatus: 'active' }, dfe: { trainingStatus: 'deferred' } });
    expect(deferredAtDfe!.action).toMatch(/^DfE shows them deferred; the platform active: if they are training, resume them at DfE/);
    const [withdrawnHere] = reconcile(platformOf({ applications: [place({ trainingStatus: 'withdrawn' })] }), dfeOf());
    expect(withdrawnHere!.action).toContain('withdraws only a participant with a started declaration (docs/dfe-api.md §1.2)');
    const [refused] = reconcile(platformOf({ applications: [place({ trainingStatus: 'deferred' })], changes: [{ applicationId: 'app-1', kind: 'defer', state: 'refused' }] }), dfeOf());
    expect(refused!.action).toContain('DfE refused the platform’s deferral: its words are under “Changes DfE does not have” on /admin/dfe');
    const [onItsWay] = reconcile(platformOf({ applications: [place({ trainingStatus: 'deferred' })], changes: [{ applicationId: 'app-1', kind: 'defer', state: 'pending' }] }), dfeOf());
    expect(onItsWay).toMatchObject({ kind: 'status', onItsWay: true });
  });

  it('names a schedule or cohort that differs, but not a schedule the platform does not name, nor one of a participant withdrawn on both sides', () => {
    const [schedule] = reconcile(platformOf(), dfeOf({ schedule: 'npq-leadership-spring' }));
    expect(schedule).toMatchObject({ kind: 'schedule', platform: { schedule: 'npq-leadership-autumn' }, dfe: { schedule: 'npq-leadership-spring' } });
    expect(schedule!.action).toContain('docs/dfe-api.md §4.3');
    const [cohort] = reconcile(platformOf(), dfeOf({ cohort: '2026a' }));
    expect(cohort).toMatchObject({ kind: 'schedule', platform: { cohort: '2026b' }, dfe: { cohort: '2026a' } });
    expect(reconcile(platformOf({ applications: [place({ schedule: null })] }), dfeOf({ schedule: 'npq-leadership-spring' }))).toEqual([]);
    expect(reconcile(platformOf({ applications: [place({ trainingStatus: 'withdrawn' })] }), dfeOf({ schedule: 'npq-leadership-spring', trainingStatus: 'withdrawn' }))).toEqual([]);
    const [way] = reconcile(platformOf({ changes: [{ applicationId: 'app-1', kind: 'change_schedule', state: 'pending' }] }), dfeOf({ schedule: 'npq-leadership-spring' }));
    expect(way).toMatchObject({ kind: 'schedule', onItsWay: true });
  });

  it('names a funded place that differs, but not where the platform holds none', () => {
    const [d] = reconcile(platformOf(), dfeOf({ fundedPlace: false }));
    expect(d).toMatchObject({ kind: 'funded_place', platform: { fundedPlace: 'yes' }, dfe: { fundedPlace: 'no' } });
    expect(d!.action).toContain('§6 rule 8');
    expect(reconcile(platformOf({ applications: [place({ fundedPlace: null })] }), dfeOf({ fundedPlace: false }))).toEqual([]);
    expect(reconcile(platformOf({ changes: [{ applicationId: 'app-1', kind: 'change_funded_place', state: 'pending' }] }), dfeOf({ fundedPlace: false }))[0]).toMatchObject({ onItsWay: true });
  });

  it('names a declaration sent that DfE lacks, one DfE holds the platform did not make, and states that differ', () => {
    const [lacks] = reconcile(platformOf({ declarations: [sent] }), dfeOf());
    expect(lacks).toMatchObject({ kind: 'declaration', dfeId: 'dfe-decl-1', platform: { declaration: 'started', state: 'eligible' }, dfe: null });
    expect(lacks!.action).toContain('DfE does not list it to you');
    expect(fixLinkOf(lacks!).href).toBe('/admin/dfe/declarations?tab=sent&q=Ada+Lovelace');
    const [made] = reconcile(platformOf(), { ...dfeOf(), declarations: [{ ...atDfe, leadProviderName: 'Another Provider' }] });
    expect(made).toMatchObject({ kind: 'declaration', applicationId: 'app-1', platform: null, dfe: { declaration: 'started', state: 'eligible', by: 'Another Provider' } });
    expect(made!.action).toContain('that the platform did not make');
    const [state] = reconcile(platformOf({ declarations: [sent] }), { ...dfeOf(), declarations: [{ ...atDfe, state: 'voided' }] });
    expect(state).toMatchObject({ kind: 'declaration', platform: { state: 'eligible' }, dfe: { state: 'voided' } });
    expect(state!.action).toContain('DfE voided it');
    // A voided one the platform never knew stands for nothing.
    expect(reconcile(platformOf(), { ...dfeOf(), declarations: [{ ...atDfe, state: 'voided' }] })).toEqual([]);
  });

  it('says an approved declaration and a void asked for are on their way', () => {
    const approved = { ...sent, state: 'approved', dfeDeclarationId: null, dfeState: null };
    const [d] = reconcile(platformOf({ declarations: [approved] }), dfeOf());
    expect(d).toMatchObject({ kind: 'declaration', onItsWay: true, dfe: null });
    expect(d!.action).toMatch(/^On its way/);
    // DfE already has it (a send whose answer was lost): the sender takes it, and DfE's is not a second difference.
    expect(reconcile(platformOf({ declarations: [approved] }), { ...dfeOf(), declarations: [atDfe] })).toHaveLength(1);
    const [voiding] = reconcile(platformOf({ declarations: [{ ...sent, voidRequested: true }] }), { ...dfeOf(), declarations: [atDfe] });
    expect(voiding).toBeUndefined();
    const [asked] = reconcile(platformOf({ declarations: [{ ...sent, voidRequested: true, dfeState: 'eligible' }] }), { ...dfeOf(), declarations: [{ ...atDfe, state: 'payable' }] });
    expect(asked).toMatchObject({ onItsWay: true });
    const counts = countsOf([d!], platformOf(), dfeOf());
    expect(counts.onItsWay.declaration).toBe(1);
    expect(counts.differences.declaration).toBe(0);
  });

  it('names a proposal for a declaration DfE already holds', () => {
    const [d] = reconcile(platformOf({ declarations: [{ ...sent, state: 'proposed', dfeDeclarationId: null, dfeState: null }] }), { ...dfeOf(), declarations: [atDfe] });
    expect(d).toMatchObject({ kind: 'declaration', dfeId: 'dfe-decl-1', platform: { state: 'proposed' } });
    expect(d!.action).toContain('DfE already holds a started declaration');
    expect(fixLinkOf(d!).href).toBe('/admin/dfe/declarations?q=Ada+Lovelace');
  });

  it('compares 20,000 places and 80,000 declarations in one pass each, not each against all', () => {
    const n = 20_000;
    const types = ['started', 'retained-1', 'retained-2', 'completed'];
    const applications = Array.from({ length: n }, (_, i) => place({ applicationId: `app-${i}`, dfeApplicationId: `dfe-app-${i}`, dfeParticipantId: `dfe-p-${i}`, fullName: `Person ${i}` }));
    const declarations = applications.flatMap((a, i) => types.map((type) => ({ ...sent, id: `decl-${i}-${type}`, applicationId: a.applicationId, declarationType: type, dfeDeclarationId: `dfe-decl-${i}-${type}` })));
    const dfe: DfeSide = {
      applications: applications.map((a, i) => ({ id: a.dfeApplicationId, participantId: `dfe-p-${i}`, fullName: a.fullName, courseIdentifier: 'npq-headship', cohort: '2026b', status: 'accepted', reasonForRejection: null, fundedPlace: true, schedule: 'npq-leadership-autumn' })),
      participants: applications.map((a, i) => ({ id: `dfe-p-${i}`, fullName: a.fullName, enrolments: [{ applicationId: a.dfeApplicationId, courseIdentifier: 'npq-headship', cohort: '2026b', schedule: 'npq-leadership-autumn', trainingStatus: 'active', fundedPlace: true }] })),
      declarations: declarations.map((d, i) => ({ ...atDfe, id: d.dfeDeclarationId, participantId: `dfe-p-${Math.floor(i / 4)}`, applicationId: `dfe-app-${Math.floor(i / 4)}`, declarationType: d.declarationType })),
    };
    const started = performance.now();
    expect(reconcile({ applications, declarations, changes: [] }, dfe)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('reads DfE’s underscored states as its dashed ones', () => {
    const platform = platformOf({ declarations: [{ ...sent, dfeState: 'awaiting-clawback' }] });
    expect(reconcile(platform, { ...dfeOf(), declarations: [{ ...atDfe, state: 'awaiting-clawback' }] })).toEqual([]);
  });
});
