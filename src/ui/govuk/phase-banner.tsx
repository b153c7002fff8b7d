import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';
import { Tag } from './tag';

export interface PhaseBannerOptions extends TextOrHtml {
  tag?: TextOrHtml & { classes?: string };
  classes?: string;
  attributes?: Attributes;
}

export const PhaseBanner = (p: PhaseBannerOptions) => (
  <div class={cx('govuk-phase-banner govuk-width-container', p.classes)} {...attrs(p.attributes)}>
    <p class="govuk-phase-banner__content">
      <Tag
        text={p.tag?.text}
        html={p.tag?.html}
        classes={cx('govuk-phase-banner__content__tag', p.tag?.classes)}
      />
      <span class="govuk-phase-banner__text">{content(p)}</span>
    </p>
  </div>
);
