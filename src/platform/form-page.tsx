import type { ComponentChildren } from 'preact';
import { BackLink } from '../ui/govuk';
import type { FieldErrors } from './errors';
import { Layout } from './layout';
import type { PageContext } from './page-context';

/** A page of one form: a heading over two-thirds of the width, with the error summary and a way back. */
export function FormPage(p: { ctx: PageContext; title: string; back?: string | undefined; intro?: ComponentChildren; errors?: FieldErrors | undefined; errorTargets?: Record<string, string>; children: ComponentChildren }) {
  return (
    <Layout ctx={p.ctx} title={p.title} errors={p.errors} errorTargets={p.errorTargets} beforeContent={p.back ? <BackLink href={p.back} text="Back" /> : undefined}>
      <div class="govuk-grid-row">
        <div class="govuk-grid-column-two-thirds">
          {p.intro}
          <h1 class="govuk-heading-xl">{p.title}</h1>
          {p.children}
        </div>
      </div>
    </Layout>
  );
}

