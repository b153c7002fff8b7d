import type { FastifyInstance } from 'fastify';
import { Button } from '../ui/govuk';
import { Layout } from '../platform/layout';
import { requireSignIn } from '../platform/web';
import { NotificationBanner, SummaryList } from '../ui/govuk';
import { escapeHtml } from '../ui/govuk/core';
import { ROLE_LABELS } from '../people/domain/roles';
import { can } from '../people/domain/policy';
import type { CatalogueService } from '../catalogue/catalogue.service';

export async function homeRoutes(app: FastifyInstance, opts: { catalogue: CatalogueService }) {
  app.get('/', async (_req, reply) => {
    const entries = await opts.catalogue.list();
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="National Professional Qualifications">
        <h1 class="govuk-heading-xl">Lead with confidence: National Professional Qualifications</h1>
        <p class="govuk-body-l">
          {ctx.branding.name} delivers {entries.length} DfE-accredited NPQs for teachers and school leaders, with face-to-face, distance and whole-school options.
        </p>
        <Button href="/qualifications" text="Find an NPQ" classes="govuk-button--start" />
        <h2 class="govuk-heading-m">Not sure where to start?</h2>
        <ul class="govuk-list">
          <li>
            <a class="govuk-link" href="/qualifications/compare">Which NPQ is right for me?</a>
          </li>
          <li>
            <a class="govuk-link" href="/funding">Check if DfE will fund your NPQ</a>
          </li>
          <li>
            <a class="govuk-link" href="/qualifications?kind=specialist">Specialist NPQs for teachers</a>
          </li>
          <li>
            <a class="govuk-link" href="/qualifications?kind=leadership">Leadership NPQs</a>
          </li>
        </ul>
      </Layout>
    ));
  });

  app.get('/home', { preHandler: requireSignIn }, async (req, reply) => {
    const me = req.actor.kind === 'user' ? req.actor : undefined;
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Your account">
        {ctx.flash ? <NotificationBanner type="success" text={ctx.flash} /> : null}
        <h1 class="govuk-heading-xl">Hello, {me?.name}</h1>
        <SummaryList
          rows={[
            { key: { text: 'Email' }, value: { text: me?.email ?? '' } },
            { key: { text: 'Roles' }, value: { html: (me?.roles ?? []).map((r) => ROLE_LABELS[r.role]).map(escapeHtml).join('<br>') || 'None' } },
          ]}
        />
        <h2 class="govuk-heading-m">What you can do</h2>
        <ul class="govuk-list">
          <li>
            <a class="govuk-link" href="/applications">Your NPQ applications</a>
          </li>
          <li>
            <a class="govuk-link" href="/diagnostic">Your 360° leadership diagnostic</a>
          </li>
          {can(req.actor, 'diagnostic:manage') ? (
            <li>
              <a class="govuk-link" href="/admin/diagnostic">Run the 360° diagnostic</a>
            </li>
          ) : null}
          {can(req.actor, 'applications:manage') ? (
            <li>
              <a class="govuk-link" href="/admin/applications">Decide applications</a>
            </li>
          ) : null}
          {can(req.actor, 'gateway:review') ? (
            <li>
              <a class="govuk-link" href="/admin/gateway">Review gateway assessments</a>
            </li>
          ) : null}
          {can(req.actor, 'catalogue:manage') ? (
            <li>
              <a class="govuk-link" href="/admin/catalogue">Manage the catalogue</a>
            </li>
          ) : null}
          {can(req.actor, 'users:manage') ? (
            <li>
              <a class="govuk-link" href="/admin/users">Manage users</a>
            </li>
          ) : null}
          {can(req.actor, 'audit:read') ? (
            <li>
              <a class="govuk-link" href="/admin/audit">Read the audit log</a>
            </li>
          ) : null}
          {can(req.actor, 'api_tokens:manage') ? (
            <li>
              <a class="govuk-link" href="/admin/api-tokens">API tokens</a>
            </li>
          ) : null}
          {can(req.actor, 'outbox:read') ? (
            <li>
              <a class="govuk-link" href="/admin/outbox">Sent email</a>
            </li>
          ) : null}
          <li>
            <a class="govuk-link" href="/account/sessions">Where you are signed in</a>
          </li>
          <li>
            <a class="govuk-link" href="/qualifications">Browse qualifications</a>
          </li>
        </ul>
        <form method="post" action="/sign-out">
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
            Sign out
          </button>
        </form>
      </Layout>
    ));
  });
}

