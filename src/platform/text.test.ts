import { describe, expect, it } from 'vitest';
import { characterCount, clip, hasVisibleText } from './text';

describe('text as people read it', () => {
  it('counts and cuts by character, never leaving half an emoji', () => {
    expect(characterCount('a😀b')).toBe(3);
    expect(clip(`${'a'.repeat(499)}😀😀`, 500)).toBe(`${'a'.repeat(499)}😀`);
    expect(JSON.stringify(clip('😀😀', 1))).toBe('"😀"');
  });
  it('finds nothing visible in spaces and zero-width or direction characters alone', () => {
    expect(hasVisibleText('\u200b\u200d\u2060 \u200e\n')).toBe(false);
    expect(hasVisibleText('\u200bok')).toBe(true);
    // Letters that draw nothing: Hangul fillers and the blank braille pattern.
    expect(hasVisibleText('\u3164\u2800\u115f\u1160\uffa0')).toBe(false);
    expect(hasVisibleText('\u3164ok')).toBe(true);
    expect(hasVisibleText('😀')).toBe(true);
  });
});
