import type { FastifyInstance } from 'fastify';
import { escapeHtml } from '../../ui/govuk/core';
import { Layout } from '../../platform/layout';
import { Details, Table, Tag } from '../../ui/govuk';
import { inlineComponents } from '../openapi';

type Operation = { summary?: string; description?: string; security?: unknown[]; parameters?: { name: string; in: string; required?: boolean; description?: string }[]; responses: Record<string, { content?: { 'application/json'?: { schema?: unknown } } }> };

/** The OpenAPI document, generated from the routes' zod schemas, and a readable page built from it. */
export async function apiDocsRoutes(app: FastifyInstance, opts: { serverUrl: string }) {
  let doc: ReturnType<typeof app.apiRegistry.document> | undefined;
  const document = () => {
    doc ??= app.apiRegistry.document({ title: 'NPQ Platform API', version: '1.0.0', serverUrl: opts.serverUrl });
    return doc;
  };
  app.get('/api/openapi.json', async () => document());
  app.get('/api/docs', async (_req, reply) => {
    const d = document();
    return reply.page((ctx) => (
      <Layout ctx={ctx} title="API documentation">
        <h1 class="govuk-heading-xl">API documentation</h1>
        <p class="govuk-body">
          A JSON API for other systems. Send an API token, made by a provider admin, as <code class="app-code">Authorization: Bearer &lt;token&gt;</code>. Errors are{' '}
          <code class="app-code">{'{ "error": { "code", "message", "details" } }'}</code> with a stable code. The machine-readable document is at{' '}
          <a class="govuk-link" href="/api/openapi.json">
            /api/openapi.json
          </a>
          .
        </p>
        {Object.entries(d.paths).flatMap(([path, methods]) =>
          Object.entries(methods as Record<string, Operation>).map(([method, op]) => (
            <section class="app-card" aria-label={`${method.toUpperCase()} ${path}`}>
              <h2 class="govuk-heading-m">
                <Tag text={method.toUpperCase()} classes="govuk-tag--blue" /> <code class="app-code">{path}</code>
              </h2>
              <p class="govuk-body">{op.summary}</p>
              {op.description ? <p class="govuk-body">{op.description}</p> : null}
              {op.parameters?.length ? (
                <Table
                  caption="Parameters"
                  captionClasses="govuk-table__caption--s"
                  head={[{ text: 'Name' }, { text: 'In' }, { text: 'Required' }, { text: 'Description' }]}
                  rows={op.parameters.map((p) => [{ text: p.name }, { text: p.in }, { text: p.required ? 'Yes' : 'No' }, { text: p.description ?? '' }])}
                />
              ) : null}
              <Details summaryText="Response schema" html={`<pre class="app-code">${escapeHtml(JSON.stringify(inlineComponents(op.responses['200']?.content?.['application/json']?.schema ?? {}, d.components.schemas), null, 2))}</pre>`} />
            </section>
          )),
        )}
      </Layout>
    ));
  });
}

