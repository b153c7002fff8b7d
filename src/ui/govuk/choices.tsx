import type { VNode } from 'preact';
import { type Attributes, attrs, cx, type FormGroupOptions, hasContent, looseEquals, optional, raw, type TextOrHtml } from './core';
import type { ErrorMessageOptions } from './error-message';
import { Fieldset, type FieldsetOptions } from './fieldset';
import { describeField, extra, FormGroup } from './form-group';
import { Hint, type HintOptions } from './hint';
import { Label } from './label';

export interface ChoiceItem extends TextOrHtml {
  value?: string | number;
  id?: string;
  name?: string;
  divider?: string;
  checked?: boolean;
  disabled?: boolean;
  behaviour?: string;
  label?: { classes?: string; attributes?: Attributes };
  hint?: HintOptions;
  /**
   * govuk-frontend's conditional reveal, kept so the component matches its fixtures. Pages do not use
   * it: govuk-frontend's script marks the input aria-expanded, which a radio or checkbox may not have
   * (axe: aria-allowed-attr). choices-in-pages.test.ts keeps it that way.
   */
  conditional?: { html?: string };
  attributes?: Attributes;
}

export interface ChoicesOptions {
  name: string;
  idPrefix?: string;
  items: (ChoiceItem | null | undefined | false)[];
  value?: string | number;
  values?: (string | number)[];
  describedBy?: string;
  fieldset?: FieldsetOptions;
  hint?: HintOptions;
  errorMessage?: ErrorMessageOptions | false;
  formGroup?: FormGroupOptions;
  classes?: string;
  attributes?: Attributes;
}

/** The shared body of govukRadios and govukCheckboxes; `kind` picks the class names and the few rules that differ. */
export function Choices({ kind, ...p }: ChoicesOptions & { kind: 'radios' | 'checkboxes' }) {
  const idPrefix = p.idPrefix || p.name;
  const isCheckboxes = kind === 'checkboxes';
  const groupDescribedBy = p.fieldset?.describedBy || (isCheckboxes ? p.describedBy : '') || '';
  const { describedBy, hint, error } = describeField(idPrefix, groupDescribedBy, p.hint, p.errorMessage);
  const hasFieldset = Boolean(p.fieldset);

  const item = (it: ChoiceItem, index: number): VNode => {
    const itemId = it.id || `${idPrefix}${index > 1 ? `-${index}` : ''}`;
    const conditionalId = `conditional-${itemId}`;
    if (it.divider) return <div class={`govuk-${kind}__divider`}>{it.divider}</div>;
    const isChecked =
      it.checked ||
      (isCheckboxes
        ? p.values
          ? (p.values as unknown[]).some((v) => looseEquals(v, it.value)) && it.checked !== false
          : false
        : p.value !== undefined && p.value !== null && p.value !== ''
          ? looseEquals(it.value, p.value) && it.checked !== false
          : false);
    const hasHint = hasContent(it.hint);
    const itemHintId = `${itemId}-item-hint`;
    const itemDescribedBy = isCheckboxes
      ? `${hasFieldset ? "" : describedBy} ${hasHint ? itemHintId : ""}`.trim()
      : hasHint
        ? itemHintId
        : '';
    return (
      <>
        <div class={`govuk-${kind}__item`}>
          <input
            class={`govuk-${kind}__input`}
            id={itemId}
            name={(isCheckboxes && it.name) || p.name}
            type={isCheckboxes ? 'checkbox' : 'radio'}
            value={it.value === undefined ? '' : String(it.value)}
            {...optional({
              checked: isChecked,
              disabled: it.disabled,
              'data-aria-controls': it.conditional?.html ? conditionalId : undefined,
              'data-behaviour': isCheckboxes ? it.behaviour : undefined,
              'aria-describedby': itemDescribedBy,
            })}
            {...attrs(it.attributes)}
          />
          <Label
            html={it.html}
            text={it.text}
            classes={cx(`govuk-${kind}__label`, it.label?.classes)}
            attributes={it.label?.attributes}
            for={itemId}
          />
          {hasHint ? (
            <Hint
              id={itemHintId}
              classes={cx(`govuk-${kind}__hint`, it.hint?.classes)}
              attributes={it.hint?.attributes}
              html={it.hint?.html}
              text={it.hint?.text}
            />
          ) : null}
        </div>
        {it.conditional?.html ? (
          <div
            class={cx(`govuk-${kind}__conditional`, !isChecked && `govuk-${kind}__conditional--hidden`)}
            id={conditionalId}
          >
            {raw(it.conditional.html)}
          </div>
        ) : null}
      </>
    );
  };

  const inner = (
    <>
      {hint}
      {error}
      <div class={cx(`govuk-${kind}`, p.classes)} {...attrs(p.attributes)} data-module={`govuk-${kind}`}>
        {extra(p.formGroup?.beforeInputs)}
        {(p.items ?? []).map((it, i) => (it ? item(it, i + 1) : null))}
        {extra(p.formGroup?.afterInputs)}
      </div>
    </>
  );
  return (
    <FormGroup error={Boolean(p.errorMessage)} formGroup={p.formGroup}>
      {hasFieldset ? (
        <Fieldset
          describedBy={describedBy}
          classes={p.fieldset?.classes}
          attributes={p.fieldset?.attributes}
          legend={p.fieldset?.legend}
        >
          {inner}
        </Fieldset>
      ) : (
        inner
      )}
    </FormGroup>
  );
}
