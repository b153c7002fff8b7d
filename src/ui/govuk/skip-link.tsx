import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface SkipLinkOptions extends TextOrHtml {
  href?: string;
  classes?: string;
  attributes?: Attributes;
}

export const SkipLink = (p: SkipLinkOptions) => (
  <a href={p.href || '#content'} class={cx('govuk-skip-link', p.classes)} {...attrs(p.attributes)} data-module="govuk-skip-link">
    {content(p)}
  </a>
);
