import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, content, cx, raw, type TextOrHtml } from './core';

export interface SummaryAction extends TextOrHtml {
  href: string;
  visuallyHiddenText?: string;
  classes?: string;
  attributes?: Attributes;
}

interface Actions {
  items?: SummaryAction[];
  classes?: string;
}

export interface SummaryListRow {
  classes?: string;
  key: TextOrHtml & { classes?: string };
  value: TextOrHtml & { classes?: string };
  actions?: Actions;
}

interface CardTitle extends TextOrHtml {
  headingLevel?: number;
  classes?: string;
}

export interface SummaryListOptions {
  rows: (SummaryListRow | null | undefined | false)[];
  card?: { title?: CardTitle; actions?: Actions; classes?: string; attributes?: Attributes };
  classes?: string;
  attributes?: Attributes;
}

function ActionLink({ action, cardTitle }: { action: SummaryAction; cardTitle?: CardTitle }) {
  return (
    <a class={cx('govuk-link', action.classes)} href={action.href} {...attrs(action.attributes)}>
      {action.html ? raw(action.html) : action.text}
      {action.visuallyHiddenText || cardTitle ? (
        <span class="govuk-visually-hidden">
          {action.visuallyHiddenText ? ` ${action.visuallyHiddenText}` : null}
          {cardTitle ? <> ({content(cardTitle)})</> : null}
        </span>
      ) : null}
    </a>
  );
}

function Card({ card, children }: { card: NonNullable<SummaryListOptions['card']>; children: ComponentChildren }) {
  const Heading = `h${card.title?.headingLevel || 2}` as 'h2';
  const items = card.actions?.items ?? [];
  return (
    <div class={cx('govuk-summary-card', card.classes)} {...attrs(card.attributes)}>
      <div class="govuk-summary-card__title-wrapper">
        {card.title ? <Heading class={cx('govuk-summary-card__title', card.title.classes)}>{content(card.title)}</Heading> : null}
        {items.length === 1 ? (
          <div class={cx('govuk-summary-card__actions', card.actions?.classes)}>
            <ActionLink action={items[0]!} cardTitle={card.title} />
          </div>
        ) : items.length > 1 ? (
          <ul class={cx('govuk-summary-card__actions', card.actions?.classes)}>
            {items.map((action) => (
              <li class="govuk-summary-card__action">
                <ActionLink action={action} cardTitle={card.title} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
      <div class="govuk-summary-card__content">{children}</div>
    </div>
  );
}

export function SummaryList(p: SummaryListOptions) {
  const rows = p.rows ?? [];
  const anyRowHasActions = rows.some((r) => r && (r.actions?.items?.length ?? 0) > 0);
  const cardTitle = p.card?.title;
  const list = (
    <dl class={cx('govuk-summary-list', p.classes)} {...attrs(p.attributes)}>
      {rows.map((row) => {
        if (!row) return null;
        const actions = row.actions?.items ?? [];
        return (
          <div
            class={cx(
              'govuk-summary-list__row',
              anyRowHasActions && !row.actions?.items && 'govuk-summary-list__row--no-actions',
              row.classes,
            )}
          >
            <dt class={cx('govuk-summary-list__key', row.key?.classes)}>{content(row.key)}</dt>
            <dd class={cx('govuk-summary-list__value', row.value?.classes)}>{content(row.value)}</dd>
            {actions.length ? (
              <dd class={cx('govuk-summary-list__actions', row.actions?.classes)}>
                {actions.length === 1 ? (
                  <ActionLink action={actions[0]!} cardTitle={cardTitle} />
                ) : (
                  <ul class="govuk-summary-list__actions-list">
                    {actions.map((action) => (
                      <li class="govuk-summary-list__actions-list-item">
                        <ActionLink action={action} cardTitle={cardTitle} />
                      </li>
                    ))}
                  </ul>
                )}
              </dd>
            ) : null}
          </div>
        );
      })}
    </dl>
  );
  return p.card ? <Card card={p.card}>{list}</Card> : list;
}
