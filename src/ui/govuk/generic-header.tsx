import { type Attributes, attrs, cx, raw } from './core';

export interface GenericHeaderOptions {
  url?: string;
  logoText?: string;
  logoHtml?: string;
  containerClasses?: string;
  classes?: string;
  attributes?: Attributes;
}

/** govuk-frontend's brand-free header: the provider's logo, never the Crown. */
export const GenericHeader = (p: GenericHeaderOptions) => (
  <div class={cx('govuk-generic-header', p.classes)} {...attrs(p.attributes)}>
    <div class={cx('govuk-generic-header__container', p.containerClasses || 'govuk-width-container')}>
      <div class="govuk-generic-header__logo">
        <a href={p.url || '/'} class="govuk-generic-header__homepage-link">
          {p.logoHtml ? raw(p.logoHtml) : p.logoText}
        </a>
      </div>
    </div>
  </div>
);
