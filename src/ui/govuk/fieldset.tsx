import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, content, cx, hasContent, optional, raw, type TextOrHtml } from './core';

export interface LegendOptions extends TextOrHtml {
  classes?: string;
  isPageHeading?: boolean;
}

export interface FieldsetOptions {
  describedBy?: string;
  legend?: LegendOptions;
  classes?: string;
  role?: string;
  attributes?: Attributes;
  html?: string;
  children?: ComponentChildren;
}

export function Fieldset(p: FieldsetOptions) {
  const legend = p.legend;
  return (
    <fieldset
      class={cx('govuk-fieldset', p.classes)}
      {...optional({ role: p.role, 'aria-describedby': p.describedBy })}
      {...attrs(p.attributes)}
    >
      {legend && hasContent(legend) ? (
        <legend class={cx('govuk-fieldset__legend', legend.classes)}>
          {legend.isPageHeading ? <h1 class="govuk-fieldset__heading">{content(legend)}</h1> : content(legend)}
        </legend>
      ) : null}
      {p.children ?? (p.html ? raw(p.html) : null)}
    </fieldset>
  );
}
