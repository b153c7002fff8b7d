import type { ComponentChildren, VNode } from 'preact';
import { jsxTemplate } from 'preact/jsx-runtime';

/**
 * Options mirror govuk-frontend's Nunjucks macro options (see each component's macro-options.json),
 * so the fixtures that ship with govuk-frontend feed our components unchanged.
 */
export type AttributeValue = string | number | boolean | null | undefined;
export type Attributes = Record<string, AttributeValue | { value: AttributeValue; optional?: boolean }>;

export interface TextOrHtml {
  text?: string | number;
  html?: string;
}

/** Trusted HTML from our own templates or from a fixture's `html` option. Never pass user input here. */
export function raw(html: string): VNode {
  return jsxTemplate([html.trim()]) as VNode;
}

/** `html` wins over `text`, as in the macros; text is escaped by Preact. */
export function content(o: TextOrHtml | undefined): ComponentChildren {
  if (!o) return null;
  if (o.html) return raw(String(o.html));
  return o.text === undefined || o.text === null ? null : String(o.text);
}

export function hasContent(o: TextOrHtml | undefined): boolean {
  return Boolean(o && (o.html || (o.text !== undefined && o.text !== null && o.text !== '')));
}

export function cx(...names: (string | false | null | undefined)[]): string {
  return names.filter(Boolean).join(' ');
}

/** govukAttributes: plain values always render; optional ones vanish when empty and become boolean when true. */
export function attrs(attributes: Attributes | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!attributes) return out;
  for (const [name, given] of Object.entries(attributes)) {
    if (given !== null && typeof given === 'object') {
      const { value, optional } = given;
      if (optional) {
        if (value === undefined || value === null || value === false || value === '') continue;
        out[name] = value === true ? '' : String(value);
        continue;
      }
      out[name] = value === undefined || value === null ? '' : String(value);
      continue;
    }
    out[name] = given === undefined || given === null ? '' : String(given);
  }
  return out;
}

/** Optional attributes only: the `{%- if x %} name="x"{% endif %}` pattern of the templates. */
export function optional(values: Record<string, AttributeValue>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === false || value === '') continue;
    out[name] = value === true ? '' : String(value);
  }
  return out;
}

// biome-ignore lint/suspicious/noDoubleEquals: mirrors Nunjucks' loose comparison of option values
export const looseEquals = (a: unknown, b: unknown): boolean => a == b;

export const capitalise = (s: string): string => (s ? s.charAt(0).toUpperCase() + s.slice(1).toLowerCase() : s);

export interface FormGroupOptions {
  classes?: string;
  attributes?: Attributes;
  beforeInput?: TextOrHtml;
  afterInput?: TextOrHtml;
  beforeInputs?: TextOrHtml;
  afterInputs?: TextOrHtml;
}

export type Plural = Record<string, string>;

/** govukI18nAttributes: translated messages for the component's JavaScript, as data attributes. */
export function i18n(out: Record<string, string>, key: string, messages?: Plural, message?: string): void {
  if (messages) for (const [rule, text] of Object.entries(messages)) out[`data-i18n.${key}.${rule}`] = text;
  else if (message) out[`data-i18n.${key}`] = message;
}

/** For the few places that build an `html` option from data: escapes text for HTML and attributes. */
export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
