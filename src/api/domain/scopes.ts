/**
 * What an API token may do, chosen when it is made (docs/adr/0020). Each `/api/v1` operation names the
 * one scope it needs; a token without it is refused with 403 `insufficient_scope`. Reading and writing
 * are separate scopes so that a reporting system can hold a token that changes nothing.
 *
 * Adding a scope here: drizzle/0008_accounts_security.sql gave tokens made before scopes every scope
 * then known; a new scope is given to no existing token.
 */
export const API_SCOPES = [
  'qualifications:read',
  'cohorts:read',
  'cohorts:write',
  'funding:read',
  'applications:read',
  'applications:write',
  'reference:write',
  'diagnostic:read',
  'delivery:read',
  'assessment:read',
] as const;
export type ApiScope = (typeof API_SCOPES)[number];

/** What each scope lets a token do, as the token form and the API documentation say it. */
export const API_SCOPE_LABELS: Record<ApiScope, string> = {
  'qualifications:read': 'Read the NPQ catalogue',
  'cohorts:read': 'Read cohorts',
  'cohorts:write': 'Create cohorts',
  'funding:read': 'Check DfE funding eligibility',
  'applications:read': 'Read applications',
  'applications:write': 'Create, accept and reject applications',
  'reference:write': 'Import GIAS schools and replace eligibility lists',
  'diagnostic:read': 'Read 360° cohort views and reports',
  'delivery:read': 'Read intakes’ delivery plans, participants’ progress and their coaching',
  'assessment:read': 'Read participants’ submissions and outcomes',
};

export const isApiScope = (v: unknown): v is ApiScope => typeof v === 'string' && (API_SCOPES as readonly string[]).includes(v);

/** Whether a token holding `held` may run an operation that needs `needed`; an operation that names no scope is refused. */
export const scopeAllows = (held: readonly string[], needed: ApiScope | undefined): boolean => needed !== undefined && held.includes(needed);
