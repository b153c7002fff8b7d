import { AppError } from '../../platform/errors';

/**
 * A domain rule's refusal about one field of a request, as the API answers it. Use cases in the pure
 * domain raise typed errors that know nothing of HTTP (`{ code: 'schedule_not_valid_for_course',
 * field: 'schedule_identifier', message }`); DfE's Lead Provider API answers those 422 with the
 * attribute as the error's title (`{"errors":[{"title":"schedule_identifier","detail":"…"}]}`,
 * docs/dfe-api.md §5.6). Ours is the platform's one error shape with the same facts: the stable code,
 * the message, and the field with its message under `details.fields`, as `validation_failed` has them.
 */
export interface FieldRefusal {
  code: string;
  field: string;
  message: string;
}

/** A stable machine-readable code: lower snake case, as every code of this API is. */
const STABLE_CODE = /^[a-z][a-z0-9_]{0,79}$/;

/**
 * The refusal an error stands for, or undefined when it is not one: an Error whose `code` is a stable
 * code and whose `field` names a request field. Recognised by shape, not class, so a capability's own
 * error types need not import the API. System errors (`ECONNRESET`) and database errors have no
 * `field`, so they stay faults.
 */
export function fieldRefusalOf(error: unknown): FieldRefusal | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, field } = error as Error & { code?: unknown; field?: unknown };
  if (typeof code !== 'string' || !STABLE_CODE.test(code) || typeof field !== 'string' || field === '') return undefined;
  return { code, field, message: error.message };
}

/** The API's answer to a refusal: 422, as DfE answers a service's validation failure, with the field's message. */
export const refusalError = (r: FieldRefusal): AppError => new AppError(r.code, r.message, 422, { fields: { [r.field]: r.message } });
