import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, content, cx, optional, type TextOrHtml } from './core';

export interface InsetTextOptions extends TextOrHtml {
  id?: string;
  classes?: string;
  attributes?: Attributes;
  children?: ComponentChildren;
}

export const InsetText = (p: InsetTextOptions) => (
  <div {...optional({ id: p.id })} class={cx('govuk-inset-text', p.classes)} {...attrs(p.attributes)}>
    {p.children ?? content(p)}
  </div>
);
