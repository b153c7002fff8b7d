import { cx, type FormGroupOptions, i18n, type Plural, type TextOrHtml } from './core';
import { extra } from './form-group';
import { Hint } from './hint';
import { Textarea, type TextareaOptions } from './textarea';

export interface CharacterCountOptions extends Omit<TextareaOptions, 'formGroup' | 'maxlength'> {
  /** The limit counted and shown (govuk-frontend's); the textarea may hold more, to be told it is over. */
  maxlength?: number | string;
  /** The textarea's own maxlength, the most a browser sends: TEXTAREA_MAXLENGTH when not given; `false`, none. */
  hardMaxlength?: number | false;
  maxwords?: number | string;
  threshold?: number | string;
  countType?: string;
  formGroup?: FormGroupOptions;
  countMessage?: { classes?: string };
  textareaDescriptionText?: string;
  charactersUnderLimitText?: Plural;
  charactersAtLimitText?: string;
  charactersOverLimitText?: Plural;
  wordsUnderLimitText?: Plural;
  wordsAtLimitText?: string;
  wordsOverLimitText?: Plural;
}

export function CharacterCount(p: CharacterCountOptions) {
  const countType = p.countType || (p.maxwords ? 'words' : undefined);
  const hasNoLimit = !p.maxwords && !p.maxlength;
  const limit = p.maxwords || p.maxlength;
  const description =
    p.textareaDescriptionText || `You can enter up to %{count} ${countType === 'words' ? 'words' : 'characters'}`;
  const id = p.id || p.name;
  const dataAttributes: Record<string, string> = { 'data-module': 'govuk-character-count' };
  if (p.maxlength) dataAttributes['data-maxlength'] = String(p.maxlength);
  if (p.maxwords) dataAttributes['data-maxwords'] = String(p.maxwords);
  if (p.threshold) dataAttributes['data-threshold'] = String(p.threshold);
  if (countType) dataAttributes['data-count-type'] = countType;
  if (hasNoLimit && p.textareaDescriptionText) i18n(dataAttributes, 'textarea-description', { other: p.textareaDescriptionText });
  i18n(dataAttributes, 'characters-under-limit', p.charactersUnderLimitText);
  i18n(dataAttributes, 'characters-at-limit', undefined, p.charactersAtLimitText);
  i18n(dataAttributes, 'characters-over-limit', p.charactersOverLimitText);
  i18n(dataAttributes, 'words-under-limit', p.wordsUnderLimitText);
  i18n(dataAttributes, 'words-at-limit', undefined, p.wordsAtLimitText);
  i18n(dataAttributes, 'words-over-limit', p.wordsOverLimitText);
  const after: TextOrHtml | undefined = p.formGroup?.afterInput;
  return (
    <Textarea
      {...p}
      maxlength={p.hardMaxlength}
      id={id}
      describedBy={`${id}-info`}
      classes={cx('govuk-js-character-count', p.classes)}
      formGroup={{
        classes: p.formGroup?.classes,
        attributes: p.formGroup?.attributes,
        beforeInput: p.formGroup?.beforeInput,
        extraClasses: 'govuk-character-count',
        extraAttributes: dataAttributes,
      }}
      afterTextarea={
        <>
          <Hint
            text={hasNoLimit ? undefined : description.replace('%{count}', String(limit))}
            id={`${id}-info`}
            classes={cx('govuk-character-count__message', p.countMessage?.classes)}
          />
          {extra(after)}
        </>
      }
    />
  );
}
