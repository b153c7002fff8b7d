/** Whether a database error is a unique-index violation (PostgreSQL code 23505), directly or as a cause. */
export function isUniqueViolation(err: unknown): boolean {
  return hasPostgresCode(err, ['23505']);
}

/** Whether PostgreSQL ended a transaction for a deadlock (40P01) or a serialization failure (40001), directly or as a cause. */
export function isConcurrencyFailure(err: unknown): boolean {
  return hasPostgresCode(err, ['40P01', '40001']);
}

/** Whether a database error, or its cause (drizzle wraps the driver's), carries one of these SQLSTATE codes. */
function hasPostgresCode(err: unknown, codes: string[]): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return codes.includes(e?.code ?? '') || codes.includes(e?.cause?.code ?? '');
}
