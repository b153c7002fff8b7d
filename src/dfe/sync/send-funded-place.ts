import type { SendDeps } from './send-status-changes';
import { sendValueChange, type ValueChange } from './send-value-change';

/** DfE's body for a change of funded place (docs/dfe-api.md §1.1). */
export const fundedPlaceBody = (fundedPlace: boolean) => ({ data: { type: 'npq-application-change-funded-place', attributes: { funded_place: fundedPlace } } });

/**
 * A change of funded place, told to DfE on the application (PUT /npq-applications/{id}/change-funded-place).
 * Sent whatever the participant's training status: DfE refuses it for no application that is accepted, so
 * a withdrawn participant's funded place is changed too (docs/dfe-api.md §1.1, "Change funded place", has
 * no withdrawn check, unlike change-schedule in §4.3).
 */
export const FUNDED_PLACE_CHANGE: ValueChange = {
  kind: 'change_funded_place',
  name: 'change of funded place',
  body: (at) => (at.decision.fundedPlace === null ? { nothing: 'The participant has no funded place to tell DfE of (the cohort is not capped).' } : { body: fundedPlaceBody(at.decision.fundedPlace) }),
  paths: (at) => {
    const read = `/api/v3/npq-applications/${encodeURIComponent(at.dfeApplicationId)}`;
    return { read, write: `${read}/change-funded-place` };
  },
  shows: (answer, body) => (answer as { data?: { attributes?: { funded_place?: unknown } } }).data?.attributes?.funded_place === (body as ReturnType<typeof fundedPlaceBody>).data.attributes.funded_place,
};

/**
 * Tells DfE of a change to an accepted participant's funded place (issue 13 items 2 and 4), exactly
 * once, as the platform's funded place when sending (sendValueChange): DfE's 422 (declarations already
 * submitted) is kept in its words. Returns the number of changes settled.
 */
export const sendFundedPlace = (deps: SendDeps, applicationId: string, changeKey: string | null): Promise<number> => sendValueChange(deps, FUNDED_PLACE_CHANGE, applicationId, changeKey);
