import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, content, cx, optional, type TextOrHtml } from './core';

export interface DetailsOptions extends TextOrHtml {
  summaryText?: string;
  summaryHtml?: string;
  id?: string;
  open?: boolean;
  classes?: string;
  attributes?: Attributes;
  children?: ComponentChildren;
}

export const Details = (p: DetailsOptions) => (
  <details {...optional({ id: p.id })} class={cx('govuk-details', p.classes)} {...attrs(p.attributes)} {...optional({ open: p.open })}>
    <summary class="govuk-details__summary">
      <span class="govuk-details__summary-text">{content({ html: p.summaryHtml, text: p.summaryText })}</span>
    </summary>
    <div class="govuk-details__text">{p.children ?? content(p)}</div>
  </details>
);
