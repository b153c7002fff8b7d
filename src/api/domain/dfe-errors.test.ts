import { describe, expect, it } from 'vitest';
import { dfeErrorsOf } from './dfe-errors';

describe('DfE’s errors list beside ours', () => {
  it('names each refused attribute as DfE does (its title), with its message', () => {
    expect(dfeErrorsOf(422, 'Check the details', { fields: { schedule_identifier: 'The selected schedule is not valid for the course', funded_place: 'Set funded_place' } })).toEqual([
      { title: 'schedule_identifier', detail: 'The selected schedule is not valid for the course' },
      { title: 'funded_place', detail: 'Set funded_place' },
    ]);
  });

  it('titles an answer not about one attribute by its status: base for a 422, Bad request for a 400', () => {
    expect(dfeErrorsOf(422, 'The application has already been accepted', null)).toEqual([{ title: 'base', detail: 'The application has already been accepted' }]);
    expect(dfeErrorsOf(400, 'page[per_page] must be at most 3000', { issues: [] })).toEqual([{ title: 'Bad request', detail: 'page[per_page] must be at most 3000' }]);
    expect(dfeErrorsOf(404, 'The application could not be found', null)).toEqual([{ title: 'Resource not found', detail: 'The application could not be found' }]);
    expect(dfeErrorsOf(500, 'Sorry', null)).toEqual([{ title: 'Internal server error', detail: 'Sorry' }]);
    expect(dfeErrorsOf(418, 'Odd', null)).toEqual([{ title: 'Bad request', detail: 'Odd' }]);
  });

  it('ignores fields that are not messages', () => {
    expect(dfeErrorsOf(422, 'Check', { fields: { a: 1 } })).toEqual([{ title: 'base', detail: 'Check' }]);
  });
});
