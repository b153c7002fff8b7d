import { type Attributes, attrs, cx, optional, raw } from './core';

export interface TableCell {
  text?: string | number;
  html?: string;
  format?: string;
  classes?: string;
  colspan?: number;
  rowspan?: number;
  attributes?: Attributes;
}

export interface TableOptions {
  /** Names the table's scroll region for screen readers; the caption when not given. */
  label?: string;
  rows: (TableCell[] | null | undefined | false)[];
  head?: TableCell[];
  caption?: string;
  captionClasses?: string;
  firstCellIsHeader?: boolean;
  classes?: string;
  attributes?: Attributes;
}

const cellContent = (c: TableCell) => (c.html ? raw(c.html) : c.text);

/**
 * A table in a region of its own that scrolls sideways when the table is wider than the screen, so the
 * page itself never does. The region is focusable (a keyboard user scrolls it with the arrow keys) and
 * named by `label` or the caption (WCAG 1.4.10 reflow; 2.1.1 keyboard). Every page's tables come here.
 */
export function Table(p: TableOptions) {
  return (
    <div class="app-table-scroll" role="region" aria-label={p.label ?? p.caption ?? 'Table'} tabindex={0}>
      <GovukTable {...p} />
    </div>
  );
}

/** govukTable's markup exactly (tested against its fixtures); pages use Table, which scrolls. */
export function GovukTable(p: TableOptions) {
  return (
    <table class={cx('govuk-table', p.classes)} {...attrs(p.attributes)}>
      {p.caption ? <caption class={cx('govuk-table__caption', p.captionClasses)}>{p.caption}</caption> : null}
      {p.head ? (
        <thead class="govuk-table__head">
          <tr class="govuk-table__row">
            {p.head.map((item) => (
              <th
                scope="col"
                class={cx('govuk-table__header', item.format && `govuk-table__header--${item.format}`, item.classes)}
                {...optional({ colspan: item.colspan, rowspan: item.rowspan })}
                {...attrs(item.attributes)}
              >
                {cellContent(item)}
              </th>
            ))}
          </tr>
        </thead>
      ) : null}
      <tbody class="govuk-table__body">
        {(p.rows ?? []).map((row) =>
          row ? (
            <tr class="govuk-table__row">
              {row.map((cell, i) => {
                const common = { ...optional({ colspan: cell.colspan, rowspan: cell.rowspan }), ...attrs(cell.attributes) };
                return i === 0 && p.firstCellIsHeader ? (
                  <th scope="row" class={cx('govuk-table__header', cell.classes)} {...common}>
                    {cellContent(cell)}
                  </th>
                ) : (
                  <td class={cx('govuk-table__cell', cell.format && `govuk-table__cell--${cell.format}`, cell.classes)} {...common}>
                    {cellContent(cell)}
                  </td>
                );
              })}
            </tr>
          ) : null,
        )}
      </tbody>
    </table>
  );
}
