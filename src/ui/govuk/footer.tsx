import { type Attributes, attrs, content, cx, hasContent, type TextOrHtml } from './core';

interface FooterLink {
  href: string;
  text: string;
  attributes?: Attributes;
}

export interface FooterOptions {
  meta?: TextOrHtml & { visuallyHiddenTitle?: string; items?: FooterLink[] };
  navigation?: { title: string; columns?: number; width?: string; items?: FooterLink[] }[];
  contentLicence?: (TextOrHtml & {}) | null;
  copyright?: TextOrHtml & { href?: string };
  containerClasses?: string;
  classes?: string;
  attributes?: Attributes;
}

/**
 * govukFooter without what belongs to government: no Crown, no Open Government Licence or Crown
 * copyright by default. A licence and a copyright line show only when the provider gives them.
 */
export function Footer(p: FooterOptions) {
  return (
    <div class={cx('govuk-footer', p.classes)} {...attrs(p.attributes)}>
      <div class={cx('govuk-width-container', p.containerClasses)}>
        {p.navigation?.length ? (
          <>
            <div class="govuk-footer__navigation">
              {p.navigation.map((nav) => (
                <div class={`govuk-footer__section govuk-grid-column-${nav.width || 'full'}`}>
                  <h2 class="govuk-footer__heading govuk-heading-m">{nav.title}</h2>
                  {nav.items?.length ? (
                    <ul class={cx('govuk-footer__list', nav.columns ? `govuk-footer__list--columns-${nav.columns}` : undefined)}>
                      {nav.items.map((item) =>
                        item.href && item.text ? (
                          <li class="govuk-footer__list-item">
                            <a class="govuk-footer__link" href={item.href} {...attrs(item.attributes)}>
                              {item.text}
                            </a>
                          </li>
                        ) : null,
                      )}
                    </ul>
                  ) : null}
                </div>
              ))}
            </div>
            <hr class="govuk-footer__section-break" />
          </>
        ) : null}
        <div class="govuk-footer__meta">
          <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
            {p.meta ? (
              <>
                <h2 class="govuk-visually-hidden">{p.meta.visuallyHiddenTitle || 'Support links'}</h2>
                {p.meta.items?.length ? (
                  <ul class="govuk-footer__inline-list">
                    {p.meta.items.map((item) => (
                      <li class="govuk-footer__inline-list-item">
                        <a class="govuk-footer__link" href={item.href} {...attrs(item.attributes)}>
                          {item.text}
                        </a>
                      </li>
                    ))}
                  </ul>
                ) : null}
                {hasContent(p.meta) ? <div class="govuk-footer__meta-custom">{content(p.meta)}</div> : null}
              </>
            ) : null}
            {p.contentLicence && hasContent(p.contentLicence) ? (
              <span class="govuk-footer__licence-description">{content(p.contentLicence)}</span>
            ) : null}
          </div>
          {p.copyright && hasContent(p.copyright) ? (
            <div class="govuk-footer__meta-item">
              {p.copyright.href ? (
                <a class="govuk-footer__link govuk-footer__copyright-logo" href={p.copyright.href}>
                  {content(p.copyright)}
                </a>
              ) : (
                <span class="govuk-footer__copyright-logo">{content(p.copyright)}</span>
              )}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}
