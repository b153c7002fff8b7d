import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';

export interface PaginationLink extends TextOrHtml {
  href?: string;
  labelText?: string;
  attributes?: Attributes;
}

export interface PaginationItem {
  number?: number | string;
  visuallyHiddenText?: string;
  href?: string;
  current?: boolean;
  ellipsis?: boolean;
  attributes?: Attributes;
}

export interface PaginationOptions {
  items?: (PaginationItem | null)[];
  previous?: PaginationLink;
  next?: PaginationLink;
  landmarkLabel?: string;
  classes?: string;
  attributes?: Attributes;
}

const ArrowPrevious = () => (
  <svg class="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
    <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
  </svg>
);
const ArrowNext = () => (
  <svg class="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
    <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
  </svg>
);

function ArrowLink(p: { link: PaginationLink; type: 'prev' | 'next'; blockLevel: boolean; children: ComponentChildren }) {
  const Arrow = p.type === 'prev' ? ArrowPrevious : ArrowNext;
  return (
    <div class={`govuk-pagination__${p.type}`}>
      <a class="govuk-link govuk-pagination__link" href={p.link.href} rel={p.type} {...attrs(p.link.attributes)}>
        {p.blockLevel || p.type === 'prev' ? <Arrow /> : null}
        <span
          class={cx(
            'govuk-pagination__link-title',
            p.blockLevel && !p.link.labelText && 'govuk-pagination__link-title--decorated',
          )}
        >
          {p.children}
        </span>
        {p.link.labelText && p.blockLevel ? (
          <>
            <span class="govuk-visually-hidden">:</span>
            <span class="govuk-pagination__link-label">{p.link.labelText}</span>
          </>
        ) : null}
        {!p.blockLevel && p.type === 'next' ? <Arrow /> : null}
      </a>
    </div>
  );
}

export function Pagination(p: PaginationOptions) {
  const blockLevel = !p.items && Boolean(p.next || p.previous);
  const { previous, next } = p;
  return (
    <nav
      class={cx('govuk-pagination', blockLevel && 'govuk-pagination--block', p.classes)}
      aria-label={p.landmarkLabel || 'Pagination'}
      {...attrs(p.attributes)}
    >
      {previous?.href ? (
        <ArrowLink link={previous} type="prev" blockLevel={blockLevel}>
          {previous.html || previous.text ? content(previous) : <>Previous<span class="govuk-visually-hidden"> page</span></>}
        </ArrowLink>
      ) : null}
      {p.items ? (
        <ul class="govuk-pagination__list">
          {p.items.map((item) =>
            item && Object.keys(item).length > 0 ? (
              <li
                class={cx(
                  'govuk-pagination__item',
                  item.current && 'govuk-pagination__item--current',
                  item.ellipsis && 'govuk-pagination__item--ellipsis',
                )}
              >
                {item.ellipsis ? (
                  '⋯'
                ) : (
                  <a
                    class="govuk-link govuk-pagination__link"
                    href={item.href}
                    aria-label={item.visuallyHiddenText ?? `Page ${item.number}`}
                    {...(item.current ? { 'aria-current': 'page' } : {})}
                    {...attrs(item.attributes)}
                  >
                    {item.number}
                  </a>
                )}
              </li>
            ) : null,
          )}
        </ul>
      ) : null}
      {next?.href ? (
        <ArrowLink link={next} type="next" blockLevel={blockLevel}>
          {next.html || next.text ? content(next) : <>Next<span class="govuk-visually-hidden"> page</span></>}
        </ArrowLink>
      ) : null}
    </nav>
  );
}
