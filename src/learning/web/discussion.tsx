import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import type { FieldErrors } from '../../platform/errors';
import { renderUserText } from '../../platform/markdown';
import type { PageContext } from '../../platform/page-context';
import { Button, Select, Tag, Textarea } from '../../ui/govuk';
import { POST_MAX_CHARACTERS, type Post, type Thread } from '../participants/discussion';

type Body = Record<string, string | undefined>;

/**
 * A module's discussion as participants and staff read it (issue 10 item 4): pinned guidance first,
 * each thread with its replies, a form to reply to each (inside a details element, so it works without
 * JavaScript), and a form to start a thread. `moderate` is the address staff post hide and pin to
 * (`${moderate}/${post id}/${action}`); participants have none. A failed post comes back with its
 * error on `body` (a new thread) or `body-<thread id>` (a reply), and what was typed.
 */
export function Discussion(p: { ctx: PageContext; threads: Thread[]; timeZone: string; action: string; mayPost: boolean; moderate?: string | undefined; errors?: FieldErrors | undefined; typed?: Body | undefined; audience: string; groups?: { id: string; name: string }[] | undefined }) {
  const replyingTo = p.typed?.replyTo;
  return (
    <section id="discussion" aria-labelledby="discussion-heading">
      <h2 class="govuk-heading-l" id="discussion-heading">
        Discussion
      </h2>
      {p.threads.length ? null : <p class="govuk-body">No one has posted yet.{p.mayPost ? ' Start the discussion below.' : ''}</p>}
      {p.threads.map((t) => (
        <article class="app-post govuk-!-margin-bottom-6" data-post={t.post.id} aria-label={`Post by ${t.post.authorName}`}>
          <PostView ctx={p.ctx} post={t.post} timeZone={p.timeZone} moderate={p.moderate} />
          <div class="govuk-!-margin-left-6">
            {t.replies.map((r) => (
              <div data-post={r.id}>
                <PostView ctx={p.ctx} post={r} timeZone={p.timeZone} moderate={p.moderate} />
              </div>
            ))}
            {p.mayPost && !t.post.hidden && t.open ? (
              <details class="govuk-details" open={replyingTo === t.post.id ? true : undefined}>
                <summary class="govuk-details__summary">
                  <span class="govuk-details__summary-text">
                    Reply<span class="govuk-visually-hidden"> to {t.post.authorName}</span>
                  </span>
                </summary>
                <div class="govuk-details__text">
                  <form method="post" action={p.action} novalidate>
                    <Csrf ctx={p.ctx} />
                    <input type="hidden" name="replyTo" value={t.post.id} />
                    <Textarea id={`body-${t.post.id}`} name="body" rows={3} label={{ text: `Your reply to ${t.post.authorName}`, classes: 'govuk-label--s' }} value={replyingTo === t.post.id ? p.typed?.body : ''} errorMessage={p.errors?.[`body-${t.post.id}`] ? { text: p.errors[`body-${t.post.id}`]! } : undefined} attributes={{ maxlength: String(POST_MAX_CHARACTERS) }} />
                    <Button text="Send your reply" classes="govuk-button--secondary" preventDoubleClick />
                  </form>
                </div>
              </details>
            ) : null}
          </div>
        </article>
      ))}
      {p.mayPost ? (
        <form method="post" action={p.action} novalidate>
          <Csrf ctx={p.ctx} />
          <Textarea
            id="body"
            name="body"
            rows={5}
            label={{ text: 'Start a new thread', classes: 'govuk-label--m' }}
            hint={{ text: `Plain text. Web addresses become links. ${p.audience}` }}
            value={replyingTo ? '' : p.typed?.body}
            errorMessage={p.errors?.body ? { text: p.errors.body } : undefined}
            attributes={{ maxlength: String(POST_MAX_CHARACTERS) }}
          />
          {p.groups?.length ? (
            <Select
              id="groupId"
              name="groupId"
              label={{ text: 'Who can read it', classes: 'govuk-label--s' }}
              value={replyingTo ? '' : p.typed?.groupId}
              errorMessage={p.errors?.groupId ? { text: p.errors.groupId } : undefined}
              items={[{ value: '', text: 'Everyone in the intake' }, ...p.groups.map((g) => ({ value: g.id, text: `${g.name} only` }))]}
            />
          ) : null}
          <Button text="Post to the discussion" preventDoubleClick />
        </form>
      ) : null}
    </section>
  );
}

function PostView(p: { ctx: PageContext; post: Post; timeZone: string; moderate?: string | undefined }) {
  const { post } = p;
  const action = (name: string, text: string) => (
    <form method="post" action={`${p.moderate}/${post.id}/${name}`} class="app-inline-form" novalidate>
      <Csrf ctx={p.ctx} />
      <button type="submit" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-2 govuk-!-margin-right-2" data-module="govuk-button">
        {text}
        <span class="govuk-visually-hidden"> the post by {post.authorName}</span>
      </button>
    </form>
  );
  return (
    <div class="govuk-!-margin-bottom-4">
      <p class="govuk-body-s govuk-!-margin-bottom-1">
        <strong>{post.authorName}</strong>
        {post.byStaff ? ' (facilitator)' : ''}, {formatDateTime(post.createdAt, p.timeZone)} {post.groupName ? <Tag text={post.groupName} classes="govuk-tag--blue" /> : null} {post.pinned ? <Tag text="Pinned guidance" classes="govuk-tag--purple" /> : null} {post.hidden ? <Tag text="Hidden" classes="govuk-tag--grey" /> : null}
      </p>
      {post.hidden && !post.body ? <p class="govuk-body govuk-hint">This post was hidden by a facilitator.</p> : <div class={post.hidden ? 'govuk-hint' : undefined} dangerouslySetInnerHTML={{ __html: renderUserText(post.body) }} />}
      {p.moderate ? (
        <div>
          {post.hidden ? action('show', 'Show again') : action('hide', 'Hide')}
          {post.replyTo ? null : post.pinned ? action('unpin', 'Unpin') : post.hidden ? null : action('pin', 'Pin as guidance')}
        </div>
      ) : null}
    </div>
  );
}
