import { type Attributes, attrs, cx, type FormGroupOptions, i18n, optional, type Plural } from './core';
import type { ErrorMessageOptions } from './error-message';
import { describeField, extra, FormGroup } from './form-group';
import type { HintOptions } from './hint';
import { Label, type LabelOptions } from './label';

export interface FileUploadOptions {
  name: string;
  id?: string;
  disabled?: boolean;
  multiple?: boolean;
  describedBy?: string;
  label?: LabelOptions;
  hint?: HintOptions;
  errorMessage?: ErrorMessageOptions | false;
  formGroup?: FormGroupOptions;
  classes?: string;
  attributes?: Attributes;
  javascript?: boolean;
  wrapperClasses?: string;
  wrapperAttributes?: Attributes;
  chooseFilesButtonText?: string;
  noFileChosenText?: string;
  multipleFilesChosenText?: Plural;
  dropInstructionText?: string;
  enteredDropZoneText?: string;
  leftDropZoneText?: string;
}

export function FileUpload(p: FileUploadOptions) {
  const id = p.id || p.name;
  const { describedBy, hint, error } = describeField(id, p.describedBy, p.hint, p.errorMessage);
  const input = (
    <input
      class={cx('govuk-file-upload', p.classes, p.errorMessage && 'govuk-file-upload--error')}
      id={id}
      name={p.name}
      type="file"
      {...optional({ disabled: p.disabled, multiple: p.multiple, 'aria-describedby': describedBy })}
      {...attrs(p.attributes)}
    />
  );
  let control = input;
  if (p.javascript) {
    const messages: Record<string, string> = {};
    i18n(messages, 'choose-files-button', undefined, p.chooseFilesButtonText);
    i18n(messages, 'no-file-chosen', undefined, p.noFileChosenText);
    i18n(messages, 'multiple-files-chosen', p.multipleFilesChosenText);
    i18n(messages, 'drop-instruction', undefined, p.dropInstructionText);
    i18n(messages, 'entered-drop-zone', undefined, p.enteredDropZoneText);
    i18n(messages, 'left-drop-zone', undefined, p.leftDropZoneText);
    control = (
      <div
        class={cx('govuk-file-upload-wrapper', p.wrapperClasses)}
        data-module="govuk-file-upload"
        {...messages}
        {...attrs(p.wrapperAttributes)}
      >
        {input}
      </div>
    );
  }
  return (
    <FormGroup error={Boolean(p.errorMessage)} formGroup={p.formGroup}>
      <Label {...p.label} for={id} />
      {hint}
      {error}
      {extra(p.formGroup?.beforeInput)}
      {control}
      {extra(p.formGroup?.afterInput)}
    </FormGroup>
  );
}
