import { type Attributes, attrs, content, cx, raw, type TextOrHtml } from './core';

export interface ServiceNavigationItem extends TextOrHtml {
  href?: string;
  active?: boolean;
  current?: boolean;
  attributes?: Attributes;
}

export interface ServiceNavigationOptions {
  serviceName?: string;
  serviceUrl?: string;
  navigation?: (ServiceNavigationItem | null | false | undefined)[];
  navigationId?: string;
  navigationLabel?: string;
  navigationClasses?: string;
  menuButtonText?: string;
  menuButtonLabel?: string;
  collapseNavigationOnMobile?: boolean;
  ariaLabel?: string;
  slots?: {
    start?: string;
    end?: string | { html?: string; align?: string };
    navigationStart?: string;
    navigationEnd?: string;
  };
  classes?: string;
  attributes?: Attributes;
}

export function ServiceNavigation(p: ServiceNavigationOptions) {
  const menuButtonText = p.menuButtonText || 'Menu';
  const navigationId = p.navigationId || 'navigation';
  const end = p.slots?.end;
  const endSlotHtml = typeof end === 'string' ? end : end?.html;
  const endSlotInline = typeof end === 'object' && end !== null && end.align === 'inline';
  const items = (p.navigation ?? []).filter((i): i is ServiceNavigationItem => Boolean(i));
  const collapse = p.collapseNavigationOnMobile ?? items.length > 1;
  const common = {
    class: cx('govuk-service-navigation', p.classes),
    'data-module': 'govuk-service-navigation',
    ...attrs(p.attributes),
  };
  const inner = (
    <div class={cx('govuk-width-container', endSlotInline && 'govuk-service-navigation__inlining-container')}>
      {p.slots?.start ? raw(p.slots.start) : null}
      <div class="govuk-service-navigation__container">
        {p.serviceName ? (
          <span class="govuk-service-navigation__service-name">
            {p.serviceUrl ? (
              <a href={p.serviceUrl} class="govuk-service-navigation__link">
                {p.serviceName}
              </a>
            ) : (
              <span class="govuk-service-navigation__text">{p.serviceName}</span>
            )}
          </span>
        ) : null}
        {items.length || p.slots?.navigationStart || p.slots?.navigationEnd ? (
          <nav
            aria-label={p.navigationLabel || menuButtonText}
            class={cx('govuk-service-navigation__wrapper', p.navigationClasses)}
          >
            {collapse ? (
              <button
                type="button"
                class="govuk-service-navigation__toggle govuk-js-service-navigation-toggle"
                aria-controls={navigationId}
                {...(p.menuButtonLabel && p.menuButtonLabel !== menuButtonText ? { 'aria-label': p.menuButtonLabel } : {})}
                hidden
                aria-hidden="true"
              >
                {menuButtonText}
              </button>
            ) : null}
            <ul class="govuk-service-navigation__list" id={navigationId}>
              {p.slots?.navigationStart ? raw(p.slots.navigationStart) : null}
              {items.map((item) => {
                const active = item.active || item.current;
                const label = active ? <strong class="govuk-service-navigation__active-fallback">{content(item)}</strong> : content(item);
                const current = active ? { 'aria-current': (item.current ? 'page' : 'true') as 'page' } : {};
                return (
                  <li class={cx('govuk-service-navigation__item', active && 'govuk-service-navigation__item--active')}>
                    {item.href ? (
                      <a class="govuk-service-navigation__link" href={item.href} {...current} {...attrs(item.attributes)}>
                        {label}
                      </a>
                    ) : item.html || item.text ? (
                      <span class="govuk-service-navigation__text" {...current}>
                        {label}
                      </span>
                    ) : null}
                  </li>
                );
              })}
              {p.slots?.navigationEnd ? raw(p.slots.navigationEnd) : null}
            </ul>
          </nav>
        ) : null}
      </div>
      {endSlotHtml ? raw(endSlotHtml) : null}
    </div>
  );
  return p.serviceName || p.slots?.start || endSlotHtml ? (
    <section aria-label={p.ariaLabel ?? 'Service information'} {...common}>
      {inner}
    </section>
  ) : (
    <div {...common}>{inner}</div>
  );
}
