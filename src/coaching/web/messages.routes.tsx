import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { paginationFor, requireAbility } from '../../platform/admin';
import { formatDateTime } from '../../platform/clock';
import { Csrf } from '../../platform/csrf';
import { AppError, type FieldErrors, ValidationError } from '../../platform/errors';
import { sendDownload } from '../../platform/file-download';
import { acceptFileForms, sentFile } from '../../platform/file-forms';
import { acceptOf, FILE_TYPES, fileSizeText, fileTypesText } from '../../platform/file-types';
import { one } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { EmptyList, FilterButtons } from '../../platform/list-filters';
import type { PageContext } from '../../platform/page-context';
import { clip } from '../../platform/text';
import { requireSignIn } from '../../platform/web';
import { escapeHtml } from '../../ui/govuk/core';
import { Button, FileUpload, Input, InsetText, Pagination, Select, Table, Tag, Textarea } from '../../ui/govuk';
import { supportsParticipants } from '../domain/coaching.policy';
import { MESSAGE_FILE_MAX_BYTES, MESSAGE_FILE_TYPES, MESSAGE_MAX_CHARACTERS, MESSAGE_ROLE_LABELS, WITHDRAW_WITHIN_MINUTES } from '../domain/messages';
import type { CoachingService } from '../coaching.service';
import { CONVERSATIONS_PER_PAGE, type Message, type Side } from '../messages/messages';
import { Flash } from '../../platform/flash';

type Body = Record<string, string | undefined>;
type Params = { eid: string; mid?: string };
const uuid = z.uuid();
const INBOX = '/messages';
const sideOf = (staff: boolean): Side => (staff ? 'support' : 'participant');
const valid = (req: FastifyRequest<{ Params: Params }>) => uuid.safeParse(req.params.eid).success && (req.params.mid === undefined || uuid.safeParse(req.params.mid).success);

/** The conversation, oldest first, with a marker where the reader's unread messages start. */
function Messages(p: { ctx: PageContext; messages: Message[]; base: string; zone: string; errors?: FieldErrors | undefined }) {
  const firstUnread = p.messages.find((m) => m.unread)?.id;
  return (
    <ol class="govuk-list app-messages" aria-label="Messages">
      {p.messages.map((m) => (
        <li class={`app-message${m.mine ? ' app-message--mine' : ''}`} id={`message-${m.id}`} data-message={m.id}>
          {m.id === firstUnread ? <p class="govuk-body govuk-!-font-weight-bold" id="new">New messages</p> : null}
          <p class="govuk-body govuk-!-margin-bottom-1">
            <strong>{m.mine ? 'You' : m.authorName}</strong>
            {m.mine ? `, ${formatDateTime(m.createdAt, p.zone)}` : `, ${MESSAGE_ROLE_LABELS[m.authorRole].toLowerCase()}, ${formatDateTime(m.createdAt, p.zone)}`}
            {m.unread ? (
              <>
                {' '}
                <Tag text="New" classes="govuk-tag--blue" />
              </>
            ) : null}
          </p>
          {m.withdrawn ? (
            <p class="govuk-body govuk-hint">This message was withdrawn by {m.mine ? 'you' : 'its writer'}.</p>
          ) : (
            <>
              {m.body ? <p class="govuk-body app-prewrap">{m.body}</p> : null}
              {m.file ? (
                <p class="govuk-body">
                  {'File: '}
                  <a class="govuk-link" href={`${p.base}/${m.id}/file`} download>
                    {m.file.name}
                  </a>
                  {` (${FILE_TYPES[m.file.type]?.label ?? m.file.type}, ${fileSizeText(m.file.size)})`}
                </p>
              ) : null}
            </>
          )}
          {p.errors?.[`message-${m.id}`] ? <p class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {p.errors[`message-${m.id}`]}</p> : null}
          {m.mayWithdraw ? (
            <form method="post" action={`${p.base}/${m.id}/withdraw`} novalidate>
              <Csrf ctx={p.ctx} />
              {/* The visible words begin the button's name (WCAG 2.5.3); what follows tells one message's button from another's. */}
              <Button html={`Withdraw this message<span class="govuk-visually-hidden">: ${escapeHtml(formatDateTime(m.createdAt, p.zone))}, ${escapeHtml(clip(m.body || (m.file?.name ?? ''), 40))}</span>`} classes="govuk-button--secondary govuk-!-margin-bottom-2" />
            </form>
          ) : null}
        </li>
      ))}
    </ol>
  );
}

/** The form to write: words, a file, or both. A file chosen before a refusal must be chosen again (browsers do not keep it), and the page says so. */
function WriteMessage(p: { ctx: PageContext; action: string; typed?: Body | undefined; errors?: FieldErrors | undefined; to: string; seen: string | undefined }) {
  return (
    <form method="post" action={p.action} enctype="multipart/form-data" novalidate>
      <Csrf ctx={p.ctx} />
      {/* The newest message this page showed: sending marks read what the writer saw, not what came while they typed. */}
      {p.seen ? <input type="hidden" name="seen" value={p.seen} /> : null}
      <Textarea
        id="body"
        name="body"
        rows={6}
        label={{ text: `Your message to ${p.to}`, classes: 'govuk-label--m', isPageHeading: false }}
        hint={{ text: `Up to ${MESSAGE_MAX_CHARACTERS.toLocaleString('en-GB')} characters. They get an email saying there is a message, never what it says.` }}
        value={p.typed?.body ?? ''}
        errorMessage={p.errors?.body ? { text: p.errors.body } : undefined}
        attributes={{ maxlength: String(MESSAGE_MAX_CHARACTERS) }}
      />
      <FileUpload
        id="file"
        name="file"
        label={{ text: 'Attach a file (optional)', classes: 'govuk-label--s' }}
        hint={{ text: `A ${fileTypesText(MESSAGE_FILE_TYPES)} file, up to ${MESSAGE_FILE_MAX_BYTES / 1024 / 1024} MB.${p.errors ? ' If you had chosen a file, choose it again: a page shown with an error cannot keep it.' : ''}` }}
        errorMessage={p.errors?.file ? { text: p.errors.file } : undefined}
        attributes={{ accept: acceptOf(MESSAGE_FILE_TYPES) }}
      />
      <Button text="Send the message" preventDoubleClick />
    </form>
  );
}

/**
 * Messages between participants and their support (issue 11 item 2): the participant's conversation
 * on their place (`/programme/:eid/messages`), and a tutor's or facilitator's list of conversations
 * (`/messages`) and each one (`/messages/:eid`). Both sides write, attach files, withdraw a slip
 * within WITHDRAW_WITHIN_MINUTES, and download what was sent. Every page works without JavaScript.
 */
export async function messagesRoutes(app: FastifyInstance, opts: { coaching: CoachingService }) {
  const { coaching } = opts;
  await acceptFileForms(app, MESSAGE_FILE_MAX_BYTES);
  const signedIn = { preHandler: requireSignIn };
  // A body larger than a form's: whoever sends it is checked before any of it is read (onRequest, not preHandler).
  const sending = { onRequest: requireSignIn, bodyLimit: MESSAGE_FILE_MAX_BYTES + 1024 * 1024 };
  const staffOnly = { preHandler: requireAbility(supportsParticipants) };

  const conversationPage = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, staff: boolean, errors?: FieldErrors, typed?: Body) => {
    // The participant reads on their own place's address, their supporters on theirs: either reached by the other is 404.
    const c = await coaching.readConversation(req.actor, req.params.eid, sideOf(staff));
    const base = staff ? `${INBOX}/${c.place.enrolmentId}` : `/programme/${c.place.enrolmentId}/messages`;
    const zone = staff ? 'Europe/London' : (c.place.timeZone ?? 'Europe/London');
    const to = staff
      ? c.place.fullName
      : [c.support.tutor ? `${c.support.tutor.name} (personal tutor)` : '', c.support.facilitator && c.support.facilitator.userId !== c.support.tutor?.userId ? `${c.support.facilitator.name} (facilitator, ${c.support.facilitator.groupName})` : ''].filter(Boolean).join(' and ');
    const title = staff ? `Messages with ${c.place.fullName}` : 'Messages with your tutor and facilitator';
    const others = [c.support.tutor ? `${c.support.tutor.name}, personal tutor` : null, c.support.facilitator ? `${c.support.facilitator.name}, facilitator of ${c.support.facilitator.groupName}` : null].filter(Boolean);
    return reply.page(
      (ctx: PageContext) => (
        <Layout ctx={ctx} title={title} errors={errors}>
          <Flash ctx={ctx} />
          <a class="govuk-back-link" href={staff ? INBOX : '/programme'}>
            {staff ? 'Your messages' : 'Your programme'}
          </a>
          <h1 class="govuk-heading-xl">{title}</h1>
          <p class="govuk-body">
            {staff
              ? `${c.place.courseIdentifier}. Read by ${c.place.fullName} and whoever tutors them or facilitates their group: ${others.join('; ') || 'nobody else now'}.`
              : others.length
                ? `Read by you and ${others.join(', and ')}. Nobody else at your provider reads them.`
                : 'You do not have a personal tutor or a group facilitator yet. Your provider will tell you when you do.'}
            {` Times are UK time${zone === 'Europe/London' ? '' : ` (${zone})`}.`}
          </p>
          {c.messages.length ? <Messages ctx={ctx} messages={c.messages} base={base} zone={zone} errors={errors} /> : <p class="govuk-body">No messages yet.</p>}
          {/* Refused for want of anyone to write to: the form stays, with what was typed, so nothing is lost. */}
          {c.mayWrite || typed?.body ? (
            <WriteMessage ctx={ctx} action={base} typed={typed} errors={errors} to={to || 'your tutor and facilitator'} seen={c.newestId} />
          ) : c.why === 'withdrawn' ? (
            <InsetText text="You have withdrawn from this NPQ, so you can read your messages but not send new ones." />
          ) : null}
          <p class="govuk-body govuk-hint">{`You can withdraw a message you sent within ${WITHDRAW_WITHIN_MINUTES} minutes of sending it.`}</p>
        </Layout>
      ),
      errors ? 422 : 200,
    );
  };

  const send = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, staff: boolean) => {
    if (!valid(req)) return reply.callNotFound();
    const { file, ...fields } = (req.body ?? {}) as Body & { file?: unknown };
    const body: Body = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, one(v)]));
    let id: string;
    try {
      id = await coaching.sendMessage(req.actor, req.params.eid, sideOf(staff), String(body.body ?? ''), sentFile(file), uuid.safeParse(body.seen).success ? body.seen : undefined);
    } catch (err) {
      if (err instanceof ValidationError) return conversationPage(req, reply, staff, err.fieldErrors, body);
      if (err instanceof AppError && err.status === 422) return conversationPage(req, reply, staff, { body: err.message }, body);
      throw err;
    }
    reply.flash('Your message is sent.');
    return reply.redirect(`${staff ? `${INBOX}/${req.params.eid}` : `/programme/${req.params.eid}/messages`}#message-${id}`, 303);
  };

  const withdraw = async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply, staff: boolean) => {
    if (!valid(req)) return reply.callNotFound();
    const back = staff ? `${INBOX}/${req.params.eid}` : `/programme/${req.params.eid}/messages`;
    try {
      await coaching.withdrawMessage(req.actor, req.params.eid, sideOf(staff), req.params.mid!);
    } catch (err) {
      // Said at the message it is about, not at the box for a new one.
      if (err instanceof AppError && err.status === 422) return conversationPage(req, reply, staff, { [`message-${req.params.mid}`]: err.message });
      throw err;
    }
    reply.flash('Your message is withdrawn.');
    return reply.redirect(back, 303);
  };

  const download = (staff: boolean) => async (req: FastifyRequest<{ Params: Params }>, reply: FastifyReply) => {
    if (!valid(req)) return reply.callNotFound();
    return sendDownload(reply, await coaching.messageFile(req.actor, req.params.eid, sideOf(staff), req.params.mid!));
  };

  // The participant's side.
  app.get<{ Params: Params }>('/programme/:eid/messages', signedIn, async (req, reply) => (valid(req) ? conversationPage(req, reply, false) : reply.callNotFound()));
  app.post<{ Params: Params }>('/programme/:eid/messages', sending, async (req, reply) => send(req, reply, false));
  app.post<{ Params: Params }>('/programme/:eid/messages/:mid/withdraw', signedIn, async (req, reply) => withdraw(req, reply, false));
  app.get<{ Params: Params }>('/programme/:eid/messages/:mid/file', signedIn, download(false));

  // The supporters' side.
  app.get(INBOX, staffOnly, async (req, reply) => {
    const query = (req.query ?? {}) as Body;
    const unread = one(query.show) === 'unread';
    const q = (one(query.q) ?? '').slice(0, 100);
    const pageAsked = Number.parseInt(one(query.page) ?? '1', 10);
    const l = await coaching.myConversations(req.actor, { unread, q, page: Number.isFinite(pageAsked) ? pageAsked : 1 });
    const totalPages = Math.max(1, Math.ceil(l.total / CONVERSATIONS_PER_PAGE));
    const pagination = paginationFor(l.page, totalPages, INBOX, { show: unread ? 'unread' : undefined, q: q || undefined });
    const filtered = unread || !!q;
    return reply.page((ctx: PageContext) => (
      <Layout ctx={ctx} title="Your messages">
        <h1 class="govuk-heading-xl">Your messages</h1>
        <p class="govuk-body">{`With the participants you tutor and those in the groups you facilitate.${l.everyone ? (l.unreadConversations ? ` ${l.unreadConversations} ${l.unreadConversations === 1 ? 'conversation has' : 'conversations have'} messages you have not read.` : ' You have read every message.') : ''}`}</p>
        {l.everyone ? (
        <form method="get" action={INBOX} novalidate>
          <div class="govuk-grid-row">
            <div class="govuk-grid-column-one-half">
              <Select id="show" name="show" label={{ text: 'Show', classes: 'govuk-label--s' }} value={unread ? 'unread' : ''} items={[{ value: '', text: 'Everyone' }, { value: 'unread', text: 'With messages not read' }]} />
            </div>
            <div class="govuk-grid-column-one-half">
              <Input id="q" name="q" label={{ text: 'Participant’s name', classes: 'govuk-label--s' }} value={q} maxlength={100} />
            </div>
          </div>
          <FilterButtons clearHref={INBOX} filtered={filtered} />
        </form>
        ) : null}
        {l.conversations.length ? (
          <Table
            caption="Conversations"
            captionClasses="govuk-visually-hidden"
            head={[{ text: 'Participant' }, { text: 'You are their' }, { text: 'Latest message' }, { text: 'Not read', format: 'numeric' }]}
            rows={l.conversations.map((c) => [
              { html: `<a class="govuk-link" href="${INBOX}/${c.enrolmentId}">${escapeHtml(c.participantName)}</a><br><span class="govuk-hint govuk-!-margin-bottom-0">${escapeHtml(c.courseIdentifier)}${c.trainingStatus === 'active' ? '' : `, ${escapeHtml(c.trainingStatus)}`}</span>` },
              { text: c.as },
              { text: c.lastMessageAt ? formatDateTime(c.lastMessageAt) : 'No messages yet' },
              { html: c.unread ? `<strong class="govuk-tag govuk-tag--blue">${c.unread} new</strong>` : '0', format: 'numeric' },
            ])}
          />
        ) : l.everyone ? (
          <EmptyList things="conversations" filtered={filtered} clearHref={INBOX} />
        ) : (
          <InsetText text="Nobody is yours to write to yet: participants appear here once you are their personal tutor or facilitate their group." />
        )}
        {pagination ? <Pagination {...pagination} /> : null}
      </Layout>
    ));
  });
  app.get<{ Params: Params }>(`${INBOX}/:eid`, staffOnly, async (req, reply) => (valid(req) ? conversationPage(req, reply, true) : reply.callNotFound()));
  app.post<{ Params: Params }>(`${INBOX}/:eid`, { ...sending, ...staffOnly }, async (req, reply) => send(req, reply, true));
  app.post<{ Params: Params }>(`${INBOX}/:eid/:mid/withdraw`, staffOnly, async (req, reply) => withdraw(req, reply, true));
  app.get<{ Params: Params }>(`${INBOX}/:eid/:mid/file`, staffOnly, download(true));
}
