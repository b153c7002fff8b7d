import type { ComponentChildren } from 'preact';
import { Csrf } from '../../platform/csrf';
import { FormPage } from '../../platform/form-page';
import type { PageContext } from '../../platform/page-context';
import { Button, WarningText } from '../../ui/govuk';

/**
 * The step before an action that cannot be undone (withdrawing, rejecting, recording a gateway
 * result): what will happen, said plainly, then Confirm or Cancel. A plain form, so it works without
 * JavaScript: the values already given travel as hidden fields with `confirm=yes`.
 */
export function ConfirmPage(p: {
  ctx: PageContext;
  title: string;
  caption?: string | undefined;
  /** What will happen, and to whom. */
  children: ComponentChildren;
  /** What cannot be undone afterwards, shown as a warning. */
  warning: string;
  action: string;
  fields?: Record<string, string | undefined>;
  confirmText: string;
  cancelHref: string;
  destructive?: boolean;
}) {
  return (
    <FormPage ctx={p.ctx} title={p.title} back={p.cancelHref} intro={p.caption ? <span class="govuk-caption-l">{p.caption}</span> : undefined}>
      {p.children}
      <WarningText text={p.warning} />
      <form method="post" action={p.action} novalidate>
        <Csrf ctx={p.ctx} />
        {Object.entries(p.fields ?? {}).map(([name, value]) => (value === undefined ? null : <input type="hidden" name={name} value={value} />))}
        <input type="hidden" name="confirm" value="yes" />
        <div class="govuk-button-group">
          <Button text={p.confirmText} classes={p.destructive ? 'govuk-button--warning' : undefined} preventDoubleClick />
          <a class="govuk-link" href={p.cancelHref}>
            Cancel
          </a>
        </div>
      </form>
    </FormPage>
  );
}

/** Whether a post is the confirmation of an action (rather than its first request). */
export const confirmed = (body: Record<string, string | undefined>): boolean => body.confirm === 'yes';
