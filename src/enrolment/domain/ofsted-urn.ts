/**
 * Ofsted's unique reference numbers for childcare providers: the one parser every place that takes a
 * childminder's or nursery's URN uses (the childminders list import, the funding checker, the
 * application, the API).
 *
 * Ofsted writes them as 6 or 7 digits (older registrations and schools' early-years provision),
 * `EY` and 6 digits (early years register) or `CA` and 6 digits (childminder agencies). People type
 * them in any case, with spaces ("ey 248 638"); DfE's API shows them as Ofsted prints them
 * (`EY944860`), so that is the form kept.
 */

export type OfstedUrnResult = { ok: true; urn: string } | { ok: false; reason: 'empty' | 'format' };

const FORMS = /^(?:\d{6,7}|EY\d{6}|CA\d{6})$/;

/** The URN in Ofsted's own form (upper case, no spaces), or why it is not one. */
export function parseOfstedUrn(raw: string | null | undefined): OfstedUrnResult {
  const compact = (raw ?? '').replace(/\s+/g, '').toUpperCase();
  if (!compact) return { ok: false, reason: 'empty' };
  return FORMS.test(compact) ? { ok: true, urn: compact } : { ok: false, reason: 'format' };
}

/** What a person is told when a URN is not in one of Ofsted's forms. */
export const OFSTED_URN_FORMAT_MESSAGE = 'Enter an Ofsted URN as 6 or 7 digits, or EY or CA followed by 6 digits, like EY123456';

/** Column headings a list of childcare providers may use for Ofsted's URN, compared without case or spacing. */
export const OFSTED_URN_HEADERS = ['urn', 'ofsted urn', 'childminder urn', 'childcare provider urn', 'provider urn', 'private childcare provider urn', 'unique reference number', 'ofsted unique reference number'] as const;

/** Whether a CSV heading names Ofsted's URN ("Childminder URN", "ofsted_urn", "URN"). */
export const isOfstedUrnHeader = (header: string): boolean => (OFSTED_URN_HEADERS as readonly string[]).includes(header.trim().toLowerCase().replace(/[\s_-]+/g, ' '));
