import { type Attributes, attrs, content, cx, optional, type TextOrHtml } from './core';

export interface ErrorMessageOptions extends TextOrHtml {
  id?: string;
  classes?: string;
  attributes?: Attributes;
  visuallyHiddenText?: string | false;
}

export function ErrorMessage(p: ErrorMessageOptions) {
  const hidden = p.visuallyHiddenText === undefined ? 'Error' : p.visuallyHiddenText;
  return (
    <p {...optional({ id: p.id })} class={cx('govuk-error-message', p.classes)} {...attrs(p.attributes)}>
      {hidden ? <span class="govuk-visually-hidden">{hidden}:</span> : null} {content(p)}
    </p>
  );
}
