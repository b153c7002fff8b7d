import { type Attributes, attrs, cx, optional, raw } from './core';

export interface ButtonOptions {
  element?: string;
  text?: string;
  html?: string;
  name?: string;
  type?: string;
  value?: string;
  disabled?: boolean;
  href?: string;
  classes?: string;
  attributes?: Attributes;
  preventDoubleClick?: boolean;
  isStartButton?: boolean;
  id?: string;
}

const StartIcon = () => (
  <svg
    class="govuk-button__start-icon"
    xmlns="http://www.w3.org/2000/svg"
    width="17.5"
    height="19"
    viewBox="0 0 33 40"
    aria-hidden="true"
    focusable="false"
  >
    <path fill="currentColor" d="M0 0h13l20 20-20 20H0l20-20z" />
  </svg>
);

export function Button(p: ButtonOptions) {
  const common = {
    class: cx('govuk-button', p.classes, p.isStartButton && 'govuk-button--start'),
    'data-module': 'govuk-button',
    ...attrs(p.attributes),
    ...optional({ id: p.id }),
  };
  const text = p.html ? (p.isStartButton ? <span>{raw(p.html)}</span> : raw(p.html)) : p.text;
  if (p.href) {
    return (
      <a href={p.href} role="button" draggable={'false' as unknown as boolean} {...common}>
        {text}
        {p.isStartButton ? <StartIcon /> : null}
      </a>
    );
  }
  return (
    <button
      type={(p.type || 'submit') as 'submit'}
      {...optional({ value: p.value, name: p.name })}
      {...(p.disabled ? { disabled: true, 'aria-disabled': 'true' } : {})}
      {...(p.preventDoubleClick !== undefined ? { 'data-prevent-double-click': String(p.preventDoubleClick) } : {})}
      {...common}
    >
      {text}
      {p.isStartButton ? <StartIcon /> : null}
    </button>
  );
}
