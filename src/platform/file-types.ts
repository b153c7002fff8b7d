import { fileTypeFromBuffer } from 'file-type';
import { ValidationError } from './errors';
import type { SentFile } from './file-forms';
import { clip } from './text';

/**
 * The kinds of file people may send or download (issue 10 item 4: core tasks "as text or a file (PDF,
 * Word)"; course materials), told by what their bytes are, never by their names alone. The key is
 * also the file's extension as the platform names it, and is what the database keeps.
 */
export const FILE_TYPES = {
  pdf: { mime: 'application/pdf', label: 'PDF' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'Word' },
  doc: { mime: 'application/msword', label: 'Word 97–2003' },
  pptx: { mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', label: 'PowerPoint' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'Excel' },
  png: { mime: 'image/png', label: 'PNG image' },
  jpg: { mime: 'image/jpeg', label: 'JPEG image' },
} as const;
export type FileType = keyof typeof FILE_TYPES;

/**
 * The kind of a sent file from what a well-kept sniffer (file-type) found in its bytes and the name it
 * came with, if it is one of `allowed`; undefined for anything else (a program renamed .pdf, a
 * spreadsheet where only documents are taken). Word 97–2003 is an OLE compound file, as old Excel
 * and PowerPoint are: only its name tells them apart.
 */
export function fileTypeOf(sniffed: string | undefined, name: string, allowed: readonly FileType[]): FileType | undefined {
  const found: FileType | undefined = sniffed === 'cfb' ? (/\.doc$/i.test(name) ? 'doc' : undefined) : sniffed && sniffed in FILE_TYPES ? (sniffed as FileType) : undefined;
  return found && allowed.includes(found) ? found : undefined;
}

/** "PDF, Word or PowerPoint": the kinds in `allowed`, for a hint or an error message (Word once, however many Word kinds). */
export function fileTypesText(allowed: readonly FileType[]): string {
  const labels = [...new Set(allowed.map((t) => (t === 'doc' ? FILE_TYPES.docx.label : FILE_TYPES[t].label)))];
  return labels.length > 1 ? `${labels.slice(0, -1).join(', ')} or ${labels.at(-1)}` : (labels[0] ?? '');
}

/**
 * Why a file was refused for its kind, naming it as it was sent: its name may say ".pdf" while its
 * contents are something else, and a bare "must be a PDF" would puzzle whoever sent it.
 */
export function wrongKindMessage(sentName: string, allowed: readonly FileType[]): string {
  const name = clip((sentName.split(/[\\/]/).pop() ?? '').trim(), 80);
  return `${name ? `“${name}”` : 'The file'} is not a ${fileTypesText(allowed)} file: what is inside it is of another kind, whatever its name ends with`;
}

/** The `accept` attribute of a file input taking `allowed`: extensions and types, a hint to the browser's picker (the server still checks the bytes). */
export const acceptOf = (allowed: readonly FileType[]): string => [...allowed.map((t) => `.${t}`), ...allowed.map((t) => FILE_TYPES[t].mime)].join(',');

/**
 * A sent file's name as kept and served: its own name without folders or odd characters, at most 100
 * characters before the extension, ending as its kind does; `fallback` when nothing of it is left.
 */
export function keptFileName(sent: string, type: FileType, fallback: string): string {
  // Browsers send a name's quotes and line breaks as %22, %0D and %0A (the HTML standard's form encoding).
  const name = sent.replace(/%22/g, '"').replace(/%0[AD]/gi, ' ');
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/\.[a-z0-9]{1,5}$/i, '').replace(/[^\p{L}\p{N} ._()-]+/gu, '-').replace(/^[.-]+/, '').trim();
  return `${clip(base, 100) || fallback}.${type}`;
}

/** "12 KB", "3.4 MB": a file's size as people read it. */
export function fileSizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toLocaleString('en-GB', { maximumFractionDigits: 1 })} MB`;
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en-GB')} KB`;
}

/**
 * The kind of a sent file once it has passed the checks every upload makes: at most `maxBytes` (bytes)
 * and one of `allowed` by what its bytes are (fileTypeOf). ValidationError on `file` saying which
 * check it failed, in the words people read. Core tasks, course materials and messages all check here.
 */
export async function checkedKind(sent: SentFile, allowed: readonly FileType[], maxBytes: number): Promise<FileType> {
  if (sent.tooLarge || sent.bytes.length > maxBytes) throw new ValidationError({ file: `The file must be ${maxBytes / 1024 / 1024} MB or smaller` });
  const type = fileTypeOf((await fileTypeFromBuffer(sent.bytes))?.ext, sent.name, allowed);
  if (!type) throw new ValidationError({ file: wrongKindMessage(sent.name, allowed) });
  return type;
}
