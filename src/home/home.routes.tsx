import { isSignedIn } from '../platform/auth/actor';
import type { FastifyInstance } from 'fastify';
import { Button } from '../ui/govuk';
import { Layout } from '../platform/layout';
import { PersonalPages } from '../platform/personal-pages';
import { requireSignIn } from '../platform/web';
import { SummaryList } from '../ui/govuk';
import { escapeHtml } from '../ui/govuk/core';
import { ROLE_LABELS } from '../people/domain/roles';
import type { PageContext } from '../platform/page-context';
import type { Home, HomeService, HomeSources } from './home.service';
import { HomeSections, Tools } from './home-sections';
import { Flash } from '../platform/flash';

export async function homeRoutes(app: FastifyInstance, opts: { catalogue: HomeSources['catalogue']; home: HomeService }) {
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
          <li>
            <a class="govuk-link" href="/library">School Improvement Library: what participants’ projects changed</a>
          </li>
        </ul>
      </Layout>
    ));
  });

  // Each person's home, kept until a change to what it shows is heard from any process (docs/adr/0037).
  const homes = new PersonalPages();
  app.get('/home', { preHandler: requireSignIn }, async (req, reply) =>
    // A participant's home is theirs alone and changes at people's pace, so it is kept; staff homes are not (HomeService.mayKeep).
    reply.personalPage(homes, opts.home.version(), async () => {
      const home = await opts.home.homeOf(req.actor);
      return { keep: opts.home.mayKeep(home), render: (ctx) => <HomePage ctx={ctx} home={home} /> };
    }),
  );
}

function HomePage({ ctx, home }: { ctx: PageContext; home: Home }) {
  const me = isSignedIn(ctx.actor) ? ctx.actor : undefined;
  return (
    <Layout ctx={ctx} title="Your account">
      <Flash ctx={ctx} />
      <h1 class="govuk-heading-xl">Hello, {me?.name}</h1>
      <SummaryList
        rows={[
          { key: { text: 'Email' }, value: { text: me?.email ?? '' } },
          { key: { text: 'Roles' }, value: { html: (me?.roles ?? []).map((r) => ROLE_LABELS[r.role]).map(escapeHtml).join('<br>') || 'None' } },
        ]}
      />
      <HomeSections home={home} />
      <Tools actor={ctx.actor} />
      <form method="post" action="/sign-out">
        <input type="hidden" name="_csrf" value={ctx.csrfToken} />
        <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
          Sign out
        </button>
      </form>
    </Layout>
  );
}

