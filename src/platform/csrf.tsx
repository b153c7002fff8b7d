import { renderToString } from 'preact-render-to-string';
import type { PageContext } from './page-context';

/** The form token every POST form carries: checked by the platform before any handler runs. */
export const Csrf = ({ ctx }: { ctx: PageContext }) => <input type="hidden" name="_csrf" value={ctx.csrfToken} />;

/** A form that is one button, for an action on one row: "Revoke", "Remove", "Sign out". */
export function ButtonForm(p: { ctx: PageContext; action: string; text: string; hiddenText: string; classes: string }) {
  return (
    <form method="post" action={p.action}>
      <Csrf ctx={p.ctx} />
      <button type="submit" class={`govuk-button ${p.classes} govuk-!-margin-bottom-0`} data-module="govuk-button">
        {p.text}
        <span class="govuk-visually-hidden"> {p.hiddenText}</span>
      </button>
    </form>
  );
}

/** The same, as HTML for a table cell's `html` option. */
export const buttonFormHtml = (p: Parameters<typeof ButtonForm>[0]): string => renderToString(<ButtonForm {...p} />);
