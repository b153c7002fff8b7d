/**
 * DfE's Lead Provider API answers a refusal as `{"errors":[{"title":"<attribute>","detail":"<message>"}]}`
 * (docs/dfe-api.md §5.6: titles are attribute names for a 422, "Bad request" for a 400). Ours keeps its
 * one stable shape, `{ error: { code, message, details } }`, and carries DfE's list beside it, so a client
 * written against DfE's API finds the shape it parses (docs/adr/0039).
 */
export interface DfeError {
  title: string;
  detail: string;
}

/** DfE's titles for the answers that are not about one attribute, by HTTP status. */
const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Resource not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'base',
  429: 'Too many requests',
  503: 'Service unavailable',
};

/**
 * DfE's `errors` list for one of our error answers: one entry per field under `details.fields` (title:
 * the attribute, as DfE names it), else one entry titled by the status (`base` for a 422 not about one
 * attribute, as DfE's service errors are).
 *
 * @param status the HTTP status answered (400–599)
 * @param message our error's message, for people
 * @param details our error's details (`{ fields: { attribute: message } }` for a refusal of fields)
 */
export function dfeErrorsOf(status: number, message: string, details: unknown): DfeError[] {
  const fields = (details as { fields?: unknown } | null | undefined)?.fields;
  if (fields && typeof fields === 'object') {
    const entries = Object.entries(fields as Record<string, unknown>).filter(([, v]) => typeof v === 'string') as [string, string][];
    if (entries.length > 0) return entries.map(([title, detail]) => ({ title, detail }));
  }
  return [{ title: TITLES[status] ?? (status >= 500 ? 'Internal server error' : 'Bad request'), detail: message }];
}
