/** Errors a use case raises on purpose; anything else is a fault and is logged, never shown. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class NotFoundError extends AppError {
  constructor(what = 'page') {
    super('not_found', `The ${what} could not be found`, 404);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You do not have permission to do that') {
    super('forbidden', message, 403);
  }
}

export class UnauthenticatedError extends AppError {
  constructor() {
    super('unauthenticated', 'Sign in to continue', 401);
  }
}

export type FieldErrors = Record<string, string>;

export class ValidationError extends AppError {
  constructor(
    readonly fieldErrors: FieldErrors,
    message = 'Check the details you entered',
  ) {
    super('validation_failed', message, 422, { fields: fieldErrors });
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string) {
    super(code, message, 409);
  }
}
