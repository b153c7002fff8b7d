import { bindUseCases } from '../platform/use-cases';
import type { AssessmentDeps } from './assessment.context';
import { askBoardAgain, boardFeedbackRequest, changeBoardPresentation, boardMinutesFile, giveBoardFeedback, myBoardPresentations, recordBoardPresentation, removeBoardPresentation } from './evidence/board-presentations';
import { myAssessment } from './evidence/my-assessment';
import { addPlacementPeriod, answerHostConfirmation, askHostToConfirm, hostConfirmationRequest, myPlacement, recordPlacement, removePlacementPeriod } from './evidence/placement';
import { accountFile, confirmSubmission, discardDraft, grantExtension, mySubmission, withdrawExtension, setSubmissionWindow, submissionsList, submissionWindowsOf, uploadAccount, withdrawSubmission } from './submissions/submissions';
import { agreementStatistics, decideModeration, drawModerationSample, giveOutWaitingScripts, moderationList, moderationRules, moderationScript, moderationScriptFile, moderationScriptText, myModeration, saveModerationMarking, setModerationRules } from './marking/moderation';
import { allocateScript, allocateScriptsEvenly, allocationList, myScripts, saveMarking, scriptFile, scriptToMark } from './marking/marking';
import { announceReleasedResults, cancelRelease, certificateOf, decideReview, intakeOutcomes, myResults, releasePreview, releaseResults, releasesList, requestReview, reviewsList, setOutcomeVoided, verifyCertificate } from './outcomes/outcomes';
import { assessmentOfDfeParticipant, outcomesOfDfeParticipant, releasedOutcomes } from './outcomes/participant-assessment';
import { libraryEntryForReview, libraryQualifications, libraryReviewList, myLibraryEntry, publicLibrary, publicLibraryEntry, reviewLibraryEntry, shareableProjects, shareProject, withdrawProject } from './library/library';
import { changeProjectEntry, logProjectTime, projectEntryFile, projectLog, purgeRemovedProjectEntries, setProjectEntryRemoved } from './evidence/project-log';

/** Assessment's use cases (issue 12), bound to one context so routes keep one object to call. */
export function createAssessmentService(deps: AssessmentDeps) {
  return bindUseCases(deps, {
    myAssessment,
    assessmentOfDfeParticipant,
    outcomesOfDfeParticipant,
    releasedOutcomes,
    shareableProjects,
    myLibraryEntry,
    shareProject,
    withdrawProject,
    libraryReviewList,
    libraryEntryForReview,
    reviewLibraryEntry,
    publicLibrary,
    libraryQualifications,
    publicLibraryEntry,
    projectLog,
    logProjectTime,
    changeProjectEntry,
    setProjectEntryRemoved,
    projectEntryFile,
    purgeRemovedProjectEntries,
    myPlacement,
    recordPlacement,
    addPlacementPeriod,
    removePlacementPeriod,
    askHostToConfirm,
    hostConfirmationRequest,
    answerHostConfirmation,
    myBoardPresentations,
    recordBoardPresentation,
    changeBoardPresentation,
    askBoardAgain,
    removeBoardPresentation,
    boardMinutesFile,
    boardFeedbackRequest,
    giveBoardFeedback,
    mySubmission,
    uploadAccount,
    confirmSubmission,
    discardDraft,
    withdrawSubmission,
    accountFile,
    submissionWindowsOf,
    setSubmissionWindow,
    grantExtension,
    withdrawExtension,
    submissionsList,
    allocationList,
    allocateScript,
    allocateScriptsEvenly,
    myScripts,
    scriptToMark,
    scriptFile,
    saveMarking,
    moderationRules,
    setModerationRules,
    drawModerationSample,
    giveOutWaitingScripts,
    moderationList,
    myModeration,
    moderationScript,
    moderationScriptFile,
    moderationScriptText,
    saveModerationMarking,
    decideModeration,
    agreementStatistics,
    releasesList,
    releasePreview,
    releaseResults,
    cancelRelease,
    intakeOutcomes,
    setOutcomeVoided,
    myResults,
    certificateOf,
    requestReview,
    reviewsList,
    decideReview,
    verifyCertificate,
    announceReleasedResults,
  });
}
export type AssessmentService = ReturnType<typeof createAssessmentService>;
