import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface TagOptions extends TextOrHtml {
  classes?: string;
  attributes?: Attributes;
}

export const Tag = (p: TagOptions) => (
  <strong class={cx('govuk-tag', p.classes)} {...attrs(p.attributes)}>
    {content(p)}
  </strong>
);
