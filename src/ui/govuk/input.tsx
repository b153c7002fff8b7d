import { type Attributes, attrs, content, cx, type FormGroupOptions, hasContent, optional, type TextOrHtml } from './core';
import type { ErrorMessageOptions } from './error-message';
import { describeField, extra, FormGroup } from './form-group';
import type { HintOptions } from './hint';
import { Label, type LabelOptions } from './label';

interface Affix extends TextOrHtml {
  classes?: string;
  attributes?: Attributes;
}

export interface InputOptions {
  id?: string;
  name: string;
  type?: string;
  inputmode?: string;
  value?: string | number;
  disabled?: boolean;
  describedBy?: string;
  label?: LabelOptions;
  hint?: HintOptions;
  errorMessage?: ErrorMessageOptions | false;
  prefix?: Affix;
  suffix?: Affix;
  formGroup?: FormGroupOptions;
  inputWrapper?: { classes?: string; attributes?: Attributes };
  classes?: string;
  autocomplete?: string;
  autocapitalize?: string;
  pattern?: string;
  spellcheck?: boolean;
  /**
   * The most characters the browser lets a person type or paste: what the field accepts (its schema's
   * max). Not given, INPUT_MAXLENGTH; `false`, none (govuk-frontend's own markup, for its fixtures).
   */
  maxlength?: number | false;
  attributes?: Attributes;
}

/**
 * The longest value any text input sends unless it says less: the input boundary's limit for a value in
 * a web address (src/platform/boundary.ts, MAX_QUERY_VALUE), the lower of its two, so neither a search
 * form (GET) nor a form sent by POST can send what the boundary refuses with a 400.
 */
export const INPUT_MAXLENGTH = 2000;

const AffixItem = ({ affix, type }: { affix: Affix; type: string }) => (
  <div class={cx(`govuk-input__${type}`, affix.classes)} aria-hidden="true" {...attrs(affix.attributes)}>
    {content(affix)}
  </div>
);

export function Input(p: InputOptions) {
  const id = p.id || p.name;
  const { describedBy, hint, error } = describeField(id, p.describedBy, p.hint, p.errorMessage);
  const input = (
    <input
      class={cx('govuk-input', p.classes, p.errorMessage && 'govuk-input--error')}
      id={id}
      name={p.name}
      type={(p.type || 'text') as 'text'}
      {...optional({
        spellcheck: p.spellcheck === true || p.spellcheck === false ? String(p.spellcheck) : undefined,
        value: p.value as string,
        disabled: p.disabled,
        'aria-describedby': describedBy,
        autocomplete: p.autocomplete,
        autocapitalize: p.autocapitalize,
        pattern: p.pattern,
        inputmode: p.inputmode,
        maxlength: p.maxlength === false ? undefined : String(p.maxlength ?? INPUT_MAXLENGTH),
      })}
      {...attrs(p.attributes)}
    />
  );
  const hasPrefix = hasContent(p.prefix);
  const hasSuffix = hasContent(p.suffix);
  const before = p.formGroup?.beforeInput;
  const after = p.formGroup?.afterInput;
  const wrapped = hasPrefix || hasSuffix || hasContent(before) || hasContent(after);
  return (
    <FormGroup error={Boolean(p.errorMessage)} formGroup={p.formGroup}>
      <Label {...p.label} for={id} />
      {hint}
      {error}
      {wrapped ? (
        <div class={cx('govuk-input__wrapper', p.inputWrapper?.classes)} {...attrs(p.inputWrapper?.attributes)}>
          {extra(before)}
          {hasPrefix ? <AffixItem affix={p.prefix!} type="prefix" /> : null}
          {input}
          {hasSuffix ? <AffixItem affix={p.suffix!} type="suffix" /> : null}
          {extra(after)}
        </div>
      ) : (
        input
      )}
    </FormGroup>
  );
}
