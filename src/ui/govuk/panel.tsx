import type { ComponentChildren } from 'preact';
import { Button } from './button';
import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

interface PanelAction {
  text: string;
  href?: string;
  type?: string;
  classes?: string;
  attributes?: Attributes;
}

export interface PanelOptions extends TextOrHtml {
  titleText?: string;
  titleHtml?: string;
  headingLevel?: number;
  actions?: { items?: PanelAction[]; classes?: string; attributes?: Attributes };
  classes?: string;
  attributes?: Attributes;
  children?: ComponentChildren;
}

function Action({ action }: { action: PanelAction }) {
  if (!action.href || action.type === 'button') {
    return (
      <Button
        text={action.text}
        type={action.type ? action.type : 'button'}
        classes={cx('govuk-button--inverse', action.classes)}
        href={action.href}
        attributes={action.attributes}
      />
    );
  }
  return (
    <a class={cx('govuk-link govuk-link--inverse', action.classes)} href={action.href} {...attrs(action.attributes)}>
      {action.text}
    </a>
  );
}

export function Panel(p: PanelOptions) {
  const isInterruption = Boolean(p.classes?.includes('govuk-panel--interruption'));
  const Heading = `h${p.headingLevel || 1}` as 'h1';
  const body = p.children ?? (p.html || p.text ? content(p) : null);
  return (
    <div class={cx('govuk-panel', !isInterruption && 'govuk-panel--confirmation', p.classes)} {...attrs(p.attributes)}>
      <Heading class="govuk-panel__title">{content({ html: p.titleHtml, text: p.titleText })}</Heading>
      {body ? <div class="govuk-panel__body">{body}</div> : null}
      {isInterruption && p.actions ? (
        <div class={cx('govuk-panel__actions', p.actions.classes)} {...attrs(p.actions.attributes)}>
          {p.actions.items?.length ? (
            <div class="govuk-button-group">
              {p.actions.items.map((action) => (
                <Action action={action} />
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
