import type { FastifyInstance } from 'fastify';
import type { Config } from '../config';
import type { Db } from '../db/client';
import { pageNumber, paginationFor, requireAbility } from '../platform/admin';
import { outboxAbilities } from './domain/outbox.policy';
import { formatDateTime } from '../platform/clock';
import { Layout } from '../platform/layout';
import { NotificationBanner, Pagination, SummaryList, Tag } from '../ui/govuk';
import { outboxRepository } from './outbox';

/** Paths whose next segment is a key: whoever holds the link acts as the person it was sent to. */
const KEY_PATHS = ['rate', 'invitations', 'password-reset', 'school-approval'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_PARAMS = /token|key|code|secret|sig|otp|auth/i;
export const REDACTED = '••••••';

/**
 * Whether a piece of a link looks like a key rather than a name: long, URL-safe, and mixed like a
 * random token (our tokens are 32 random bytes in base64url, 43 characters). Record ids (UUIDs) and
 * readable slugs such as course identifiers are not keys: their pages ask the reader to sign in.
 */
function looksLikeKey(part: string): boolean {
  if (part.length < 20 || !/^[A-Za-z0-9_-]+$/.test(part) || UUID.test(part)) return false;
  return (/[a-z]/.test(part) && /[A-Z]/.test(part)) || (part.length >= 32 && /\d/.test(part) && /[A-Za-z]/.test(part));
}

/**
 * An email's text with every key in it made unusable: the segment after a known key path (`/rate/…`,
 * `/invitations/…`, `/password-reset/…`, `/school-approval/…`), any other link segment or query value
 * that looks like a key, and any bare token, each shown as REDACTED. What the email said stays legible.
 */
export function redactKeys(text: string): string {
  const links = text.replace(/https?:\/\/[^\s<>"')]+/g, (link) => {
    let url: URL;
    try {
      url = new URL(link);
    } catch {
      return REDACTED;
    }
    const parts = url.pathname.split('/');
    const path = parts.map((p, i) => (i > 0 && KEY_PATHS.includes(parts[i - 1]!) && p) || looksLikeKey(p) ? REDACTED : p).join('/');
    const query = [...url.searchParams].map(([k, v]) => `${k}=${KEY_PARAMS.test(k) || looksLikeKey(v) ? REDACTED : v}`).join('&');
    return `${url.origin}${path}${query ? `?${query}` : ''}${url.hash && looksLikeKey(url.hash.slice(1)) ? `#${REDACTED}` : url.hash}`;
  });
  return links.replace(/[A-Za-z0-9_-]{20,}/g, (word) => (looksLikeKey(word) ? REDACTED : word));
}

/**
 * The outbox shows links usable only in the demo with no mail server, where it is the only way to
 * receive mail; never in production, whatever else is set (ADR 0014).
 */
export const outboxShowsLinks = (c: Pick<Config, 'NODE_ENV' | 'DEMO' | 'SMTP_URL'>): boolean => c.NODE_ENV !== 'production' && c.DEMO && !c.SMTP_URL;

/** What the platform has written, for an admin: who, what and whether delivered; links that act as keys redacted. */
export async function outboxRoutes(app: FastifyInstance, opts: { db: Db; showLinks: boolean }) {
  app.get('/admin/outbox', { preHandler: requireAbility((actor) => outboxAbilities(actor).read) }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const page = pageNumber(q.page);
    const { rows, total } = await outboxRepository.page(opts.db, page, 20, q.to || undefined);
    const pagination = paginationFor(page, Math.ceil(total / 20), '/admin/outbox', { to: q.to });
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Email">
        <h1 class="govuk-heading-xl">Email</h1>
        {opts.showLinks ? (
          <NotificationBanner titleText="Demo: links are shown" classes="app-demo-warning">
            <p class="govuk-notification-banner__heading">These emails show their links, and a link acts as a key: whoever opens it can act as the person it was sent to.</p>
            <p class="govuk-body">This is shown only because this is a demo with no mail server, so the outbox is the only way to receive mail. With a mail server (SMTP_URL), or in production, the links are hidden.</p>
          </NotificationBanner>
        ) : null}
        <p class="govuk-body">
          Every email the platform has written, newest first, and whether it has been delivered.
          {opts.showLinks ? '' : ' Links that act as keys (to rate a colleague, set a password, approve an application) are hidden: only the person they were sent to can use them.'}
        </p>
        {rows.length === 0 ? <p class="govuk-body">No email yet.</p> : null}
        {rows.map((m) => (
          <div class="app-card">
            <h2 class="govuk-heading-s">{m.subject}</h2>
            <SummaryList
              classes="govuk-summary-list--no-border"
              rows={[
                { key: { text: 'To' }, value: { text: m.to } },
                { key: { text: 'Written' }, value: { text: formatDateTime(m.createdAt) } },
                {
                  key: { text: 'Status' },
                  value: { html: m.sentAt ? '<strong class="govuk-tag govuk-tag--green">Sent</strong>' : m.lastError ? '<strong class="govuk-tag govuk-tag--red">Failing</strong>' : '<strong class="govuk-tag govuk-tag--grey">Waiting</strong>' },
                },
              ]}
            />
            <pre class="app-code">{opts.showLinks ? m.body : redactKeys(m.body)}</pre>
          </div>
        ))}
        {pagination ? <Pagination {...pagination} /> : null}
        {total > 0 ? <Tag text={`${total} in all`} classes="govuk-tag--grey" /> : null}
      </Layout>
    ));
  });
}
