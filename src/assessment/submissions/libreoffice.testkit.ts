import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * Test documents written as LibreOffice's flat XML (.fodt), turned by LibreOffice itself into Word
 * documents and PDFs, and LibreOffice's own word count of any of them (issue 12: counts "agree with
 * LibreOffice's own count of the same files"). Tests only: LibreOffice Writer is installed by .ci/run.
 */

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const h = (level: number, text: string) => `<text:h text:outline-level="${level}" text:style-name="Heading_20_${level}">${esc(text)}</text:h>`;
export const p = (text: string, ...notes: string[]) => `<text:p>${esc(text)}${notes.map((n, i) => `<text:note text:id="n${Math.random().toString(36).slice(2)}" text:note-class="footnote"><text:note-citation>${i + 1}</text:note-citation><text:note-body><text:p>${esc(n)}</text:p></text:note-body></text:note>`).join('')}</text:p>`;
export const table = (rows: string[][]) =>
  `<table:table table:name="T${Math.random().toString(36).slice(2, 8)}"><table:table-column table:number-columns-repeated="${rows[0]!.length}"/>${rows.map((r) => `<table:table-row>${r.map((c) => `<table:table-cell office:value-type="string">${c.split('\n').map((line) => `<text:p>${esc(line)}</text:p>`).join('')}</table:table-cell>`).join('')}</table:table-row>`).join('')}</table:table>`;
export const textBox = (paragraphs: string[], after = '') =>
  `<text:p><draw:frame draw:name="F${Math.random().toString(36).slice(2, 8)}" text:anchor-type="paragraph" svg:width="8cm" svg:height="4cm"><draw:text-box>${paragraphs.map((x) => `<text:p>${esc(x)}</text:p>`).join('')}</draw:text-box></draw:frame>${esc(after)}</text:p>`;

/** A whole document of `body`; `columns` sets the page's text in that many columns. */
export function fodt(body: string[], opts: { columns?: number } = {}): string {
  const section = opts.columns ? `<text:section text:style-name="Cols" text:name="Columns">${body.join('')}</text:section>` : body.join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>${[1, 2, 3].map((l) => `<style:style style:name="Heading_20_${l}" style:display-name="Heading ${l}" style:family="paragraph" style:default-outline-level="${l}" style:class="text"/>`).join('')}</office:styles>
<office:automatic-styles><style:style style:name="Cols" style:family="section"><style:section-properties><style:columns fo:column-count="${opts.columns ?? 1}" fo:column-gap="1cm"/></style:section-properties></style:style></office:automatic-styles>
<office:body><office:text>${section}</office:text></office:body></office:document>`;
}

/** A LibreOffice that runs headless with a profile of its own (so test files running at once do not share one). */
export function libreOffice() {
  const dir = mkdtempSync(path.join(tmpdir(), 'npq-lo-'));
  const profile = `file://${path.join(dir, 'profile')}`;
  const convert = (files: string[], to: string): string[] => {
    execFileSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', to, '--outdir', path.join(dir, to), ...files], { stdio: 'ignore', timeout: 120_000 });
    return files.map((f) => path.join(dir, to, `${path.basename(f).replace(/\.[^.]+$/, '')}.${to}`));
  };
  return {
    dir,
    /** Writes documents (name → flat XML) and returns their paths. */
    write(docs: Record<string, string>): Record<string, string> {
      return Object.fromEntries(Object.entries(docs).map(([name, xml]) => {
        const file = path.join(dir, `${name}.fodt`);
        writeFileSync(file, xml);
        return [name, file];
      }));
    },
    /** Each file as LibreOffice saves it in another format (`docx`, `pdf`): the new files' paths, in order. */
    convert,
    /** LibreOffice's own word count of each file (what Tools > Word count shows, saved as meta:word-count), in order. */
    wordCounts(files: string[]): number[] {
      return convert(files, 'fodt').map((f) => Number(/meta:word-count="(\d+)"/.exec(readFileSync(f, 'utf8'))?.[1] ?? Number.NaN));
    },
  };
}
