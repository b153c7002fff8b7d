import type { FileType } from '../../platform/file-types';
import { keptFileName } from '../../platform/file-types';

/*
 * Course materials (issue 10 item 4): files an admin uploads to an NPQ's programme and names from a
 * "File" activity in the outline, by the name they are kept under.
 */

/** The kinds of file a programme's materials may be: documents, slides, spreadsheets and pictures, by their bytes. */
export const MATERIAL_FILE_TYPES = ['pdf', 'docx', 'doc', 'pptx', 'xlsx', 'png', 'jpg'] as const satisfies readonly FileType[];

/** A material is at most 25 MB (a slide deck with pictures). */
export const MATERIAL_MAX_BYTES = 25 * 1024 * 1024;

/**
 * A material's name as the outline writes it: one word of plain letters, digits and . _ ( ) -,
 * starting with a letter or digit, ending with its kind. Plain (ASCII) letters only, so that "the same
 * name" means the same to the database's lower() and to the outline's reading (İ and i differ by locale).
 */
export const MATERIAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._()-]*\.(pdf|docx|doc|pptx|xlsx|png|jpg)$/i;

/**
 * The name an uploaded file is kept under: its own name, made one word (spaces become hyphens) so an
 * outline line can end with it ("File: The handbook npqh-handbook.pdf"), accents taken off their
 * letters (café → cafe), and anything else that is not a plain letter or digit made a hyphen; always
 * a name MATERIAL_NAME accepts ("material.pdf" when nothing of it is left).
 */
export function materialName(sent: string, type: FileType): string {
  const kept = keptFileName(sent.normalize('NFKD').replace(/\p{M}+/gu, ''), type, 'material');
  const base = kept
    .slice(0, -(type.length + 1))
    .replace(/[^A-Za-z0-9._()-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '');
  return `${base || 'material'}.${type}`;
}
