import { bindUseCases } from '../platform/use-cases';
import type { EngagementDeps } from './engagement.context';
import { cohortIdOf, engagementChoices, engagementExportPage, engagementList, engagementNames } from './lists/engagement-lists';
import { engagementOfDfeParticipant, engagementOfParticipant, myEngagement } from './participants/my-engagement';
import { refreshEngagement, refreshEngagementIfDue } from './snapshots/refresh-engagement';
import { sendRiskDigests } from './early-warning/digest';
import { followUpsOf, recordFollowUp, undoFollowUp } from './early-warning/follow-ups';

/** Engagement's use cases (issue 11 items 3 and 4), bound to one context so routes keep one object to call. */
export function createEngagementService(deps: EngagementDeps) {
  return {
    ...bindUseCases(deps, { myEngagement, engagementOfParticipant, engagementOfDfeParticipant, cohortIdOf, engagementList, engagementExportPage, engagementChoices, engagementNames, recordFollowUp, undoFollowUp, followUpsOf }),
    /** The nightly run: the jobs runner's, not anyone's request. */
    refreshEngagement: () => refreshEngagement(deps),
    refreshEngagementIfDue: () => refreshEngagementIfDue(deps),
    /** The weekly digest of participants newly flagged at risk: the jobs runner's. */
    sendRiskDigests: (site: { baseUrl: string; providerName: string }) => sendRiskDigests(deps, site),
  };
}
export type EngagementService = ReturnType<typeof createEngagementService>;
