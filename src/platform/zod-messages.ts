import { z } from 'zod';

/**
 * The words a person or an API client reads when a value is refused and its schema gave no message
 * of its own: never zod's defaults ("Invalid input: expected string, received array", "Too big:
 * expected string to have <=100 characters"). The field is named from its key (`lineManagerName`,
 * `line_manager_name` → "Line manager name"); the wording follows the GOV.UK design system's error
 * messages ("Enter …", "… must be N characters or fewer", "Select …").
 */

/** A field's key as words: camelCase and snake_case split, the first letter a capital. */
export function labelOf(path: readonly PropertyKey[] | undefined): string {
  const key = [...(path ?? [])].reverse().find((p) => typeof p === 'string') as string | undefined;
  if (!key) return 'The answer';
  const words = key
    .replace(/^c:/, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : 'The answer';
}

const n = (v: number | bigint) => Number(v).toLocaleString('en-GB');

const KIND: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'yes or no', array: 'a list', object: 'a set of fields', date: 'a date' };

/** The message for one zod issue, from its code and the field's name. */
export function humanMessage(iss: z.core.$ZodRawIssue): string {
  const label = labelOf(iss.path);
  const lower = label.toLowerCase();
  const missing = iss.input === undefined || iss.input === null || (typeof iss.input === 'string' && iss.input.trim() === '');
  switch (iss.code) {
    case 'invalid_type':
      return missing ? `Enter ${lower}` : `${label} must be ${KIND[iss.expected] ?? 'in the right form'}`;
    case 'too_big': {
      const max = n(iss.maximum as number);
      if (iss.origin === 'string') return `${label} must be ${max} characters or fewer`;
      if (iss.origin === 'array' || iss.origin === 'set') return `${label} must have ${max} or fewer items`;
      return `${label} must be ${max} or less`;
    }
    case 'too_small': {
      const min = iss.minimum as number;
      if (iss.origin === 'string') return min <= 1 ? `Enter ${lower}` : `${label} must be ${n(min)} characters or more`;
      if (iss.origin === 'array' || iss.origin === 'set') return min <= 1 ? `Select ${lower}` : `${label} must have ${n(min)} or more items`;
      return `${label} must be ${n(min)} or more`;
    }
    case 'invalid_format':
      if (iss.format === 'email') return 'Enter an email address in the correct format, like name@example.com';
      if (iss.format === 'uuid' || iss.format === 'guid') return `${label} is not a valid reference`;
      return `${label} is not in the right format`;
    case 'invalid_value':
      return missing ? `Select ${lower}` : `${label} is not one of the choices`;
    case 'not_multiple_of':
      return `${label} must be a multiple of ${n(iss.divisor as number)}`;
    case 'unrecognized_keys':
      return `Remove ${iss.keys.map((k) => `"${k}"`).join(', ')}: not a field this accepts`;
    default:
      return missing ? `Enter ${lower}` : `${label} is not valid`;
  }
}

/** Installs the messages for every schema in the process; idempotent. */
export function installZodMessages(): void {
  z.config({ customError: humanMessage });
}

installZodMessages();

/**
 * A schema's own message for a value that is missing, leaving every other problem (too long, wrong
 * kind) to `humanMessage`. A plain `{ error: 'Enter their name' }` would answer a 10,000-character
 * name with "Enter their name" too: zod gives a schema's error to every issue it raises.
 */
export const whenMissing =
  (message: string) =>
  (iss: z.core.$ZodRawIssue): string | undefined =>
    iss.input === undefined || iss.input === null ? message : undefined;
