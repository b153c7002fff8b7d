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
        statements: z.array(z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), text: z.string().min(1).max(300) })).min(1).max(12),
      }),
    )
    .min(1)
    .max(20),
  scale: z.object({
    points: z.array(z.object({ value: z.number().int().min(1).max(10), label: z.string().min(1).max(80) })).min(3).max(10),
    notAbleToSay: z.string().min(1).max(80),
  }),
  openQuestions: z.array(z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/), prompt: z.string().min(1).max(300) })).max(5),
});
export type Instrument = z.infer<typeof instrumentSchema>;

/** Every statement in order, with its behaviour. */
export const statementsOf = (i: Instrument) => i.behaviours.flatMap((b) => b.statements.map((s) => ({ ...s, behaviourId: b.id, behaviourName: b.name })));

/** Answers: statement id → a scale value, or null for "not able to say"; open question id → text. */
export interface Answers {
  ratings: Record<string, number | null>;
  comments: Record<string, string>;
}

/** What is missing or wrong in a set of answers, for the form: field → message. */
export function checkAnswers(i: Instrument, a: Answers, complete: boolean): Record<string, string> {
  const values = new Set(i.scale.points.map((p) => p.value));
  const errors: Record<string, string> = {};
  for (const s of statementsOf(i)) {
    const v = a.ratings[s.id];
    if (v === undefined) {
      if (complete) errors[s.id] = `Rate “${s.text}”, or choose “${i.scale.notAbleToSay}”`;
    } else if (v !== null && !values.has(v)) errors[s.id] = `Choose a rating for “${s.text}”`;
  }
  for (const q of i.openQuestions) if ((a.comments[q.id] ?? '').length > 2000) errors[q.id] = 'Your answer must be 2,000 characters or fewer';
  return errors;
}

const b = (id: string, name: string, description: string, statements: string[]) => ({ id, name, description, statements: statements.map((text, n) => ({ id: `${id}-${n + 1}`, text })) });

/** The seven leadership behaviours of seed 000, each with statements a colleague can observe. */
export const SEED_INSTRUMENT: Instrument = {
  behaviours: [
    b('commitment', 'Commitment', 'Puts pupils’ outcomes first and sticks with what matters.', [
      'Keeps the focus on what is best for pupils, even under pressure',
      'Follows through on what they say they will do',
      'Sets high expectations for themselves and for others',
    ]),
    b('collaboration', 'Collaboration', 'Works with others inside and beyond the school to get things done.', [
      'Seeks out and builds on the ideas of others',
      'Shares knowledge and resources with colleagues and other schools',
      'Builds teams in which people can disagree well',
    ]),
    b('personal-drive', 'Personal drive', 'Takes the initiative and keeps improving.', [
      'Takes the initiative rather than waiting to be asked',
      'Looks for feedback and acts on it',
      'Keeps developing their own knowledge and practice',
    ]),
    b('resilience', 'Resilience', 'Stays effective through setbacks and change.', [
      'Stays calm and purposeful when things go wrong',
      'Recovers quickly from setbacks and helps others to',
      'Keeps going with a hard change until it takes hold',
    ]),
    b('awareness', 'Awareness', 'Understands themselves, others and the wider context.', [
      'Knows their own strengths and limits',
      'Notices how others are feeling and responds to it',
      'Understands the school’s context and community',
    ]),
    b('integrity', 'Integrity', 'Is honest, fair and consistent.', [
      'Is honest, even when the message is unwelcome',
      'Treats people fairly and consistently',
      'Acts in line with the values they talk about',
    ]),
    b('respect', 'Respect', 'Values every person and their contribution.', [
      'Listens carefully before deciding',
      'Shows that they value everyone’s contribution',
      'Challenges behaviour that does not respect others',
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
    { id: 'strengths', prompt: 'What does this person do that you would like them to keep doing?' },
    { id: 'develop', prompt: 'What one thing could they do to be a more effective leader?' },
  ],
};
