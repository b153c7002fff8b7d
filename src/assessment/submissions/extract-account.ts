import mammoth from 'mammoth';
import { type DefaultTreeAdapterMap, parseFragment } from 'parse5';
import { extractText, getDocumentProxy } from 'unpdf';
import type { AccountBlock } from '../domain/word-count';

type Node = DefaultTreeAdapterMap['childNode'];
type Element = DefaultTreeAdapterMap['element'];

const isElement = (n: Node): n is Element => 'tagName' in n;
const attr = (e: Element, name: string) => e.attrs.find((a) => a.name === name)?.value ?? '';
// A note's reference in the text ("[1]") and its way back ("↑") are mammoth's links, not the writer's words.
const isNoteLink = (e: Element) => e.tagName === 'a' && /^#(footnote|endnote)-/.test(attr(e, 'href'));

/** The text of an element as read: its text nodes, line breaks as spaces, note links left out. */
function textOf(n: Node): string {
  if (!isElement(n)) return 'value' in n ? (n as { value: string }).value : '';
  if (n.tagName === 'br') return ' ';
  if (isNoteLink(n)) return '';
  return n.childNodes.map(textOf).join('');
}

/** Walks mammoth's HTML into blocks: headings with their level, paragraphs, table cells, and notes. */
function blocksOf(nodes: Node[], into: AccountBlock[], inTable = false): void {
  for (const n of nodes) {
    if (!isElement(n)) continue;
    const heading = /^h([1-6])$/.exec(n.tagName);
    if (heading) into.push({ kind: 'heading', level: Number(heading[1]), text: textOf(n) });
    else if (n.tagName === 'li' && /^(footnote|endnote)-/.test(attr(n, 'id'))) into.push({ kind: 'footnote', text: textOf(n) });
    else if (n.tagName === 'table') blocksOf(n.childNodes, into, true);
    else if (n.tagName === 'p') into.push({ kind: inTable ? 'table' : 'paragraph', text: textOf(n) });
    else if (n.tagName === 'li') {
      // An item's own words, then any list within it: LibreOffice counts an item's label ("1.", "•") as a word, so it is counted here too.
      const own = n.childNodes.filter((c) => !(isElement(c) && (c.tagName === 'ul' || c.tagName === 'ol' || c.tagName === 'p')));
      const label = n.parentNode && isElement(n.parentNode as Node) && (n.parentNode as Element).tagName === 'ol' ? '1.' : '•';
      into.push({ kind: inTable ? 'table' : 'paragraph', text: `${label} ${own.map(textOf).join('')}` });
      blocksOf(n.childNodes.filter((c) => !own.includes(c)), into, inTable);
    } else blocksOf(n.childNodes, into, inTable);
  }
}

/**
 * A Word document's (docx) text as blocks, by a well-kept converter (mammoth): headings by their
 * Word styles, paragraphs and list items, the text of table cells, text boxes where they stand, and
 * footnotes and endnotes at the end. Throws for bytes that are not a Word document.
 */
export async function wordDocumentBlocks(bytes: Buffer): Promise<AccountBlock[]> {
  const { value: html } = await mammoth.convertToHtml({ buffer: bytes });
  const blocks: AccountBlock[] = [];
  blocksOf(parseFragment(html).childNodes, blocks);
  return blocks;
}

/**
 * A PDF's text as blocks, by a well-kept reader (unpdf, Mozilla's pdf.js), one a line. A PDF keeps no
 * structure a count can trust — a line that reads "References" may be a heading or a trick — so every
 * line is counted as text: nothing is left out of a PDF's count (the page tells the participant a Word
 * document has its headings, references and the rest left out). Throws for bytes that are not a PDF.
 */
export async function pdfBlocks(bytes: Buffer): Promise<AccountBlock[]> {
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  const { text } = await extractText(pdf, { mergePages: false });
  return text
    .flatMap((page) => page.split('\n'))
    .filter((line) => line.trim())
    .map((line): AccountBlock => ({ kind: 'paragraph', text: line }));
}
