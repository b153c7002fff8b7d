import { and, asc, eq, gte, isNull, sql } from 'drizzle-orm';
import { audit } from '../../audit/audit';
import type { IntakeRow } from '../../catalogue/catalogue.queries';
import type { Actor } from '../../platform/auth/actor';
import { requireFullySignedIn } from '../../platform/auth/require-signed-in';
import { ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors';
import { characterCount, hasVisibleText } from '../../platform/text';
import { findModule, type Module } from '../domain/programme';
import { commit, intakeFor, type LearningContext, versionOfIntake } from '../learning.context';
import { discussionPosts } from '../learning.schema';
import { myProgramme, type PlaceProgramme } from './my-programme';
import { type Group, groupsOfIntake } from '../plans/groups';

/** A post sent again with the same words within this time is the same post (milliseconds). */
const SAME_POST_WITHIN_MS = 2 * 60 * 1000;

/** The longest post, in characters. */
export const POST_MAX_CHARACTERS = 5_000;

/**
 * Whose discussion: a participant's place (by enrolment id), or an intake for its staff. A page that has
 * read the participant's programme already passes it as `read`, so it is not read twice; it is used
 * only when it is that place's and the actor's own.
 */
export type DiscussionOf = { enrolmentId: string; read?: PlaceProgramme } | { intakeId: string };

/** A post as a page shows it. A hidden post's text is given to staff only. */
export interface Post {
  id: string;
  replyTo: string | null;
  authorName: string;
  byStaff: boolean;
  body: string;
  pinned: boolean;
  hidden: boolean;
  createdAt: Date;
  mine: boolean;
  /** The group it was posted in; null for the whole intake. */
  groupName: string | null;
}
export interface Thread {
  post: Post;
  replies: Post[];
  /** Whether the reader may reply: not to a thread of a group they have left. */
  open: boolean;
}

interface Access {
  intake: Pick<IntakeRow, 'id' | 'name' | 'timeZone' | 'deliveryPartnerId'>;
  /** A participant's group: they read its posts and the whole intake's, and post in it. Undefined for staff and for participants in no group. */
  group: Group | undefined;
  /** The intake's groups, for staff to choose whom a post is for. */
  groups: Group[];
  module: Module;
  staff: boolean;
  /** May post: a participant in training, or the intake's staff. */
  mayPost: boolean;
  /** May hide and pin: the intake's staff. */
  mayModerate: boolean;
  author: { userId: string; name: string };
}

/**
 * Who may read a module's discussion, and how: the participant on their own place once the module is
 * released (NotFoundError else, as for the module's page); the admin, the intake partner's lead and
 * facilitators through the intake (NotFoundError for others, and for a module the intake's programme
 * does not have).
 */
async function accessTo(ctx: LearningContext, actor: Actor, of: DiscussionOf, moduleKey: string): Promise<Access> {
  const me = requireFullySignedIn(actor);
  if ('enrolmentId' in of) {
    const p = of.read?.place.enrolmentId === of.enrolmentId && of.read.place.userId === me.userId ? of.read : await myProgramme(ctx, actor, of.enrolmentId);
    const item = p.timeline.find((i) => i.key === moduleKey);
    if (item?.kind !== 'module' || !item.released) throw new NotFoundError('module');
    return { intake: p.intake, group: p.group, groups: p.group ? [p.group] : [], module: item.module, staff: false, mayPost: p.place.trainingStatus === 'active', mayModerate: false, author: { userId: me.userId, name: p.place.fullName } };
  }
  const { intake, may } = await intakeFor(ctx, actor, of.intakeId);
  const version = await versionOfIntake(ctx.db, intake);
  const found = version ? findModule(version.content, moduleKey) : undefined;
  if (!found) throw new NotFoundError('module');
  const groups = await groupsOfIntake(ctx, intake.id, intake.deliveryPartnerId);
  return { intake, group: undefined, groups, module: found.module, staff: true, mayPost: may.reviewCoreTasks, mayModerate: may.reviewCoreTasks, author: { userId: me.userId, name: me.name } };
}

/**
 * A module's discussion in one intake (issue 10 item 4): its threads, pinned guidance first and then
 * oldest first, each with its replies oldest first; and what the actor may do (`mayPost`,
 * `mayModerate`). Participants see a hidden post only as hidden; staff see its text too.
 */
export async function readDiscussion(ctx: LearningContext, actor: Actor, of: DiscussionOf, moduleKey: string) {
  const access = await accessTo(ctx, actor, of, moduleKey);
  // A participant reads the whole intake's threads, their own group's, and threads they started or
  // replied to in a group they have since left (their own words do not vanish); staff read every group's.
  const all = await ctx.db
    .select()
    .from(discussionPosts)
    .where(and(eq(discussionPosts.intakeId, access.intake.id), eq(discussionPosts.moduleKey, moduleKey)))
    .orderBy(asc(discussionPosts.createdAt), asc(discussionPosts.id));
  const theirs = new Set(all.filter((r) => r.authorUserId === access.author.userId).map((r) => r.replyTo ?? r.id));
  const readable = (r: (typeof all)[number]) => access.staff || r.groupId === null || r.groupId === access.group?.id || theirs.has(r.replyTo ?? r.id);
  const rows = all.filter(readable);
  const groupName = new Map(access.groups.map((g) => [g.id, g.name]));
  const posts = rows.map(
    (r): Post => ({
      id: r.id,
      replyTo: r.replyTo,
      authorName: r.authorName,
      byStaff: r.byStaff,
      body: r.hiddenAt && !access.staff ? '' : r.body,
      pinned: r.pinned,
      hidden: r.hiddenAt !== null,
      createdAt: r.createdAt,
      mine: r.authorUserId === access.author.userId,
      groupName: r.groupId ? (groupName.get(r.groupId) ?? 'A removed group') : null,
    }),
  );
  const groupOf = new Map(all.map((r) => [r.id, r.groupId]));
  const threads: Thread[] = posts.filter((p) => !p.replyTo).map((post) => {
    const groupId = groupOf.get(post.id) ?? null;
    return { post, replies: posts.filter((r) => r.replyTo === post.id), open: access.staff || groupId === null || groupId === access.group?.id };
  });
  threads.sort((a, b) => Number(b.post.pinned) - Number(a.post.pinned));
  return { ...access, threads };
}

/**
 * Adds a post to a module's discussion, or a reply to one of its threads (`replyTo`), for those who
 * may post (ForbiddenError for a participant not in training). ValidationError on `body` when it shows
 * nothing or is longer than POST_MAX_CHARACTERS characters; NotFoundError when `replyTo` is not a
 * thread of this discussion, or one a facilitator hid.
 * Returns the new post's id.
 */
export async function postToDiscussion(ctx: LearningContext, actor: Actor, of: DiscussionOf, moduleKey: string, input: { body: string; replyTo?: string | undefined; groupId?: string | undefined }): Promise<string> {
  const access = await accessTo(ctx, actor, of, moduleKey);
  if (!access.mayPost) throw new ForbiddenError();
  // Whose discussion: a participant's group (or the whole intake's, in none); staff choose; a reply is in its thread's.
  let groupId: string | null = access.staff ? input.groupId || null : (access.group?.id ?? null);
  if (access.staff && groupId && !access.groups.some((g) => g.id === groupId)) throw new ValidationError({ groupId: 'Select one of this intake’s groups, or everyone' });
  if (input.replyTo) {
    // A thread hidden by a facilitator takes no more replies (its page offers none); nor does one of another group.
    const [thread] = await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.id, input.replyTo));
    if (!thread || thread.intakeId !== access.intake.id || thread.moduleKey !== moduleKey || thread.replyTo !== null || thread.hiddenAt) throw new NotFoundError('post');
    if (!access.staff && thread.groupId !== null && thread.groupId !== access.group?.id) throw new NotFoundError('post');
    groupId = thread.groupId;
  }
  const body = input.body.replace(/\r\n?/g, '\n').trim();
  const length = characterCount(body);
  if (!hasVisibleText(body)) throw new ValidationError({ body: input.replyTo ? 'Enter your reply' : 'Enter your post' });
  if (length > POST_MAX_CHARACTERS) throw new ValidationError({ body: `Your ${input.replyTo ? 'reply' : 'post'} must be ${POST_MAX_CHARACTERS.toLocaleString('en-GB')} characters or fewer: it is ${length.toLocaleString('en-GB')}` });
  const now = ctx.clock.now();
  return commit(ctx, async (tx) => {
    // The same words sent twice by the same person within two minutes (a double click without
    // JavaScript, a form sent again) are one post: the second send gives back the first. Sends from one
    // person to one discussion take turns, so two at once cannot both miss the other.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`discussion ${access.intake.id} ${moduleKey} ${access.author.userId}`}))`);
    const [same] = await tx
      .select({ id: discussionPosts.id })
      .from(discussionPosts)
      .where(
        and(
          eq(discussionPosts.intakeId, access.intake.id),
          eq(discussionPosts.moduleKey, moduleKey),
          eq(discussionPosts.authorUserId, access.author.userId),
          input.replyTo ? eq(discussionPosts.replyTo, input.replyTo) : isNull(discussionPosts.replyTo),
          eq(discussionPosts.body, body),
          gte(discussionPosts.createdAt, new Date(now.getTime() - SAME_POST_WITHIN_MS)),
        ),
      )
      .limit(1);
    if (same) return same.id;
    const [row] = await tx
      .insert(discussionPosts)
      .values({ intakeId: access.intake.id, moduleKey, groupId, replyTo: input.replyTo ?? null, authorUserId: access.author.userId, authorName: access.author.name, byStaff: access.staff, body, createdAt: now })
      .returning({ id: discussionPosts.id });
    await audit(tx, ctx.clock, actor, { action: 'discussion.posted', entityType: 'intake', entityId: access.intake.id, after: { moduleKey, postId: row!.id, groupId, replyTo: input.replyTo ?? null, body } });
    return row!.id;
  });
}

export const MODERATIONS = ['hide', 'show', 'pin', 'unpin'] as const;
export type Moderation = (typeof MODERATIONS)[number];

/**
 * Hides a post from participants or shows it again, pins a thread's first post to the top as guidance
 * or unpins it: for the intake's staff (NotFoundError for a post they may not see). Returns where the
 * post is, for the page to go back to. A reply is not pinned (ValidationError on `post`).
 */
export async function moderatePost(ctx: LearningContext, actor: Actor, postId: string, action: Moderation): Promise<{ intakeId: string; moduleKey: string }> {
  const me = requireFullySignedIn(actor);
  const [post] = await ctx.db.select().from(discussionPosts).where(eq(discussionPosts.id, postId));
  if (!post) throw new NotFoundError('post');
  const { may } = await intakeFor(ctx, actor, post.intakeId);
  if (!may.reviewCoreTasks) throw new ForbiddenError();
  if ((action === 'pin' || action === 'unpin') && post.replyTo) throw new ValidationError({ post: 'Only the first post of a thread can be pinned' });
  const now = ctx.clock.now();
  const change = action === 'hide' ? { hiddenAt: now, hiddenBy: me.userId } : action === 'show' ? { hiddenAt: null, hiddenBy: null } : { pinned: action === 'pin' };
  await commit(ctx, async (tx) => {
    await tx.update(discussionPosts).set(change).where(eq(discussionPosts.id, postId));
    await audit(tx, ctx.clock, actor, { action: `discussion.${action}`, entityType: 'intake', entityId: post.intakeId, before: { postId, pinned: post.pinned, hiddenAt: post.hiddenAt }, after: { postId, ...change } });
  });
  return { intakeId: post.intakeId, moduleKey: post.moduleKey };
}
