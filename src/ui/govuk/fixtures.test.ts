import { describe, expect, it } from 'vitest';
import { normaliseHtml } from './fixtures';

describe('fixture comparison', () => {
  it('ignores whitespace and attribute order', () => {
    expect(normaliseHtml('<p  id="a" class="x  y">\n  Hi  there </p>')).toEqual(
      normaliseHtml('<p class="x y" id="a">Hi there</p>'),
    );
  });
  it('notices a different attribute, class, element or text', () => {
    const base = normaliseHtml('<p id="a" class="x">Hi</p>');
    expect(normaliseHtml('<p id="b" class="x">Hi</p>')).not.toEqual(base);
    expect(normaliseHtml('<p id="a" class="x z">Hi</p>')).not.toEqual(base);
    expect(normaliseHtml('<div id="a" class="x">Hi</div>')).not.toEqual(base);
    expect(normaliseHtml('<p id="a" class="x">Hello</p>')).not.toEqual(base);
    expect(normaliseHtml('<p id="a" class="x" hidden>Hi</p>')).not.toEqual(base);
  });
});
