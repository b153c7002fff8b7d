/**
 * SQLSTATEs with which PostgreSQL ends a session or refuses one for now: administrator or crash
 * shutdown (57P01, 57P02), still starting up (57P03), idle timeouts (57P05 idle_session_timeout,
 * 25P03 idle_in_transaction_session_timeout), too many connections (53300). Source: PostgreSQL's
 * "Appendix A. PostgreSQL Error Codes". Class 08 (connection exception) is matched as a class.
 */
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '57P05', '25P03', '53300']);

/** Socket failures Node reports when the server goes away or is not there yet (a restart, a failover). */
const SOCKET_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * node-postgres's own messages once a connection is gone. They carry no code: after a server ends a
 * session, Drizzle's ROLLBACK fails with "not queryable" and that error, not the first, is what a
 * transaction rethrows (the first is lost), so the message is all there is to go on.
 */
const CLIENT_MESSAGES = ['Connection terminated unexpectedly', 'Connection terminated', 'is not queryable', 'timeout exceeded when trying to connect', 'Client has encountered a connection error'];

/**
 * Whether `err` (or anything in its `cause` chain, as Drizzle wraps driver errors in DrizzleQueryError)
 * says the connection to the database was lost or could not be had for now — a fault of the moment,
 * not of the request, so the caller answers 503 and the person tries again. Never throws.
 */
export function isConnectionLost(err: unknown): boolean {
  for (let e = err, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (SERVER_CODES.has(code) || SOCKET_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
    if (typeof message === 'string' && CLIENT_MESSAGES.some((m) => message.includes(m))) return true;
  }
  return false;
}
