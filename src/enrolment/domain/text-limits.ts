/**
 * How long each free-text answer in enrolment may be, and the message that says so. A field that is
 * too long is told it is too long (not that it is empty or in the wrong format).
 */
export const TEXT_LIMITS = {
  name: 200,
  email: 254,
  role: 200,
  employer: 200,
  ittProvider: 300,
  comment: 2000,
  reason: 1000,
  gatewayAnswer: 40_000,
  timeZone: 60,
} as const;

/** "Your name must be 200 characters or fewer". */
export const tooLong = (what: string, max: number): string => `${what} must be ${max.toLocaleString('en-GB')} characters or fewer`;
