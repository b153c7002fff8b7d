import type { FastifyReply } from 'fastify';
import { escapeHtml } from '../ui/govuk/core';
import { FILE_TYPES, type FileType, fileSizeText } from './file-types';

/** A link to download a kept file, with its kind and size ("handbook.pdf (PDF, 120 KB)"), or "None" when there is no file. */
export function fileLink(href: string, f: { fileName: string | null; fileType: string | null; fileSize: number | null }): string {
  if (!f.fileName || !f.fileType) return 'None';
  return `<a class="govuk-link" href="${escapeHtml(href)}" download>${escapeHtml(f.fileName)}</a> (${FILE_TYPES[f.fileType as FileType]?.label ?? escapeHtml(f.fileType)}, ${fileSizeText(f.fileSize ?? 0)})`;
}

// RFC 8187's value characters are narrower than encodeURIComponent's: ' ( ) * ! are encoded too.
const rfc8187 = (name: string): string => encodeURIComponent(name).replace(/['()*!]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * Sends a kept file as a download, never shown in the page's origin as a document: its own type,
 * "attachment", no sniffing, no caching by anyone else, and a sandbox should a browser open it.
 */
export function sendDownload(reply: FastifyReply, file: { name: string; type: FileType; bytes: Buffer }) {
  return reply
    .header('content-type', FILE_TYPES[file.type].mime)
    .header('content-disposition', `attachment; filename="${file.name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${rfc8187(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}
