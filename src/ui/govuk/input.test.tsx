import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { CharacterCount } from './character-count';
import { DateInput } from './date-input';
import { INPUT_MAXLENGTH, Input } from './input';
import { TEXTAREA_MAXLENGTH, Textarea } from './textarea';
import { describeFixtures } from './fixtures';

// govuk-frontend's markup has no maxlength unless asked: ours adds the boundary's by default.
describeFixtures('input', (p: Parameters<typeof Input>[0]) => Input({ ...p, maxlength: false }));

describe('a text input and a textarea cannot be sent longer than their field takes', () => {
  it('carries the field’s own maxlength, else the input boundary’s; a textarea likewise, and a character count’s textarea the boundary’s', () => {
    expect(renderToString(<Input name="name" maxlength={200} />)).toContain('maxlength="200"');
    expect(renderToString(<Input name="q" type="search" />)).toContain(`maxlength="${INPUT_MAXLENGTH}"`);
    expect(renderToString(<DateInput id="on" />).match(/maxlength="2000"/g)).toHaveLength(3);
    expect(renderToString(<Textarea name="note" />)).toContain(`maxlength="${TEXTAREA_MAXLENGTH}"`);
    expect(renderToString(<Textarea name="note" maxlength={500} />)).toContain('maxlength="500"');
    const counted = renderToString(<CharacterCount name="comment" maxlength={2000} />);
    expect(counted).toContain('data-maxlength="2000"');
    expect(counted).toContain(`maxlength="${TEXTAREA_MAXLENGTH}"`);
  });
});
