/*
 * Counting and cutting text as people read it. JavaScript counts UTF-16 units: an emoji is two, and
 * `slice` can cut one in half, leaving a lone surrogate that PostgreSQL refuses inside JSON (the audit
 * log's records): so text is counted and cut by code point here. And `trim` keeps characters that
 * show nothing (zero-width spaces and joiners, direction marks), so a reason or post made only of them
 * looks typed but is empty.
 */

/** How many characters (code points) text has: "😀" is 1. */
export const characterCount = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** The first `max` characters of text, never cutting a character in two. */
export const clip = (text: string, max: number): string => (text.length <= max ? text : Array.from(text).slice(0, max).join(''));

// Spaces, format characters (Unicode Cf: zero-width space and joiners, direction marks, soft hyphen),
// and the letters that draw nothing: the Hangul fillers and the blank braille pattern.
const INVISIBLE = /[\s\p{Cf}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/** Whether text has anything a reader would see: not only spaces and invisible format characters. */
export const hasVisibleText = (text: string): boolean => text.replace(INVISIBLE, '') !== '';

/** Minutes as people read hours: 0 → "0 hours", 90 → "1 hour 30 minutes", 480 → "8 hours". */
export function hoursAndMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hours = `${h} ${h === 1 ? 'hour' : 'hours'}`;
  if (!m) return hours;
  return h ? `${hours} ${m} ${m === 1 ? 'minute' : 'minutes'}` : `${m} ${m === 1 ? 'minute' : 'minutes'}`;
}
