import { type Attributes, attrs, cx, type FormGroupOptions, looseEquals, optional } from './core';
import type { ErrorMessageOptions } from './error-message';
import { describeField, extra, FormGroup } from './form-group';
import type { HintOptions } from './hint';
import { Label, type LabelOptions } from './label';

export interface SelectItem {
  value?: string | number;
  text: string;
  selected?: boolean;
  disabled?: boolean;
  attributes?: Attributes;
}

export interface SelectOptions {
  id?: string;
  name: string;
  items: (SelectItem | null | undefined | false)[];
  value?: string | number;
  disabled?: boolean;
  describedBy?: string;
  label?: LabelOptions;
  hint?: HintOptions;
  errorMessage?: ErrorMessageOptions | false;
  formGroup?: FormGroupOptions;
  classes?: string;
  attributes?: Attributes;
}

export function Select(p: SelectOptions) {
  const id = p.id || p.name;
  const { describedBy, hint, error } = describeField(id, p.describedBy, p.hint, p.errorMessage);
  return (
    <FormGroup error={Boolean(p.errorMessage)} formGroup={p.formGroup}>
      <Label {...p.label} for={id} />
      {hint}
      {error}
      {extra(p.formGroup?.beforeInput)}
      <select
        class={cx('govuk-select', p.classes, p.errorMessage && 'govuk-select--error')}
        id={id}
        name={p.name}
        {...optional({ disabled: p.disabled, 'aria-describedby': describedBy })}
        {...attrs(p.attributes)}
      >
        {(p.items ?? []).map((item) => {
          if (!item) return null;
          const effective = item.value ?? item.text;
          const selected =
            item.selected ||
            (p.value !== undefined && p.value !== '' && p.value !== null
              ? looseEquals(effective, p.value) && item.selected !== false
              : false);
          return (
            <option
              {...(item.value !== undefined ? { value: String(item.value) } : {})}
              {...optional({ selected, disabled: item.disabled })}
              {...attrs(item.attributes)}
            >
              {item.text}
            </option>
          );
        })}
      </select>
      {extra(p.formGroup?.afterInput)}
    </FormGroup>
  );
}
