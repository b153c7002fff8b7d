import { type Attributes, attrs, content, cx, hasContent, optional, type TextOrHtml } from './core';

export interface LabelOptions extends TextOrHtml {
  for?: string;
  classes?: string;
  isPageHeading?: boolean;
  attributes?: Attributes;
}

export function Label(p: LabelOptions) {
  if (!hasContent(p)) return null;
  const label = (
    <label class={cx('govuk-label', p.classes)} {...attrs(p.attributes)} {...optional({ for: p.for })}>
      {content(p)}
    </label>
  );
  return p.isPageHeading ? <h1 class="govuk-label-wrapper">{label}</h1> : label;
}
