import { z } from 'zod';

/**
 * The 360° instrument as data (seed 000): behaviours, statements rated on a scale with descriptors and
 * a "not able to say", and open questions. A round keeps the version it started with, so editing the
 * instrument never changes what a rater already saw.
 */
export const RATER_GROUPS = ['self', 'line_manager', 'peer', 'team_member', 'governor', 'other'] as const;
export type RaterGroup = (typeof RATER_GROUPS)[number];
export type ColleagueGroup = Exclude<RaterGroup, 'self'>;
export const COLLEAGUE_GROUPS: readonly ColleagueGroup[] = ['line_manager', 'peer', 'team_member', 'governor', 'other'];
export const GROUP_LABELS: Record<RaterGroup, string> = {
  self: 'You',
  line_manager: 'Line managers',
  peer: 'Peers',
  team_member: 'Team members',
  governor: 'Governors',
  other: 'Others',
};

/** How a participant describes a colleague when asking them. */
export const GROUP_CHOICE_LABELS: Record<ColleagueGroup, string> = {
  line_manager: 'Line manager',
  peer: 'Peer',
  team_member: 'Member of my team',
  governor: 'Governor or trustee',
  other: 'Other',
};

export const instrumentSchema = z.object({
  behaviours: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][a-z0-9-]*$/),
        name: z.string().min(1).max(80),
        description: z.string().max(500),
        statements: z.array(z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), text: z.string().min(1).max(300), selfText: z.string().min(1).max(300).optional() })).min(1).max(12),
      }),
    )
    .min(1)
    .max(20),
  scale: z.object({
    points: z.array(z.object({ value: z.number().int().min(1).max(10), label: z.string().min(1).max(80) })).min(3).max(10),
    notAbleToSay: z.string().min(1).max(80),
  }),
  openQuestions: z.array(z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), prompt: z.string().min(1).max(300), selfPrompt: z.string().min(1).max(300).optional() })).max(5),
});
export type Instrument = z.infer<typeof instrumentSchema>;

/** Every statement in order, with its behaviour and its place among the behaviour's statements (from 1). */
export const statementsOf = (i: Instrument) => i.behaviours.flatMap((b) => b.statements.map((s, n) => ({ ...s, behaviourId: b.id, behaviourName: b.name, number: n + 1 })));

/**
 * Names a statement in an error message short enough to read in a summary of twenty: its place under
 * its behaviour's heading, not its whole text (the text is the legend beside the message on the page).
 */
const statementName = (s: { number: number; behaviourName: string }) => `statement ${s.number} under “${s.behaviourName}”`;

/** Answers: statement id → a scale value, or null for "not able to say"; open question id → text. */
export interface Answers {
  ratings: Record<string, number | null>;
  comments: Record<string, string>;
}

/** The longest answer to an open question, in characters (the form's character count says the same). */
export const COMMENT_MAX = 2000;

/**
 * What in a set of answers may not be stored at all (field → message): a rating that is not a point
 * of the scale, a statement or question the instrument does not have, an answer over COMMENT_MAX.
 * Every save path checks this before it writes anything, so a refused answer is never kept in a draft.
 */
export function answerLimitErrors(i: Instrument, a: Answers): Record<string, string> {
  const values = new Set(i.scale.points.map((p) => p.value));
  const statements = new Map(statementsOf(i).map((s) => [s.id, s]));
  const errors: Record<string, string> = {};
  for (const [id, v] of Object.entries(a.ratings)) {
    const s = statements.get(id);
    if (!s) errors[id] = 'This statement is not part of the questionnaire';
    else if (v !== null && !values.has(v)) errors[id] = `Choose a rating from the scale for ${statementName(s)}`;
  }
  const questions = new Map(i.openQuestions.map((q) => [q.id, q]));
  for (const [id, text] of Object.entries(a.comments)) {
    const q = questions.get(id);
    if (!q) errors[id] = 'This question is not part of the questionnaire';
    else if (typeof text !== 'string' || text.length > COMMENT_MAX) errors[id] = `Your answer to “${q.prompt}” must be ${COMMENT_MAX.toLocaleString('en-GB')} characters or fewer`;
  }
  return errors;
}

/**
 * What is missing or wrong in a set of answers, for the form (field → message): the limits above and,
 * when `complete`, every statement rated or "not able to say".
 */
export function checkAnswers(i: Instrument, a: Answers, complete: boolean): Record<string, string> {
  const errors = answerLimitErrors(i, a);
  if (complete) for (const s of statementsOf(i)) if (a.ratings[s.id] === undefined && !errors[s.id]) errors[s.id] = `Rate ${statementName(s)}, or choose “${i.scale.notAbleToSay}”`;
  return errors;
}

/**
 * The instrument as the participant's own form says it: to them ("you"), not about "this person".
 * Each statement and question uses its own `selfText`/`selfPrompt`; an instrument saved before those
 * existed takes the seed's wording where the text is the seed's, and otherwise keeps its text.
 */
export function asSelf(i: Instrument): Instrument {
  const seedStatements = new Map(statementsOf(SEED_INSTRUMENT).map((s) => [s.text, s.selfText]));
  const seedQuestions = new Map(SEED_INSTRUMENT.openQuestions.map((q) => [q.prompt, q.selfPrompt]));
  return {
    ...i,
    behaviours: i.behaviours.map((b) => ({ ...b, statements: b.statements.map((s) => ({ ...s, text: s.selfText ?? seedStatements.get(s.text) ?? s.text })) })),
    openQuestions: i.openQuestions.map((q) => ({ ...q, prompt: q.selfPrompt ?? seedQuestions.get(q.prompt) ?? q.prompt })),
  };
}

const b = (id: string, name: string, description: string, statements: [text: string, selfText: string][]) => ({ id, name, description, statements: statements.map(([text, selfText], n) => ({ id: `${id}-${n + 1}`, text, selfText })) });

/** The seven leadership behaviours of seed 000, each with statements a colleague can observe. */
export const SEED_INSTRUMENT: Instrument = {
  behaviours: [
    b('commitment', 'Commitment', 'Puts pupils’ outcomes first and sticks with what matters.', [
      ['Keeps the focus on what is best for pupils, even under pressure', 'You keep the focus on what is best for pupils, even under pressure'],
      ['Follows through on what they say they will do', 'You follow through on what you say you will do'],
      ['Sets high expectations for themselves and for others', 'You set high expectations for yourself and for others'],
    ]),
    b('collaboration', 'Collaboration', 'Works with others inside and beyond the school to get things done.', [
      ['Seeks out and builds on the ideas of others', 'You seek out and build on the ideas of others'],
      ['Shares knowledge and resources with colleagues and other schools', 'You share knowledge and resources with colleagues and other schools'],
      ['Builds teams in which people can disagree well', 'You build teams in which people can disagree well'],
    ]),
    b('personal-drive', 'Personal drive', 'Takes the initiative and keeps improving.', [
      ['Takes the initiative rather than waiting to be asked', 'You take the initiative rather than waiting to be asked'],
      ['Looks for feedback and acts on it', 'You look for feedback and act on it'],
      ['Keeps developing their own knowledge and practice', 'You keep developing your own knowledge and practice'],
    ]),
    b('resilience', 'Resilience', 'Stays effective through setbacks and change.', [
      ['Stays calm and purposeful when things go wrong', 'You stay calm and purposeful when things go wrong'],
      ['Recovers quickly from setbacks and helps others to', 'You recover quickly from setbacks and help others to'],
      ['Keeps going with a hard change until it takes hold', 'You keep going with a hard change until it takes hold'],
    ]),
    b('awareness', 'Awareness', 'Understands themselves, others and the wider context.', [
      ['Knows their own strengths and limits', 'You know your own strengths and limits'],
      ['Notices how others are feeling and responds to it', 'You notice how others are feeling and respond to it'],
      ['Understands the school’s context and community', 'You understand the school’s context and community'],
    ]),
    b('integrity', 'Integrity', 'Is honest, fair and consistent.', [
      ['Is honest, even when the message is unwelcome', 'You are honest, even when the message is unwelcome'],
      ['Treats people fairly and consistently', 'You treat people fairly and consistently'],
      ['Acts in line with the values they talk about', 'You act in line with the values you talk about'],
    ]),
    b('respect', 'Respect', 'Values every person and their contribution.', [
      ['Listens carefully before deciding', 'You listen carefully before deciding'],
      ['Shows that they value everyone’s contribution', 'You show that you value everyone’s contribution'],
      ['Challenges behaviour that does not respect others', 'You challenge behaviour that does not respect others'],
    ]),
  ],
  scale: {
    points: [
      { value: 1, label: 'Rarely' },
      { value: 2, label: 'Sometimes' },
      { value: 3, label: 'Often' },
      { value: 4, label: 'Usually' },
      { value: 5, label: 'Always' },
    ],
    notAbleToSay: 'Not able to say',
  },
  openQuestions: [
    { id: 'strengths', prompt: 'What does this person do that you would like them to keep doing?', selfPrompt: 'What do you do that you would like to keep doing?' },
    { id: 'develop', prompt: 'What one thing could they do to be a more effective leader?', selfPrompt: 'What one thing could you do to be a more effective leader?' },
  ],
};
