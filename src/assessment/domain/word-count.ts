import type { WordCountExclusion } from './assessment-spec';

/**
 * A written account as its words are counted: blocks in reading order, each a heading (with its
 * level), a paragraph, a table cell's text or a footnote, and the section it sits in — the account's
 * body, its references or its appendices (a section starts at a heading that names it).
 */
export interface AccountBlock {
  kind: 'heading' | 'paragraph' | 'table' | 'footnote';
  text: string;
  level?: number;
}

// LibreOffice's count (Writer's Tools > Word count, and what it saves as meta:word-count): runs of
// characters between white space, with the em and en dash as further separators (its default
// "additional separators"). Any run counts, punctuation alone included: "a & b" is three words.
const SEPARATORS = /[\s\u2014\u2013]+/u;

/** The words in text as LibreOffice counts them (issue 12 item 3: counts agree with LibreOffice's). */
export function wordsIn(text: string): number {
  let n = 0;
  for (const token of text.split(SEPARATORS)) if (token) n++;
  return n;
}

// A heading that names the section and perhaps numbers it ("3. References:", "Appendix B: the survey",
// "Appendices"), never a sentence that starts with the word ("Appendix 2 sets out…", "Appendix-style").
const REFERENCES = /^\s*(\d+[.)]?\s*)?(references|reference list|bibliography|works cited|sources)\s*:?\s*$/i;
const APPENDICES = /^\s*(\d+[.)]?\s*)?(appendix|appendices|appendixes)(\s+[a-z0-9]{1,3})?\s*((:|\.|–|—|\s-)\s.{0,100})?$/i;

/** Which section a heading starts: references, appendices, or none (the body). */
export function sectionOf(heading: string): 'references' | 'appendices' | null {
  if (REFERENCES.test(heading)) return 'references';
  if (APPENDICES.test(heading)) return 'appendices';
  return null;
}

/** An account's words: in all, counted under the rule, and left out by each exclusion (a word in two excluded parts is left out once, under the first). */
export interface WordCount {
  total: number;
  counted: number;
  excluded: Partial<Record<WordCountExclusion, number>>;
}

/**
 * Counts an account's words under a task's rule (issue 12 item 3): every block's words, less those
 * in the parts `excludes` names — headings, table cells, footnotes, and the references and appendices
 * sections (from a heading that names one to the next heading of the same or a higher level).
 */
export function countAccount(blocks: readonly AccountBlock[], excludes: readonly WordCountExclusion[]): WordCount {
  const excluded: Partial<Record<WordCountExclusion, number>> = {};
  let total = 0;
  let section: { kind: 'references' | 'appendices'; level: number } | null = null;
  for (const b of blocks) {
    if (b.kind === 'heading') {
      const level = b.level ?? 1;
      if (section && level <= section.level) section = null;
      const starts = sectionOf(b.text);
      if (starts) section = { kind: starts, level };
    }
    const words = wordsIn(b.text);
    total += words;
    const part: WordCountExclusion | null = b.kind === 'heading' ? 'headings' : b.kind === 'table' ? 'tables' : b.kind === 'footnote' ? 'footnotes' : null;
    // A heading naming the references is a heading first: left out as a heading when headings are, as references otherwise.
    // Footnotes are read at the end of the document, after any appendix: they belong to no section.
    const inSection = b.kind === 'footnote' ? null : (section?.kind ?? null);
    const why = [part, inSection].find((w): w is WordCountExclusion => w !== null && excludes.includes(w));
    if (why) excluded[why] = (excluded[why] ?? 0) + words;
  }
  const left = Object.values(excluded).reduce((a, b) => a + (b ?? 0), 0);
  return { total, counted: total - left, excluded };
}
