import { bindUseCases } from '../platform/use-cases';
import { calendarByToken, calendarFeedLink, resetCalendarFeed } from './calendar/calendar-feed';
import type { LearningDeps } from './learning.context';
import { markDone, myProgramme, myProgrammes, progressOfParticipant } from './participants/my-programme';
import { clearPlanEntry, intakePlan, savePlanEntry } from './plans/plan-intake';
import { ensureProgrammes, moveIntakeToVersion, versionMove, programmesOverview, programmeVersionsOf, saveProgrammeVersion } from './programmes/programmes';
import { deliveryIntakes } from './plans/delivery-intakes';
import { sendReminders } from './reminders/send-reminders';
import { progressOfIntake } from './participants/intake-progress';
import { registerOf, takeRegister } from './plans/take-register';
import { joinSession, replyToSession } from './participants/sessions';
import { assignGroups, intakeGroupsOf, removeGroup, saveGroup } from './plans/groups';
import { moderatePost, postToDiscussion, readDiscussion } from './participants/discussion';
import { intakeMaterial, materialForAdmin, materialsOf, myMaterial, removeMaterial, uploadMaterial } from './programmes/materials';
import { myReflections, writeReflection } from './participants/reflections';
import { coreTaskFile, coreTaskForReview, coreTasksOfIntake, myCoreTaskAttempts, reviewCoreTask, submitCoreTask } from './participants/core-tasks';

/**
 * Programme delivery's use cases (issue 10), one file each (programmes/, plans/, participants/,
 * calendar/), bound to one context so routes keep one object to call.
 */
export function createLearningService(deps: LearningDeps) {
  return bindUseCases(deps, {
    ensureProgrammes,
    programmesOverview,
    programmeVersionsOf,
    saveProgrammeVersion,
    versionMove,
    moveIntakeToVersion,
    materialsOf,
    uploadMaterial,
    removeMaterial,
    materialForAdmin,
    myMaterial,
    intakeMaterial,
    deliveryIntakes,
    intakePlan,
    savePlanEntry,
    clearPlanEntry,
    intakeGroupsOf,
    saveGroup,
    removeGroup,
    assignGroups,
    registerOf,
    takeRegister,
    myProgrammes,
    myProgramme,
    markDone,
    replyToSession,
    readDiscussion,
    postToDiscussion,
    moderatePost,
    joinSession,
    progressOfParticipant,
    progressOfIntake,
    myCoreTaskAttempts,
    myReflections,
    writeReflection,
    submitCoreTask,
    coreTasksOfIntake,
    coreTaskForReview,
    reviewCoreTask,
    coreTaskFile,
    calendarFeedLink,
    resetCalendarFeed,
    calendarByToken,
    sendReminders,
  });
}
export type LearningService = ReturnType<typeof createLearningService>;
