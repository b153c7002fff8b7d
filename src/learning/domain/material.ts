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

/** A material's name as the outline writes it: one word, ending with its kind. */
export const MATERIAL_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._()-]*\.(pdf|docx|doc|pptx|xlsx|png|jpg)$/iu;

/**
 * The name an uploaded file is kept under: its own name, made one word (spaces become hyphens) so an
 * outline line can end with it ("File: The handbook npqh-handbook.pdf").
 */
export function materialName(sent: string, type: FileType): string {
  return keptFileName(sent, type, 'material')
    .replace(/\s+/g, '-')
    .replace(/-{2,}/g, '-');
}
