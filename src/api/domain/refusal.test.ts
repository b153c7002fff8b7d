import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors';
import { fieldRefusalOf, refusalError } from './refusal';

class ScheduleRefused extends Error {
  readonly code = 'schedule_not_valid_for_course';
  readonly field = 'schedule_identifier';
}

describe('a domain rule’s refusal of one field', () => {
  it('is recognised by its shape, whatever its class', () => {
    expect(fieldRefusalOf(new ScheduleRefused('The selected schedule is not valid for the course'))).toEqual({
      code: 'schedule_not_valid_for_course',
      field: 'schedule_identifier',
      message: 'The selected schedule is not valid for the course',
    });
  });

  it('leaves faults alone: no field, no stable code, or not an error', () => {
    expect(fieldRefusalOf(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBeUndefined();
    expect(fieldRefusalOf(Object.assign(new Error('duplicate key'), { code: '23505', column: 'email' }))).toBeUndefined();
    expect(fieldRefusalOf({ code: 'x', field: 'y', message: 'not an Error' })).toBeUndefined();
    expect(fieldRefusalOf(Object.assign(new Error('no field'), { code: 'refused', field: '' }))).toBeUndefined();
  });

  it('is answered 422 with its code, its message and the field’s message', () => {
    const error = refusalError({ code: 'schedule_not_valid_for_course', field: 'schedule_identifier', message: 'Not valid' });
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 422, code: 'schedule_not_valid_for_course', message: 'Not valid', details: { fields: { schedule_identifier: 'Not valid' } } });
  });
});
