import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface WarningTextOptions extends TextOrHtml {
  iconFallbackText?: string;
  classes?: string;
  attributes?: Attributes;
}

export const WarningText = (p: WarningTextOptions) => (
  <div class={cx('govuk-warning-text', p.classes)} {...attrs(p.attributes)}>
    <span class="govuk-warning-text__icon" aria-hidden="true">
      !
    </span>
    <strong class="govuk-warning-text__text">
      <span class="govuk-visually-hidden">{p.iconFallbackText || 'Warning'}</span> {content(p)}
    </strong>
  </div>
);
