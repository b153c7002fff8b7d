import { type Attributes, attrs, capitalise, cx, type FormGroupOptions } from './core';
import type { ErrorMessageOptions } from './error-message';
import { Fieldset, type FieldsetOptions } from './fieldset';
import { describeField, extra, FormGroup } from './form-group';
import type { HintOptions } from './hint';
import { Input } from './input';

export interface DateInputItem {
  id?: string;
  name?: string;
  label?: string;
  value?: string | number;
  autocomplete?: string;
  pattern?: string;
  inputmode?: string;
  classes?: string;
  error?: boolean;
  attributes?: Attributes;
}

export interface DateInputOptions {
  id: string;
  namePrefix?: string;
  items?: DateInputItem[];
  day?: DateInputItem;
  month?: DateInputItem;
  year?: DateInputItem;
  values?: Record<string, string | number | undefined>;
  hint?: HintOptions;
  errorMessage?: ErrorMessageOptions | false;
  formGroup?: FormGroupOptions;
  fieldset?: FieldsetOptions;
  classes?: string;
  /** Each part's maxlength, as Input's (INPUT_MAXLENGTH when not given; `false`, none). */
  maxlength?: number | false;
  attributes?: Attributes;
}

const itemHasError = (item: DateInputItem) => Boolean(item.error || item.classes?.includes('govuk-input--error'));

export function DateInput(p: DateInputOptions) {
  const day = p.day ?? { name: 'day', value: p.values?.day, classes: 'govuk-input--width-2' };
  const month = p.month ?? { name: 'month', value: p.values?.month, classes: 'govuk-input--width-2' };
  const year = p.year ?? { name: 'year', value: p.values?.year, classes: 'govuk-input--width-4' };
  const items = p.items?.length ? p.items : [day, month, year];
  const anyItemHasError = items.some((i) => i && itemHasError(i));
  const { describedBy, hint, error } = describeField(p.id, p.fieldset?.describedBy, p.hint, p.errorMessage);
  const namePrefix = p.namePrefix ? `${p.namePrefix}-` : '';

  const renderItem = (item: DateInputItem) => {
    let name = item.name;
    let value = item.value;
    let width = 2;
    const matches = (part: DateInputItem, fallback: string) =>
      item === part || (item.name && (item.name === fallback || item.name === part.name));
    if (matches(day, 'day')) {
      name = item.name || 'day';
      value = item.value || day.value;
    } else if (matches(month, 'month')) {
      name = item.name || 'month';
      value = item.value || month.value;
    } else if (matches(year, 'year')) {
      name = item.name || 'year';
      value = item.value || year.value;
      width = 4;
    }
    let classes = '';
    if (
      !item.classes?.includes('govuk-input--error') &&
      (itemHasError(item) || (item.error !== false && p.errorMessage && !anyItemHasError))
    ) {
      classes = cx(classes, 'govuk-input--error');
    }
    if (!item.classes?.includes('govuk-input--width-')) classes = cx(classes, `govuk-input--width-${width}`);
    if (item.classes) classes = cx(classes, item.classes);
    return (
      <div class="govuk-date-input__item">
        <Input
          label={{ text: item.label ? item.label : capitalise(name ?? ''), classes: 'govuk-date-input__label' }}
          id={item.id ? item.id : `${p.id}-${name}`}
          classes={cx('govuk-date-input__input', classes)}
          name={`${namePrefix}${name}`}
          value={value || p.values?.[`${namePrefix}${name}`]}
          type="text"
          inputmode={item.inputmode ? item.inputmode : 'numeric'}
          autocomplete={item.autocomplete}
          pattern={item.pattern}
          {...(p.maxlength === undefined ? {} : { maxlength: p.maxlength })}
          attributes={item.attributes}
        />
      </div>
    );
  };

  const inner = (
    <>
      {hint}
      {error}
      <div class={cx('govuk-date-input', p.classes)} {...attrs(p.attributes)} {...(p.id ? { id: p.id } : {})}>
        {extra(p.formGroup?.beforeInputs)}
        {items.map((item) => (item ? renderItem(item) : null))}
        {extra(p.formGroup?.afterInputs)}
      </div>
    </>
  );
  return (
    <FormGroup error={Boolean(p.errorMessage)} formGroup={p.formGroup}>
      {p.fieldset ? (
        <Fieldset
          describedBy={describedBy}
          classes={p.fieldset.classes}
          role="group"
          attributes={p.fieldset.attributes}
          legend={p.fieldset.legend}
        >
          {inner}
        </Fieldset>
      ) : (
        inner
      )}
    </FormGroup>
  );
}
