import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { clip } from './text';

/*
 * Markdown as pages show it (issue 10: programme materials), by well-kept libraries rather than our
 * own (docs/adr/0047): markdown-it turns it into HTML with raw HTML switched off, and sanitize-html
 * then keeps only the elements and attributes below, and links only to http, https and mailto, so
 * that nothing an author writes can run script or restyle the page. GOV.UK classes are added after
 * sanitising, so the output reads as the rest of the service does.
 */

const md = new MarkdownIt({ html: false, linkify: true, typographer: true });

const ALLOWED: sanitizeHtml.IOptions = {
  allowedTags: ['h2', 'h3', 'h4', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'a', 'blockquote', 'code', 'pre', 'br', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href'], th: ['style'], td: ['style'] },
  allowedStyles: { th: { 'text-align': [/^(left|right|center)$/] }, td: { 'text-align': [/^(left|right|center)$/] } },
  allowedSchemes: ['http', 'https', 'mailto'],
  transformTags: {
    // A heading the author wrote as "# …" would compete with the page's own h1.
    h1: 'h2',
    h2: sanitizeHtml.simpleTransform('h2', { class: 'govuk-heading-m' }),
    h3: sanitizeHtml.simpleTransform('h3', { class: 'govuk-heading-s' }),
    h4: sanitizeHtml.simpleTransform('h4', { class: 'govuk-heading-s' }),
    p: sanitizeHtml.simpleTransform('p', { class: 'govuk-body' }),
    ul: sanitizeHtml.simpleTransform('ul', { class: 'govuk-list govuk-list--bullet' }),
    ol: sanitizeHtml.simpleTransform('ol', { class: 'govuk-list govuk-list--number' }),
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, class: 'govuk-link', rel: 'noopener noreferrer' } }),
    table: sanitizeHtml.simpleTransform('table', { class: 'govuk-table' }),
    blockquote: sanitizeHtml.simpleTransform('blockquote', { class: 'govuk-inset-text' }),
  },
};
const WITH_CLASSES: sanitizeHtml.IOptions = { ...ALLOWED, allowedAttributes: { ...ALLOWED.allowedAttributes, '*': ['class'], a: ['href', 'class', 'rel'] } };

/** Markdown (at most 50,000 characters are read) as safe HTML with GOV.UK classes. */
export function renderMarkdown(source: string): string {
  const html = md.render(clip(source, 50_000));
  // Sanitised once to strip, then the transforms' classes are let through (the author's never are: raw HTML is off).
  return sanitizeHtml(sanitizeHtml(html, { ...ALLOWED, transformTags: { h1: 'h2' } }), WITH_CLASSES);
}

/*
 * What users write to each other (issue 10 item 4's module discussions: "no rich HTML from users: text
 * with safe links") is plain text: markdown-it's "zero" preset reads nothing but paragraphs, line
 * breaks and bare web addresses, and sanitize-html keeps only those, so no one can style or hide a post.
 */
const plain = new MarkdownIt('zero', { linkify: true, breaks: true }).enable(['linkify', 'newline']);
// An email address stays text: mailto links are not kept, and a link with no address is no link.
plain.linkify.set({ fuzzyEmail: false });
// Direction overrides and isolates would make a link's text read differently from where it goes ("…exe.png" to "…gnp.exe").
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const USER_TEXT: sanitizeHtml.IOptions = { allowedTags: ['p', 'br', 'a'], allowedAttributes: { a: ['href'] }, allowedSchemes: ['http', 'https'] };
const USER_TEXT_CLASSES: sanitizeHtml.IOptions = {
  ...USER_TEXT,
  allowedAttributes: { p: ['class'], a: ['href', 'class', 'rel'] },
  transformTags: {
    p: sanitizeHtml.simpleTransform('p', { class: 'govuk-body' }),
    // ugc and nofollow: links written by users are not the provider's endorsement.
    a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, class: 'govuk-link', rel: 'nofollow ugc noopener noreferrer' } }),
  },
};

/** Text a user wrote (at most 10,000 characters are read) as safe HTML: paragraphs, line breaks and its http(s) addresses as links, nothing else. Sanitised to strip, then the classes are let through, as renderMarkdown does. */
export function renderUserText(source: string): string {
  return sanitizeHtml(sanitizeHtml(plain.render(clip(source, 10_000).replace(BIDI_CONTROLS, '')), USER_TEXT), USER_TEXT_CLASSES);
}
