import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, cx, raw } from './core';

export interface NotificationBannerOptions {
  text?: string;
  html?: string;
  titleText?: string;
  titleHtml?: string;
  titleHeadingLevel?: number;
  type?: string;
  role?: string;
  titleId?: string;
  disableAutoFocus?: boolean;
  classes?: string;
  attributes?: Attributes;
  children?: ComponentChildren;
}

export function NotificationBanner(p: NotificationBannerOptions) {
  const success = p.type === 'success';
  const role = p.role ? p.role : success ? 'alert' : 'region';
  const title = p.titleHtml ? raw(p.titleHtml) : p.titleText ? p.titleText : success ? 'Success' : 'Important';
  const titleId = p.titleId || 'govuk-notification-banner-title';
  const Heading = `h${p.titleHeadingLevel || 2}` as 'h2';
  return (
    <div
      class={cx('govuk-notification-banner', success && `govuk-notification-banner--${p.type}`, p.classes)}
      role={role as 'region'}
      aria-labelledby={titleId}
      data-module="govuk-notification-banner"
      {...(p.disableAutoFocus !== undefined ? { 'data-disable-auto-focus': String(p.disableAutoFocus) } : {})}
      {...attrs(p.attributes)}
    >
      <div class="govuk-notification-banner__header">
        <Heading class="govuk-notification-banner__title" id={titleId}>
          {title}
        </Heading>
      </div>
      <div class="govuk-notification-banner__content">
        {p.children ??
          (p.html ? raw(p.html) : p.text ? <p class="govuk-notification-banner__heading">{p.text}</p> : null)}
      </div>
    </div>
  );
}
