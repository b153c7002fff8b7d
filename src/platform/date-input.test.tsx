import { render } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { DateField } from './date-field';
import { dateErrorTarget, dateInputFields, dateInputValues, parseDateInput } from './date-input';

const typed = (day: string, month: string, year: string) => ({ day, month, year });
const opens = { label: 'the date it opens' };

describe('parseDateInput: GOV.UK date fields', () => {
  it('reads a real date, with the month as a number or a name', () => {
    expect(parseDateInput(typed('18', '1', '2027'), opens)).toEqual({ ok: true, date: '2027-01-18' });
    expect(parseDateInput(typed('08', '01', '2027'), opens)).toEqual({ ok: true, date: '2027-01-08' });
    expect(parseDateInput(typed('18', 'Jan', '2027'), opens)).toEqual({ ok: true, date: '2027-01-18' });
    expect(parseDateInput(typed('1', 'september', '2026'), opens)).toEqual({ ok: true, date: '2026-09-01' });
    expect(parseDateInput(typed('29', '2', '2028'), opens)).toEqual({ ok: true, date: '2028-02-29' });
  });

  it.each([
    [typed('', '', ''), 'Enter the date it opens', ['day', 'month', 'year']],
    [typed('18', '', '2027'), 'The date it opens must include a month', ['month']],
    [typed('', '', '2027'), 'The date it opens must include a day and month', ['day', 'month']],
    [typed('18', '1', ''), 'The date it opens must include a year', ['year']],
    [typed('18', '1', '27'), 'Year must include 4 numbers', ['year']],
    [typed('30', '2', '2027'), 'The date it opens must be a real date', ['day', 'month', 'year']],
    [typed('29', '2', '2027'), 'The date it opens must be a real date', ['day', 'month', 'year']],
    [typed('32', '1', '2027'), 'The date it opens must be a real date', ['day', 'month', 'year']],
    [typed('18', '13', '2027'), 'The date it opens must be a real date', ['day', 'month', 'year']],
    [typed('x', '1', '2027'), 'The date it opens must be a real date', ['day']],
    [typed('18', 'Smarch', '2027'), 'The date it opens must be a real date', ['month']],
  ])('refuses %o: "%s"', (values, message, parts) => {
    expect(parseDateInput(values, opens)).toEqual({ ok: false, message, parts });
  });

  it('lets an optional date be left empty, but not half-typed', () => {
    expect(parseDateInput(typed('', '', ''), { ...opens, optional: true })).toEqual({ ok: true, date: null });
    expect(parseDateInput(typed('1', '', ''), { ...opens, optional: true })).toMatchObject({ ok: false, message: 'The date it opens must include a month and year' });
  });

  it('says when a date must come after or before another', () => {
    const closes = { label: 'the date it closes', after: { date: '2027-01-18', orSame: true } };
    expect(parseDateInput(typed('17', '1', '2027'), closes)).toMatchObject({ ok: false, message: 'The date it closes must be the same as or after 18 January 2027' });
    expect(parseDateInput(typed('18', '1', '2027'), closes)).toEqual({ ok: true, date: '2027-01-18' });
    expect(parseDateInput(typed('18', '1', '2027'), { label: 'the new closing date', after: { date: '2027-01-18' } })).toMatchObject({ message: 'The new closing date must be after 18 January 2027' });
    expect(parseDateInput(typed('1', '2', '2027'), { label: 'the application deadline', before: { date: '2027-01-18', text: 'the start date' } })).toMatchObject({ message: 'The application deadline must be before the start date' });
  });

  it('reads the three fields of a form or query, and fills them from a stored date', () => {
    expect(dateInputValues({ 'from-day': ' 5 ', 'from-month': '6', 'from-year': ['2026'] }, 'from')).toEqual({ day: '5', month: '6', year: '2026' });
    expect(dateInputValues(undefined, 'from')).toEqual({ day: '', month: '', year: '' });
    expect(dateInputFields('opensOn', '2027-01-08')).toEqual({ 'opensOn-day': '8', 'opensOn-month': '1', 'opensOn-year': '2027' });
  });

  it('links the error summary to the first field with a problem', () => {
    expect(dateErrorTarget('opensOn', typed('18', '', ''))).toBe('opensOn-month');
    expect(dateErrorTarget('opensOn', typed('', '', ''))).toBe('opensOn-day');
    expect(dateErrorTarget('opensOn', typed('30', '2', '2027'))).toBe('opensOn-day');
  });
});

describe('DateField', () => {
  it('keeps what was typed and marks only the fields at fault', () => {
    const html = render(<DateField name="opensOn" legend="Opens on" values={{ 'opensOn-day': '18', 'opensOn-month': '', 'opensOn-year': '2027' }} error="The date it opens must include a month" />);
    expect(html).toContain('id="opensOn-day" name="opensOn-day" type="text" value="18"');
    expect(html).toMatch(/class="govuk-input govuk-date-input__input govuk-input--error govuk-input--width-2" id="opensOn-month"/);
    expect(html).not.toMatch(/govuk-input--error[^"]*" id="opensOn-day"/);
    expect(html).toContain('The date it opens must include a month');
    expect(html).toContain('<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Opens on</legend>');
  });

  it('marks all three fields when the date as a whole is wrong', () => {
    const html = render(<DateField name="to" legend="To" values={{ 'to-day': '1', 'to-month': '1', 'to-year': '2026' }} error="The end date must be the same as or after 2 January 2026" />);
    expect(html.match(/govuk-input--error/g)).toHaveLength(3);
  });
});
