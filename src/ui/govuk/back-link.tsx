import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface BackLinkOptions extends TextOrHtml {
  href?: string;
  classes?: string;
  attributes?: Attributes;
}

export const BackLink = (p: BackLinkOptions) => (
  <a href={p.href || '#'} class={cx('govuk-back-link', p.classes)} {...attrs(p.attributes)}>
    {p.html ? content(p) : p.text || 'Back'}
  </a>
);
