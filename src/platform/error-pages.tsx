import { Layout } from './layout';
import type { PageContext } from './page-context';

export function ErrorPage({ ctx, status, title, message, reference }: { ctx: PageContext; status: number; title: string; message: string; reference?: string }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">{message}</p>
      {status === 404 ? (
        <p class="govuk-body">
          If you typed the web address, check it is correct. You can also <a class="govuk-link" href="/qualifications">browse all NPQs</a>.
        </p>
      ) : null}
      {status === 403 && ctx.actor.kind !== 'user' ? (
        <p class="govuk-body">
          <a class="govuk-link" href={`/sign-in?next=${encodeURIComponent(ctx.path)}`}>Sign in</a> to continue.
        </p>
      ) : null}
      {reference ? <p class="govuk-body">If you contact us about this, quote reference <strong>{reference}</strong>.</p> : null}
    </Layout>
  );
}
