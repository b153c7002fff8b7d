import { type Attributes, attrs, content, cx, optional, type TextOrHtml } from './core';

export interface HintOptions extends TextOrHtml {
  id?: string;
  classes?: string;
  attributes?: Attributes;
}

export function Hint(p: HintOptions) {
  return (
    <div {...optional({ id: p.id })} class={cx('govuk-hint', p.classes)} {...attrs(p.attributes)}>
      {content(p)}
    </div>
  );
}
