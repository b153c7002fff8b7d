import type { ComponentChildren, VNode } from 'preact';
import { type Attributes, attrs, content, cx, type FormGroupOptions, hasContent, type TextOrHtml } from './core';
import { ErrorMessage, type ErrorMessageOptions } from './error-message';
import { Hint, type HintOptions } from './hint';

/** The hint and error message every field shows, and the aria-describedby that ties them to it. */
export function describeField(
  idBase: string | undefined,
  describedBy: string | undefined,
  hint: HintOptions | undefined,
  errorMessage: ErrorMessageOptions | false | undefined,
): { describedBy: string; hint: VNode | null; error: VNode | null } {
  let ids = describedBy || '';
  let hintEl: VNode | null = null;
  let errorEl: VNode | null = null;
  if (hint) {
    const hintId = `${idBase}-hint`;
    ids = ids ? `${ids} ${hintId}` : hintId;
    hintEl = (
      <Hint id={hintId} classes={hint.classes} attributes={hint.attributes} html={hint.html} text={hint.text} />
    );
  }
  if (errorMessage) {
    const errorId = `${idBase}-error`;
    ids = ids ? `${ids} ${errorId}` : errorId;
    errorEl = (
      <ErrorMessage
        id={errorId}
        classes={errorMessage.classes}
        attributes={errorMessage.attributes}
        html={errorMessage.html}
        text={errorMessage.text}
        visuallyHiddenText={errorMessage.visuallyHiddenText}
      />
    );
  }
  return { describedBy: ids, hint: hintEl, error: errorEl };
}

export function FormGroup(p: {
  error: boolean;
  formGroup: FormGroupOptions | undefined;
  extraClasses?: string;
  extraAttributes?: Record<string, string>;
  children: ComponentChildren;
}) {
  return (
    <div
      class={cx('govuk-form-group', p.error && 'govuk-form-group--error', p.extraClasses, p.formGroup?.classes)}
      {...p.extraAttributes}
      {...attrs(p.formGroup?.attributes as Attributes)}
    >
      {p.children}
    </div>
  );
}

export const extra = (o: TextOrHtml | undefined) => (o && hasContent(o) ? content(o) : null);
