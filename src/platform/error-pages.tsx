import { Layout } from './layout';
import type { PageContext } from './page-context';

/**
 * An error page. `back`: where the person was (a same-site address) for a refusal of what they sent,
 * so they are not left without a way on: a link to it, or to the home page when it is "/".
 */
export function ErrorPage({ ctx, status, title, message, reference, back }: { ctx: PageContext; status: number; title: string; message: string; reference?: string | undefined; back?: string | undefined }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1 class="govuk-heading-l">{title}</h1>
      <p class="govuk-body">
        {message}
        {/[.!?]$/.test(message) ? "" : "."}
      </p>
      {status === 404 ? (
        <p class="govuk-body">
          If you typed the web address, check it is correct.{' '}
          {ctx.actor.kind === 'user' ? (
            <>
              You can also go to <a class="govuk-link" href="/home">your home page</a>.
            </>
          ) : (
            <>
              You can also <a class="govuk-link" href="/qualifications">browse all NPQs</a>.
            </>
          )}
        </p>
      ) : null}
      {status === 403 && ctx.actor.kind !== 'user' ? (
        <p class="govuk-body">
          <a class="govuk-link" href={`/sign-in?next=${encodeURIComponent(ctx.path)}`}>Sign in</a> to continue.
        </p>
      ) : null}
      {status === 403 && ctx.actor.kind === 'user' && !back ? (
        <p class="govuk-body">
          This page is for another role. Go to <a class="govuk-link" href="/home">your home page</a> for what you can do, or ask your provider’s admin if you need it.
        </p>
      ) : null}
      {back ? (
        <p class="govuk-body">
          <a class="govuk-link" href={back}>
            {back === '/' ? 'Go to the home page' : 'Go back to the page you were on'}
          </a>
        </p>
      ) : null}
      {reference ? <p class="govuk-body">If you contact us about this, quote reference <strong>{reference}</strong>.</p> : null}
    </Layout>
  );
}
