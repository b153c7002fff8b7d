import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { PageContext } from '../../platform/page-context';
import { z } from 'zod';
import { requireAbility } from '../../platform/admin';
import { abilitiesFor, apiTokenAbilities } from '../domain/api-tokens.policy';
import { buttonFormHtml } from '../../platform/csrf';
import { formatDateTime } from '../../platform/clock';
import { asArray, parseForm } from '../../platform/forms';
import { Layout } from '../../platform/layout';
import { Button, Checkboxes, Input, Panel, Table, WarningText } from '../../ui/govuk';
import type { ApiTokenService } from '../api-tokens.service';
import { whenMissing } from '../../platform/zod-messages';
import { API_SCOPE_LABELS, API_SCOPES, isApiScope } from '../domain/scopes';
import { ValidationError } from '../../platform/errors';
import { Flash } from '../../platform/flash';

const tokenForm = z.object({
  name: z.string({ error: whenMissing('Enter a name for the token') }).trim().min(1, 'Enter a name for the token, like "Finance sync"').max(100, 'Name must be 100 characters or fewer'),
  scopes: z.preprocess(asArray, z.array(z.string()).min(1, 'Select what the token may do').refine((a) => a.every(isApiScope), 'Select only the listed permissions')),
});

export async function adminApiTokenRoutes(app: FastifyInstance, opts: { apiTokens: ApiTokenService }) {
  const guard = { preHandler: requireAbility((actor) => apiTokenAbilities(actor).manage) };
  const listPage = async (req: FastifyRequest, errors?: Record<string, string>, typed?: { name: string; scopes: string[] }) => {
    const tokens = await opts.apiTokens.list(req.actor);
    return (ctx: PageContext) => (
      <Layout ctx={ctx} title="API tokens" errors={errors}>
        <Flash ctx={ctx} />
        <h1 class="govuk-heading-xl">API tokens</h1>
        <p class="govuk-body">
          Tokens let other systems use the <a class="govuk-link" href="/api/docs">JSON API</a>. Each may do only what was chosen for it when it was made.
        </p>
        <Table
          head={[{ text: 'Name' }, { text: 'May' }, { text: 'Created' }, { text: 'Last used' }, { text: 'Status' }, { html: '<span class="govuk-visually-hidden">Action</span>' }]}
          rows={tokens.map((t) => [
            { text: t.name },
            { text: t.scopes.join(', ') || 'Nothing' },
            { text: formatDateTime(t.createdAt) },
            { text: t.lastUsedAt ? formatDateTime(t.lastUsedAt) : 'Never' },
            { text: t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt)}` : 'Active' },
            {
              html: abilitiesFor(ctx.actor, t).revoke
                ? buttonFormHtml({ ctx, action: `/admin/api-tokens/${t.id}/revoke`, text: 'Revoke', hiddenText: t.name, classes: 'govuk-button--warning' })
                : '',
            },
          ])}
        />
        <h2 class="govuk-heading-m">Create a token</h2>
        <form method="post" action="/admin/api-tokens" novalidate>
          <input type="hidden" name="_csrf" value={ctx.csrfToken} />
          <Input id="name" name="name" label={{ text: 'Name' }} hint={{ text: 'What will use it' }} value={typed?.name} errorMessage={errors?.name ? { text: errors.name } : undefined} />
          <Checkboxes
            idPrefix="scopes"
            name="scopes"
            fieldset={{ legend: { text: 'What it may do', classes: 'govuk-fieldset__legend--s' } }}
            hint={{ text: 'Choose only what the other system needs. Read permissions change nothing.' }}
            errorMessage={errors?.scopes ? { text: errors.scopes } : undefined}
            values={typed?.scopes ?? []}
            items={API_SCOPES.map((scope) => ({ value: scope, text: API_SCOPE_LABELS[scope], hint: { text: scope } }))}
          />
          <Button text="Create token" preventDoubleClick />
        </form>
      </Layout>
    );
  };

  app.get('/admin/api-tokens', guard, async (req, reply) => reply.page(await listPage(req)));

  app.post('/admin/api-tokens', { ...guard, config: { repeatable: ['scopes'] } }, async (req, reply) => {
    const form = parseForm(tokenForm, req.body);
    const typed = { name: String(form.ok ? form.data.name : (form.values.name ?? '')), scopes: asArray(req.body && (req.body as Record<string, unknown>).scopes) };
    if (!form.ok) return reply.page(await listPage(req, form.errors, typed), 422);
    let token: string;
    try {
      ({ token } = await opts.apiTokens.create(req.actor, form.data.name, 'provider_admin', undefined, form.data.scopes));
    } catch (err) {
      if (err instanceof ValidationError) return reply.page(await listPage(req, err.fieldErrors, typed), 422);
      throw err;
    }
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="Your new API token">
        <Panel titleText="API token created" />
        <WarningText text="Copy this token now: it will not be shown again." />
        <p class="govuk-body">
          <code class="app-code" data-api-token>
            {token}
          </code>
        </p>
        <p class="govuk-body">
          Send it as <code class="app-code">Authorization: Bearer &lt;token&gt;</code>.
        </p>
        <a class="govuk-link" href="/admin/api-tokens">
          Back to API tokens
        </a>
      </Layout>
    ));
  });

  app.post<{ Params: { id: string } }>('/admin/api-tokens/:id/revoke', guard, async (req, reply) => {
    if (!z.uuid().safeParse(req.params.id).success) return reply.callNotFound();
    await opts.apiTokens.revoke(req.actor, req.params.id);
    reply.flash('The token has been revoked. Anything using it can no longer reach the API.');
    return reply.redirect('/admin/api-tokens', 303);
  });
}

