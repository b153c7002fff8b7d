import type { ComponentChildren } from 'preact';
import { type Attributes, attrs, cx, type FormGroupOptions, optional } from './core';
import type { ErrorMessageOptions } from './error-message';
import { describeField, extra, FormGroup } from './form-group';
import type { HintOptions } from './hint';
import { Label, type LabelOptions } from './label';

export interface TextareaOptions {
  id?: string;
  name: string;
  spellcheck?: boolean;
  rows?: number;
  value?: string;
  disabled?: boolean;
  describedBy?: string;
  label?: LabelOptions;
  hint?: HintOptions;
  errorMessage?: ErrorMessageOptions | false;
  formGroup?: FormGroupOptions & { extraClasses?: string; extraAttributes?: Record<string, string> };
  classes?: string;
  autocomplete?: string;
  /**
   * The most characters the browser lets a person type or paste: what the field accepts. Not given,
   * TEXTAREA_MAXLENGTH; `false`, none (govuk-frontend's own markup, for its fixtures). A field with a
   * limit a person should see uses CharacterCount instead.
   */
  maxlength?: number | false;
  attributes?: Attributes;
  /** What follows the textarea in place of formGroup.afterInput (the character count's message). */
  afterTextarea?: ComponentChildren;
}

/** The longest value a textarea sends unless it says less: the input boundary's limit for one form field (MAX_FORM_VALUE). */
export const TEXTAREA_MAXLENGTH = 100_000;

export function Textarea(p: TextareaOptions) {
  const id = p.id || p.name;
  const { describedBy, hint, error } = describeField(id, p.describedBy, p.hint, p.errorMessage);
  return (
    <FormGroup
      error={Boolean(p.errorMessage)}
      formGroup={p.formGroup}
      extraClasses={p.formGroup?.extraClasses}
      extraAttributes={p.formGroup?.extraAttributes}
    >
      <Label {...p.label} for={id} />
      {hint}
      {error}
      {extra(p.formGroup?.beforeInput)}
      <textarea
        class={cx('govuk-textarea', p.errorMessage && 'govuk-textarea--error', p.classes)}
        id={id}
        name={p.name}
        rows={p.rows || 5}
        {...optional({
          spellcheck: p.spellcheck === true || p.spellcheck === false ? String(p.spellcheck) : undefined,
          disabled: p.disabled,
          'aria-describedby': describedBy,
          autocomplete: p.autocomplete,
          maxlength: p.maxlength === false ? undefined : String(p.maxlength ?? TEXTAREA_MAXLENGTH),
        })}
        {...attrs(p.attributes)}
        value={p.value ?? ''}
      />
      {p.afterTextarea ?? extra(p.formGroup?.afterInput)}
    </FormGroup>
  );
}
