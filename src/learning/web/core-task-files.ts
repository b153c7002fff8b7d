import type { FastifyReply } from 'fastify';
import { escapeHtml } from '../../ui/govuk/core';
import { CORE_TASK_FILE_TYPES, type CoreTaskFileType } from '../domain/core-task';
import type { CoreTaskAttempt } from '../participants/core-tasks';

/** A link to an attempt's file, with its kind and size, or "None". */
export function fileLink(href: string, a: Pick<CoreTaskAttempt, 'fileName' | 'fileType' | 'fileSize'>): string {
  if (!a.fileName || !a.fileType) return 'None';
  const kb = Math.max(1, Math.round((a.fileSize ?? 0) / 1024));
  return `<a class="govuk-link" href="${escapeHtml(href)}" download>${escapeHtml(a.fileName)}</a> (${CORE_TASK_FILE_TYPES[a.fileType as CoreTaskFileType]?.label ?? a.fileType}, ${kb.toLocaleString('en-GB')} KB)`;
}

/**
 * Sends a core task's file as a download, never shown in the page's origin as a document: its own
 * type, "attachment", no sniffing, no caching by anyone else, and a sandbox should a browser open it.
 */
export function sendCoreTaskFile(reply: FastifyReply, file: { name: string; type: CoreTaskFileType; bytes: Buffer }) {
  return reply
    .header('content-type', CORE_TASK_FILE_TYPES[file.type].mime)
    .header('content-disposition', `attachment; filename="${file.name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', "sandbox; default-src 'none'")
    .header('cache-control', 'private, no-store')
    .send(file.bytes);
}
