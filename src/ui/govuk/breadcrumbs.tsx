import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface BreadcrumbsItem extends TextOrHtml {
  href?: string;
  attributes?: Attributes;
}

export interface BreadcrumbsOptions {
  items: BreadcrumbsItem[];
  collapseOnMobile?: boolean;
  labelText?: string;
  classes?: string;
  attributes?: Attributes;
}

export const Breadcrumbs = (p: BreadcrumbsOptions) => (
  <nav
    class={cx('govuk-breadcrumbs', p.classes, p.collapseOnMobile && 'govuk-breadcrumbs--collapse-on-mobile')}
    {...attrs(p.attributes)}
    aria-label={p.labelText ?? 'Breadcrumb'}
  >
    <ol class="govuk-breadcrumbs__list">
      {(p.items ?? []).map((item) =>
        item.href ? (
          <li class="govuk-breadcrumbs__list-item">
            <a class="govuk-breadcrumbs__link" href={item.href} {...attrs(item.attributes)}>
              {content(item)}
            </a>
          </li>
        ) : (
          <li class="govuk-breadcrumbs__list-item" aria-current="page">
            {content(item)}
          </li>
        ),
      )}
    </ol>
  </nav>
);
