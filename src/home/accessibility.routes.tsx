import type { FastifyInstance } from 'fastify';
import { Layout } from '../platform/layout';

export async function accessibilityRoutes(app: FastifyInstance) {
  app.get('/accessibility', async (_req, reply) =>
    reply.page((ctx) => (
      <Layout ctx={ctx} title="Accessibility statement">
        <h1 class="govuk-heading-xl">Accessibility statement</h1>
        <p class="govuk-body">
          {ctx.branding.name} wants as many people as possible to be able to use NPQ Platform. You should be able to zoom in up to 400% without text spilling off the screen, move around the whole service using just a
          keyboard, use it without JavaScript, and listen to it with a screen reader.
        </p>
        <h2 class="govuk-heading-m">How we test it</h2>
        <p class="govuk-body">Every page is checked against the Web Content Accessibility Guidelines 2.2 at level AA by automated tests in a real browser each time the service changes.</p>
        <h2 class="govuk-heading-m">Reporting a problem</h2>
        <p class="govuk-body">If something does not work for you, tell your delivery partner or your provider admin, and say which page and what you were trying to do.</p>
      </Layout>
    )),
  );
}
