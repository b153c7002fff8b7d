import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { countAccount } from '../domain/word-count';
import { pdfBlocks, wordDocumentBlocks } from './extract-account';
import { fodt, h, libreOffice, p, table, textBox } from './libreoffice.testkit';

/**
 * Issue 12 ("Done when"): the word counts of a set of test documents — Word with tables, footnotes
 * and text boxes; a PDF with columns — agree with LibreOffice's own count of the same files, within
 * the rule's exclusions. LibreOffice writes the files from flat XML and counts them; the platform
 * reads them with mammoth and unpdf.
 */
const list = (items: string[], nested?: string) => `<text:list>${items.map((x, i) => `<text:list-item><text:p>${x}</text:p>${i === 0 && nested ? nested : ''}</text:list-item>`).join('')}</text:list>`;
const para = (n: number) => `The reading intervention ran for ${n} weeks in Years 3–5; pupils' fluency rose — and so did their confidence, e.g. in guided reading & homework.`;
const body = [p(para(6)), p('Staff met each fortnight to review the data, adjust the groups and share what worked. Well-known strategies were used.'), p(para(8))];
const DOCS = {
  tables: fodt([...body, table([['Year group', 'Baseline', 'After'], ['Year 3', '92 words a minute', '104 words a minute'], ['Year 4\nincluding two\nsmall groups', '101', '118']]), p('After the table, the account goes on.')]),
  footnotes: fodt([p('Fluency matters for comprehension.', 'See the EEF guidance report on improving literacy in key stage 2.'), p('Teachers used repeated reading.', 'Rasinski, 2010.', 'Also paired reading, which we tried in Year 4.'), ...body]),
  lists: fodt([p('What we changed:'), list(['Parent item one, with words of its own', 'A second item'], list(['A child item', 'Another child, with four words'])), ...body]),
  textBoxes: fodt([...body, textBox(['Case: a Year 4 pupil who read at 60 words a minute in September', 'and at 95 in March.'], 'Then the account continues after the box.'), textBox(['A second box with six words.'])]),
  account: fodt([
    h(1, 'Leading a whole-school reading programme'),
    h(2, 'Design'),
    ...body,
    table([['Measure', 'Result'], ['Fluency', '+14%']]),
    h(2, 'Implementation'),
    p('We trained every teacher in the autumn term.', 'Two training sessions of ninety minutes.'),
    h(1, 'References'),
    p('Education Endowment Foundation (2021) Improving Literacy in Key Stage 2. London: EEF.'),
    p('Rasinski, T. (2010) The Fluent Reader. New York: Scholastic.'),
    h(1, 'Appendix A: the fluency test'),
    p('Each pupil read a graded passage aloud for one minute; words read correctly were counted.'),
  ]),
  // The same account with only what the strictest rule counts: the body paragraphs, without their notes.
  accountBody: fodt([...body, p('We trained every teacher in the autumn term.')]),
  columns: fodt(Array.from({ length: 24 }, (_, i) => p(`${para(i + 2)} Paragraph ${i + 1} closes here.`)), { columns: 2 }),
};

let lo: ReturnType<typeof libreOffice>;
let files: Record<string, string>;
let words: Record<string, Buffer>;
let pdf: Buffer;

beforeAll(() => {
  lo = libreOffice();
  files = lo.write(DOCS);
  const names = ['tables', 'footnotes', 'lists', 'textBoxes', 'account'] as const;
  const docx = lo.convert(names.map((n) => files[n]!), 'docx');
  words = Object.fromEntries(names.map((n, i) => [n, readFileSync(docx[i]!)]));
  pdf = readFileSync(lo.convert([files.columns!], 'pdf')[0]!);
}, 180_000);

describe('word counts agree with LibreOffice’s own', () => {
  it('counts Word documents with tables, footnotes, nested lists and text boxes as LibreOffice counts the same files', async () => {
    const names = Object.keys(words);
    const theirs = lo.wordCounts(names.map((n) => `${lo.dir}/docx/${n}.docx`));
    const ours = await Promise.all(names.map(async (n) => countAccount(await wordDocumentBlocks(words[n]!), []).total));
    expect(Object.fromEntries(names.map((n, i) => [n, ours[i]]))).toEqual(Object.fromEntries(names.map((n, i) => [n, theirs[i]])));
    expect(Math.min(...theirs)).toBeGreaterThan(40);
  }, 120_000);

  it('counts a PDF set in two columns as LibreOffice counts the document it printed', async () => {
    const [theirs] = lo.wordCounts([files.columns!]);
    expect(countAccount(await pdfBlocks(pdf), []).total).toBe(theirs);
    expect(theirs).toBeGreaterThan(500);
  }, 120_000);

  it('leaves out headings, tables, footnotes, references and appendices as the rule says, to LibreOffice’s count of the account without them', async () => {
    const [whole, bodyOnly] = lo.wordCounts([`${lo.dir}/docx/account.docx`, files.accountBody!]);
    const blocks = await wordDocumentBlocks(words.account!);
    const strict = countAccount(blocks, ['headings', 'references', 'appendices', 'footnotes', 'tables']);
    expect(strict.total).toBe(whole);
    expect(strict.counted).toBe(bodyOnly);
    expect(strict.excluded).toEqual({ headings: 13, tables: 4, footnotes: 6, references: expect.any(Number), appendices: expect.any(Number) });
    // A rule that leaves out only the references counts the rest, headings and all: the heading
    // "References" goes with its section then, one word more than under the strict rule.
    const lenient = countAccount(blocks, ['references']);
    expect(lenient.excluded).toEqual({ references: strict.excluded.references! + 1 });
    expect(lenient.counted).toBe(whole! - strict.excluded.references! - 1);
  }, 120_000);
});
