import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface ErrorSummaryItem extends TextOrHtml {
  href?: string;
  attributes?: Attributes;
}

export interface ErrorSummaryOptions {
  titleText?: string;
  titleHtml?: string;
  descriptionText?: string;
  descriptionHtml?: string;
  errorList?: ErrorSummaryItem[];
  disableAutoFocus?: boolean;
  classes?: string;
  attributes?: Attributes;
  children?: ComponentChildren;
}

export function ErrorSummary(p: ErrorSummaryOptions) {
  const description = p.children ?? content({ html: p.descriptionHtml, text: p.descriptionText });
  return (
    <div
      class={cx('govuk-error-summary', p.classes)}
      {...(p.disableAutoFocus !== undefined ? { 'data-disable-auto-focus': String(p.disableAutoFocus) } : {})}
      {...attrs(p.attributes)}
      data-module="govuk-error-summary"
    >
      <div role="alert">
        <h2 class="govuk-error-summary__title">{content({ html: p.titleHtml, text: p.titleText })}</h2>
        <div class="govuk-error-summary__body">
          {description ? <p>{description}</p> : null}
          {p.errorList?.length ? (
            <ul class="govuk-list govuk-error-summary__list">
              {p.errorList.map((item) => (
                <li>
                  {item.href ? (
                    <a href={item.href} {...attrs(item.attributes)}>
                      {content(item)}
                    </a>
                  ) : (
                    content(item)
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </div>
  );
}
