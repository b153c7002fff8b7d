import { bindUseCases } from '../platform/use-cases';
import { allocationsList, saveAllocations, setCoachCapacity, setNoticeHours, spreadAcrossCoaches } from './allocations/allocations';
import { bookSlot, cancelBooking, cancellationTerms, moveBooking, myCoaching } from './bookings/bookings';
import { coachingSession, coachOverview, recordSession, rescheduleSession, waiveLateCancellation } from './bookings/sessions';
import { coachingOfParticipant } from './bookings/coaching-of-participant';
import type { Clock } from '../platform/clock';
import type { CoachingDeps } from './coaching.context';
import { messageFile, myConversations, readConversation, sendMessage, withdrawMessage } from './messages/messages';
import { mySlots, publishSlots, removeSlot, setMyTimeZone } from './slots/slots';

/** Coaching's use cases (issue 11 items 1 and 2: coaching, and messages with personal tutors), bound to one context so routes keep one object to call. */
export function createCoachingService(deps: CoachingDeps) {
  return { ...useCasesOf(deps), atTime: (clock: Clock) => useCasesOf({ ...deps, clock }) };
}

/**
 * The use cases bound to `deps`. `atTime` gives them again on another clock: the demo writes its
 * history (a session three weeks ago, booked and held) through the same rules the pages use.
 */
function useCasesOf(deps: CoachingDeps) {
  return bindUseCases(deps, {
    allocationsList,
    saveAllocations,
    spreadAcrossCoaches,
    setCoachCapacity,
    setNoticeHours,
    mySlots,
    setMyTimeZone,
    publishSlots,
    removeSlot,
    myCoaching,
    bookSlot,
    cancellationTerms,
    cancelBooking,
    moveBooking,
    coachOverview,
    coachingSession,
    recordSession,
    rescheduleSession,
    waiveLateCancellation,
    coachingOfParticipant,
    readConversation,
    sendMessage,
    withdrawMessage,
    messageFile,
    myConversations,
  });
}
export type CoachingService = ReturnType<typeof createCoachingService>;
