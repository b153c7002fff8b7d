import { bindUseCases } from '../platform/use-cases';
import type { EngagementDeps } from './engagement.context';
import { cohortIdOf, engagementChoices, engagementExportPage, engagementList, engagementNames } from './lists/engagement-lists';
import { engagementOfDfeParticipant, engagementOfParticipant, myEngagement } from './participants/my-engagement';
import { refreshEngagement, refreshEngagementIfDue } from './snapshots/refresh-engagement';

/** Engagement's use cases (issue 11 item 3), bound to one context so routes keep one object to call. */
export function createEngagementService(deps: EngagementDeps) {
  return {
    ...bindUseCases(deps, { myEngagement, engagementOfParticipant, engagementOfDfeParticipant, cohortIdOf, engagementList, engagementExportPage, engagementChoices, engagementNames }),
    /** The nightly run: the jobs runner's, not anyone's request. */
    refreshEngagement: () => refreshEngagement(deps),
    refreshEngagementIfDue: () => refreshEngagementIfDue(deps),
  };
}
export type EngagementService = ReturnType<typeof createEngagementService>;
