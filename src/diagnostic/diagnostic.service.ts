import { roundState } from './rounds/round-state';
import { bindUseCases } from '../platform/use-cases';
import { type DiagnosticDeps, diagnosticContext, instrument, settings } from './diagnostic.context';
import { sendRaterAnswers, raterByToken } from './raters/send-rater-answers';
import { cohortRounds, cohortView } from './reports/cohort-view';
import { readReport, reportForProvider, reportOfRound } from './reports/read-report';
import { inviteRater, remindRaters } from './rounds/invite-rater';
import { closeRoundNow, extendRound, roundForManager } from './rounds/manage-round';
import { myRounds, ownRound, roundView } from './rounds/own-round';
import { rateSelf } from './rounds/rate-self';
import { setWindow, windows } from './rounds/set-window';
import { ensureSetUp, saveInstrument, saveSettings } from './setup/save-settings';

export { DEFAULT_SETTINGS, type RoundRow, type Settings } from './diagnostic.context';
export { ROUND_KINDS, type RoundKind, roundState } from './rounds/round-state';

/**
 * The 360°'s use cases, one file each (setup/, rounds/, raters/, reports/), bound to one context so
 * the routes keep one object to call.
 */
export function createDiagnosticService(deps: DiagnosticDeps) {
  const ctx = diagnosticContext(deps);
  return {
    ...bindUseCases(ctx, {
      settings,
      instrument,
      ensureSetUp,
      saveSettings,
      saveInstrument,
      windows,
      setWindow,
      extendRound,
      roundForManager,
      closeRoundNow,
      cohortRounds,
      cohortView,
      myRounds,
      ownRound,
      roundView,
      saveSelf: rateSelf,
      nominate: inviteRater,
      remind: remindRaters,
      raterByToken,
      answerAsRater: sendRaterAnswers,
      reportForProvider,
      report: readReport,
      reportOfRound,
    }),
    roundState,
  };
}
export type DiagnosticService = ReturnType<typeof createDiagnosticService>;
