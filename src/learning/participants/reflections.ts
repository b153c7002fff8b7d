import { eq } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import { placesByEnrolment } from '../../enrolment/enrolment.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { modulesOf, REFLECTION_MAX_CHARACTERS } from '../domain/programme';
import { commit, type LearningContext, refuse } from '../learning.context';
import { learningProgress, reflections } from '../learning.schema';
import { myProgramme } from './my-programme';

/** A reflection as its writer reads it again. */
export interface Reflection {
  text: string;
  writtenAt: Date;
}

/**
 * The participant's own reflections on one place, by activity key (NotFoundError for anyone else's
 * place). Checks whose place it is by the place alone, as myCoreTaskAttempts does: the module page has
 * read the programme already.
 */
export async function myReflections(ctx: LearningContext, actor: Actor, enrolmentId: string): Promise<Map<string, Reflection>> {
  const me = requireFullySignedIn(actor);
  const [place] = await placesByEnrolment(ctx.db, [enrolmentId]);
  if (!place || place.userId !== me.userId) throw new NotFoundError('programme');
  const rows = await ctx.db.select().from(reflections).where(eq(reflections.enrolmentId, enrolmentId));
  return new Map(rows.map((r) => [r.activityKey, { text: r.text, writtenAt: r.writtenAt }]));
}

/**
 * Writes (or rewrites) the participant's reflection for a reflection activity of a released module on
 * their own place, while in training (AppError not_in_training; cannot_write for a module not yet
 * released), and records the activity as done. ValidationError on `text`: nothing written, or over
 * REFLECTION_MAX_CHARACTERS. NotFoundError for another's place or a key that is not a reflection of
 * their programme. Audited without the words, which are the participant's alone.
 */
export async function writeReflection(ctx: LearningContext, actor: Actor, enrolmentId: string, activityKey: string, rawText: string): Promise<void> {
  const p = await myProgramme(ctx, actor, enrolmentId);
  const found = modulesOf(p.content).find(({ module }) => module.activities.some((a) => a.key === activityKey && a.kind === 'reflection'));
  if (!found) throw new NotFoundError('reflection');
  if (p.place.trainingStatus !== 'active') throw refuse('not_in_training', 'Your place is paused or has ended, so nothing can be written. Ask your provider if this is wrong.');
  const released = p.plan.get(found.module.key)?.releasesOn;
  if (!released || released > p.today) throw refuse('cannot_write', 'This module is not released yet');
  const text = rawText.replace(/\r\n?/g, '\n').trim();
  if (!hasVisibleText(text)) throw new ValidationError({ text: 'Write your reflection' });
  const length = characterCount(text);
  if (length > REFLECTION_MAX_CHARACTERS) throw new ValidationError({ text: `Your reflection must be ${REFLECTION_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer: it is ${length.toLocaleString('en-GB')}` });
  const now = ctx.clock.now();
  await commit(ctx, async (tx) => {
    await tx.insert(reflections).values({ enrolmentId, activityKey, text, writtenAt: now }).onConflictDoUpdate({ target: [reflections.enrolmentId, reflections.activityKey], set: { text, writtenAt: now } });
    await tx.insert(learningProgress).values({ enrolmentId, itemKey: activityKey, doneAt: now }).onConflictDoNothing();
    await audit(tx, ctx.clock, actor, { action: 'reflection.written', entityType: 'enrolment', entityId: enrolmentId, after: { activityKey, characters: length } });
  });
}
