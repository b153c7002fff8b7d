import type { ApplicationKnownToDfe } from '../../enrolment/enrolment.queries';

/*
 * Reconciliation (issue 13 item 6): the platform's records set beside DfE's, read whole, and every
 * difference named with what each side holds and the action that fixes it, in words and where. Pure:
 * both sides are given. A change the platform has recorded and not yet got to DfE (a pending change, an
 * approved declaration, a void asked for) is not a difference but on its way, and is said to be.
 */

/** What a difference is about (issue 13 item 6's list): a participant's place, training status, schedule (and cohort), funded place, or a declaration. */
export const DIFFERENCE_KINDS = ['participant', 'status', 'schedule', 'funded_place', 'declaration'] as const;
export type DifferenceKind = (typeof DIFFERENCE_KINDS)[number];

/** Each kind in the admin's words. */
export const DIFFERENCE_KIND_NAMES: Record<DifferenceKind, string> = { participant: 'Participants', status: 'Training statuses', schedule: 'Schedules and cohorts', funded_place: 'Funded places', declaration: 'Declarations' };

type TrainingStatus = NonNullable<ApplicationKnownToDfe['trainingStatus']>;

/**
 * One of the platform's applications DfE holds (its DfE id known), any status, as enrolment gives it:
 * the platform's status, the place's training status, the schedule the platform names (its intake's;
 * null when it names none, and DfE's own stands) and the funded place.
 */
export type PlatformApplication = ApplicationKnownToDfe;

/** A declaration the platform made or means to make: its state in the platform and what it last read of DfE's. */
export interface PlatformDeclaration {
  id: string;
  applicationId: string;
  declarationType: string;
  /** `proposed`, `approved` (on its way), `sent`, `refused`, `dismissed`. */
  state: string;
  dfeDeclarationId: string | null;
  /** DfE's state as last read (dashes: `awaiting-clawback`). */
  dfeState: string | null;
  voidRequested: boolean;
  voided: boolean;
}

/** A change the platform recorded for DfE (`dfe_changes`) that DfE does not have: still `pending`, or `refused` (and not dismissed). */
export interface PlatformChange {
  applicationId: string;
  kind: 'accept' | 'reject' | 'defer' | 'resume' | 'withdraw' | 'change_funded_place' | 'change_schedule';
  state: 'pending' | 'refused';
}

/** The platform's side, read whole. */
export interface PlatformSide {
  applications: readonly PlatformApplication[];
  declarations: readonly PlatformDeclaration[];
  changes: readonly PlatformChange[];
}

/** An `npq_application` as DfE lists it to the provider (docs/dfe-api.md §1.1). */
export interface DfeApplication {
  id: string;
  participantId: string;
  fullName: string;
  courseIdentifier: string;
  /** With its suffix (`2025a`). */
  cohort: string;
  status: 'pending' | 'accepted' | 'rejected';
  reasonForRejection: string | null;
  fundedPlace: boolean | null;
  schedule: string | null;
}

/** One of a participant's `npq_enrolments` (§1.2): an application accepted with the provider. */
export interface DfeEnrolment {
  applicationId: string;
  courseIdentifier: string;
  cohort: string;
  schedule: string | null;
  trainingStatus: TrainingStatus;
  fundedPlace: boolean | null;
}

/** An `npq-participant` as DfE lists it to the provider (§1.2). */
export interface DfeParticipant {
  id: string;
  fullName: string;
  enrolments: readonly DfeEnrolment[];
}

/** A `participant-declaration` as DfE lists it to the provider (§1.3): its own and, after a transfer, the previous provider's. */
export interface DfeDeclaration {
  id: string;
  participantId: string;
  applicationId: string;
  declarationType: string;
  /** With dashes (`awaiting-clawback`), whichever spelling DfE sent (§6 rule 15). */
  state: string;
  leadProviderName: string | null;
}

/** DfE's side, read whole (every page of each list). */
export interface DfeSide {
  applications: readonly DfeApplication[];
  participants: readonly DfeParticipant[];
  declarations: readonly DfeDeclaration[];
}

/** What one side holds of the record that differs, in the field's words; null when that side holds nothing of it. */
export type Holds = Record<string, string | boolean | null> | null;

/**
 * One difference: of what kind, about which of the platform's applications (null when the platform has
 * none: a transfer in) and which of DfE's records (an application's or a declaration's id), the person's
 * name, what each side holds, and the action that fixes it in words, naming where. `onItsWay`: not a
 * difference but a change the platform is still getting to DfE — said, not flagged.
 */
export interface Difference {
  kind: DifferenceKind;
  applicationId: string | null;
  dfeId: string | null;
  /** DfE's participant id, when known: searched by the page. */
  dfeParticipantId: string | null;
  name: string;
  platform: Holds;
  dfe: Holds;
  action: string;
  onItsWay: boolean;
}

/** How many of each kind a run found, differences and changes on their way apart, and how many records it compared. */
export interface ReconciliationCounts {
  compared: { applications: number; participants: number; declarations: number; platformApplications: number; platformDeclarations: number };
  differences: Record<DifferenceKind, number>;
  onItsWay: Record<DifferenceKind, number>;
}

/** DfE's states in which a declaration stands for its event (§2.4 item 11, and `ineligible`). */
const STANDING = ['submitted', 'eligible', 'payable', 'paid', 'ineligible'];
/** DfE's states of a declaration voided that pays nothing and stands for nothing: one the platform never knew is no difference. */
const SPENT = ['voided', 'clawed-back'];

/** DfE's declaration state with dashes, whichever spelling came (DfE's code dashes, its document underscores: §1.3, §6 rule 15). */
export const dashedState = (state: string | null | undefined): string | null => (state ? state.replace(/_/g, '-') : null);

const STATUS_WORDS: Record<TrainingStatus, string> = { active: 'active', deferred: 'deferred', withdrawn: 'withdrawn' };
const yesNo = (v: boolean | null) => (v === null ? 'not set' : v ? 'yes' : 'no');
const TYPE_WORDS: Record<string, string> = { started: 'started', 'retained-1': 'retained 1', 'retained-2': 'retained 2', completed: 'completed' };
const typeWords = (t: string) => TYPE_WORDS[t] ?? t;

const APPLICATION_PAGE = 'their application page';
const DFE_PAGE = '“Changes DfE does not have” on /admin/dfe';
const DECLARATIONS_PAGE = 'the declarations page (/admin/dfe/declarations)';

/** The change the platform is getting to DfE, of these kinds, for an application; or the one DfE refused. */
function changeOf(changes: ReadonlyMap<string, PlatformChange[]>, applicationId: string, kinds: readonly PlatformChange['kind'][], state: PlatformChange['state']): PlatformChange | undefined {
  return changes.get(applicationId)?.find((c) => c.state === state && kinds.includes(c.kind));
}

const CHANGE_WORDS: Record<PlatformChange['kind'], string> = { accept: 'acceptance', reject: 'rejection', defer: 'deferral', resume: 'resumption', withdraw: 'withdrawal', change_funded_place: 'change of funded place', change_schedule: 'change of schedule' };

/** The words for a change on its way. */
const onItsWayWords = (c: PlatformChange) => `On its way: the platform’s ${CHANGE_WORDS[c.kind]} is being sent to DfE, which does not show it yet. Nothing to do; see ${DFE_PAGE} if it stays.`;

/** Added to an action when DfE refused the platform's change of these kinds: where DfE's words are. */
const refusedWords = (c: PlatformChange | undefined) => (c ? ` DfE refused the platform’s ${CHANGE_WORDS[c.kind]}: its words are under ${DFE_PAGE}.` : '');

/** What to do when the two sides hold different training statuses (§4.1: resume works from deferred and withdrawn; §1.2: DfE defers only with a declaration and withdraws only with a started one). */
function statusAction(dfe: TrainingStatus, platform: TrainingStatus): string {
  const said = `DfE shows them ${STATUS_WORDS[dfe]}; the platform ${STATUS_WORDS[platform]}: `;
  if (platform === 'active') {
    return `${said}if they are training, resume them at DfE — the platform sends a resumption when one is made, so on ${APPLICATION_PAGE} ${dfe === 'deferred' ? 'defer and resume them' : 'ask DfE to resume them (DfE resumes withdrawn participants, docs/dfe-api.md §4.1), or defer and resume them there'}; if they ${dfe === 'deferred' ? 'deferred' : 'left'}, ${dfe === 'deferred' ? 'defer' : 'withdraw'} them on ${APPLICATION_PAGE}.`;
  }
  if (dfe === 'active') {
    return `${said}the platform’s ${platform === 'deferred' ? 'deferral' : 'withdrawal'} has not reached DfE, which ${platform === 'deferred' ? 'defers only a participant with a declaration' : 'withdraws only a participant with a started declaration'} (docs/dfe-api.md §1.2): send the declaration from ${DECLARATIONS_PAGE}, then ${platform === 'deferred' ? 'defer' : 'withdraw'} them again on ${APPLICATION_PAGE}; or ask DfE.`;
  }
  if (dfe === 'withdrawn') return `${said}DfE (or their previous provider, docs/dfe-api.md §4.4) withdrew them: if they left, withdraw them on ${APPLICATION_PAGE}; if not, ask DfE to resume them.`;
  return `${said}the platform’s withdrawal has not reached DfE, which withdraws only a participant with a started declaration (docs/dfe-api.md §1.2): send it from ${DECLARATIONS_PAGE}, or ask DfE.`;
}

/**
 * The differences between the platform and DfE (issue 13 item 6), each with the action that fixes it,
 * and the changes on their way. Applications are matched on DfE's application id (stable across merges
 * and transfers: docs/dfe-api.md §6 rule 1), declarations on DfE's declaration id, and else on the
 * application and type. Compared, for each of the platform's applications DfE holds:
 *
 * - participant: accepted in the platform and no longer shown by DfE (transferred to another provider,
 *   §4.4, or removed); shown by DfE pending, rejected or accepted where the platform holds otherwise
 *   (accepted, or rejected where DfE shows it pending or accepted);
 *   known by another participant id at DfE (a merge, §4.5); listed accepted among DfE's applications and
 *   not among its participants (DfE's lists disagree); and DfE's accepted participants the platform
 *   never had (a transfer in);
 * - status, schedule (and cohort), funded place: of each place both hold, the platform's against the
 *   enrolment DfE lists (§1.2) — a schedule only where the platform names one (else DfE's default
 *   stands), not for a participant withdrawn in both (DfE refuses a change then, §4.3); a funded place
 *   only where the platform holds one;
 * - declaration: one the platform sent that DfE does not list, DfE's state against the platform's last
 *   read, one DfE holds that the platform did not make (standing, or awaiting clawback), and one the
 *   platform proposes that DfE already holds.
 *
 * A pending change of the same kind (dfe_changes), an approved declaration or a void asked for makes a
 * difference `onItsWay`. The order: by kind, then name.
 */
export function reconcile(platform: PlatformSide, dfe: DfeSide): Difference[] {
  const out: Difference[] = [];
  const changes = new Map<string, PlatformChange[]>();
  for (const c of platform.changes) changes.set(c.applicationId, [...(changes.get(c.applicationId) ?? []), c]);
  const dfeApplications = new Map(dfe.applications.map((a) => [a.id, a]));
  const enrolments = new Map<string, { participant: DfeParticipant; enrolment: DfeEnrolment }>();
  for (const p of dfe.participants) for (const e of p.enrolments) enrolments.set(e.applicationId, { participant: p, enrolment: e });
  const platformByDfeId = new Map(platform.applications.map((a) => [a.dfeApplicationId, a]));
  const platformById = new Map(platform.applications.map((a) => [a.applicationId, a]));

  const add = (d: Omit<Difference, 'onItsWay' | 'dfeParticipantId'> & { dfeParticipantId?: string | null; onItsWay?: PlatformChange | boolean | undefined }) => {
    const way = d.onItsWay;
    out.push({ ...d, dfeParticipantId: d.dfeParticipantId ?? null, onItsWay: Boolean(way), action: typeof way === 'object' ? onItsWayWords(way) : d.action });
  };

  for (const p of platform.applications) {
    const a = dfeApplications.get(p.dfeApplicationId);
    const held = enrolments.get(p.dfeApplicationId);
    const base = { applicationId: p.applicationId, dfeId: p.dfeApplicationId, name: p.fullName, dfeParticipantId: held?.participant.id ?? a?.participantId ?? p.dfeParticipantId };
    const dfeStatus = a?.status ?? (held ? 'accepted' : null);
    // The application's standing: what DfE shows against what the platform decided.
    if (p.status === 'accepted' && dfeStatus === null) {
      add({ ...base, kind: 'participant', platform: { status: 'accepted', trainingStatus: p.trainingStatus }, dfe: null, action: `DfE no longer shows this participant to you: they transferred to another provider (docs/dfe-api.md §4.4), or DfE removed the application — the platform no longer proposes or sends declarations for them (DfE answered 404 for it); if they left, withdraw them on ${APPLICATION_PAGE}; if not, ask DfE.` });
      continue;
    }
    if (p.status === 'accepted' && dfeStatus !== 'accepted') {
      const accept = changeOf(changes, p.applicationId, ['accept'], 'pending');
      const action =
        dfeStatus === 'rejected'
          ? `DfE shows the application rejected${a?.reasonForRejection ? ` (${a.reasonForRejection.replace(/_/g, ' ')})` : ''}; the platform accepted it: another provider’s acceptance rejects yours (docs/dfe-api.md §6 rule 20) — if they are not training with you, withdraw them on ${APPLICATION_PAGE}; if they are, ask DfE.`
          : `DfE shows the application pending; the platform accepted it: DfE may have put it back to pending (docs/dfe-api.md §6 rule 20), or the platform’s acceptance has not reached DfE — ask DfE.${refusedWords(changeOf(changes, p.applicationId, ['accept'], 'refused'))}`;
      add({ ...base, kind: 'participant', platform: { status: 'accepted' }, dfe: { status: dfeStatus }, action, onItsWay: accept });
      continue;
    }
    if (p.status !== 'accepted' && dfeStatus === 'accepted') {
      const reject = p.status === 'rejected' ? changeOf(changes, p.applicationId, ['reject'], 'pending') : undefined;
      const action =
        p.status === 'rejected'
          ? `DfE shows the application accepted; the platform rejected it: if they are not training with you, ask DfE to reject it (DfE rejects an accepted application without declarations, docs/dfe-api.md §1.1); if they are, reopen and accept it on ${APPLICATION_PAGE}.${refusedWords(changeOf(changes, p.applicationId, ['reject'], 'refused'))}`
          : `DfE shows the application accepted; the platform has it ${p.status}: accept it on ${APPLICATION_PAGE} if they are training with you; if not, ask DfE.`;
      add({ ...base, kind: 'participant', platform: { status: p.status }, dfe: { status: 'accepted', trainingStatus: held?.enrolment.trainingStatus ?? null }, action, onItsWay: reject });
      continue;
    }
    if (p.status === 'rejected' && dfeStatus === 'pending') {
      add({ ...base, kind: 'participant', platform: { status: 'rejected' }, dfe: { status: 'pending' }, action: `DfE shows the application pending; the platform rejected it: the platform’s rejection has not reached DfE, which still waits for your decision — ask DfE to reject it.${refusedWords(changeOf(changes, p.applicationId, ['reject'], 'refused'))}`, onItsWay: changeOf(changes, p.applicationId, ['reject'], 'pending') });
      continue;
    }
    if (p.status !== 'accepted') continue;
    if (!held) {
      // Accepted in DfE's applications, absent from its participants: DfE's two lists disagree (its pages have dropped records: §6 rule 2).
      add({ ...base, kind: 'participant', platform: { status: 'accepted', trainingStatus: p.trainingStatus }, dfe: { status: 'accepted', participantId: a?.participantId ?? null }, action: 'DfE lists the application accepted but not the participant among yours: DfE’s lists disagree (its pages have dropped records, docs/dfe-api.md §6 rule 2) — the next comparison reads both again; if it stays, ask DfE.' });
      continue;
    }
    const e = held.enrolment;
    // Known by another participant id: DfE merged two identities (§4.5), which the participants pull applies.
    if (p.dfeParticipantId && p.dfeParticipantId !== held.participant.id) {
      add({ ...base, kind: 'participant', platform: { participantId: p.dfeParticipantId }, dfe: { participantId: held.participant.id }, action: `DfE knows them as participant ${held.participant.id}; the platform as ${p.dfeParticipantId}: DfE merged two identities (docs/dfe-api.md §4.5) — the participants pull moves them within 5 minutes; if it cannot (another person in the platform holds DfE’s id), it is listed under “Records not taken in” on /admin/dfe: check with DfE which person is which.` });
    }
    if (p.trainingStatus && p.trainingStatus !== e.trainingStatus) {
      const way = changeOf(changes, p.applicationId, ['defer', 'resume', 'withdraw'], 'pending');
      add({ ...base, kind: 'status', platform: { trainingStatus: p.trainingStatus }, dfe: { trainingStatus: e.trainingStatus }, action: statusAction(e.trainingStatus, p.trainingStatus) + refusedWords(changeOf(changes, p.applicationId, ['defer', 'resume', 'withdraw'], 'refused')), onItsWay: way });
    }
    const bothWithdrawn = p.trainingStatus === 'withdrawn' && e.trainingStatus === 'withdrawn';
    if (p.cohort && p.cohort !== e.cohort) {
      add({ ...base, kind: 'schedule', platform: { cohort: p.cohort, schedule: p.schedule }, dfe: { cohort: e.cohort, schedule: e.schedule }, action: `DfE has them in cohort ${e.cohort}; the platform in ${p.cohort}: DfE moved their cohort (it has done so without any record changing, docs/dfe-api.md §5.4) — ask DfE to move them back, or, if DfE is right, move them to an intake of cohort ${e.cohort} on ${APPLICATION_PAGE}.` });
    } else if (p.schedule && p.schedule !== e.schedule && !bothWithdrawn) {
      const way = changeOf(changes, p.applicationId, ['change_schedule'], 'pending');
      add({ ...base, kind: 'schedule', platform: { schedule: p.schedule }, dfe: { schedule: e.schedule }, action: `DfE has them on ${e.schedule ?? 'no schedule'}; their intake’s schedule is ${p.schedule}: the platform tells DfE when they move intake — move them on ${APPLICATION_PAGE}, or put the intake’s schedule right. DfE refuses a change that would invalidate declarations made: void those first (docs/dfe-api.md §4.3).${refusedWords(changeOf(changes, p.applicationId, ['change_schedule'], 'refused'))}`, onItsWay: way });
    }
    const dfeFunded = a ? a.fundedPlace : e.fundedPlace;
    if (p.fundedPlace !== null && p.fundedPlace !== dfeFunded) {
      const way = changeOf(changes, p.applicationId, ['change_funded_place'], 'pending');
      add({ ...base, kind: 'funded_place', platform: { fundedPlace: yesNo(p.fundedPlace) }, dfe: { fundedPlace: yesNo(dfeFunded) }, action: `DfE shows funded place: ${yesNo(dfeFunded)}; the platform: ${yesNo(p.fundedPlace)} — change it on ${APPLICATION_PAGE}, which tells DfE (set it to what is right: it decides whether DfE pays). DfE refuses a change once declarations are submitted: void them first, change it, then declare again (docs/dfe-api.md §6 rule 8).${refusedWords(changeOf(changes, p.applicationId, ['change_funded_place'], 'refused'))}`, onItsWay: way });
    }
  }

  // Accepted at DfE, never in the platform: moved to the provider from another (§4.4).
  const seenAccepted = new Set<string>();
  const transferIn = (applicationId: string, participantId: string, name: string, course: string, cohort: string, status: string | null) => {
    if (platformByDfeId.has(applicationId) || seenAccepted.has(applicationId)) return;
    seenAccepted.add(applicationId);
    add({ kind: 'participant', applicationId: null, dfeId: applicationId, dfeParticipantId: participantId, name, platform: null, dfe: { status: 'accepted', course, cohort, trainingStatus: status }, action: `DfE shows ${name} accepted with you on ${course} (cohort ${cohort}), but the platform never had them: they transferred to you from another provider (docs/dfe-api.md §4.4) — the applications pull takes them in as accepted; if it has not by the next run, see “Records not taken in” on /admin/dfe for why.` });
  };
  for (const p of dfe.participants) for (const e of p.enrolments) transferIn(e.applicationId, p.id, p.fullName, e.courseIdentifier, e.cohort, e.trainingStatus);
  for (const a of dfe.applications) if (a.status === 'accepted') transferIn(a.id, a.participantId, a.fullName, a.courseIdentifier, a.cohort, null);

  // Declarations: the platform's against DfE's, by DfE's id, else by application and type.
  const dfeDeclarations = new Map(dfe.declarations.map((d) => [d.id, d]));
  // DfE's standing declarations by application and type: found without a pass over every one (100,000 places hold ~400,000).
  const standing = new Map<string, DfeDeclaration[]>();
  for (const x of dfe.declarations) if (STANDING.includes(x.state)) standing.set(`${x.applicationId} ${x.declarationType}`, [...(standing.get(`${x.applicationId} ${x.declarationType}`) ?? []), x]);
  const matched = new Set<string>();
  for (const d of platform.declarations) {
    const p = platformById.get(d.applicationId);
    if (!p) continue;
    const base = { kind: 'declaration' as const, applicationId: d.applicationId, name: p.fullName, dfeParticipantId: p.dfeParticipantId };
    const twin = standing.get(`${p.dfeApplicationId} ${d.declarationType}`)?.find((x) => !matched.has(x.id) && (!d.dfeDeclarationId || x.id === d.dfeDeclarationId));
    if (d.state === 'approved') {
      // The sender reads DfE first and takes a twin as this one (send-declarations): on its way either way.
      if (twin) matched.add(twin.id);
      add({ ...base, dfeId: twin?.id ?? null, platform: { declaration: typeWords(d.declarationType), state: 'approved' }, dfe: twin ? { declaration: typeWords(twin.declarationType), state: twin.state } : null, action: `On its way: the platform’s ${typeWords(d.declarationType)} declaration is approved and being sent to DfE. Nothing to do; see ${DECLARATIONS_PAGE} (“Being sent”) if it stays.`, onItsWay: true });
      continue;
    }
    if (d.state !== 'sent') {
      if (twin && (d.state === 'proposed' || d.state === 'refused')) {
        matched.add(twin.id);
        add({ ...base, dfeId: twin.id, platform: { declaration: typeWords(d.declarationType), state: d.state }, dfe: { declaration: typeWords(twin.declarationType), state: twin.state, by: twin.leadProviderName }, action: `DfE already holds a ${typeWords(d.declarationType)} declaration for this place (${twin.state}), which the platform did not send: made by hand, by DfE (docs/dfe-api.md §6 rule 7) or by their previous provider (§4.4). If it is right, approving the platform’s takes DfE’s as its own without sending again; if it is wrong, ask DfE — on ${DECLARATIONS_PAGE}.` });
      }
      continue;
    }
    const at = d.dfeDeclarationId ? dfeDeclarations.get(d.dfeDeclarationId) : undefined;
    if (!at) {
      add({ ...base, dfeId: d.dfeDeclarationId, platform: { declaration: typeWords(d.declarationType), state: d.voided ? 'voided' : (d.dfeState ?? 'sent') }, dfe: null, action: `The platform sent this ${typeWords(d.declarationType)} declaration${d.dfeDeclarationId ? ` (DfE’s id ${d.dfeDeclarationId})` : ''}, but DfE does not list it to you: ask DfE what became of it — DfE lists every declaration you made, even after a transfer (docs/dfe-api.md §1.3). See it on ${DECLARATIONS_PAGE}.` });
      continue;
    }
    matched.add(at.id);
    const platformState = dashedState(d.dfeState);
    if (platformState !== at.state) {
      const voiding = d.voidRequested && !d.voided;
      add({
        ...base,
        dfeId: at.id,
        platform: { declaration: typeWords(d.declarationType), state: platformState },
        dfe: { declaration: typeWords(at.declarationType), state: at.state },
        action: voiding
          ? `On its way: the platform’s void of this ${typeWords(d.declarationType)} declaration is being sent to DfE. Nothing to do; see ${DECLARATIONS_PAGE} (“Being sent”) if it stays.`
          : `DfE shows it ${at.state}; the platform last read ${platformState ?? 'nothing'}: ${(SPENT.includes(at.state) || at.state === 'awaiting-clawback') && !d.voided ? 'DfE voided it (DfE voids duplicates itself, docs/dfe-api.md §6 rule 7) — ' : ''}read DfE’s states now on ${DECLARATIONS_PAGE} (“Read DfE’s states and statements now”); the pull keeps them in step every 5 minutes.`,
        onItsWay: voiding,
      });
    }
  }
  // DfE's names for its participants, for a declaration of one the platform does not hold.
  const dfeNames = new Map([...dfe.applications.map((a) => [a.participantId, a.fullName] as const), ...dfe.participants.map((x) => [x.id, x.fullName] as const)]);
  for (const x of dfe.declarations) {
    if (matched.has(x.id) || SPENT.includes(x.state)) continue;
    const p = platformByDfeId.get(x.applicationId);
    add({
      kind: 'declaration',
      applicationId: p?.applicationId ?? null,
      dfeId: x.id,
      dfeParticipantId: x.participantId,
      name: p?.fullName ?? dfeNames.get(x.participantId) ?? `DfE participant ${x.participantId}`,
      platform: null,
      dfe: { declaration: typeWords(x.declarationType), state: x.state, by: x.leadProviderName },
      action: `DfE holds a ${typeWords(x.declarationType)} declaration (${x.state}${x.leadProviderName ? `, made by ${x.leadProviderName}` : ''}) that the platform did not make: by their previous provider (docs/dfe-api.md §4.4: you see it and cannot void it — nothing to do), or by hand or by DfE (§6 rule 7) — if it is right, nothing to do (the platform takes it as its own when the evidence makes it due); if it is wrong, ask DfE.${p ? '' : ' The platform does not hold this participant: see “Records not taken in” on /admin/dfe.'}`,
    });
  }
  const order = new Map(DIFFERENCE_KINDS.map((k, i) => [k, i]));
  return out.sort((x, y) => order.get(x.kind)! - order.get(y.kind)! || x.name.localeCompare(y.name) || (x.dfeId ?? '').localeCompare(y.dfeId ?? ''));
}

/** The counts of a run: differences and changes on their way per kind, and the records compared. */
export function countsOf(differences: readonly Difference[], platform: PlatformSide, dfe: DfeSide): ReconciliationCounts {
  const zero = () => Object.fromEntries(DIFFERENCE_KINDS.map((k) => [k, 0])) as Record<DifferenceKind, number>;
  const counts: ReconciliationCounts = {
    compared: { applications: dfe.applications.length, participants: dfe.participants.length, declarations: dfe.declarations.length, platformApplications: platform.applications.length, platformDeclarations: platform.declarations.length },
    differences: zero(),
    onItsWay: zero(),
  };
  for (const d of differences) (d.onItsWay ? counts.onItsWay : counts.differences)[d.kind]++;
  return counts;
}

/**
 * Where a difference is fixed, as a link (issue 13 item 6: "the action that fixes it"): a declaration's
 * on the declarations page, searched by name, in the tab where the platform's stands; anything else about
 * an application the platform holds on its application page; the rest (a transfer in) on /admin/dfe,
 * where records not taken in are listed.
 */
export function fixLinkOf(d: Pick<Difference, 'kind' | 'applicationId' | 'name' | 'platform' | 'onItsWay'>): { href: string; text: string } {
  if (d.kind === 'declaration' && d.applicationId) {
    const state = String(d.platform?.state ?? '');
    const tab = d.onItsWay ? 'sending' : state === 'proposed' ? '' : state === 'refused' ? 'refused' : state === 'voided' ? 'voided' : 'sent';
    return { href: `/admin/dfe/declarations?${new URLSearchParams({ ...(tab ? { tab } : {}), q: d.name }).toString()}`, text: 'Their declarations' };
  }
  if (d.applicationId) return { href: `/admin/applications/${d.applicationId}`, text: 'Their application' };
  return { href: '/admin/dfe', text: 'DfE’s API: records not taken in' };
}
