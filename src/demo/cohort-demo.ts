import { randomBytes } from 'node:crypto';
import type { Services } from '../app';
import { loadAssessmentDemo } from './assessment-demo';
import type { Db } from '../db/client';
import { catchUpKey, markedDoneByParticipant, type ProgrammeContent, preWorkKey } from '../learning/domain/programme';
import { requestKeyOf } from '../feedback/domain/feedback';
import { feedbackRequests, feedbackResponses } from '../feedback/feedback.schema';
import { sessions } from '../people/people.schema';
import { type Actor, system } from '../platform/auth/actor';
import { addDays, type PlainDate } from '../platform/clock';
import { sha256 } from '../platform/crypto';
import { placesByEnrolment } from '../enrolment/enrolment.queries';
import { type CohortMember, chance, DEMO_PLAN_DAYS, demoPlan, generatedCohort, historyAsOf, riskAsOf } from './cohort-history';

/** How many classmates the demo gives Pat, the two at risk among them. */
const CLASSMATES = 14;
/** Generated members looked through to find classmates on track, patchy and behind, but not flagged. */
const LOOKED_THROUGH = 60;

/**
 * Pat's classmates in the NPQH "Autumn 2026" intake (issue 11 item 7: "a cohort with a realistic
 * spread of engagement, two participants at risk"), loaded as the generated history
 * (src/demo/cohort-history.ts) has them `today` days into the intake: their places (gateway passed,
 * accepted, moved in), the registers of the sessions held so far, the pieces they did, and their last
 * sign-in (kept as a session ended then: the platform's record of when someone was last seen). The
 * first two members drift away from weeks 5 and 6 — Sam Whitfield and Jo Marsh, flagged at risk;
 * the rest are the first others the same rules leave unflagged: steady, patchy, some below the
 * threshold. Runs before the demo's own registers, which mark everyone unmarked present (Pat).
 */
export async function loadCohortDemo(db: Db, services: Services, intakeId: string, startDate: PlainDate, today: number, content: ProgrammeContent): Promise<string[]> {
  const actor = system('demo');
  const all = generatedCohort(LOOKED_THROUGH);
  const calm = all.slice(2).filter((m) => !riskAsOf(m, startDate, today, { content, withoutCoaching: true }).risk.atRisk);
  const members = [...all.slice(0, 2), ...calm.slice(0, CLASSMATES - 2)];
  const open = (await services.applications.openIntakes('npq-headship'))[0];
  if (!open) return [];
  const placed: { member: CohortMember; enrolmentId: string; userId: string }[] = [];
  for (const [i, member] of members.entries()) {
    const email = `${member.name.toLowerCase().replace(/[^a-z]+/g, '.')}@demo-school.test`;
    // An account of their own (a password nobody is told: the demo signs in as Pat), so the place is theirs and their sign-ins count.
    await services.people.createUserDirectly({ name: member.name, email, password: randomBytes(18).toString('base64url'), roles: [{ role: 'participant', scopeType: 'provider', scopeId: null }] });
    const { application } = await services.applications.create(actor, {
      full_name: member.name,
      email,
      teacher_reference_number: String(4_200_001 + i),
      course_identifier: 'npq-headship',
      intake_id: open.id,
      works_in_england: true,
      work_setting: 'a_school',
      school_urn: i % 2 ? '140002' : '140001',
      employment_role: 'Deputy headteacher',
      line_manager_name: 'Sam Approver',
      line_manager_email: 'approver@demo.npq.test',
      school_approved: true,
      funding_choice: 'school',
    });
    if (!application.userId) continue;
    const them: Actor = { kind: 'user', userId: application.userId, sessionId: 'demo', name: member.name, email, roles: [], fullySignedIn: true };
    if (await services.applications.gatewayConfig('npq-headship')) {
      await services.applications.saveGatewayAnswers(them, application.id, { q1: 'I lead our school’s curriculum as deputy.', q2: 'I led a change to how we teach writing.', q3: 'A contrasting school nearby.' }, true);
      await services.applications.reviewGateway(actor, application.id, { scores: { c1: '3', c2: '3', c3: '3' }, result: 'passed', feedback: 'Ready for headship.' });
    }
    await services.applications.accept(actor, application.id, {});
    await services.applications.changeParticipant(actor, application.id, 'move', { intakeId });
    placed.push({ member, enrolmentId: application.id, userId: application.userId });
  }

  const plan = demoPlan(content, startDate);
  const histories = placed.map((p) => ({ ...p, history: historyAsOf(p.member, content, plan, startDate, today) }));
  // The registers of the sessions held so far, as the facilitator took them.
  const held = [...new Set(histories.flatMap((h) => [...h.history.record.attendance.keys()]))];
  for (const key of held) {
    const marks: Record<string, { status: string; reason: string }> = {};
    for (const h of histories) {
      const status = h.history.record.attendance.get(key);
      if (status) marks[h.enrolmentId] = { status, reason: status === 'present' ? '' : status === 'excused' ? 'Told us beforehand: a school inspection.' : 'Did not come; no word.' };
    }
    await services.learning.takeRegister(actor, intakeId, key, { marks });
  }
  const activities = new Map(content.courses.flatMap((c) => c.modules.flatMap((m) => m.activities)).map((a) => [a.key, a]));
  const eventPieces = new Set(content.events.flatMap((e) => [preWorkKey(e.key), catchUpKey(e.key)]));
  for (const h of histories) {
    const them: Actor = { kind: 'user', userId: h.userId, sessionId: 'demo', name: h.member.name, email: '', roles: [], fullySignedIn: true };
    for (const key of h.history.record.done.keys()) {
      const activity = activities.get(key);
      if (activity?.kind === 'reflection') await services.learning.writeReflection(them, h.enrolmentId, key, 'What I will do differently: give one priority a whole year, and measure it.');
      else if ((activity && markedDoneByParticipant(activity)) || eventPieces.has(key)) await services.learning.markDone(them, h.enrolmentId, key, true);
    }
    if (h.history.lastSeenOn) await recordPastSignIn(db, h.userId, h.history.lastSeenOn);
  }
  await loadFeedbackDemo(db, services, intakeId, startDate, histories, content);
  await loadAssessmentDemo(services, intakeId, addDays(startDate, today), histories.map((h) => ({ enrolmentId: h.enrolmentId, userId: h.userId, name: h.member.name })));
  return histories.map((h) => h.enrolmentId);
}

/** What classmates said, by rating: of a day's event at the centre, and of an evening's online briefing. */
const COMMENTS: Record<'event' | 'briefing', Record<number, string[]>> = {
  event: {
    5: ['Practical and well paced: I left with a plan for next week.', 'The case studies were close to my own school.', 'Excellent discussion in our table group.', 'The best day of CPD I have had in years.'],
    4: ['Useful, if a little long before lunch.', 'Good content; more time for questions would help.', '', 'Good day; the afternoon task needed clearer instructions.'],
    3: ['Some of it I had covered before.', '', 'The room was too warm in the afternoon.'],
    2: ['Too much talk, too little practice.'],
    1: ['Hard to hear the speaker at the back.'],
  },
  briefing: {
    5: ['Clear and short: exactly what I needed to know.', 'Good to hear who to ask for help.', ''],
    4: ['Useful; the slides afterwards would help.', '', 'Clear, though it ran ten minutes over.'],
    3: ['Much of it is in the handbook already.', ''],
    2: ['The sound kept dropping out.'],
    1: ['Could not join: the link did not work for me.'],
  },
};

/**
 * What the classmates said of the sessions held so far (issue 11 item 5), as if each who came answered
 * its survey a day or two after: ratings drawn from their generated history, a comment from some, each
 * response kept against no one; their answered surveys recorded, so the open ones are not asked again.
 */
async function loadFeedbackDemo(db: Db, services: Services, intakeId: string, startDate: PlainDate, histories: { member: CohortMember; enrolmentId: string; history: ReturnType<typeof historyAsOf> }[], content: ProgrammeContent) {
  const actor = system('demo');
  const { intake, entries: plan } = await services.learning.intakePlan(actor, intakeId);
  const [first] = histories;
  if (!first) return;
  const [place] = await placesByEnrolment(db, [first.enrolmentId]);
  for (const session of [...content.events, ...content.briefings]) {
    const day = DEMO_PLAN_DAYS.sessions[session.key];
    if (day === undefined) continue;
    for (const h of histories) {
      if (h.history.record.attendance.get(session.key) !== 'present') continue;
      const roll = chance(h.member, `${session.key}-rating`);
      const rating = roll < 0.45 ? 5 : roll < 0.8 ? 4 : roll < 0.93 ? 3 : roll < 0.98 ? 2 : 1;
      const pool = COMMENTS[session.key.startsWith('b') ? 'briefing' : 'event'][rating]!;
      const comment = pool[Math.floor(chance(h.member, `${session.key}-comment`) * pool.length)] ?? '';
      const entry = plan.get(session.key);
      await db.insert(feedbackResponses).values({ kind: 'session', subjectKey: session.key, subjectTitle: session.title, intakeId, courseIdentifier: 'npq-headship', cohortId: place?.cohortId ?? null, deliveryPartnerId: intake.deliveryPartnerId, venueId: entry?.venueId ?? null, facilitatorUserId: entry?.facilitatorUserId ?? null, rating, comment, answeredIn: addDays(startDate, day + 1).slice(0, 7) });
      await db.insert(feedbackRequests).values({ enrolmentId: h.enrolmentId, kind: 'session', subjectKey: requestKeyOf('session', session.key, intakeId), outcome: 'answered' }).onConflictDoNothing();
    }
  }
}

/** A sign-in on a past day, kept as a session used then and ended then (so it can never be used): when someone was last seen, for early warning. */
export async function recordPastSignIn(db: Db, userId: string, on: PlainDate): Promise<void> {
  const at = new Date(`${on}T19:00:00Z`);
  await db.insert(sessions).values({ tokenHash: sha256(randomBytes(32).toString('hex')), userId, secondFactorDone: true, createdAt: at, lastSeenAt: at, expiresAt: addHours(at), revokedAt: at });
}

const addHours = (at: Date) => new Date(at.getTime() + 3_600_000);
