import { type Attributes, attrs, content, cx, type TextOrHtml } from './core';
import { Tag, type TagOptions } from './tag';

export interface TaskListItem {
  title: TextOrHtml & { classes?: string };
  hint?: TextOrHtml;
  status: TextOrHtml & { tag?: TagOptions; classes?: string };
  href?: string;
  classes?: string;
}

export interface TaskListOptions {
  items: (TaskListItem | null | undefined | false)[];
  idPrefix?: string;
  classes?: string;
  attributes?: Attributes;
}

export function TaskList(p: TaskListOptions) {
  const idPrefix = p.idPrefix || 'task-list';
  return (
    <ul class={cx('govuk-task-list', p.classes)} {...attrs(p.attributes)}>
      {(p.items ?? []).map((item, i) => {
        if (!item) return null;
        const hintId = `${idPrefix}-${i + 1}-hint`;
        const statusId = `${idPrefix}-${i + 1}-status`;
        return (
          <li class={cx('govuk-task-list__item', item.href && 'govuk-task-list__item--with-link', item.classes)}>
            <div class="govuk-task-list__name-and-hint">
              {item.href ? (
                <a
                  class={cx('govuk-link govuk-task-list__link', item.title.classes)}
                  href={item.href}
                  aria-describedby={`${item.hint ? `${hintId} ` : ''}${statusId}`}
                >
                  {content(item.title)}
                </a>
              ) : (
                <div {...(item.title.classes ? { class: item.title.classes } : {})}>{content(item.title)}</div>
              )}
              {item.hint ? (
                <div id={hintId} class="govuk-task-list__hint">
                  {content(item.hint)}
                </div>
              ) : null}
            </div>
            <div class={cx('govuk-task-list__status', item.status?.classes)} id={statusId}>
              {item.status?.tag ? <Tag {...item.status.tag} /> : content(item.status)}
            </div>
          </li>
        );
      })}
    </ul>
  );
}
