import { describe, expect, it } from 'vitest';
import { errorsInPageOrder } from './layout';

describe('the error summary', () => {
  it('lists errors in the order their fields stand on the page, whatever order they were found in; one about the whole form first', () => {
    const html = '<p data-id="group"></p><input id="name"><input id="email"><div class="govuk-date-input"><input id="startsOn-day"></div><div class="govuk-radios"><input id="group"></div>';
    const errors = { group: 'Select how they work with you', startsOn: 'Enter the start date', email: 'Enter their email address', name: 'Enter their name', form: 'That person is already asked' };
    expect(errorsInPageOrder(errors, { startsOn: 'startsOn-day' }, html)).toEqual([
      { text: 'That person is already asked', href: '#form' },
      { text: 'Enter their name', href: '#name' },
      { text: 'Enter their email address', href: '#email' },
      { text: 'Enter the start date', href: '#startsOn-day' },
      { text: 'Select how they work with you', href: '#group' },
    ]);
  });
});
